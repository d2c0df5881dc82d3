"""`orders.policy` decides; the order page and the API only show its answers.

If a rule were written again in a view, template or endpoint (a status compared in a template,
a role checked in a view), the page would offer something policy refuses or hide something it
allows, and these tests would fail."""

import re
from decimal import Decimal

import pytest

from caredesk.lib.policy import actions_out
from caredesk.orders import policy
from caredesk.orders.models import Order, Status

ROLES = ["csr", "sales", "finance", "manager"]
CASES = [
    ("sale", Status.DRAFT),
    ("sale", Status.PENDING),
    ("sale", Status.SCHEDULED),
    ("sale", Status.READY),
    ("sale", Status.DELIVERED),
    ("sale", Status.COMPLETED),
    ("sale", Status.CANCELLED),
    ("service", Status.PICKED_UP),
    ("service", Status.IN_SERVICE),
]


def _offered_moves(html: str) -> list[str]:
    select = re.search(r'<select name="to" id="move-to">(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([a-z_]+)"', select.group(1)) if select else []


# What the page shows for each policy answer (an element only present when allowed).
MARKERS = {
    "amend": 'id="amend-form"',
    "record_payment": 'id="pay-form"',
    "flag": 'id="flag-h"',
    "park": 'id="call-h"',
    "email": 'value="send_update"',
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("kind", "status"), CASES)
def test_order_page_and_api_offer_exactly_what_policy_allows(
    role, kind, status, request, make_order, web_for, api_for
):
    user = request.getfixturevalue(role)
    order = make_order(kind=kind)
    Order.objects.filter(pk=order.pk).update(status=status)
    order = Order.objects.select_related("customer").get(pk=order.pk)

    html = web_for(user).get(f"/orders/{order.number}/").content.decode()
    assert _offered_moves(html) == [to for to, _ in policy.moves(user, order)]
    for name, marker in MARKERS.items():
        allowed = bool(policy.actions(user, order)[name])
        assert (marker in html) == allowed, f"{name} for {role} on a {status} {kind} order"
    hold = 'id="hold-h"' in html
    assert hold == bool(policy.suspend(user, order) or policy.resume(user, order))
    nxt = policy.next_action(user, order)
    assert ('id="primary-action"' in html) == (nxt is not None)
    if nxt is not None:
        assert nxt.label in html

    body = api_for(user).get(f"/api/v1/orders/{order.number}").json()
    assert body["actions"] == actions_out(policy.actions(user, order))


def test_an_uncleared_alert_makes_clear_alert_the_next_action_not_schedule(
    manager, make_order, web_for
):
    from caredesk.orders.models import Alert

    order = make_order()
    Order.objects.filter(pk=order.pk).update(status=Status.PENDING)
    Alert.objects.create(order=order, kind=Alert.Kind.PAYMENT_MISMATCH, message="Overpaid")
    order = Order.objects.get(pk=order.pk)
    decision = policy.schedule(manager, order)
    assert not decision and decision.code == "alerts_uncleared"
    assert policy.next_action(manager, order).kind == "clear_alert"
    html = web_for(manager).get(f"/orders/{order.number}/").content.decode()
    assert "Clear the alert first" in html and ">Schedule<" not in html
    assert "scheduled" not in _offered_moves(html)


def test_in_service_order_says_why_it_cannot_be_cancelled(manager, make_order):
    order = make_order(kind="service")
    Order.objects.filter(pk=order.pk).update(status=Status.IN_SERVICE)
    order = Order.objects.get(pk=order.pk)
    decision = policy.cancel(manager, order)
    assert not decision and "in service" in decision.reason


def test_csr_is_not_offered_cancel_of_a_confirmed_order_or_delivered(csr, make_order, api_for):
    order = make_order()
    Order.objects.filter(pk=order.pk).update(status=Status.READY)
    order = Order.objects.get(pk=order.pk)
    assert [to for to, _ in policy.moves(csr, order)] == []
    actions = api_for(csr).get(f"/api/v1/orders/{order.number}").json()["actions"]
    assert actions["cancel"] == {
        "allowed": False,
        "reason": "Cancelling a confirmed order needs the store manager's permission.",
    }
    assert actions["move_to_delivered"]["allowed"] is False


def test_refund_due_comes_from_pricing_only(make_order):
    from decimal import Decimal

    from caredesk.orders import pricing

    order = make_order()
    Order.objects.filter(pk=order.pk).update(
        status=Status.CANCELLED, paid=Decimal("500.00"), balance=Decimal("2150.00")
    )
    order = Order.objects.get(pk=order.pk)
    figures = pricing.order_figures(order)
    assert figures.refund_due == Decimal("500.00") and figures.balance_due == Decimal("0.00")
    assert policy.figures(order) == figures
    assert order.refund_due == figures.refund_due


def test_wizard_refuses_a_closed_customer_at_its_first_step(csr, make_customer, web_for):
    closed = make_customer(status="closed", closed_reason="Moved abroad")
    r = web_for(csr).get(f"/orders/new/?customer={closed.member_id.lower()}")
    html = r.content.decode()
    assert r.status_code == 409
    assert "is closed; reopen the account first" in html
    assert "Registered parts" not in html  # no step 2: nothing is built for nobody


def test_wizard_warns_about_a_fraud_hold_before_the_order_is_built(csr, make_customer, web_for):
    held = make_customer(fraud_hold=True)
    html = web_for(csr).get(f"/orders/new/?customer={held.member_id}").content.decode()
    assert "Fraud hold" in html and "orders are held by FRAUD-STOP" in html
    assert "Registered parts" in html


@pytest.mark.parametrize(("typed", "stored"), [("1,000", "1000.00"), ("1000.50", "1000.50")])
def test_typed_money_with_separators_is_accepted(typed, stored, finance, make_order, web_for):
    order = make_order()
    client = web_for(finance)
    r = client.post(
        f"/orders/{order.number}/pay/", {"version": 1, "method": "cash", "amount": typed}
    )
    assert r.status_code == 302
    order.refresh_from_db()
    assert str(order.paid) == stored
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert f"Payment of ₱{Decimal(stored):,.2f} recorded." in page


def test_void_from_the_grid_can_be_undone_by_the_same_agent(csr, manager, make_order, web_for):
    order = make_order()
    client = web_for(csr)
    r = client.post(
        f"/orders/{order.number}/call/",
        {"action": "void", "version": 1, "next": "/orders/pending/"},
    )
    assert r.status_code == 302
    page = client.get("/orders/pending/").content.decode()
    assert f"Call {order.number} voided." in page and 'value="undo_void"' in page
    order.refresh_from_db()
    assert order.status == "cancelled"
    # Someone else cannot undo it.
    other = web_for(manager).post(
        f"/orders/{order.number}/call/", {"action": "undo_void", "version": order.version}
    )
    order.refresh_from_db()
    assert other.status_code == 302 and order.status == "cancelled"
    r = client.post(
        f"/orders/{order.number}/call/", {"action": "undo_void", "version": order.version}
    )
    order.refresh_from_db()
    assert r.status_code == 302 and order.status == "draft" and order.assigned_to == csr
    assert "Undo" not in client.get("/orders/pending/").content.decode()


def test_undo_is_refused_after_two_minutes(csr, make_order, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from caredesk.lib.errors import Conflict
    from caredesk.orders import services

    order = services.order_void(actor=csr, order=make_order(), expected_version=1)
    later = timezone.now() + timedelta(seconds=policy.UNDO_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(Conflict, match="two minutes"):
        services.order_void_undo(actor=csr, order=order)


def test_view_as_customer_shows_their_orders_in_their_words(manager, make_order, web_for):
    order = make_order()
    Order.objects.filter(pk=order.pk).update(status=Status.PENDING)
    html = web_for(manager).get(f"/customers/{order.customer.member_id}/view-as/").content.decode()
    assert "My orders" in html and order.number in html
    assert "Pending factory shipment" in html  # the customer's words, not the staff status
    assert f'href="/orders/{order.number}/"' not in html
    assert "Save profile" not in html  # read-only: nothing to press


def test_a_removed_line_can_be_put_back_for_a_short_time(csr, make_order, web_for):
    order = make_order(
        lines=[{"sku": "BLADE-10", "quantity": 2}, {"sku": "MOWER-X", "quantity": 1}]
    )
    client = web_for(csr)
    mower = order.lines.get(sku="MOWER-X")
    r = client.post(
        f"/orders/{order.number}/amend/",
        {"version": 1, "op": "remove_line", "line": mower.pk, "action": "confirm"},
    )
    assert r.status_code == 302
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Removed 1 × Mower X200." in page and ">Undo<" in page  # noqa: RUF001
    r = client.post(
        f"/orders/{order.number}/amend/",
        {"version": 2, "op": "add_line", "sku": "MOWER-X", "quantity": 1, "action": "confirm"},
    )
    assert r.status_code == 302
    assert order.lines.filter(sku="MOWER-X").exists()
    assert ">Undo<" not in client.get(f"/orders/{order.number}/").content.decode()
