"""FRAUD-STOP end to end: the button blocks the customer's known IPs and cards, closes the
account with a safety-history entry, and those values then cannot open another account."""

import pytest
from django.urls import reverse

from caredesk.audit.models import Event
from caredesk.customers.models import BlockedValue, Customer
from caredesk.customers.services import customer_fraud_stop, customer_reopen
from caredesk.lib.errors import Invalid, NotAllowed

pytestmark = pytest.mark.django_db


def test_fraud_stop_from_the_snapshot_end_to_end(rich_customer, csr, web_for, api_for):
    client = web_for(csr)
    response = client.post(
        reverse("customers:fraud_stop", args=[rich_customer.member_id]),
        {"reason": "Chargebacks on three orders"},
        follow=True,
    )
    html = response.content.decode()
    assert "FRAUD-STOP done" in html
    rich_customer.refresh_from_db()
    assert rich_customer.status == "closed" and rich_customer.fraud_hold
    assert rich_customer.closed_reason == "Chargebacks on three orders"

    blocked = BlockedValue.objects.filter(removed_at__isnull=True)
    ips = set(blocked.filter(kind="ip").values_list("value", flat=True))
    assert ips == {f"203.0.113.{10 + i}" for i in range(5)} | {"2001:db8::7"}
    cards = set(blocked.filter(kind="card").values_list("value", flat=True))
    assert cards == {"visa|4242|03/2029|santos", "mastercard|5100|11/2027|santos"}

    stop = Event.objects.get(action="safety.fraud_stop")
    assert stop.data["source"] == "FRAUD-STOP by csr"
    assert stop.reason == "Chargebacks on three orders"
    assert Event.objects.filter(action="customer.closed", target_id=str(rich_customer.pk)).exists()
    assert "FRAUD-STOP by csr" in html  # safety history on the snapshot
    assert "Fraud hold" in html

    # The same card now cannot open a new account, through the API either.
    attempt = api_for(csr).post(
        "/api/v1/customers",
        json={
            "first_name": "Other",
            "last_name": "Person",
            "email": "other@example.ph",
            "phone": "0918 000 1111",
            "cards": [
                {
                    "brand": "visa",
                    "last4": "4242",
                    "exp_month": 3,
                    "exp_year": 2029,
                    "holder_last_name": "Santos",
                }
            ],
        },
    )
    assert attempt.status_code == 409 and attempt.json()["code"] == "blocked"
    assert Customer.objects.filter(first_name="Other").count() == 0


def test_fraud_stop_needs_reason_and_capability(make_customer, csr, sales):
    customer = make_customer()
    with pytest.raises(Invalid):
        customer_fraud_stop(actor=csr, customer=customer, reason="")
    with pytest.raises(NotAllowed):
        customer_fraud_stop(actor=sales, customer=customer, reason="x")
    customer.refresh_from_db()
    assert customer.is_open and not customer.fraud_hold
    assert BlockedValue.objects.count() == 0


def test_fraud_stop_twice_does_not_duplicate_entries(rich_customer, csr):
    customer_fraud_stop(actor=csr, customer=rich_customer, reason="first")
    count = BlockedValue.objects.count()
    customer_fraud_stop(actor=csr, customer=rich_customer, reason="again")
    assert BlockedValue.objects.count() == count
    assert Event.objects.filter(action="safety.fraud_stop").count() == 2


def test_reopening_a_fraud_hold_lifts_the_hold_but_keeps_the_blocks(rich_customer, csr):
    customer_fraud_stop(actor=csr, customer=rich_customer, reason="chargebacks")
    reopened = customer_reopen(actor=csr, customer=rich_customer, reason="bank cleared it")
    assert reopened.is_open and not reopened.fraud_hold
    assert BlockedValue.objects.filter(removed_at__isnull=True).count() == 8
