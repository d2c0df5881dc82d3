from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "caredesk.privacy"
    label = "privacy"
    verbose_name = "Data safety"
