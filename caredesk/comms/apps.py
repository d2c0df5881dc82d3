from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "caredesk.comms"
    label = "comms"
    verbose_name = "Communications and activity"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from caredesk.comms.seed import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self)
