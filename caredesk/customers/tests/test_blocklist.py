"""The FRAUD-STOP blocklist: normalisation, matching (IPv4 CIDR, IPv6, card, email case, phone
formats), removal keeping history, and the one enforcement check with its audit trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.audit.models import Event
from caredesk.customers.models import BlockedValue, Customer
from caredesk.customers.services import (
    blocklist_add,
    blocklist_enforce,
    blocklist_hits,
    blocklist_remove,
    customer_create,
    customer_update,
)
from caredesk.customers.tests.conftest import customer_data
from caredesk.lib.errors import Conflict, Invalid, NotAllowed

pytestmark = pytest.mark.django_db


def test_ipv4_cidr_range_blocks_addresses_inside_only(csr):
    blocklist_add(actor=csr, kind="ip", value="198.51.100.0/24", reason="card testing")
    assert [h.value for h in blocklist_hits(ips=["198.51.100.77"])] == ["198.51.100.0/24"]
    assert blocklist_hits(ips=["198.51.101.1"]) == []
    assert blocklist_hits(ips=["198.51.99.255"]) == []


def test_single_ipv4_and_ipv4_mapped_ipv6_match(csr):
    blocklist_add(actor=csr, kind="ip", value="203.0.113.9")
    assert blocklist_hits(ips=["203.0.113.9"])
    assert blocklist_hits(ips=["::ffff:203.0.113.9"])
    assert not blocklist_hits(ips=["203.0.113.10"])


def test_ipv6_range_matches_and_does_not_leak_into_ipv4(csr):
    blocklist_add(actor=csr, kind="ip", value="2001:db8:abcd::/48")
    assert blocklist_hits(ips=["2001:db8:abcd:12::1"])
    assert not blocklist_hits(ips=["2001:db8:abce::1"])
    assert not blocklist_hits(ips=["10.0.0.1"])


def test_ip_with_host_bits_or_garbage_is_refused(csr):
    for bad in ("198.51.100.7/24", "300.1.1.1", "hello"):
        with pytest.raises(Invalid):
            blocklist_add(actor=csr, kind="ip", value=bad)
    assert BlockedValue.objects.count() == 0


def test_ip_lookup_is_one_indexed_range_query(csr):
    for i in range(20):
        blocklist_add(actor=csr, kind="ip", value=f"10.{i}.0.0/16")
    with CaptureQueriesContext(connection) as ctx:
        hits = blocklist_hits(ips=["10.7.3.4"])
    assert [h.value for h in hits] == ["10.7.0.0/16"]
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"]
    assert '"range_start" <=' in sql and '"range_end" >=' in sql


def test_email_is_case_blind(csr):
    entry = blocklist_add(actor=csr, kind="email", value="Scam.Mail@Example.COM")
    assert entry.value == "scam.mail@example.com"
    assert blocklist_hits(emails=["SCAM.mail@example.com"])


@pytest.mark.parametrize(
    "typed", ["+63 917 555 0101", "09175550101", "639175550101", "0917-555-0101"]
)
def test_phone_in_any_format_matches(csr, typed):
    blocklist_add(actor=csr, kind="phone", value="0917 555 0101")
    assert blocklist_hits(phones=[typed])


def test_card_matches_brand_last4_expiry_and_holder(csr):
    entry = blocklist_add(actor=csr, kind="card", value="visa 4242 03/2029 Dela Cruz")
    assert entry.value == "visa|4242|03/2029|dela cruz"
    assert entry.display_value == "Visa •••• 4242 03/2029 dela cruz"
    same = {
        "brand": "visa",
        "last4": "4242",
        "exp_month": 3,
        "exp_year": 2029,
        "holder_last_name": "DELA  CRUZ",
    }
    assert blocklist_hits(cards=[same])
    other_expiry = {**same, "exp_year": 2030}
    assert not blocklist_hits(cards=[other_expiry])


def test_full_card_number_is_refused_on_the_blocklist_too(csr):
    with pytest.raises(Invalid) as exc:
        blocklist_add(actor=csr, kind="card", value="visa 4111111111111111 03/2029 Cruz")
    assert exc.value.code == "card_number"
    assert "4111111111111111" not in exc.value.detail
    assert BlockedValue.objects.count() == 0


def test_duplicate_active_entry_is_refused(csr):
    blocklist_add(actor=csr, kind="email", value="a@b.ph")
    with pytest.raises(Conflict):
        blocklist_add(actor=csr, kind="email", value="A@B.PH")


def test_remove_keeps_the_row_and_needs_a_reason(csr):
    entry = blocklist_add(actor=csr, kind="email", value="a@b.ph", reason="chargebacks")
    with pytest.raises(Invalid):
        blocklist_remove(actor=csr, entry=entry, reason="")
    removed = blocklist_remove(actor=csr, entry=entry, reason="cleared by bank")
    assert removed.removed_by == csr and removed.removed_reason == "cleared by bank"
    assert BlockedValue.objects.filter(pk=entry.pk).exists()
    assert blocklist_hits(emails=["a@b.ph"]) == []
    assert list(Event.objects.order_by("seq").values_list("action", flat=True)) == [
        "blocklist.added",
        "blocklist.removed",
    ]
    with pytest.raises(Conflict):
        blocklist_remove(actor=csr, entry=entry, reason="again")


def test_finance_sees_but_may_not_change_the_blocklist(finance):
    with pytest.raises(NotAllowed):
        blocklist_add(actor=finance, kind="email", value="a@b.ph")


def test_blocked_email_cannot_open_an_account_and_the_attempt_is_audited(branches, csr):
    blocklist_add(actor=csr, kind="email", value="maria.santos@example.ph")
    with pytest.raises(Conflict) as exc:
        customer_create(actor=csr, data=customer_data(email="MARIA.SANTOS@example.ph"))
    assert exc.value.code == "blocked"
    assert "blocklist" in exc.value.detail
    assert Customer.objects.count() == 0
    event = Event.objects.get(action="safety.blocked_attempt")
    assert event.data["attempted"] == "customer.create"
    assert event.data["entries"][0]["value"] == "maria.santos@example.ph"


@pytest.mark.parametrize(
    ("kind", "value", "overrides"),
    [
        ("phone", "+639171234567", {}),
        ("card", "visa 4242 03/2029 santos", {}),
    ],
)
def test_blocked_phone_or_card_cannot_open_an_account(branches, csr, kind, value, overrides):
    blocklist_add(actor=csr, kind=kind, value=value)
    with pytest.raises(Conflict):
        customer_create(actor=csr, data=customer_data(**overrides))
    assert Customer.objects.count() == 0


def test_blocked_ip_of_the_request_cannot_open_an_account(branches, csr):
    blocklist_add(actor=csr, kind="ip", value="192.0.2.0/24")
    with pytest.raises(Conflict):
        customer_create(actor=csr, data=customer_data(), ip="192.0.2.55")
    assert Customer.objects.count() == 0


def test_blocked_attempt_on_a_customer_lands_in_its_safety_history(make_customer, csr):
    customer = make_customer()
    blocklist_add(actor=csr, kind="email", value="new@scam.ph")
    with pytest.raises(Conflict):
        customer_update(actor=csr, customer=customer, changes={"email": "new@scam.ph"})
    customer.refresh_from_db()
    assert customer.email == "maria.santos@example.ph"
    event = Event.objects.get(action="safety.blocked_attempt")
    assert (event.target_type, event.target_id) == ("customers.customer", str(customer.pk))


@pytest.mark.django_db(transaction=True)
def test_the_refusal_audit_entry_survives_the_refusal(branches, staff_factory):
    csr = staff_factory("csr2", "csr")
    blocklist_add(actor=csr, kind="email", value="bad@scam.ph")
    with pytest.raises(Conflict):
        blocklist_enforce(actor=csr, action="order.place", emails=["bad@scam.ph"])
    assert Event.objects.filter(action="safety.blocked_attempt").count() == 1


def test_enforce_without_hits_writes_nothing(csr):
    blocklist_enforce(actor=csr, action="order.place", emails=["ok@example.ph"], ips=["10.1.1.1"])
    assert not Event.objects.exists()
