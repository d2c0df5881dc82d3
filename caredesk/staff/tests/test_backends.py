"""Capabilities are read fresh on every request: a role change or a revoked permission applies
to the very next request, and the answer is ModelBackend's, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.staff.backends import StaffBackend, permissions_of

pytestmark = pytest.mark.django_db

PAGE = "/orders/pending/"  # needs view_orders


def _capability(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="staff", codename=codename)


def test_removing_the_role_refuses_the_next_request(web_for, csr):
    client = web_for(csr)
    assert client.get(PAGE).status_code == 200
    csr.groups.clear()
    assert client.get(PAGE).status_code == 403


def test_a_permission_taken_from_the_role_is_refused_on_the_next_request(web_for, csr):
    client = web_for(csr)
    assert client.get(PAGE).status_code == 200
    Group.objects.get(name="csr").permissions.remove(_capability("view_orders"))
    assert client.get(PAGE).status_code == 403
    Group.objects.get(name="csr").permissions.add(_capability("view_orders"))
    assert client.get(PAGE).status_code == 200


def test_a_direct_permission_counts_and_its_removal_too(web_for, staff_factory):
    user = staff_factory("nobody")
    client = web_for(user)
    assert client.get(PAGE).status_code == 403
    user.user_permissions.add(_capability("view_orders"))
    assert client.get(PAGE).status_code == 200
    user.user_permissions.remove(_capability("view_orders"))
    assert client.get(PAGE).status_code == 403


def test_a_deactivated_account_is_signed_out_on_the_next_request(web_for, csr):
    client = web_for(csr)
    assert client.get(PAGE).status_code == 200
    csr.is_active = False
    csr.save(update_fields=["is_active"])
    assert client.get(PAGE).status_code == 302


@pytest.mark.parametrize("role", ["csr", "finance", "manager", "admin"])
def test_the_same_permissions_as_model_backend(role, staff_factory):
    user = staff_factory("someone", role)
    user.user_permissions.add(_capability("view_audit_log"))
    expected = ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
    assert permissions_of(user) == expected
    assert StaffBackend().get_all_permissions(user) == expected


def test_a_superuser_holds_every_permission(staff_factory):
    user = staff_factory("root")
    user.is_superuser = True
    assert permissions_of(user) == ModelBackend().get_all_permissions(user)
    assert len(permissions_of(user)) == Permission.objects.count()


def test_one_query_answers_every_check_of_a_request(staff_factory):
    user = staff_factory("agent", "csr", "finance")
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("staff.view_orders")
        assert not user.has_perm("staff.manage_staff")
        assert user.has_perm("staff.record_payment")
    assert len(queries.captured_queries) == 1
