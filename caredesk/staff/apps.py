from caredesk.lib import apps_config


class StaffConfig(apps_config.DomainAppConfig):
    name = "caredesk.staff"
    label = "staff"
    verbose_name = "Staff"
    after_migrate = "caredesk.staff.roles.sync_roles_after_migrate"
