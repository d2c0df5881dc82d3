"""Staff sign-in and capability checks: Django's ModelBackend, with a user's permissions read in
one statement.

Every page checks capabilities (permissions given through the role groups, `staff/roles.py`).
ModelBackend reads them with two ORM queries per request (the user's own permissions, then their
groups' permissions), each joined to the content types and built and compiled anew. Here one
fixed SQL statement answers both, so a request pays one small query and no query compilation.
Nothing is kept between requests: a role change, a revoked permission or a deactivated account
applies to the very next request, in every process.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


@cache
def _permissions_sql() -> str:
    """`app_label`, `codename` of every permission a user holds, directly or through a group
    (every permission for a superuser). Table names come from the models."""
    user = get_user_model()
    own = user.user_permissions.through._meta
    member = user.groups.through._meta
    granted = user.groups.field.related_model.permissions.through._meta
    # Table names from the models; the values are parameters.
    return (
        f"SELECT ct.app_label, p.codename FROM {Permission._meta.db_table} p "  # noqa: S608
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id "
        f"WHERE %s OR p.id IN ("
        f"SELECT o.permission_id FROM {own.db_table} o WHERE o.user_id = %s "
        f"UNION SELECT g.permission_id FROM {granted.db_table} g "
        f"JOIN {member.db_table} m ON m.group_id = g.group_id WHERE m.user_id = %s)"
    )


def permissions_of(user) -> set[str]:
    """Every "app_label.codename" `user` holds now, read from the database."""
    database = router.db_for_read(Permission)
    with connections[database].cursor() as cursor:
        cursor.execute(_permissions_sql(), [bool(user.is_superuser), user.pk, user.pk])
        return {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}


class StaffBackend(ModelBackend):
    """ModelBackend (username and password, active users only) whose permission set is read
    once per request in one statement (`permissions_of`)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = permissions_of(user_obj)
        return user_obj._perm_cache
