from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "caredesk.inbox"
    label = "inbox"
    verbose_name = "Inbox"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from caredesk.inbox import comms_hooks, emails  # noqa: F401 (hooks)

        emails.register_variables()
        post_migrate.connect(emails.seed_after_migrate, sender=self)
