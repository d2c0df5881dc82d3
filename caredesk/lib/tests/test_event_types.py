"""Every registered event type reads as words: no raw dict, list, id, code or None on a screen."""

import re

import pytest

from caredesk.audit.models import Event
from caredesk.lib import events

LINE_BEFORE = {"id": 565, "sku": "GLOVES", "name": "Work gloves (pair)", "quantity": 2}
LINE_AFTER = {"id": 565, "sku": "GLOVES", "name": "Work gloves (pair)", "quantity": 3}
BEFORE = {
    "status": "pending",
    "line": LINE_BEFORE,
    "total": "1000.00",
    "assigned_to": "ana",
    "locked_by": "ana",
    "alert": "Payment mismatch",
    "message": "Paid more than the total",
    "kind": "email",
    "value": "old@example.ph",
    "capacity": 4,
    "requested_delivery_on": "2026-12-14",
    "additional_email": "old@example.ph",
    "fraud_hold": True,
    "price": "10.00",
    "name": "Old name",
    "blocked_member": "",
    "window": None,
}
AFTER = {
    **BEFORE,
    "status": "scheduled",
    "line": LINE_AFTER,
    "total": "1500.00",
    "assigned_to": "ben",
    "locked_by": "ben",
    "value": "new@example.ph",
    "capacity": 6,
    "requested_delivery_on": "2026-12-15",
    "additional_email": "new@example.ph",
    "fraud_hold": False,
    "price": "12.00",
    "name": "New name",
    "blocked_member": "M0000002",
    "refund_due": "250.00",
    "lines": ["2 x GLOVES @ 250.00"],
    "number": "MNL-0001",
    "sku": "GLOVES",
    "code": "callback",
    "label": "Call back",
    "zone": "MNL-N",
    "date": "2026-12-15",
    "from": "09:00:00",
    "to": "12:00:00",
    "amount": "1000.00",
    "method": "cash",
}
DATA = {
    "amount": "1000.00",
    "method": "cash",
    "reference": "OR-2231",
    "payment_id": 9,
    "source": "FRAUD-STOP by csr",
    "blocked": [{"kind": "ip", "value": "203.0.113.5"}],
    "entries": [{"id": 3, "kind": "email", "value": "bad@example.ph"}],
    "to": ["maria@example.ph"],
    "subject": "Your order",
    "order": "MNL-0001",
    "template": "send_update",
    "attempts": 2,
    "gave_up": False,
    "messages": 3,
    "older_than_days": 30,
    "version": 3,
}
RAW = re.compile(r"[{}\[\]]|\bNone\b|'|_id\b|\b565\b")


def _event(action: str, **data) -> Event:
    return Event(
        action=action,
        before=BEFORE,
        after=AFTER,
        data={**DATA, **data},
        target_label="MNL-0001",
        actor_label="Maria Reyes",
    )


def _cases():
    for code in sorted(events.known_types()):
        if code == "order.amended":
            for op in ("set_quantity", "swap_sku", "add_line", "remove_line", "set_dates"):
                yield code, {"op": op}
        else:
            yield code, {}


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "data"), list(_cases()))
def test_every_event_type_reads_as_words(code, data):
    text = events.describe(_event(code, **data))
    assert text.strip()
    assert code not in text
    assert not RAW.search(text), text


def test_the_apps_register_every_code_they_write():
    wanted = {
        "order.created",
        "order.amended",
        "order.payment_recorded",
        "customer.updated",
        "safety.fraud_stop",
        "email.queued",
        "note.added",
        "chat.queued",
    }
    assert wanted <= events.known_types()


def test_examples_from_the_issue_read_as_written():
    amended = _event("order.amended", op="set_quantity")
    assert events.describe(amended).startswith("Quantity of Work gloves (pair) 2 → 3")
    dates = _event("order.amended", op="set_dates")
    assert "Requested delivery set to Tue 15 Dec 2026" in events.describe(dates)
    paid = _event("order.payment_recorded")
    assert events.describe(paid).startswith("Payment ₱1,000.00 cash recorded (OR-2231)")
