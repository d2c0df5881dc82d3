"""Money documents (SPEC §3): invoices and credit notes, refunds.

An invoice is what the customer was billed, frozen at issue: lines, VAT breakdown, totals,
the branch's and the customer's details. It is never edited (`save` refuses an update): an
amendment that changes an invoiced order's total issues a credit note (total down) or a
supplementary invoice (total up) against it, so the documents of an order always add up to
the order's total. Numbers are gapless per branch and series (`MNL-INV-000001`,
`MNL-CN-000001`), allocated in the issuing transaction under a locked counter row.

A refund is money given back by finance; like a payment it is never edited, only reversed
with a reason. The order's `paid` is recorded payments minus recorded refunds
(`orders.pricing`).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caredesk.lib.models import MONEY, WriteOnce, replay_columns, replay_key_unique, staff_member

ZERO = Decimal("0.00")


def document_totals() -> tuple[models.DecimalField, ...]:
    """The money columns a document freezes when it is made, as `subtotal, discount_total,
    delivery_fee, tax, total = document_totals()` (the order's figures at that moment)."""
    return tuple(models.DecimalField(**MONEY) for _ in range(5))


class Series(models.TextChoices):
    INVOICE = "INV", "Invoice"
    CREDIT_NOTE = "CN", "Credit note"
    QUOTE = "Q", "Quote"
    RETURN = "RMA", "Return"


class DocumentNumberCounter(models.Model):
    """The last number handed out in a branch's series; locked by the issuing transaction."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=4, choices=Series.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "series"], name="doc_counter_branch_series")
        ]


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


class ImmutableError(Exception):
    pass


class Invoice(WriteOnce):
    """An invoice, supplementary invoice or credit note of an order, frozen at issue.

    Money columns are signed: a credit note's are negative, so the sum of `total` over an
    order's documents equals the order's total. `billed_lines` is the order's lines as billed
    after this document (the base the next correction is computed from); `lines` is what this
    document itself bills or credits."""

    number = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="invoices")
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="invoices"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = staff_member()
    reason = models.CharField(max_length=300, blank=True)
    currency = models.CharField(max_length=3, default="PHP")
    lines = models.JSONField(default=list)
    billed_lines = models.JSONField(default=list)
    subtotal, discount_total, delivery_fee, tax, total = document_totals()
    vat_rate = models.DecimalField(max_digits=5, decimal_places=4)
    vat_inclusive = models.BooleanField(default=True)
    seller = models.JSONField(default=dict)
    buyer = models.JSONField(default=dict)

    refusal = ImmutableError
    edit_refused = "An issued invoice is never edited; issue a correction."
    delete_refused = "An issued invoice is never deleted."

    class Meta:
        ordering = ["issued_at", "pk"]
        indexes = [
            models.Index(fields=["order", "issued_at"], name="invoice_order_idx"),
            models.Index(fields=["customer", "-issued_at"], name="invoice_customer_idx"),
            models.Index(fields=["branch", "-issued_at"], name="invoice_branch_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def title(self) -> str:
        if self.is_credit_note:
            return "Credit note"
        return "Supplementary invoice" if self.corrects_id else "Invoice"

    @property
    def net_of_tax(self) -> Decimal:
        return self.total - self.tax


class RefundStatus(models.TextChoices):
    RECORDED = "recorded", "Refunded"
    REVERSED = "reversed", "Reversed"


class Refund(models.Model):
    """Money given back to the customer by finance. Never edited: a mistake is reversed with a
    reason, which keeps the row. `idempotency_key` + `request_hash` + `response` make a
    replayed API call answer the first refund (the payments mechanism)."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="refunds")
    method = models.CharField(max_length=14)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    reference = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.RECORDED
    )
    refunded_at = models.DateTimeField(default=timezone.now)
    issued_by = staff_member(blank=False)
    reversed_by = staff_member()
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.CharField(max_length=300, blank=True)
    idempotency_key, request_hash, response = replay_columns()
    for_return = models.ForeignKey(
        "billing.Return", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )

    class Meta:
        ordering = ["refunded_at", "pk"]
        indexes = [
            models.Index(fields=["order", "status"], name="refund_order_status_idx"),
            models.Index(fields=["refunded_at", "id"], name="refund_at_idx"),
        ]
        constraints = [replay_key_unique("refund_idempotency_key_unique")]

    def __str__(self) -> str:
        return f"Refund {self.amount}"

    def get_method_display(self) -> str:
        from caredesk.orders.models import PaymentMethod

        return dict(PaymentMethod.choices).get(self.method, self.method)


class QuoteStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONVERTED = "converted", "Converted"


class Quote(models.Model):
    """An offer to a customer: catalog lines at the prices of the day it was made, valid until
    a date. Converted once into a draft order at those prices (or, after expiry, at today's
    prices with the agent's consent). "Expired" is derived from `valid_until`
    (`billing.policy.quote_state`), never stored. Lines and money are frozen at creation."""

    number = models.CharField(max_length=24, unique=True)
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="quotes"
    )
    status = models.CharField(max_length=10, choices=QuoteStatus.choices, default="open")
    valid_until = models.DateField()
    lines = models.JSONField(default=list)
    subtotal, discount_total, delivery_fee, tax, total = document_totals()
    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="quote"
    )
    created_by = staff_member(blank=False)
    created_at = models.DateTimeField(default=timezone.now)
    converted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "-created_at"], name="quote_customer_idx")]

    def __str__(self) -> str:
        return self.number


class DrawerSide(models.TextChoices):
    IN = "in", "Received"
    OUT = "out", "Refunded"


class DrawerDay(models.Model):
    """Money per business day, branch, agent, method, side (payments in, refunds out) and
    status: the payment manager counts and totals a month as a few hundred rows instead of
    reading every payment. Kept by `caredesk.billing.drawer` in the transaction of every
    change to a payment or refund; `drawer_rebuild` recomputes it from the rows.
    `branch_key`/`agent_key` are ids, 0 for none (so the key stays unique without NULLs)."""

    day = models.DateField()
    branch_key = models.BigIntegerField(default=0)
    agent_key = models.BigIntegerField(default=0)
    method = models.CharField(max_length=14)
    side = models.CharField(max_length=3, choices=DrawerSide.choices)
    status = models.CharField(max_length=10)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0.00"))
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "branch_key", "agent_key", "method", "side", "status"],
                name="drawer_day_key_unique",
            )
        ]
        indexes = [models.Index(fields=["branch_key", "day"], name="drawer_branch_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.method} {self.side} {self.status} {self.amount}"


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    RECEIVED = "received", "Received"
    REFUNDED = "refunded", "Refunded"
    CLOSED = "closed", "Closed"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class Return(models.Model):
    """A return (RMA) of delivered goods of one sale order, numbered per branch
    (`MNL-RMA-000001`). It moves along `billing.policy.RETURN_TRANSITIONS` only: requested ->
    approved (manager) -> received -> refunded (finance's refund, linked here) or closed; a
    requested return may be rejected, a requested or approved one cancelled.

    On receipt the goods are back: each line's `received_quantity` is recorded and the order
    is repriced without them (`orders.pricing.kept_line`), so its refund due follows and a
    credit note is issued; `credit` is how much the order's total went down. `version` grows
    by one on every change; every change is one event on the order's timeline."""

    number = models.CharField(max_length=24, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="returns")
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="returns"
    )
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    version = models.PositiveIntegerField(default=1)
    reason = models.CharField(max_length=300)
    replacement = models.BooleanField(default=False)
    replacement_order = models.OneToOneField(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacing_return",
    )
    credit = models.DecimalField(**MONEY, null=True, blank=True)
    requested_by = staff_member(blank=False)
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = staff_member()
    approved_at = models.DateTimeField(null=True, blank=True)
    received_by = staff_member()
    received_at = models.DateTimeField(null=True, blank=True)
    closed_by = staff_member()
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=300, blank=True)
    updated_by = staff_member()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-requested_at", "-id"], name="return_status_idx"),
            models.Index(
                fields=["branch", "status", "-requested_at", "-id"], name="return_branch_idx"
            ),
            models.Index(fields=["-requested_at", "-id"], name="return_requested_idx"),
            models.Index(fields=["order", "status"], name="return_order_idx"),
            models.Index(fields=["customer", "-requested_at"], name="return_customer_idx"),
            # Prefix search by number ("MNL-RMA-00...") on PostgreSQL whatever the collation.
            models.Index(
                fields=["number"],
                name="return_number_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ReturnLine(models.Model):
    """Units of one delivered order line coming back: `quantity` asked for, and
    `received_quantity` recorded when the goods arrive (the received stock)."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="return_lines"
    )
    sku = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(**MONEY)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    received_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["ret", "order_line"], name="return_line_unique"),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=models.F("quantity")),
                name="return_line_received_le_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"
