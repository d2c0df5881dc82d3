from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "caredesk.comms"
    label = "comms"
    verbose_name = "Communications and activity"
