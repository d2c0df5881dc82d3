"""Delivery (SPEC §4): runs per date and branch, their stops, and the crew's stop events.

A run is one vehicle and its crew on one date out of one branch. A stop is one order on a run:
a delivery (the order is ready) or a pickup (a service order scheduled for pickup), with a
sequence, a time window, the address as it was when the stop was planned (with coordinates for
the map and the route), and a status. Only the services in `caredesk.delivery.services` write
these rows; each change writes a typed audit event (`caredesk.delivery.events`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caredesk.lib.models import Authored, replay_columns, replay_key_unique


class Run(Authored):
    """One vehicle and its crew (installer-role staff) out of a branch on a date.

    `version` grows by one on every change of the run or of its stop order, which is what
    guards a reorder against a stale page (If-Match / hidden field)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DISPATCHED = "dispatched", "Dispatched"
        COMPLETED = "completed", "Completed"

    date = models.DateField()
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+")
    vehicle = models.CharField(max_length=40)
    capacity = models.PositiveSmallIntegerField(default=12)
    crew = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="delivery_runs")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["date", "branch_id", "pk"]
        indexes = [models.Index(fields=["date", "branch"], name="run_date_branch_idx")]

    def __str__(self) -> str:
        return f"Run {self.pk} {self.vehicle} {self.date:%a %-d %b}"

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.COMPLETED


class Stop(models.Model):
    """One order on a run. Live while pending or arrived: an order has at most one live stop
    (a database constraint). `address`, `phone` and the coordinates are copied when the stop is
    planned, so the route sheet says where the crew actually went."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", "Delivery"
        PICKUP = "pickup", "Pickup"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ARRIVED = "arrived", "Arrived"
        DELIVERED = "delivered", "Done"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="stops")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="stops")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DELIVERY)
    sequence = models.PositiveSmallIntegerField()
    window_start = models.TimeField(null=True, blank=True)
    window_end = models.TimeField(null=True, blank=True)
    address = models.CharField(max_length=400, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.CharField(max_length=30, blank=True)
    failure_note = models.CharField(max_length=300, blank=True)
    recipient = models.CharField(max_length=120, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A service pickup: when the parts are due back (pickup day + the service turnaround).
    expected_return_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["run_id", "sequence", "pk"]
        indexes = [
            models.Index(fields=["order", "status"], name="stop_order_status_idx"),
            models.Index(fields=["run", "sequence"], name="stop_run_sequence_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["pending", "arrived"]),
                name="stop_one_live_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"Stop {self.sequence} of run {self.run_id}: {self.order_id}"

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.ARRIVED)


class StopEvent(models.Model):
    """One event the crew sent for a stop (arrived, delivered, failed, payment collected),
    kept with its `Idempotency-Key`: a retry with the same key and content answers the first
    response without writing again; `at` is when it happened on the device."""

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20)
    at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key, request_hash, response = replay_columns()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [replay_key_unique("stop_event_idempotency_key_unique")]
