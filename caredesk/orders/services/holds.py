"""Suspend / resume, flags and alerts on an order."""

from django.db import transaction
from django.utils import timezone

from caredesk.lib.errors import NotFound, stated
from caredesk.lib.policy import enforce
from caredesk.orders import policy
from caredesk.orders.models import (
    Alert,
    Order,
)
from caredesk.orders.services.common import (
    alert_raise_locked,
    open_system_alerts,
    order_changed,
    order_for_update,
)


def suspend_locked(order: Order, *, actor, reason: str) -> None:
    """Suspend an order already locked by the caller (one change, one event)."""
    order.suspended, order.suspended_reason = True, reason[:300]
    order_changed(
        order,
        actor=actor,
        fields=["suspended", "suspended_reason"],
        action="order.suspended",
        after={"suspended": True},
        reason=reason,
    )


def order_suspend(
    *, actor, order: Order | str, reason: str, expected_version: int | None = None
) -> Order:
    """Hold an order (fraud or questionable activity): no moves, no amendments until resumed."""
    reason = stated(reason, "Say why the order is suspended.", field="reason")
    with transaction.atomic():
        order = order_for_update(order, expected_version)
        enforce(policy.suspend(actor, order))
        suspend_locked(order, actor=actor, reason=reason)
    return order


def order_resume(
    *, actor, order: Order | str, reason: str, expected_version: int | None = None
) -> Order:
    """Lift a suspension, with the reason it is safe again."""
    reason = stated(reason, "Say why the order may continue.", field="reason")
    with transaction.atomic():
        order = order_for_update(order, expected_version)
        enforce(policy.resume(actor, order))
        previous = order.suspended_reason
        order.suspended, order.suspended_reason = False, ""
        order_changed(
            order,
            actor=actor,
            fields=["suspended", "suspended_reason"],
            action="order.resumed",
            before={"suspended": True, "reason": previous},
            after={"suspended": False},
            reason=reason,
        )
    return order


def order_flag(
    *, actor, order: Order | str, note: str, expected_version: int | None = None
) -> Alert:
    """Flag an order for review (a staff note that does not block the order)."""
    note = stated(note, "Say what should be reviewed.", field="note")
    with transaction.atomic():
        order = order_for_update(order, expected_version)
        enforce(policy.flag(actor, order))
        return alert_raise_locked(
            order, actor=actor, kind=Alert.Kind.REVIEW_FLAG, message=note, system=False
        )


def alert_clear(
    *, actor, order: Order | str, alert_id: int, note: str, expected_version: int | None = None
) -> Order:
    """Clear an alert or flag with a note (required). Cleared system alerts stop blocking."""
    note = stated(note, "Clearing an alert needs a note.", field="note")
    with transaction.atomic():
        order = order_for_update(order, expected_version)
        alert = Alert.objects.filter(pk=alert_id, order=order).first()
        if alert is None:
            enforce(policy.clear_alert(actor, order))
            raise NotFound("No such alert on this order.")
        enforce(policy.clear_alert(actor, order, alert))
        _alert_cleared(order, alert, actor=actor, note=note[:300])
    return order


def _alert_cleared(order: Order, alert: Alert, *, actor, note: str) -> None:
    """Clear an alert of the locked `order` with `note` (one change, one event)."""
    alert.cleared_at, alert.cleared_by, alert.clear_note = timezone.now(), actor, note
    alert.save(update_fields=["cleared_at", "cleared_by", "clear_note"])
    order_changed(
        order,
        actor=actor,
        fields=[],
        action="order.alert_cleared",
        before={"alert": alert.get_kind_display(), "message": alert.message},
        after={"cleared": True},
        reason=alert.clear_note,
        data={"alert_id": alert.pk},
    )


def has_delivery_date(order: Order) -> bool:
    """A requested or scheduled date, or a booked window: enough to schedule without an alert."""
    return bool(order.scheduled_delivery_on or order.requested_delivery_on or order.window_id)


def missing_date_alerts_clear(order: Order, *, actor) -> None:
    """A delivery date was set: the missing-date alerts are resolved (one change each)."""
    for alert in open_system_alerts(order).filter(kind=Alert.Kind.MISSING_DELIVERY_DATE):
        _alert_cleared(order, alert, actor=actor, note="Delivery date set.")
