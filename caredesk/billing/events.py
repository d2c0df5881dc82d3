"""Money event types (audit `action` codes) and how each reads on the order's and the
customer's timeline. They target the order, so they join its timeline."""

from enum import StrEnum

from caredesk.lib.display import day, money
from caredesk.lib.events import part, plain, renders


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


@renders(MoneyEvent.INVOICE_ISSUED, label="Invoice issued")
def _invoice(event) -> str:
    a = part(event, "after")
    title = "Supplementary invoice" if a.get("corrects") else "Invoice"
    return f"{title} {a.get('number', '')} issued for {money(a.get('total'))}"


@renders(MoneyEvent.CREDIT_NOTE_ISSUED, label="Credit note issued")
def _credit(event) -> str:
    a = part(event, "after")
    return (
        f"Credit note {a.get('number', '')} for {money(a.get('total'))} "
        f"against {a.get('corrects', '')}"
    )


@renders(MoneyEvent.INVOICE_EMAILED, label="Invoice emailed")
def _emailed(event) -> str:
    a = part(event, "after")
    return f"{a.get('number', 'Invoice')} emailed to {plain(a.get('to'))}"


@renders(MoneyEvent.REFUND_ISSUED, label="Refund issued")
def _refund(event) -> str:
    a = part(event, "after")
    return f"Refund of {money(a.get('amount'))} by {a.get('method_label', '')}"


@renders(MoneyEvent.REFUND_REVERSED, label="Refund reversed")
def _refund_reversed(event) -> str:
    a = part(event, "after")
    return f"Refund of {money(a.get('amount'))} reversed"


@renders(MoneyEvent.QUOTE_CREATED, label="Quote made")
def _quote(event) -> str:
    a = part(event, "after")
    until = f", valid until {day(a['until'])}" if a.get("until") else ""
    return f"Quote {a.get('number', '')} for {money(a.get('total'))}{until}"


@renders(MoneyEvent.QUOTE_CONVERTED, label="Quote converted")
def _quote_converted(event) -> str:
    a = part(event, "after")
    how = "at today's prices" if a.get("repriced") else "at the quoted prices"
    return f"Quote {a.get('number', '')} converted to order {a.get('order', '')} {how}"


@renders(MoneyEvent.QUOTE_EMAILED, label="Quote emailed")
def _quote_emailed(event) -> str:
    a = part(event, "after")
    return f"Quote {a.get('number', '')} emailed to {plain(a.get('to'))}"


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


@renders(MoneyEvent.RETURN_APPROVED, label="Return approved")
def _return_approved(event) -> str:
    a = part(event, "after")
    made = a.get("replacement_order")
    more = f"; replacement order {made} made" if made else ""
    return f"Return {a.get('return', '')} approved{more}"


@renders(MoneyEvent.RETURN_REJECTED, label="Return rejected")
def _return_rejected(event) -> str:
    return f"Return {part(event, 'after').get('return', '')} rejected"


@renders(MoneyEvent.RETURN_CANCELLED, label="Return cancelled")
def _return_cancelled(event) -> str:
    return f"Return {part(event, 'after').get('return', '')} cancelled"


@renders(MoneyEvent.RETURN_RECEIVED, label="Returned goods received")
def _return_received(event) -> str:
    a = part(event, "after")
    return (
        f"Return {a.get('return', '')} received: {_return_lines(a)} back in stock; order total "
        f"down by {money(a.get('credit'))} to {money(a.get('total'))}"
    )


@renders(MoneyEvent.RETURN_REFUNDED, label="Return refunded")
def _return_refunded(event) -> str:
    a = part(event, "after")
    return f"Return {a.get('return', '')} refunded: {money(a.get('amount'))}"


@renders(MoneyEvent.RETURN_CLOSED, label="Return closed")
def _return_closed(event) -> str:
    return f"Return {part(event, 'after').get('return', '')} closed without a refund"


@renders(MoneyEvent.RETURN_REOPENED, label="Return refund reversed")
def _return_reopened(event) -> str:
    a = part(event, "after")
    return f"Return {a.get('return', '')} back to received: its refund was reversed"
