"""Snapshot selectors: the merged timeline pages through events and logins without losing or
repeating a line, even when many share one timestamp; histories split by kind."""

import pytest
from django.utils import timezone

from caredesk.customers.models import LoginDevice
from caredesk.customers.selectors import (
    account_history,
    audit_history,
    customer_timeline,
    safety_history,
)
from caredesk.customers.services import customer_close, customer_fraud_stop, customer_update

pytestmark = pytest.mark.django_db


def test_timeline_pages_cover_every_line_once_with_shared_timestamps(make_customer, csr):
    customer = make_customer()
    same = timezone.now()
    LoginDevice.objects.bulk_create(
        [
            LoginDevice(customer=customer, device=f"Phone {i}", ip="10.0.0.1", at=same)
            for i in range(23)
        ]
    )
    for i in range(6):
        customer_update(actor=csr, customer=customer, changes={"nickname": f"N{i}"})
    seen, cursor, pages = [], None, 0
    while True:
        page = customer_timeline(customer, cursor=cursor, size=10)
        seen += [(item.kind, item.key[2]) for item in page.items]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 23 + 7
    assert pages == 3
    assert seen[0][0] == "event"  # the newest update comes first


def test_bad_cursor_gives_the_first_page(make_customer):
    customer = make_customer()
    page = customer_timeline(customer, cursor="nonsense~x~y")
    assert [i.event.action for i in page.items] == ["customer.created"]


def test_histories_split_by_kind(rich_customer, csr):
    customer_update(actor=csr, customer=rich_customer, changes={"nickname": "Ria"})
    customer_close(actor=csr, customer=rich_customer, reason="moving")
    customer_fraud_stop(actor=csr, customer=rich_customer, reason="chargebacks")
    assert [e.action for e in account_history(rich_customer)] == [
        "customer.closed",
        "customer.created",
    ]
    assert [e.action for e in audit_history(rich_customer)] == ["customer.updated"]
    assert [e.action for e in safety_history(rich_customer)] == ["safety.fraud_stop"]
