from django.apps import AppConfig


def _search_indexes_after_migrate(using="default", **kwargs) -> None:
    from django.db import connections

    from caredesk.customers.search.indexes import ensure_after_migrate, repair

    ensure_after_migrate(connections[using])
    repair(connections[using])  # an interrupted bulk load's index step, finished


class CustomersConfig(AppConfig):
    name = "caredesk.customers"
    label = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_search_indexes_after_migrate, sender=self)
        from caredesk.customers import checks  # noqa: F401 (registers the system check)
