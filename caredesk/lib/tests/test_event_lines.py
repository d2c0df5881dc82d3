"""Event types read in table sentences: each reads as it is worded, with and without the values
its optional parts and fallbacks depend on."""

import pytest

from caredesk.audit.models import Event
from caredesk.lib import events


def _event(action, *, before=None, after=None, data=None, reason="", target="MNL-0001"):
    return Event(
        action=action,
        before=before,
        after=after,
        data=data,
        reason=reason,
        target_label=target,
        actor_label="Maria Reyes",
    )


CASES = [
    (
        _event("order.invoice_issued", after={"number": "INV-7", "total": "1500.00"}),
        "Invoice INV-7 issued for ₱1,500.00",
    ),
    (
        _event(
            "order.invoice_issued",
            after={"number": "INV-8", "total": "200.00", "corrects": "INV-7"},
        ),
        "Supplementary invoice INV-8 issued for ₱200.00",
    ),
    (
        _event("order.invoice_emailed", after={"number": "INV-7", "to": ["a@x.ph", "b@x.ph"]}),
        "INV-7 emailed to a@x.ph, b@x.ph",
    ),
    (_event("order.invoice_emailed", after={"to": "a@x.ph"}), "Invoice emailed to a@x.ph"),
    (
        _event("quote.converted", after={"number": "Q-3", "order": "MNL-9", "repriced": True}),
        "Quote Q-3 converted to order MNL-9 at today's prices",
    ),
    (
        _event("quote.converted", after={"number": "Q-3", "order": "MNL-9"}),
        "Quote Q-3 converted to order MNL-9 at the quoted prices",
    ),
    (
        _event(
            "order.return_requested",
            after={
                "return": "R-1",
                "replacement": True,
                "lines": [{"quantity": 2, "name": "Work gloves"}, "1 × Mask"],  # noqa: RUF001
            },
        ),
        "Return R-1 requested with a replacement: 2 × Work gloves, 1 × Mask",  # noqa: RUF001
    ),
    (
        _event("order.return_requested", after={"return": "R-1"}),
        "Return R-1 requested: ",
    ),
    (
        _event(
            "order.return_received",
            after={
                "return": "R-1",
                "lines": [{"quantity": 1, "name": "Mask"}],
                "credit": "50.00",
                "total": "950.00",
            },
        ),
        "Return R-1 received: 1 × Mask back in stock; order total down by ₱50.00 to "  # noqa: RUF001
        "₱950.00",
    ),
    (
        _event("order.payment_reported", after={"amount": "1000.00", "method": "cash"}),
        "Crew reported ₱1,000.00 cash received",
    ),
    (
        _event("order.alert_cleared", before={"alert": "Payment mismatch"}),
        "Payment mismatch cleared",
    ),
    (_event("order.alert_cleared", before={}), "Alert cleared"),
    (
        _event("order.email_queued", data={"template": "send_update", "to": ["a@x.ph"]}),
        "Send update queued to a@x.ph",
    ),
    (_event("order.email_queued", data={"to": "a@x.ph"}), "Order email queued to a@x.ph"),
    (
        _event("catalog.created", after={"sku": "GLOVES", "name": "Work gloves", "price": "10"}),
        "GLOVES Work gloves added at ₱10.00",
    ),
    (
        _event("run.created", after={"date": "2026-12-15", "vehicle": "Van 1", "crew": ["Ana"]}),
        "Run for Tue 15 Dec 2026 created: Van 1, crew Ana",
    ),
    (
        _event("run.created", after={"date": "2026-12-15", "crew": []}),
        "Run for Tue 15 Dec 2026 created: , crew no crew",
    ),
    (_event("referral.changed", after={"active": True}), "Referral link MNL-0001 reactivated"),
    (_event("referral.changed", after={"active": False}), "Referral link MNL-0001 deactivated"),
    (_event("staff.branch_set", after={"branch": "MNL"}), "MNL-0001 works at MNL"),
    (_event("staff.branch_set", after={"branch": None}), "MNL-0001 works at no branch"),
    (
        _event(
            "ticket.status_changed",
            before={"status_label": "New"},
            after={"status_label": "Open"},
            data={"reference": "T-1"},
            reason="customer called",
        ),
        "T-1: New → Open (customer called)",
    ),
    (
        _event("ticket.status_changed", after={"status_label": "Open"}, target="T-2 Broken"),
        "T-2: ? → Open",
    ),
    (_event("ticket.assigned", after={"assignee": "ana"}, target="T-1"), "T-1 assigned to ana"),
    (_event("ticket.assigned", after={"assignee": None}, target="T-1"), "T-1 assigned to nobody"),
    (_event("ticket.merged", data={"into": "T-2"}, target="T-1"), "T-1 merged into T-2"),
    (_event("ticket.merged", target="T-1"), "T-1 merged into another ticket"),
    (_event("ticket.absorbed", data={"from": "T-3"}, target="T-1"), "T-3 merged into T-1"),
    (_event("ticket.absorbed", target="T-1"), "A duplicate merged into T-1"),
    (
        _event("inbox.position_changed", after={"active": True}, target="Clerk"),
        "Position Clerk reopened",
    ),
    (
        _event("inbox.position_changed", after={"active": False}, target="Clerk"),
        "Position Clerk closed",
    ),
]


@pytest.mark.parametrize(("event", "text"), CASES, ids=[e.action for e, _ in CASES])
def test_table_sentences_read_as_worded(event, text):
    assert events.describe(event) == text


def test_a_sentence_falls_back_to_the_words_after_or():
    line = events.sentence("{after.name or someone} left[ ({reason})]")
    assert line(_event("x.left", after={"name": "Ana"})) == "Ana left"
    assert line(_event("x.left", after={"name": ""}, reason="late")) == "someone left (late)"


def test_a_sentence_uses_the_filters_it_is_given():
    line = events.sentence("{after.code|loud}!", filters={"loud": lambda v: f"{v}".upper()})
    assert line(_event("x.said", after={"code": "hi"})) == "HI!"


def test_either_says_yes_or_no_by_the_value():
    said = events.either("data.suggested", "accepted", "reordered")
    assert said(_event("x.y", data={"suggested": True})) == "accepted"
    assert said(_event("x.y", data={})) == "reordered"
