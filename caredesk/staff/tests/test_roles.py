"""The role table (SPEC §1) as the database holds it."""

import pytest

from caredesk.staff.capabilities import CAPABILITIES, ROLES
from caredesk.staff.nav import menu_for

pytestmark = pytest.mark.django_db

RESTRICTED_FOR_CSR = [
    "view_partner_payouts",
    "view_commission_ledger",
    "legacy_migration",
    "command_center",
    "record_payment",
    "cancel_confirmed_order",
    "mark_delivered",
    "issue_refund",
    "correct_invoice",
    "create_run",
]


@pytest.mark.parametrize("capability", RESTRICTED_FOR_CSR)
def test_csr_lacks_restricted_capabilities(csr, capability):
    assert not csr.has_perm(f"staff.{capability}")


def test_only_finance_and_manager_paths_hold_money_and_delivery_rules(role_users):
    assert role_users["finance"].has_perm("staff.record_payment")
    assert role_users["finance"].has_perm("staff.issue_refund")
    assert role_users["manager"].has_perm("staff.cancel_confirmed_order")
    assert role_users["manager"].has_perm("staff.mark_delivered")
    assert role_users["manager"].has_perm("staff.create_run")
    assert role_users["installer"].has_perm("staff.record_delivery_event")
    assert not role_users["installer"].has_perm("staff.view_customer")
    assert role_users["csr"].has_perm("staff.view_invoices")
    assert not role_users["csr"].has_perm("staff.correct_invoice")


def test_every_role_group_matches_the_table(role_users):
    for role, user in role_users.items():
        held = {p.split(".", 1)[1] for p in user.get_all_permissions()}
        assert held == set(ROLES[role]), role


def test_a_single_capability_can_be_granted_to_one_csr(csr):
    from django.contrib.auth.models import Permission

    csr.user_permissions.add(Permission.objects.get(codename="record_payment"))
    csr = type(csr).objects.get(pk=csr.pk)
    assert csr.has_perm("staff.record_payment")


def test_all_capabilities_exist_as_permissions():
    from django.contrib.auth.models import Permission

    codenames = set(
        Permission.objects.filter(content_type__app_label="staff").values_list(
            "codename", flat=True
        )
    )
    assert set(CAPABILITIES) <= codenames


def test_menu_shows_only_what_the_role_may_open(role_users):
    def names(user):
        return {i["name"] for s in menu_for(user) for i in s["items"]}

    assert "audit:log" not in names(role_users["csr"])
    assert "staff:list" not in names(role_users["csr"])
    assert "audit:log" in names(role_users["manager"])
    assert "staff:list" in names(role_users["admin"])
    assert "workspace:dashboard" in names(role_users["installer"])
