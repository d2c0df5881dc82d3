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

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class Series(models.TextChoices):
    INVOICE = "INV", "Invoice"
    CREDIT_NOTE = "CN", "Credit note"
    QUOTE = "Q", "Quote"


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


class Invoice(models.Model):
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
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    currency = models.CharField(max_length=3, default="PHP")
    lines = models.JSONField(default=list)
    billed_lines = models.JSONField(default=list)
    subtotal = models.DecimalField(**MONEY)
    discount_total = models.DecimalField(**MONEY)
    delivery_fee = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=4)
    vat_inclusive = models.BooleanField(default=True)
    seller = models.JSONField(default=dict)
    buyer = models.JSONField(default=dict)

    class Meta:
        ordering = ["issued_at", "pk"]
        indexes = [
            models.Index(fields=["order", "issued_at"], name="invoice_order_idx"),
            models.Index(fields=["customer", "-issued_at"], name="invoice_customer_idx"),
            models.Index(fields=["branch", "-issued_at"], name="invoice_branch_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("An issued invoice is never edited; issue a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("An issued invoice is never deleted.")

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
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.CharField(max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    response = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["refunded_at", "pk"]
        indexes = [
            models.Index(fields=["order", "status"], name="refund_order_status_idx"),
            models.Index(fields=["refunded_at", "id"], name="refund_at_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="refund_idempotency_key_unique",
            )
        ]

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
    subtotal = models.DecimalField(**MONEY)
    discount_total = models.DecimalField(**MONEY)
    delivery_fee = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="quote"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
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
