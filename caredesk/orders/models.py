"""Orders (SPEC §3): catalog, orders and their lines, payments, alerts, pickup windows.

Money is `Decimal` with 2 places (PHP). An order's totals columns are always the output of
`caredesk.orders.pricing.price` over its lines and recorded payments; only the services in
`caredesk.orders.services` write them. `version` increases by one on every change of an order
(amendment, move, payment, suspension, alert), which is what guards concurrent edits; the
timeline is the audit events whose target is the order.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caredesk.lib.models import MONEY, Authored, replay_columns, replay_key_unique, staff_member

ZERO = Decimal("0.00")


class CatalogItem(models.Model):
    """A product or service the business sells, by SKU. The price here is the list price; an
    order line captures the price at the moment it is added."""

    sku = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sku"]
        indexes = [models.Index(fields=["active", "sku"], name="catalog_active_sku_idx")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class OrderNumberCounter(models.Model):
    """The last order number handed out in a branch. Allocation locks this row inside the
    order's transaction, so numbers are gapless and unique per branch across processes."""

    branch = models.OneToOneField(
        "branches.Branch", primary_key=True, on_delete=models.PROTECT, related_name="+"
    )
    last = models.PositiveIntegerField(default=0)


class Kind(models.TextChoices):
    SALE = "sale", "Sale"
    SERVICE = "service", "Service"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Pending"
    SCHEDULED = "scheduled", "Scheduled"
    PICKED_UP = "picked_up", "Picked up"
    IN_SERVICE = "in_service", "In service"
    READY = "ready", "Ready"
    DELIVERED = "delivered", "Delivered"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class PickupWindow(models.Model):
    """A pickup/delivery slot of a zone on a date with a capacity. `booked` counts the orders
    holding it; booking locks the row, so two agents cannot both take the last place."""

    zone = models.ForeignKey("branches.Zone", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    capacity = models.PositiveSmallIntegerField(default=4)
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["date", "starts_at"]
        indexes = [
            models.Index(fields=["zone", "date", "starts_at"], name="window_zone_date_idx"),
            models.Index(fields=["date", "starts_at"], name="window_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "date", "starts_at"], name="window_zone_date_start_unique"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=models.F("capacity")), name="window_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%a %b %-d} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class Order(Authored):
    """A sale or service order of one customer, numbered per branch (`MNL-0001`).

    Guarantees kept by the services: `status` only moves along the transition table of its
    kind; the money columns equal `pricing.price(lines, recorded payments)`; `version` grows by
    exactly one per change and each change writes one audit event carrying the new version.
    """

    number = models.CharField(max_length=16, unique=True)
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="orders"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SALE)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)

    subtotal = models.DecimalField(**MONEY, default=ZERO)
    discount_total = models.DecimalField(**MONEY, default=ZERO)
    tax = models.DecimalField(**MONEY, default=ZERO)
    delivery_fee = models.DecimalField(**MONEY, default=ZERO)
    total = models.DecimalField(**MONEY, default=ZERO)
    paid = models.DecimalField(**MONEY, default=ZERO)
    balance = models.DecimalField(**MONEY, default=ZERO)
    line_count = models.PositiveSmallIntegerField(default=0)

    requested_delivery_on = models.DateField(null=True, blank=True)
    scheduled_delivery_on = models.DateField(null=True, blank=True)
    window = models.ForeignKey(
        PickupWindow, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )

    suspended = models.BooleanField(default=False)
    suspended_reason = models.CharField(max_length=300, blank=True)
    cancel_reason_code = models.CharField(max_length=30, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    parts_to_return = models.BooleanField(null=True, blank=True)

    # Call handling and the pending grid: who works the order, soft edit lock.
    assigned_to = staff_member()
    parked_at = models.DateTimeField(null=True, blank=True)
    locked_by = staff_member(on_delete=models.SET_NULL)
    locked_seen_at = models.DateTimeField(null=True, blank=True)

    tracking_salt = models.CharField(max_length=32, blank=True)
    tracking_token_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="order_status_updated_idx"),
            models.Index(
                fields=["assigned_to", "status", "-updated_at"], name="order_agent_status_idx"
            ),
            models.Index(fields=["customer", "-created_at"], name="order_customer_idx"),
            # Schedule exceptions (delivery): open orders by status, branch and their dates.
            models.Index(
                fields=["status", "branch", "scheduled_delivery_on"], name="order_status_sched_idx"
            ),
            # The requested date before the branch: "past the requested date" is a range that
            # this index answers for one branch or all of them (the dashboard counts them all).
            models.Index(
                fields=["status", "requested_delivery_on", "branch"],
                name="order_status_req_day_idx",
            ),
            models.Index(fields=["-updated_at"], name="order_updated_idx"),
            # Prefix search by number ("MNL-00...") on PostgreSQL whatever the collation.
            models.Index(
                fields=["number"], name="order_number_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def refund_due(self) -> Decimal:
        from caredesk.orders.pricing import order_figures

        return order_figures(self).refund_due

    @property
    def balance_due(self) -> Decimal:
        from caredesk.orders.pricing import order_figures

        return order_figures(self).balance_due


class OrderLine(models.Model):
    """A line: a catalog SKU or a registered part, quantity, the unit price captured when the
    line was added, and a discount amount on the line."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    catalog_item = models.ForeignKey(
        CatalogItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    part = models.ForeignKey(
        "customers.RegisteredPart",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
    )
    sku = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY, default=ZERO)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="line_order_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    E_WALLET = "e_wallet", "E-wallet"
    CHEQUE = "cheque", "Cheque"


class PaymentStatus(models.TextChoices):
    REPORTED = "reported", "Reported by crew"
    RECORDED = "recorded", "Recorded"
    REVERSED = "reversed", "Reversed"


class Payment(models.Model):
    """Money received for an order. Never edited: a mistake is reversed (with a reason), which
    keeps the row. Crew reports count for nothing until finance or an authorised CSR records
    them. `idempotency_key` + `request_hash` make a replayed API call return the first answer."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    # The branch whose drawer took the money (the order's when received): the payment manager
    # lists a branch's payments from one index instead of joining every order.
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=14, choices=PaymentMethod.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    card_last4 = models.CharField(max_length=4, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.RECORDED
    )
    reported_by = staff_member()
    recorded_by = staff_member()
    recorded_at = models.DateTimeField(null=True, blank=True)
    reversed_by = staff_member()
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.CharField(max_length=300, blank=True)
    idempotency_key, request_hash, response = replay_columns()

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [
            models.Index(fields=["order", "status"], name="payment_order_status_idx"),
            # The payment manager: date ranges, optionally by status or method.
            models.Index(fields=["received_at", "id"], name="payment_received_idx"),
            models.Index(fields=["status", "received_at"], name="payment_status_received_idx"),
            models.Index(
                fields=["branch", "received_at", "id"], name="payment_branch_received_idx"
            ),
            # The crew reports awaiting recording, a branch's oldest first.
            models.Index(
                fields=["branch", "received_at"],
                condition=Q(status="reported"),
                name="payment_reported_queue_idx",
            ),
        ]
        constraints = [replay_key_unique("payment_idempotency_key_unique")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class Alert(models.Model):
    """A system alert (fraud hit, payment mismatch, missing delivery date) or a staff flag for
    review. Uncleared system alerts block status advances; clearing needs a note."""

    class Kind(models.TextChoices):
        FRAUD_HIT = "fraud_hit", "Fraud hit"
        PAYMENT_MISMATCH = "payment_mismatch", "Payment mismatch"
        MISSING_DELIVERY_DATE = "missing_delivery_date", "Missing delivery date"
        REVIEW_FLAG = "review_flag", "Flagged for review"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    message = models.CharField(max_length=300)
    system = models.BooleanField(default=True)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = staff_member()
    clear_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        indexes = [models.Index(fields=["order", "cleared_at"], name="alert_order_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message}"


class TrackingHit(models.Model):
    """One request to a guest tracking page, kept briefly to rate-limit per IP across
    processes (like staff LoginFailure)."""

    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"], name="tracking_hit_ip_at_idx")]
