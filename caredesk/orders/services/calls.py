"""Call handling and soft edit locks (SPEC §3 [S4]).

Soft locks are informative ("locked by X" in grids): they never block a write — versions do
that — but taking over another agent's live lock needs `take_over_lock` and is audited. A lock
expires after `CAREDESK_ORDER_LOCK_MINUTES` without activity from its holder."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.lib.errors import Conflict, Invalid, NotFound
from caredesk.lib.permissions import require
from caredesk.lib.policy import enforce
from caredesk.orders import policy
from caredesk.orders.models import Order, Status
from caredesk.orders.services.common import (
    order_changed,
    order_for_update,
)
from caredesk.orders.services.windows import window_release


def lock_cutoff():
    return timezone.now() - timedelta(minutes=settings.CAREDESK_ORDER_LOCK_MINUTES)


def lock_holder(order: Order):
    """The user holding a live lock on the order, or None."""
    if order.locked_by_id and order.locked_seen_at and order.locked_seen_at >= lock_cutoff():
        return order.locked_by
    return None


@dataclass(frozen=True)
class LockState:
    mine: bool
    holder: object | None  # the other agent holding the lock


def lock_touch(*, actor, order: Order) -> LockState:
    """Take or refresh the actor's soft lock when they open the order for editing. A live
    lock of someone else is left alone and reported."""
    require(actor, "amend_order")
    now = timezone.now()
    with transaction.atomic():
        taken = (
            Order.objects.filter(pk=order.pk)
            .filter(_free_or_mine(actor))
            .update(locked_by=actor, locked_seen_at=now)
        )
    if taken:
        order.locked_by, order.locked_seen_at = actor, now
        return LockState(mine=True, holder=None)
    order.refresh_from_db(fields=["locked_by", "locked_seen_at"])
    return LockState(mine=False, holder=lock_holder(order))


def _free_or_mine(actor):
    from django.db.models import Q

    return Q(locked_by__isnull=True) | Q(locked_by=actor) | Q(locked_seen_at__lt=lock_cutoff())


def lock_take_over(*, actor, order: Order) -> Order:
    """Take the edit lock from another agent (audited: who had it, who took it)."""
    enforce(policy.take_over_lock(actor, order))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        previous = lock_holder(locked)
        locked.locked_by, locked.locked_seen_at = actor, timezone.now()
        locked.save(update_fields=["locked_by", "locked_seen_at"])
        if previous is not None and previous.pk != actor.pk:
            event_record(
                actor=actor,
                action="order.lock_taken_over",
                target=locked,
                before={"locked_by": previous.get_username()},
                after={"locked_by": actor.get_username()},
            )
    return locked


def lock_release(*, actor, order: Order) -> None:
    """Let go of one's own lock (leaving the order page, parking the call)."""
    Order.objects.filter(pk=order.pk, locked_by=actor).update(locked_by=None, locked_seen_at=None)


def _park_with(locked: Order, *, actor, agent, action: str) -> None:
    """Put the order in progress on `agent`'s pending list and release the edit lock."""
    previous = locked.assigned_to.get_username() if locked.assigned_to_id else None
    locked.assigned_to, locked.parked_at = agent, timezone.now()
    locked.locked_by, locked.locked_seen_at = None, None
    order_changed(
        locked,
        actor=actor,
        fields=["assigned_to", "parked_at", "locked_by", "locked_seen_at"],
        action=action,
        before={"assigned_to": previous},
        after={"assigned_to": agent.get_username()},
    )


def order_park(*, actor, order: Order | str, expected_version: int | None = None) -> Order:
    """Park the call: keep the order in progress in the pending grid, assigned to me."""
    with transaction.atomic():
        locked = order_for_update(order, expected_version)
        enforce(policy.park(actor, locked))
        _park_with(locked, actor=actor, agent=actor, action="order.parked")
    return locked


def order_transfer(
    *, actor, order: Order | str, to_username: str, expected_version: int | None = None
) -> Order:
    """Transfer the call: the order in progress goes to another agent's pending list."""
    target = get_user_model().objects.filter(username=(to_username or "").strip()).first()
    with transaction.atomic():
        locked = order_for_update(order, expected_version)
        enforce(policy.transfer(actor, locked))
        target_ok = policy.transfer_target(target)
        if not target_ok:
            raise Invalid(target_ok.reason, field="to")
        if locked.assigned_to_id == target.pk:
            raise Conflict(f"The order is already with {target.get_username()}.", code="same_agent")
        _park_with(locked, actor=actor, agent=target, action="order.transferred")
    return locked


def order_void(
    *, actor, order: Order | str, expected_version: int | None = None, reason: str = ""
) -> Order:
    """Void the call: discard the order in progress (cancelled with reason "call voided")."""
    with transaction.atomic():
        locked = order_for_update(order, expected_version)
        enforce(policy.void(actor, locked))
        locked.status = Status.CANCELLED
        locked.cancel_reason_code, locked.cancel_reason = (
            "call_voided",
            (reason or "Call voided")[:300],
        )
        locked.parked_at, locked.locked_by, locked.locked_seen_at = None, None, None
        window_release(locked.window_id)
        order_changed(
            locked,
            actor=actor,
            fields=[
                "status",
                "cancel_reason_code",
                "cancel_reason",
                "parked_at",
                "locked_by",
                "locked_seen_at",
            ],
            action="order.voided",
            before={"status": Status.DRAFT},
            after={"status": Status.CANCELLED},
            reason=locked.cancel_reason,
        )
    return locked


def order_void_undo(*, actor, order: Order | str, expected_version: int | None = None) -> Order:
    """Bring back a call the actor voided moments ago (`policy.undo_void`): the order is in
    progress again, assigned to the actor, its window booked again if a place is left."""
    from caredesk.audit.selectors import target_history
    from caredesk.orders.services.windows import window_book

    with transaction.atomic():
        locked = order_for_update(order, expected_version)
        last = target_history("orders.order", locked.pk).first()
        enforce(policy.undo_void(actor, locked, last))
        if locked.window_id:
            window_book(locked.window_id, branch=locked.branch)
        locked.status = Status.DRAFT
        locked.cancel_reason_code, locked.cancel_reason = "", ""
        locked.assigned_to = actor
        order_changed(
            locked,
            actor=actor,
            fields=["status", "cancel_reason_code", "cancel_reason", "assigned_to"],
            action="order.void_undone",
            before={"status": Status.CANCELLED},
            after={"status": Status.DRAFT},
        )
    return locked


def order_get(number: str) -> Order:
    order = Order.objects.filter(number=str(number).upper()).first()
    if order is None:
        raise NotFound("No such order.")
    return order
