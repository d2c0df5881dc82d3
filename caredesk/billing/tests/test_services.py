from decimal import Decimal

import pytest

from caredesk.billing import services
from caredesk.billing.models import ImmutableError, Invoice
from caredesk.lib.errors import Conflict, NotAllowed
from caredesk.orders import services as order_services

D = Decimal


def _amend_quantity(order, actor, quantity):
    line = order.lines.first()
    return order_services.order_amend(
        actor=actor,
        order=order,
        expected_version=order.version,
        amendment=order_services.Amendment(op="set_quantity", line=line.pk, quantity=quantity),
        reason="customer changed their mind",
    )


def test_confirming_issues_a_numbered_invoice_with_the_order_total(make_order):
    order = make_order(paid="100.00")
    invoice = order.invoices.get()
    assert invoice.number == "MNL-INV-000001"
    assert invoice.kind == "invoice" and invoice.total == order.total == D("2650.00")
    assert invoice.tax == order.tax and invoice.lines[0]["sku"] == "BLADE-10"
    assert invoice.seller["code"] == "MNL"
    second = make_order(paid="10.00")
    assert second.invoices.get().number == "MNL-INV-000002"


def test_a_draft_has_no_invoice(make_order):
    assert not make_order().invoices.exists()


def test_an_invoice_is_never_edited(make_order):
    invoice = make_order(paid="1.00").invoices.get()
    invoice.total = D("1.00")
    with pytest.raises(ImmutableError):
        invoice.save()


def test_amending_down_issues_a_credit_note_and_up_a_supplementary_invoice(make_order, manager):
    order = make_order(paid="100.00")
    order = _amend_quantity(order, manager, 1)
    credit = order.invoices.get(kind="credit_note")
    assert credit.number == "MNL-CN-000001" and credit.total == D("-1250.00")
    assert credit.lines == [
        {**credit.lines[0], "quantity": -1, "total": "-1250.00"},
    ]
    order = _amend_quantity(order, manager, 3)
    supplementary = order.invoices.order_by("-pk").first()
    assert supplementary.kind == "invoice" and supplementary.number == "MNL-INV-000002"
    assert supplementary.total == D("2500.00") and supplementary.corrects.number.endswith("1")
    total = sum(inv.total for inv in Invoice.objects.filter(order=order))
    assert total == order.total


def test_refund_is_at_most_the_refund_due(make_order, manager, finance):
    order = make_order(paid="2650.00")
    order = _amend_quantity(order, manager, 1)
    assert order.refund_due == D("1250.00")
    with pytest.raises(Conflict) as exc:
        services.refund_issue(
            actor=finance, order=order, amount="1250.01", method="cash", reason="amended"
        )
    assert exc.value.code == "above_refund_due"
    refund, replayed = services.refund_issue(
        actor=finance, order=order, amount="1250.00", method="cash", reason="amended"
    )
    order.refresh_from_db()
    assert not replayed and order.paid == D("1400.00") and order.refund_due == 0
    assert order.balance_due == 0
    services.refund_reverse(actor=finance, refund_id=refund.pk, reason="typed twice")
    order.refresh_from_db()
    assert order.refund_due == D("1250.00")


def test_refund_needs_finance(make_order, csr, manager):
    order = _amend_quantity(make_order(paid="2650.00"), manager, 1)
    with pytest.raises(NotAllowed):
        services.refund_issue(actor=csr, order=order, amount="1", method="cash", reason="x")


def test_refund_replay_with_the_same_key_answers_the_first(make_order, manager, finance):
    order = _amend_quantity(make_order(paid="2650.00"), manager, 1)
    args = dict(actor=finance, order=order.number, amount="100.00", method="cash", reason="r")
    first, _ = services.refund_issue(**args, idempotency_key="k-1")
    again, replayed = services.refund_issue(**args, idempotency_key="k-1")
    assert replayed and again.pk == first.pk and again.response == first.response
    with pytest.raises(Conflict):
        services.refund_issue(**{**args, "amount": "5.00"}, idempotency_key="k-1")


def test_cancelled_order_refunds_everything_paid(make_order, manager, finance):
    order = make_order(paid="500.00")
    order_services.order_transition(
        actor=manager,
        order=order,
        to="cancelled",
        expected_version=order.version,
        reason_code="customer_request",
        reason="no longer needed",
    )
    order.refresh_from_db()
    assert order.refund_due == D("500.00")
    services.refund_issue(
        actor=finance, order=order, amount="500.00", method="cash", reason="cancelled"
    )
    order.refresh_from_db()
    assert order.refund_due == 0 and order.paid == 0
