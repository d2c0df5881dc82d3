"""Shared pieces of the order services: locking an order at the version the client read,
saving a change (version + 1), repricing, raising alerts, and the integration hooks."""

import logging
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.customers.services import blocklist_enforce, blocklist_hits, fraud_hit_alert
from caredesk.customers.values import CardKey
from caredesk.lib.errors import NotFound
from caredesk.lib.versions import row_save, row_version_check
from caredesk.orders import pricing
from caredesk.orders.models import (
    ZERO,
    Alert,
    Order,
    OrderLine,
    Payment,
    PaymentStatus,
)

logger = logging.getLogger(__name__)


def order_for_update(order: Order | str, expected_version: int | None) -> Order:
    """Lock the order row for this transaction and check the version the client read.

    Raises StaleVersion (412) naming who changed it and when, so the agent can reload."""
    qs = Order.objects.select_for_update()
    try:
        if isinstance(order, Order):
            locked = qs.get(pk=order.pk)
        else:
            locked = qs.get(number=str(order).upper())
    except Order.DoesNotExist:
        raise NotFound("No such order.") from None
    order_version_check(locked, expected_version)
    return locked


def order_version_check(order: Order, expected_version: int | None) -> None:
    """412 naming who last changed the order and when, unless the client read this version."""
    row_version_check(order, expected_version, what=f"Order {order.number}")


def order_save(order: Order, *, actor, fields: list[str]) -> None:
    """Persist a change: version + 1, who and when. Call once per change, inside the lock."""
    row_save(order, actor=actor, fields=fields)


def order_event(order: Order, *, actor, action: str, before=None, after=None, reason="", data=None):
    """The audit event of one order change; carries the version the change produced."""
    return event_record(
        actor=actor,
        action=action,
        target=order,
        before=before,
        after=after,
        reason=reason,
        data={"version": order.version, **(data or {})},
    )


def order_changed(order: Order, *, actor, fields: list[str], action: str, **event) -> None:
    """One change of the locked `order`: save `fields` as its next version, then record
    `action` (`before`, `after`, `reason`, `data` as in `order_event`) with that version."""
    order_save(order, actor=actor, fields=fields)
    order_event(order, actor=actor, action=action, **event)


def recorded_paid(order: Order) -> Decimal:
    """Recorded payments minus recorded refunds (`billing.Refund`, through `order.refunds`)."""
    total = order.payments.filter(status=PaymentStatus.RECORDED).aggregate(s=Sum("amount"))["s"]
    refunded = order.refunds.filter(status="recorded").aggregate(s=Sum("amount"))["s"]
    return pricing.net_paid(total or ZERO, refunded or ZERO)


def priced_lines(lines) -> list[pricing.PricedLine]:
    return [
        pricing.PricedLine(quantity=ln.quantity, unit_price=ln.unit_price, discount=ln.discount)
        for ln in lines
    ]


def apply_totals(order: Order, totals: pricing.Totals, line_count: int) -> list[str]:
    """Copy computed totals onto the order; returns the fields to save."""
    for field, value in totals.as_dict().items():
        setattr(order, field, value)
    order.line_count = line_count
    return [*totals.as_dict().keys(), "line_count"]


def returned_units():
    """Annotation of an order line: the units received back on its returns
    (`billing.ReturnLine.received_quantity`), 0 when none."""
    return Coalesce(Sum("return_lines__received_quantity"), 0)


def lines_with_returns(order: Order):
    """The order's lines, each annotated with `returned` (`returned_units`), one query."""
    return (
        OrderLine.objects.filter(order=order)
        .annotate(returned=returned_units())
        .order_by("position")
    )


def kept_lines(lines) -> list[pricing.PricedLine]:
    """What the customer keeps of lines from `lines_with_returns` (pricing's one rule)."""
    return [pricing.kept_line(ln.quantity, ln.unit_price, ln.discount, ln.returned) for ln in lines]


def order_reprice(order: Order) -> list[str]:
    """Recompute the order's money from its stored lines (less the units received back on
    returns) and recorded payments."""
    lines = list(lines_with_returns(order))
    totals = pricing.price(
        kept_lines(lines), delivery_fee=order.delivery_fee, paid=recorded_paid(order)
    )
    return apply_totals(order, totals, len(lines))


def order_money_changed(
    order: Order, *, actor, action: str, before: dict, after=None, confirm=None, **event
) -> None:
    """A payment or refund of the locked `order` changed: reprice the order, let `confirm` (a
    recorded payment's `confirm_locked`) confirm a draft, save the order and record `action`
    with the money before and after (plus `after`)."""
    fields = order_reprice(order)
    if confirm is not None:
        confirm(order)
        fields = [*fields, "status", "parked_at"]
    after = {**money_state(order), **(after or {})}
    order_changed(
        order, actor=actor, fields=fields, action=action, before=before, after=after, **event
    )


def reversal_locked(row, *, actor, reason: str, status: str, drawer) -> None:
    """Mark a locked payment or refund reversed with the reason (the row stays), moving it
    between its status totals in the drawer (`drawer_payment` or `drawer_refund`)."""
    drawer(row, -1)
    row.status = status
    row.reversed_by, row.reversed_at = actor, timezone.now()
    row.reversal_reason = reason[:300]
    row.save(update_fields=["status", "reversed_by", "reversed_at", "reversal_reason"])
    drawer(row, +1)


def money_state(order: Order) -> dict:
    return {
        "status": order.status,
        "subtotal": order.subtotal,
        "tax": order.tax,
        "total": order.total,
        "paid": order.paid,
        "balance": order.balance,
    }


def open_system_alerts(order: Order):
    return Alert.objects.filter(order=order, system=True, cleared_at__isnull=True)


def alert_raise_locked(order: Order, *, actor, kind: str, message: str, system=True) -> Alert:
    """Raise an alert on an order already locked by the caller (one change, one event)."""
    alert = Alert.objects.create(order=order, kind=kind, message=message[:300], system=system)
    order_changed(
        order,
        actor=actor,
        fields=[],
        action="order.alert_raised",
        after={"alert": alert.get_kind_display(), "message": alert.message},
        data={"alert_id": alert.pk, "system": system},
    )
    return alert


# --- Integration hooks -------------------------------------------------------------------------
# Each is the single place where another module plugs in. Their state is listed in the README
# ("Orders: integration points").


def fraud_check(order: Order) -> str | None:
    """FRAUD-STOP on order placement: the reason the order must be held, or None.

    A customer on fraud hold, or whose email, phone or card on file is on the blocklist:
    the caller raises an alert and suspends the order; a blocklist hit is also written to the
    customer's safety history (in the order's transaction, which commits: the order exists).
    """
    customer = order.customer
    if customer.fraud_hold:
        return f"Customer {customer.member_id} is on fraud hold (FRAUD-STOP)."
    hits = blocklist_hits(
        emails=[customer.email],
        phones=[customer.phone],
        cards=[CardKey.of(card) for card in customer.cards.all()],
    )
    if not hits:
        return None
    kinds = sorted({h.get_kind_display().lower() for h in hits})
    event_record(
        actor=None,
        action="safety.blocked_attempt",
        target=customer,
        reason=f"Blocked {', '.join(kinds)} on order {order.number}",
        data={
            "attempted": "order.create",
            "order": order.number,
            "entries": [{"id": h.pk, "kind": h.kind, "value": h.display_value} for h in hits],
        },
    )
    fraud_hit_alert(
        f"FRAUD-STOP: order {order.number} of {customer.member_id} held "
        f"(blocked {', '.join(kinds)})."
    )
    return f"The customer's {' and '.join(kinds)} is on the FRAUD-STOP blocklist."


def payment_blocklist_enforce(*, actor, order: Order | str, method: str, card_last4: str) -> None:
    """Refuse a card payment with a blocked card (409 `blocked`), with a safety-history entry
    on the customer that survives the refusal. Only brand/last 4/expiry/holder identify a card,
    so the customer's cards on file with these last 4 digits are checked. Call it before the
    payment's own transaction."""
    if method != "card" or not card_last4:
        return
    number = order.number if isinstance(order, Order) else str(order).upper()
    found = Order.objects.select_related("customer").filter(number=number).first()
    if found is None:
        return
    cards = [CardKey.of(c) for c in found.customer.cards.filter(last4=card_last4)]
    if cards:
        blocklist_enforce(actor=actor, action="payment.record", target=found.customer, cards=cards)


def order_confirmed(order: Order) -> None:
    """A draft was just confirmed (in its transaction): issue its invoice (numbered in this
    transaction) and queue the confirmation email to the customer through the outbox (the
    invoice PDF attached), so both exist exactly when the confirmation does."""
    from caredesk.billing.services import invoice_issue_on_confirmation

    invoice_issue_on_confirmation(order=order)
    if order.customer.email:
        from caredesk.orders.emails import order_email_queue

        order_email_queue(actor=None, order=order, template_code="order_confirmation")


def payment_snapshot(payment: Payment, order: Order) -> dict:
    """The API answer for a payment, stored on the row so an idempotent replay returns the
    first answer byte for byte."""
    return {
        "id": payment.pk,
        "method": str(payment.method),
        "amount": str(payment.amount),
        "card_last4": payment.card_last4,
        "reference": payment.reference,
        "received_at": payment.received_at.isoformat(),
        "status": str(payment.status),
        "order": {
            "number": order.number,
            "status": str(order.status),
            "version": order.version,
            "total": str(order.total),
            "paid": str(order.paid),
            "balance": str(order.balance),
        },
    }
