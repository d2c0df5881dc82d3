from caredesk.lib import apps_config


def search_indexes_after_migrate(using="default", **kwargs) -> None:
    from django.db import connections

    from caredesk.customers.search.indexes import ensure_after_migrate, repair

    ensure_after_migrate(connections[using])
    repair(connections[using])  # an interrupted bulk load's index step, finished


class CustomersConfig(apps_config.DomainAppConfig):
    name = "caredesk.customers"
    label = "customers"
    verbose_name = "Customers"
    hooks = ("checks",)  # registers the system check
    after_migrate = "caredesk.customers.apps.search_indexes_after_migrate"
