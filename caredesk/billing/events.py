"""Money event types (audit `action` codes) and how each reads on the order's and the
customer's timeline. They target the order, so they join its timeline."""

from enum import StrEnum

from caredesk.lib.events import either, lines, part


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


def _return_lines(event) -> str:
    rows = part(event, "after").get("lines") or []
    return ", ".join(
        f"{r.get('quantity')} × {r.get('name', '')}" if isinstance(r, dict) else str(r)  # noqa: RUF001
        for r in rows
    )


lines(
    {
        MoneyEvent.INVOICE_ISSUED: (
            "Invoice issued",
            "{invoice} {after.number} issued for {after.total|money}",
        ),
        MoneyEvent.CREDIT_NOTE_ISSUED: (
            "Credit note issued",
            "Credit note {after.number} for {after.total|money} against {after.corrects}",
        ),
        MoneyEvent.INVOICE_EMAILED: (
            "Invoice emailed",
            "{after.number or Invoice} emailed to {after.to|plain}",
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
        MoneyEvent.QUOTE_CONVERTED: (
            "Quote converted",
            "Quote {after.number} converted to order {after.order} {prices}",
        ),
        MoneyEvent.RETURN_REQUESTED: (
            "Return requested",
            "Return {after.return} requested{replacement}: {returned}",
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
        MoneyEvent.RETURN_RECEIVED: (
            "Returned goods received",
            "Return {after.return} received: {returned} back in stock; order total down by "
            "{after.credit|money} to {after.total|money}",
        ),
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
    },
    invoice=either("after.corrects", "Supplementary invoice", "Invoice"),
    prices=either("after.repriced", "at today's prices", "at the quoted prices"),
    replacement=either("after.replacement", " with a replacement"),
    returned=_return_lines,
)
