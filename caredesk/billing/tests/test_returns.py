"""Returns (RMA) services: quantity limits, the status table per role, the order repriced on
receipt with a credit note, finance's refund linked to the return, the replacement order."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from caredesk.audit.models import Event
from caredesk.billing import services
from caredesk.billing.models import Invoice, Refund, Return
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, StaleVersion
from caredesk.orders.models import Order

D = Decimal


def _lines(order, *quantities):
    ids = list(order.lines.order_by("position").values_list("pk", flat=True))
    return [{"line": ids[i], "quantity": q} for i, q in enumerate(quantities) if q]


def _start(order, csr, *quantities, replacement=False):
    return services.return_create(
        actor=csr,
        order=order,
        lines=_lines(order, *quantities),
        reason="Blades arrived bent",
        replacement=replacement,
    )


def _move(ret, actor, to, **kw):
    return services.return_transition(actor=actor, ret=ret.number, to=to, **kw)


def test_a_return_is_numbered_per_branch_and_on_the_order_timeline(delivered_order, csr):
    order = delivered_order()
    ret = _start(order, csr, 1)
    assert ret.number == "MNL-RMA-000001" and ret.status == "requested" and ret.version == 1
    assert [(rl.sku, rl.quantity) for rl in ret.lines.all()] == [("BLADE-10", 1)]
    event = Event.objects.filter(action="order.return_requested").get()
    assert event.target_id == str(order.pk) and event.data["return"] == ret.number
    assert _start(order, csr, 1).number == "MNL-RMA-000002"


def test_only_delivered_units_not_already_returned_can_come_back(delivered_order, csr):
    order = delivered_order()
    with pytest.raises(Invalid, match="at most 2 can be returned"):
        _start(order, csr, 3)
    _start(order, csr, 1, 2)
    with pytest.raises(Invalid, match=r"1 already on a return\); at most 1"):
        _start(order, csr, 2)
    _start(order, csr, 1)
    with pytest.raises(Invalid, match="at most 0"):
        _start(order, csr, 1)


def test_a_rejected_or_cancelled_return_gives_its_units_back(delivered_order, csr, manager):
    order = delivered_order()
    ret = _start(order, csr, 2)
    _move(ret, manager, "rejected", reason="Used for a season")
    again = _start(order, csr, 2)
    _move(again, csr, "cancelled", reason="Customer keeps them")
    assert _start(order, csr, 2).status == "requested"


def test_bad_lines_are_refused_with_their_reason(delivered_order, make_order, csr):
    order = delivered_order()
    other = make_order(paid="10.00")
    with pytest.raises(Invalid, match="at least one"):
        services.return_create(actor=csr, order=order, lines=[], reason="x")
    stranger = other.lines.first().pk
    with pytest.raises(Invalid, match="not a line of order"):
        services.return_create(
            actor=csr, order=order, lines=[{"line": stranger, "quantity": 1}], reason="x"
        )
    twice = _lines(order, 1) * 2
    with pytest.raises(Invalid, match="chosen twice"):
        services.return_create(actor=csr, order=order, lines=twice, reason="x")
    with pytest.raises(Invalid, match="Say why"):
        services.return_create(actor=csr, order=order, lines=_lines(order, 1), reason=" ")
    assert not Return.objects.exists()


def test_goods_not_yet_delivered_cannot_be_returned(make_order, csr):
    order = make_order(paid="10.00")
    with pytest.raises(Conflict, match="once they are delivered"):
        _start(order, csr, 1)


def test_sales_and_finance_may_not_start_a_return(delivered_order, sales, finance):
    order = delivered_order()
    for actor in (sales, finance):
        with pytest.raises(NotAllowed):
            _start(order, actor, 1)


def test_approve_and_reject_are_for_the_manager(delivered_order, csr, finance, manager):
    ret = _start(delivered_order(), csr, 1)
    for actor in (csr, finance):
        with pytest.raises(NotAllowed, match="store manager"):
            _move(ret, actor, "approved")
    with pytest.raises(Invalid, match="Say why"):
        _move(ret, manager, "rejected")
    ret = _move(ret, manager, "approved", expected_version=1)
    assert ret.status == "approved" and ret.version == 2 and ret.approved_by == manager


def test_a_stale_version_is_refused_naming_who_changed_it(delivered_order, csr, manager):
    ret = _start(delivered_order(), csr, 1)
    _move(ret, manager, "approved", expected_version=1)
    with pytest.raises(StaleVersion, match="changed by"):
        _move(ret, manager, "cancelled", expected_version=1, reason="late")


def test_illegal_moves_are_refused_in_words(delivered_order, csr, manager, finance):
    ret = _start(delivered_order(), csr, 1)
    with pytest.raises(Conflict, match="is requested; it cannot become received"):
        _move(ret, manager, "received")
    with pytest.raises(Conflict, match="cannot become refunded"):
        _move(ret, finance, "refunded", method="cash")
    with pytest.raises(Invalid, match="Unknown return status"):
        _move(ret, manager, "lost")


def test_receiving_reprices_the_order_issues_a_credit_note_and_makes_a_refund_due(
    delivered_order, csr, manager, works_at, branch
):
    order = delivered_order()  # paid in full: 3,698.50
    ret = _move(_start(order, csr, 1, 1), manager, "approved")
    works_at(csr, branch)
    version = Order.objects.get(pk=order.pk).version
    ret = _move(ret, csr, "received")
    order.refresh_from_db()
    assert ret.credit == D("1599.50")  # 1,250.00 + 349.50
    assert order.total == D("2099.00") and order.version == version + 1
    assert order.refund_due == D("1599.50") and order.balance_due == 0
    assert [rl.received_quantity for rl in ret.lines.all()] == [1, 1]
    assert ret.received_by == csr and ret.received_at is not None
    credit = Invoice.objects.get(kind="credit_note")
    assert credit.total == D("-1599.50") and "received" in credit.reason
    assert {(row["sku"], row["quantity"]) for row in credit.lines} == {
        ("BLADE-10", -1),
        ("OIL-1L", -1),
    }
    assert Invoice.objects.filter(order=order).aggregate(s=Sum("total"))["s"] == order.total


def test_a_csr_receives_only_at_their_branch(delivered_order, csr, manager):
    ret = _move(_start(delivered_order(), csr, 1), manager, "approved")
    with pytest.raises(NotAllowed, match="received at branch MNL"):
        _move(ret, csr, "received")


def test_finance_refunds_the_return_and_the_refund_is_linked(
    delivered_order, csr, manager, finance
):
    order = delivered_order()
    ret = _move(_move(_start(order, csr, 2), manager, "approved"), manager, "received")
    for actor in (csr, manager):
        with pytest.raises(NotAllowed, match="finance"):
            _move(ret, actor, "refunded", method="cash")
    with pytest.raises(Invalid, match="reference"):
        _move(ret, finance, "refunded", method="bank_transfer")
    ret = _move(ret, finance, "refunded", method="bank_transfer", reference="BT-77")
    refund = Refund.objects.get()
    assert ret.status == "refunded" and refund.for_return == ret
    assert refund.amount == D("2500.00")
    order.refresh_from_db()
    assert order.refund_due == 0 and order.paid == D("1198.50") == order.total


def test_reversing_the_refund_puts_the_return_back_to_received(
    delivered_order, csr, manager, finance
):
    ret = _move(_move(_start(delivered_order(), csr, 1), manager, "approved"), manager, "received")
    ret = _move(ret, finance, "refunded", method="cash")
    services.refund_reverse(actor=finance, refund_id=ret.refunds.get().pk, reason="bounced")
    ret.refresh_from_db()
    assert ret.status == "received"
    assert Event.objects.filter(action="order.return_reopened").count() == 1


def test_the_refund_is_at_most_the_refund_due(delivered_order, csr, manager, finance):
    order = delivered_order(paid="3000.00")  # 698.50 still owed
    ret = _move(_move(_start(order, csr, 1), manager, "approved"), manager, "received")
    order.refresh_from_db()
    assert order.refund_due == D("551.50")  # 3,000.00 paid on a 2,448.50 order
    ret = _move(ret, finance, "refunded", method="cash")
    assert ret.refunds.get().amount == D("551.50")


def test_nothing_due_back_means_close_instead(delivered_order, csr, manager, finance):
    order = delivered_order(paid="1000.00")
    ret = _move(_move(_start(order, csr, 1), manager, "approved"), manager, "received")
    order.refresh_from_db()
    assert order.refund_due == 0 and order.balance_due == D("1448.50")
    with pytest.raises(Conflict, match="Close the return instead"):
        _move(ret, finance, "refunded", method="cash")
    with pytest.raises(NotAllowed):
        _move(ret, csr, "closed", reason="owed more than the credit")
    ret = _move(ret, finance, "closed", reason="Credit lowered what the customer owed")
    assert ret.status == "closed" and ret.close_reason.startswith("Credit")


def test_approving_a_replacement_makes_a_linked_draft_at_the_prices_paid(
    delivered_order, csr, manager
):
    order = delivered_order()
    ret = _move(_start(order, csr, 1, replacement=True), manager, "approved")
    made = ret.replacement_order
    assert made is not None and made.status == "draft" and made.customer == order.customer
    assert [(ln.sku, ln.quantity, ln.unit_price) for ln in made.lines.all()] == [
        ("BLADE-10", 1, D("1250.00"))
    ]
    assert made.replacing_return == ret
    event = Event.objects.get(action="order.return_approved")
    assert event.after["replacement_order"] == made.number


def test_a_suspended_order_takes_no_return(delivered_order, csr, manager):
    from caredesk.orders.services import order_suspend

    order = delivered_order()
    order_suspend(actor=manager, order=order, reason="fraud check", expected_version=order.version)
    with pytest.raises(Conflict, match="suspended"):
        _start(order, csr, 1)


@given(
    quantity=st.integers(1, 500),
    data=st.data(),
    unit_price=st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2),
)
def test_what_the_customer_keeps_is_priced_in_proportion(quantity, data, unit_price):
    from caredesk.orders import pricing

    discount = data.draw(st.decimals(min_value=0, max_value=unit_price * quantity, places=2))
    returned = data.draw(st.integers(0, quantity))
    full = pricing.PricedLine(quantity, unit_price, discount)
    kept = pricing.kept_line(quantity, unit_price, discount, returned)
    assert kept.quantity == quantity - returned
    assert 0 <= kept.discount <= discount and D("0.00") <= kept.total <= full.total
    if returned == 0:
        assert kept == full
    if returned == quantity:
        assert kept.total == 0
    more = pricing.kept_line(quantity, unit_price, discount, min(returned + 1, quantity))
    assert more.total <= kept.total


def test_a_rejected_return_expects_no_credit(delivered_order, csr, manager):
    from caredesk.billing.services.returns import return_credit_estimate

    order = delivered_order()
    ret = _start(order, csr, 1)
    assert return_credit_estimate(ret, order) == D("1250.00")
    ret = _move(ret, manager, "rejected", reason="worn by use")
    assert return_credit_estimate(ret, order) == D("0.00")


def test_the_customers_data_export_lists_their_returns(delivered_order, csr):
    from caredesk.billing import privacy

    order = delivered_order()
    ret = _start(order, csr, 1)
    section = privacy.export(order.customer)["returns"]
    assert [(r["number"], r["order"], r["status"]) for r in section] == [
        (ret.number, order.number, "Requested")
    ]
    assert section[0]["lines"] == [{"sku": "BLADE-10", "name": "Blade set 10 in", "quantity": 1}]
