from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "caredesk.billing"
    label = "billing"
    verbose_name = "Money"

    def ready(self):
        from caredesk.billing import comms_hooks  # noqa: F401 (regarding and attachments)
