"""Pickup/delivery windows: slots per zone with a capacity (booking happens with the order,
see `window_book`)."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.branches.models import Zone
from caredesk.lib.errors import Conflict, Invalid
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
