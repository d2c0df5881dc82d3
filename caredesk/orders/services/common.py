"""Shared pieces of the order services: locking an order at the version the client read,
saving a change (version + 1), repricing, raising alerts, and the integration hooks."""

import logging
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.lib.errors import Conflict, NotFound, StaleVersion
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
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(stale_message(locked))
    return locked


def stale_message(order: Order) -> str:
    who = "someone"
    if order.updated_by_id:
        user = order.updated_by
        who = user.get_full_name() or user.get_username()
    when = timezone.localtime(order.updated_at).strftime("%b %-d, %H:%M:%S")
    return (
        f"Order {order.number} was changed by {who} at {when} (now version {order.version}); "
        "reload to see the current order."
    )


def order_save(order: Order, *, actor, fields: list[str]) -> None:
    """Persist a change: version + 1, who and when. Call once per change, inside the lock."""
    order.version += 1
    order.updated_by = actor if getattr(actor, "pk", None) else None
    order.updated_at = timezone.now()
    order.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


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


def recorded_paid(order: Order) -> Decimal:
    total = order.payments.filter(status=PaymentStatus.RECORDED).aggregate(s=Sum("amount"))["s"]
    return total or ZERO


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


def order_reprice(order: Order) -> list[str]:
    """Recompute the order's money from its stored lines and recorded payments."""
    lines = list(OrderLine.objects.filter(order=order))
    totals = pricing.price(
        priced_lines(lines), delivery_fee=order.delivery_fee, paid=recorded_paid(order)
    )
    return apply_totals(order, totals, len(lines))


def money_state(order: Order) -> dict:
    return {
        "status": order.status,
        "subtotal": order.subtotal,
        "tax": order.tax,
        "total": order.total,
        "paid": order.paid,
        "balance": order.balance,
    }


def ensure_movable(order: Order) -> None:
    if order.suspended:
        raise Conflict(
            f"Order {order.number} is suspended ({order.suspended_reason}); resume it first.",
            code="suspended",
        )


def open_system_alerts(order: Order):
    return Alert.objects.filter(order=order, system=True, cleared_at__isnull=True)


def alert_raise_locked(order: Order, *, actor, kind: str, message: str, system=True) -> Alert:
    """Raise an alert on an order already locked by the caller (one change, one event)."""
    alert = Alert.objects.create(order=order, kind=kind, message=message[:300], system=system)
    order_save(order, actor=actor, fields=[])
    order_event(
        order,
        actor=actor,
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

    Uses the customer's fraud hold (set by FRAUD-STOP). The blocklist match
    (`blocklist_enforce` of the customers module: phone, email, IP, card) is not connected yet.
    """
    if order.customer.fraud_hold:
        return f"Customer {order.customer.member_id} is on fraud hold (FRAUD-STOP)."
    return None


def payment_blocklist_check(order: Order, *, method: str, card_last4: str) -> str | None:
    """A blocked card (or payer) refuses the payment: the reason, or None.

    Not connected yet: the card blocklist belongs to the customers module (`blocklist_enforce`).
    """
    return None


def after_confirm(order_id: int) -> None:
    """Runs after the transaction that confirmed an order commits (draft -> pending): the
    confirmation email. Not connected yet: the comms module's outbox."""
    logger.info("order %s confirmed (confirmation email: comms hook not connected)", order_id)


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
