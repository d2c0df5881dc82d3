from caredesk.lib import apps_config


class BillingConfig(apps_config.DomainAppConfig):
    name = "caredesk.billing"
    label = "billing"
    verbose_name = "Money"
    hooks = ("comms_hooks",)  # regarding and attachments
