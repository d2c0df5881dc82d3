from caredesk.lib import apps_config


class CommsConfig(apps_config.DomainAppConfig):
    name = "caredesk.comms"
    label = "comms"
    verbose_name = "Communications and activity"
    after_migrate = "caredesk.comms.seed.seed_after_migrate"
