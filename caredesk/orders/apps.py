from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "caredesk.orders"
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from caredesk.orders import comms_hooks, customer_hooks, instant  # noqa: F401 (hooks)
