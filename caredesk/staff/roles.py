"""Keeps the role groups equal to the ROLES table."""

from caredesk.staff.capabilities import CAPABILITIES, ROLES


def sync_roles(apps=None) -> None:
    """Create every capability permission and every role group, and set each group's
    permissions to exactly what ROLES says. Idempotent; runs in a migration and after
    every migrate so a new capability reaches the roles without a manual step."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    content_type, _ = ContentType.objects.get_or_create(app_label="staff", model="capability")
    existing = {p.codename: p for p in Permission.objects.filter(content_type=content_type)}
    for codename, name in CAPABILITIES.items():
        if codename not in existing:
            existing[codename] = Permission.objects.create(
                content_type=content_type, codename=codename, name=name
            )
        elif existing[codename].name != name:
            existing[codename].name = name
            existing[codename].save(update_fields=["name"])
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([existing[c] for c in codenames])


def sync_roles_after_migrate(**kwargs) -> None:
    sync_roles(kwargs.get("apps"))
