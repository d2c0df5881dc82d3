from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "caredesk.delivery"
    label = "delivery"
    verbose_name = "Delivery"
