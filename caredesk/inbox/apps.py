from caredesk.lib import apps_config


class InboxConfig(apps_config.DomainAppConfig):
    name = "caredesk.inbox"
    label = "inbox"
    verbose_name = "Inbox"
    hooks = ("comms_hooks",)
    after_migrate = "caredesk.inbox.emails.seed_after_migrate"

    def ready(self) -> None:
        from caredesk.inbox import emails

        super().ready()
        emails.register_variables()
