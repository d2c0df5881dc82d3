from caredesk.lib import apps_config


class OrdersConfig(apps_config.DomainAppConfig):
    name = "caredesk.orders"
    label = "orders"
    verbose_name = "Orders"
    hooks = ("comms_hooks", "customer_hooks", "instant")
