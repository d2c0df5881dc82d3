"""The payment manager's day index (`DrawerDay`): how many payments and refunds, and how much
money, per business day, branch, agent, method, side and status. Every service that creates a
payment or refund, or changes its status, calls `drawer_payment` / `drawer_refund` in its own
transaction (-1 for the row as it was, +1 for the row as it is), so the index moves with the
rows or not at all. `drawer_recount` answers what the rows say; `drawer_rebuild` replaces the
index by that recount (after a bulk load)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from caredesk.billing.models import DrawerDay, DrawerSide, Refund
from caredesk.orders.models import Payment

Key = tuple  # (day, branch_key, agent_key, method, side, status)


def _move(key: Key, amount: Decimal, count: int) -> None:
    day, branch, agent, method, side, status = key
    where = {
        "day": day,
        "branch_key": branch or 0,
        "agent_key": agent or 0,
        "method": method,
        "side": side,
        "status": status,
    }
    change = {"amount": F("amount") + amount, "count": F("count") + count}
    if DrawerDay.objects.filter(**where).update(**change):
        return
    try:
        with transaction.atomic():
            DrawerDay.objects.create(**where, amount=amount, count=count)
    except IntegrityError:  # created meanwhile by a concurrent change: add to it
        DrawerDay.objects.filter(**where).update(**change)


def drawer_payment(payment: Payment, sign: int) -> None:
    """Count the payment as it is now in (+1) or out of (-1) the index."""
    key = (
        timezone.localdate(payment.received_at),
        payment.branch_id,
        payment.recorded_by_id or payment.reported_by_id,
        payment.method,
        DrawerSide.IN,
        payment.status,
    )
    _move(key, sign * payment.amount, sign)


def drawer_refund(refund: Refund, sign: int) -> None:
    """Count the refund as it is now in (+1) or out of (-1) the index."""
    key = (
        timezone.localdate(refund.refunded_at),
        refund.order.branch_id,
        refund.issued_by_id,
        refund.method,
        DrawerSide.OUT,
        refund.status,
    )
    _move(key, sign * refund.amount, sign)


def drawer_recount() -> dict[Key, tuple[Decimal, int]]:
    """What the payment and refund rows say, keyed like the index (grouped in the database)."""
    tz = timezone.get_current_timezone()
    sources = (
        (
            DrawerSide.IN,
            Payment.objects.annotate(
                at=TruncDate("received_at", tzinfo=tz),
                agent=Coalesce("recorded_by_id", "reported_by_id"),
                branch_ref=F("branch_id"),
            ),
        ),
        (
            DrawerSide.OUT,
            Refund.objects.annotate(
                at=TruncDate("refunded_at", tzinfo=tz),
                agent=F("issued_by_id"),
                branch_ref=F("order__branch_id"),
            ),
        ),
    )
    counted: dict[Key, tuple[Decimal, int]] = {}
    for side, qs in sources:
        rows = (
            qs.values("at", "branch_ref", "agent", "method", "status")
            .annotate(total=Sum("amount"), n=Count("id"))
            .order_by()
        )
        for r in rows.iterator(chunk_size=5000):
            key = (r["at"], r["branch_ref"] or 0, r["agent"] or 0, r["method"], side, r["status"])
            counted[key] = (r["total"], r["n"])
    return counted


def drawer_state() -> dict[Key, tuple[Decimal, int]]:
    """The index as `drawer_recount` keys it, rows that net to nothing left out."""
    return {
        (d.day, d.branch_key, d.agent_key, d.method, d.side, d.status): (d.amount, d.count)
        for d in DrawerDay.objects.exclude(count=0).iterator(chunk_size=5000)
    }


def drawer_rebuild() -> int:
    """Replace the index by a recount of the rows; answers how many index rows it wrote."""
    counted = drawer_recount()
    with transaction.atomic():
        DrawerDay.objects.all().delete()
        DrawerDay.objects.bulk_create(
            (
                DrawerDay(
                    day=day,
                    branch_key=branch,
                    agent_key=agent,
                    method=method,
                    side=side,
                    status=status,
                    amount=amount,
                    count=n,
                )
                for (day, branch, agent, method, side, status), (amount, n) in counted.items()
            ),
            batch_size=5000,
        )
    return len(counted)
