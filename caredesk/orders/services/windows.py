"""Pickup/delivery windows: slots per zone with a capacity (booking happens with the order,
see `window_book`)."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.branches.models import Zone
from caredesk.lib.errors import Conflict, Invalid, NotFound
from caredesk.lib.permissions import require
from caredesk.orders.models import PickupWindow


def window_create(
    *,
    actor,
    zone: Zone,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    capacity: int,
) -> PickupWindow:
    """Open a window in a zone. One window per zone, date and start time; it ends after it
    starts, is not in the past, and holds 1-50 orders."""
    require(actor, "manage_pickup_windows")
    if date < timezone.localdate():
        raise Invalid("A window cannot be in the past.", field="date")
    if ends_at <= starts_at:
        raise Invalid("The window must end after it starts.", field="ends_at")
    if not 1 <= capacity <= 50:
        raise Invalid("Capacity is 1 to 50 orders.", field="capacity")
    with transaction.atomic():
        if PickupWindow.objects.filter(zone=zone, date=date, starts_at=starts_at).exists():
            raise Conflict("That zone already has a window starting then.", code="duplicate_window")
        window = PickupWindow.objects.create(
            zone=zone, date=date, starts_at=starts_at, ends_at=ends_at, capacity=capacity
        )
        event_record(
            actor=actor,
            action="pickup_window.created",
            target=window,
            after={
                "zone": zone.code,
                "date": date,
                "from": starts_at,
                "to": ends_at,
                "capacity": capacity,
            },
        )
    return window


def _window_locked(window_id) -> PickupWindow:
    window = PickupWindow.objects.select_for_update().select_related("zone").filter(pk=window_id)
    found = window.first()
    if found is None:
        raise NotFound("No such pickup window.")
    return found


def window_capacity_change(*, actor, window_id: int, capacity: int) -> PickupWindow:
    """Change how many orders a window holds (1-50, never below the places already booked:
    those orders keep their window)."""
    require(actor, "manage_pickup_windows")
    if not 1 <= capacity <= 50:
        raise Invalid("Capacity is 1 to 50 orders.", field="capacity")
    with transaction.atomic():
        window = _window_locked(window_id)
        if capacity < window.booked:
            raise Conflict(
                f"{window.booked} orders already hold this window; capacity cannot go below that.",
                code="window_capacity_below_booked",
                field="capacity",
            )
        if capacity == window.capacity:
            return window
        before = window.capacity
        window.capacity = capacity
        window.save(update_fields=["capacity"])
        event_record(
            actor=actor,
            action="pickup_window.capacity_changed",
            target=window,
            before={"capacity": before},
            after={"capacity": capacity},
        )
    return window


def window_remove(*, actor, window_id: int) -> None:
    """Remove a window nobody has booked (a booked one keeps its orders: reduce its capacity
    to what is booked instead)."""
    require(actor, "manage_pickup_windows")
    from caredesk.orders.models import Order

    with transaction.atomic():
        window = _window_locked(window_id)
        if window.booked or Order.objects.filter(window_id=window.pk).exists():
            raise Conflict(
                "Orders hold this window; it cannot be removed. Lower its capacity instead.",
                code="window_booked",
            )
        event_record(
            actor=actor,
            action="pickup_window.removed",
            target=window,
            before={
                "zone": window.zone.code,
                "date": window.date,
                "from": window.starts_at,
                "to": window.ends_at,
                "capacity": window.capacity,
            },
        )
        window.delete()


def window_book(window_id: int, *, branch) -> PickupWindow:
    """Take one place in a pickup/delivery window. A conditional UPDATE does the counting in
    the database, so two agents cannot both get the last place (and a CHECK backs it up)."""
    window = PickupWindow.objects.select_related("zone").filter(pk=window_id).first()
    if window is None or window.zone.branch_id != branch.pk:
        raise Invalid("Choose one of the offered windows.", field="window")
    if window.date < timezone.localdate():
        raise Invalid("That window is in the past.", field="window")
    taken = PickupWindow.objects.filter(pk=window_id, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise Conflict(
            "That window has just been filled; choose another.", code="window_full", field="window"
        )
    window.refresh_from_db()
    return window


def window_release(window_id: int | None) -> None:
    if window_id:
        PickupWindow.objects.filter(pk=window_id, booked__gt=0).update(booked=F("booked") - 1)
