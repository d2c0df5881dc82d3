"""`has_capability` answers exactly as `user.has_perm` does, from one read per user."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.lib.permissions import has_capability
from caredesk.staff.capabilities import CAPABILITIES, ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_capability_of_every_role_as_has_perm_answers(role, staff_factory):
    user = staff_factory("someone", role)
    fresh = get_user_model().objects.get(pk=user.pk)
    for capability in CAPABILITIES:
        assert has_capability(user, capability) == fresh.has_perm(f"staff.{capability}")


def test_inactive_anonymous_and_superuser(staff_factory):
    user = staff_factory("someone", "manager")
    user.is_active = False
    assert not has_capability(user, "view_orders")
    assert not has_capability(AnonymousUser(), "view_orders")
    assert not has_capability(None, "view_orders")
    root = staff_factory("root")
    root.is_superuser = True
    assert all(has_capability(root, c) for c in CAPABILITIES)


def test_one_query_for_all_the_checks_of_a_user(staff_factory):
    user = get_user_model().objects.get(pk=staff_factory("someone", "csr").pk)
    with CaptureQueriesContext(connection) as queries:
        for capability in CAPABILITIES:
            has_capability(user, capability)
    assert len(queries.captured_queries) == 1


def test_a_permission_given_after_a_check_counts_once_the_users_cache_is_dropped(staff_factory):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.get(pk=staff_factory("someone", "csr").pk)
    assert not has_capability(user, "record_payment")
    user.user_permissions.add(Permission.objects.get(codename="record_payment"))
    assert not has_capability(user, "record_payment")  # read once per request, as Django does
    user.__dict__.pop("_perm_cache", None)
    assert has_capability(user, "record_payment")
