"""Status moves: the one place an order changes status along the table of its kind
(`caredesk.orders.machine`), and the confirmation of a draft by its first payment."""

from django.db import transaction
from django.utils import timezone

from caredesk.customers.models import RegisteredPart
from caredesk.lib.errors import Invalid
from caredesk.lib.policy import enforce
from caredesk.orders import machine, policy
from caredesk.orders.models import (
    Alert,
    Kind,
    Order,
    Status,
)
from caredesk.orders.services.common import (
    alert_raise_locked,
    order_confirmed,
    order_event,
    order_for_update,
    order_save,
)
from caredesk.orders.services.holds import has_delivery_date
from caredesk.orders.services.windows import window_release


def _parts_follow(order: Order, previous: str, to: str) -> list[dict]:
    """Registered parts on a service order follow it: picked up -> in service; delivered back
    -> with the customer again, serviced today; a cancel after pickup -> with the customer when
    they are returned, retired when they are not. Returns what changed, for the event."""
    if order.kind != Kind.SERVICE:
        return []
    today = timezone.localdate()
    updates: dict = {}
    if to == Status.PICKED_UP:
        updates = {"status": RegisteredPart.Status.IN_SERVICE}
    elif to == Status.DELIVERED:
        updates = {"status": RegisteredPart.Status.ACTIVE, "last_service_on": today}
    elif to == Status.CANCELLED and previous in machine.PARTS_HELD:
        returned = order.parts_to_return
        status = RegisteredPart.Status.ACTIVE if returned else RegisteredPart.Status.RETIRED
        updates = {"status": status}
    if not updates:
        return []
    parts = RegisteredPart.objects.filter(order_lines__order=order).distinct()
    changed = [
        {"serial": serial, "status": updates["status"]}
        for serial in parts.order_by("serial").values_list("serial", flat=True)
    ]
    RegisteredPart.objects.filter(pk__in=parts.values("pk")).update(**updates)
    return changed


def order_transition(
    *,
    actor,
    order: Order | str,
    to: str,
    expected_version: int | None = None,
    reason: str = "",
    reason_code: str = "",
    parts_to_return: bool | None = None,
    by_crew: bool = False,
) -> Order:
    """Move an order along the status table of its kind (the one place statuses change,
    apart from the first payment confirming a draft).

    Refused with 409: a move the table does not allow, a suspended order, an advance while a
    system alert is uncleared, confirming a draft without a payment. Cancelling needs a reason
    code and text, and for parts we hold, whether they must be returned. `by_crew`: the delivery
    services record a crew member's delivered/picked-up stop (after their own crew check)."""
    if to not in Status.values:
        raise Invalid(f"Unknown status {to!r}.", field="to")
    with transaction.atomic():
        order = order_for_update(order, expected_version)
        enforce(policy.move(actor, order, to, by_crew=by_crew))
        fields = ["status"]
        data = {}
        if to == Status.CANCELLED:
            if reason_code not in machine.CANCEL_REASONS:
                raise Invalid("Choose a cancel reason.", field="reason_code")
            if not (reason or "").strip():
                raise Invalid("Say why the order is cancelled.", field="reason")
            if policy.parts_held(order):
                if parts_to_return is None:
                    raise Invalid(
                        "The parts were picked up: say whether they must be returned.",
                        field="parts_to_return",
                    )
                order.parts_to_return = parts_to_return
                fields.append("parts_to_return")
                data["parts_to_return"] = parts_to_return
            order.cancel_reason_code, order.cancel_reason = reason_code, reason.strip()[:300]
            fields += ["cancel_reason_code", "cancel_reason"]
            data["reason_code"] = reason_code
            window_release(order.window_id)
        previous = order.status
        order.status = to
        order_save(order, actor=actor, fields=fields)
        parts = _parts_follow(order, previous, to)
        if parts:
            data["parts"] = parts
        order_event(
            order,
            actor=actor,
            action="order.status_changed",
            before={"status": previous},
            after={
                "status": to,
                **(
                    {"refund_due": order.refund_due}
                    if to == Status.CANCELLED and order.paid
                    else {}
                ),
            },
            reason=(
                f"{machine.CANCEL_REASONS[reason_code]}: {reason.strip()}"
                if to == Status.CANCELLED
                else reason
            ),
            data=data,
        )
        if to == Status.SCHEDULED and not has_delivery_date(order):
            alert_raise_locked(
                order,
                actor=None,
                kind=Alert.Kind.MISSING_DELIVERY_DATE,
                message="Scheduled without a delivery date: amend the delivery dates.",
            )
    return order


def confirm_locked(order: Order) -> None:
    """A draft becomes pending on its first recorded payment (called by the payment
    services inside their transaction, after the table check)."""
    if order.status == Status.DRAFT and machine.transition_allowed(
        order.kind, order.status, Status.PENDING
    ):
        order.status = Status.PENDING
        order.parked_at = None
        order_confirmed(order)
