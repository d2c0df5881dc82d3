"""Pickup/delivery windows: slots per zone with a capacity (booking happens with the order,
see `window_book`)."""

import datetime

from django.db import transaction
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
