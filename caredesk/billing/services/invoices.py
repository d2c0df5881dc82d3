"""Invoices and credit notes: issued on confirmation, corrected on amendment, never edited.

Each document's money is `pricing.price(order now)` minus what the order's earlier documents
already billed, so the documents of an order always add up to its total (the correction of
a correction included). Numbers come from a per-branch, per-series counter row locked in the
issuing transaction: gapless and unique across processes.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from caredesk.audit.services import event_record
from caredesk.billing import policy
from caredesk.billing.events import MoneyEvent
from caredesk.billing.models import DocumentNumberCounter, Invoice, InvoiceKind, Series
from caredesk.lib.counters import counter_next
from caredesk.lib.policy import enforce
from caredesk.orders import pricing
from caredesk.orders.models import Order
from caredesk.orders.services.common import lines_with_returns

ZERO = Decimal("0.00")
FIGURES = ("subtotal", "discount_total", "delivery_fee", "tax", "total")


def document_number_allocate(branch, series: str) -> str:
    """The next number of the branch's series (`MNL-INV-000001`), inside the caller's
    transaction: the counter row stays locked until it commits."""
    number = counter_next(DocumentNumberCounter, branch=branch, series=series)
    return f"{branch.code}-{series}-{number:06d}"


def _current_lines(order: Order) -> list[dict]:
    """The order's lines as billed now: what the customer keeps (units received back on a
    return are no longer billed; a line returned in full is gone)."""
    rows = []
    for ln in lines_with_returns(order):
        kept = pricing.kept_line(ln.quantity, ln.unit_price, ln.discount, ln.returned)
        if not kept.quantity:
            continue
        rows.append(
            {
                "id": ln.pk,
                "sku": ln.sku,
                "name": ln.name,
                "quantity": kept.quantity,
                "unit_price": str(ln.unit_price),
                "discount": str(kept.discount),
                "total": str(kept.total),
            }
        )
    return rows


def _signed(row: dict, sign: int, quantity: int | None = None) -> dict:
    qty = row["quantity"] if quantity is None else quantity
    line = pricing.PricedLine(
        qty, Decimal(row["unit_price"]), Decimal(row["discount"]) if quantity is None else ZERO
    )
    return {**row, "quantity": sign * qty, "total": str(sign * line.total)}


def _delta_lines(before: list[dict], after: list[dict]) -> list[dict]:
    """What a correction bills (+) or credits (-), line by line."""
    old = {row["id"]: row for row in before}
    new = {row["id"]: row for row in after}
    rows: list[dict] = []
    for key, row in old.items():
        now = new.get(key)
        if now is None:
            rows.append(_signed(row, -1))
        elif (now["sku"], now["unit_price"], now["discount"]) == (
            row["sku"],
            row["unit_price"],
            row["discount"],
        ):
            diff = now["quantity"] - row["quantity"]
            if diff:
                rows.append(_signed(row, 1 if diff > 0 else -1, abs(diff)))
        else:
            rows.append(_signed(row, -1))
            rows.append(_signed(now, 1))
    rows.extend(_signed(row, 1) for key, row in new.items() if key not in old)
    return rows


def _seller(branch) -> dict:
    return {
        "code": branch.code,
        "name": branch.tax_name or branch.name,
        "branch": branch.name,
        "address": branch.address or branch.city,
        "tax_id": branch.tax_id,
        "vat_registered": branch.vat_registered,
    }


def _buyer(customer) -> dict:
    address = customer.addresses.filter(is_default=True).first()
    text = ""
    if address is not None:
        parts = [address.line1, address.line2, address.barangay, address.city, address.province]
        text = ", ".join(p for p in parts if p)
    return {
        "name": customer.display_name,
        "member_id": customer.member_id,
        "email": customer.email,
        "address": text,
    }


def _issue(
    *, order: Order, actor, kind: str, figures: dict, lines, billed, corrects=None, reason=""
) -> Invoice:
    series = Series.CREDIT_NOTE if kind == InvoiceKind.CREDIT_NOTE else Series.INVOICE
    invoice = Invoice.objects.create(
        number=document_number_allocate(order.branch, series),
        kind=kind,
        order=order,
        branch=order.branch,
        customer=order.customer,
        corrects=corrects,
        issued_by=actor if getattr(actor, "pk", None) else None,
        reason=reason[:300],
        currency=settings.CAREDESK_CURRENCY,
        lines=lines,
        billed_lines=billed,
        vat_rate=pricing.vat_rate(),
        vat_inclusive=settings.CAREDESK_VAT_INCLUSIVE,
        seller=_seller(order.branch),
        buyer=_buyer(order.customer),
        **figures,
    )
    action = (
        MoneyEvent.CREDIT_NOTE_ISSUED
        if kind == InvoiceKind.CREDIT_NOTE
        else MoneyEvent.INVOICE_ISSUED
    )
    event_record(
        actor=invoice.issued_by,
        action=action,
        target=invoice,
        after={
            "number": invoice.number,
            "kind": kind,
            "total": invoice.total,
            "corrects": corrects.number if corrects else None,
        },
        reason=invoice.reason,
        data={"invoice": invoice.number},
    )
    return invoice


def invoice_issue_on_confirmation(*, order: Order, actor=None) -> Invoice | None:
    """The order's invoice, issued when the draft is confirmed (called by the orders service in
    the confirming transaction, the order row locked). At most one per order."""
    if Invoice.objects.filter(order=order).exists():
        return None
    lines = _current_lines(order)
    return _issue(
        order=order,
        actor=actor,
        kind=InvoiceKind.INVOICE,
        figures={name: getattr(order, name) for name in FIGURES},
        lines=lines,
        billed=lines,
    )


def invoice_follow_amendment(*, order: Order, actor, reason: str = "") -> Invoice | None:
    """After an amendment of an invoiced order (its row locked, repriced): a credit note when
    the total went down, a supplementary invoice when it went up, nothing when unchanged."""
    docs = list(Invoice.objects.filter(order=order).order_by("issued_at", "pk"))
    if not docs:
        return None
    billed = Invoice.objects.filter(order=order).aggregate(**{f: Sum(f) for f in FIGURES})
    delta = {f: pricing.money(getattr(order, f) - (billed[f] or ZERO)) for f in FIGURES}
    if delta["total"] == ZERO:
        return None
    lines = _current_lines(order)
    kind = InvoiceKind.CREDIT_NOTE if delta["total"] < ZERO else InvoiceKind.INVOICE
    return _issue(
        order=order,
        actor=actor,
        kind=kind,
        figures=delta,
        lines=_delta_lines(docs[-1].billed_lines, lines),
        billed=lines,
        corrects=docs[0],
        reason=reason,
    )


def invoice_email(*, actor, invoice: Invoice, to: str = "") -> object:
    """Email the invoice (its PDF attached by the outbox) to the customer, and to `to` when
    given; on the order's timeline. Returns the queued message."""
    from caredesk.lib.display import money

    enforce(policy.email_invoice(actor, invoice))
    return document_email(
        actor=actor,
        document=invoice,
        to=to,
        subject=f"{invoice.title} {invoice.number} for order {invoice.order.number}",
        body=(
            f"Dear {invoice.buyer.get('name', '')},\n\n"
            f"Attached is {invoice.title.lower()} {invoice.number} for your order "
            f"{invoice.order.number}, total {money(invoice.total)}.\n\n"
            f"{invoice.seller.get('name', '')}"
        ),
        action=MoneyEvent.INVOICE_EMAILED,
        data=lambda message: {"invoice": invoice.number, "message": message.message_id},
    )


def document_email(*, actor, document, to: str, subject: str, body: str, action, data=None):
    """Queue the email of a billing document (the outbox attaches its PDF) to the document's
    customer, and to `to` when given, and record `action` on the document, in one
    transaction. `data(message)` adds to the event. Returns the queued message."""
    from caredesk.comms.services import email_compose_send

    with transaction.atomic():
        message = email_compose_send(
            actor=actor,
            customer=document.customer,
            to=to,
            cc="",
            include_customer_address=True,
            subject=subject,
            body=body,
            regarding=document.number,
        )
        event_record(
            actor=actor,
            action=action,
            target=document,
            after={"number": document.number, "to": message.to},
            data=data(message) if data else None,
        )
    return message
