from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "caredesk.orders"
    label = "orders"
    verbose_name = "Orders"
