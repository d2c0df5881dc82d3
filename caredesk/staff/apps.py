from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "caredesk.staff"
    label = "staff"
    verbose_name = "Staff"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from caredesk.staff.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self)
