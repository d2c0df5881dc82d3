"""Money event types (audit `action` codes) and how each reads on the order's and the
customer's timeline. They target the order, so they join its timeline."""

from enum import StrEnum

from caredesk.lib.display import money
from caredesk.lib.events import lines, part, plain, renders


class MoneyEvent(StrEnum):
    INVOICE_ISSUED = "order.invoice_issued"
    CREDIT_NOTE_ISSUED = "order.credit_note_issued"
    INVOICE_EMAILED = "order.invoice_emailed"
    REFUND_ISSUED = "order.refund_issued"
    REFUND_REVERSED = "order.refund_reversed"
    QUOTE_CREATED = "quote.created"
    QUOTE_CONVERTED = "quote.converted"
    QUOTE_EMAILED = "quote.emailed"
    RETURN_REQUESTED = "order.return_requested"
    RETURN_APPROVED = "order.return_approved"
    RETURN_REJECTED = "order.return_rejected"
    RETURN_CANCELLED = "order.return_cancelled"
    RETURN_RECEIVED = "order.return_received"
    RETURN_REFUNDED = "order.return_refunded"
    RETURN_CLOSED = "order.return_closed"
    RETURN_REOPENED = "order.return_reopened"


lines(
    {
        MoneyEvent.CREDIT_NOTE_ISSUED: (
            "Credit note issued",
            "Credit note {after.number} for {after.total|money} against {after.corrects}",
        ),
        MoneyEvent.REFUND_ISSUED: (
            "Refund issued",
            "Refund of {after.amount|money} by {after.method_label}",
        ),
        MoneyEvent.REFUND_REVERSED: ("Refund reversed", "Refund of {after.amount|money} reversed"),
        MoneyEvent.QUOTE_CREATED: (
            "Quote made",
            "Quote {after.number} for {after.total|money}[, valid until {after.until|day}]",
        ),
        MoneyEvent.RETURN_APPROVED: (
            "Return approved",
            "Return {after.return} approved[; replacement order {after.replacement_order} made]",
        ),
        MoneyEvent.QUOTE_EMAILED: (
            "Quote emailed",
            "Quote {after.number} emailed to {after.to|plain}",
        ),
        MoneyEvent.RETURN_REJECTED: ("Return rejected", "Return {after.return} rejected"),
        MoneyEvent.RETURN_CANCELLED: ("Return cancelled", "Return {after.return} cancelled"),
        MoneyEvent.RETURN_REFUNDED: (
            "Return refunded",
            "Return {after.return} refunded: {after.amount|money}",
        ),
        MoneyEvent.RETURN_CLOSED: (
            "Return closed",
            "Return {after.return} closed without a refund",
        ),
        MoneyEvent.RETURN_REOPENED: (
            "Return refund reversed",
            "Return {after.return} back to received: its refund was reversed",
        ),
    }
)


@renders(MoneyEvent.INVOICE_ISSUED, label="Invoice issued")
def _invoice(event) -> str:
    a = part(event, "after")
    title = "Supplementary invoice" if a.get("corrects") else "Invoice"
    return f"{title} {a.get('number', '')} issued for {money(a.get('total'))}"


@renders(MoneyEvent.INVOICE_EMAILED, label="Invoice emailed")
def _emailed(event) -> str:
    a = part(event, "after")
    return f"{a.get('number', 'Invoice')} emailed to {plain(a.get('to'))}"


@renders(MoneyEvent.QUOTE_CONVERTED, label="Quote converted")
def _quote_converted(event) -> str:
    a = part(event, "after")
    how = "at today's prices" if a.get("repriced") else "at the quoted prices"
    return f"Quote {a.get('number', '')} converted to order {a.get('order', '')} {how}"


def _return_lines(a: dict) -> str:
    rows = a.get("lines") or []
    return ", ".join(
        f"{r.get('quantity')} × {r.get('name', '')}" if isinstance(r, dict) else str(r)  # noqa: RUF001
        for r in rows
    )


@renders(MoneyEvent.RETURN_REQUESTED, label="Return requested")
def _return_requested(event) -> str:
    a = part(event, "after")
    more = " with a replacement" if a.get("replacement") else ""
    return f"Return {a.get('return', '')} requested{more}: {_return_lines(a)}"


@renders(MoneyEvent.RETURN_RECEIVED, label="Returned goods received")
def _return_received(event) -> str:
    a = part(event, "after")
    return (
        f"Return {a.get('return', '')} received: {_return_lines(a)} back in stock; order total "
        f"down by {money(a.get('credit'))} to {money(a.get('total'))}"
    )
