"""Who may do what with money documents and refunds, now, and why not; and the money figures
a screen shows about an order (read from `orders.pricing` through the order, never
recomputed here)."""

from decimal import Decimal

from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import ALLOW, Decision, deny, first_refusal, forbid


def view_invoices(actor) -> Decision:
    if not has_capability(actor, "view_invoices"):
        return forbid("You may not see invoices.")
    return ALLOW


def email_invoice(actor, invoice) -> Decision:
    if not has_capability(actor, "send_email"):
        return forbid("You may not email customers.")
    if not invoice.customer.email:
        return deny("The customer has no email address on file.", code="no_email")
    return ALLOW


def refunds(actor) -> Decision:
    if not has_capability(actor, "issue_refund"):
        return forbid("Refunds are issued by finance.")
    return ALLOW


def issue_refund(actor, order, amount: Decimal | None = None) -> Decision:
    """Finance refunds what is due back: never more than the order's refund due."""
    if not refunds(actor):
        return refunds(actor)
    due = order.refund_due
    if due <= 0:
        return deny(f"Nothing is due back on order {order.number}.", code="no_refund_due")
    if amount is not None and amount > due:
        return deny(
            f"The refund due on order {order.number} is {due}; refund at most that.",
            code="above_refund_due",
        )
    return ALLOW


def reverse_refund(actor, refund) -> Decision:
    return first_refusal(
        refunds(actor),
        ALLOW
        if refund.status == "recorded"
        else deny("Only a recorded refund can be reversed.", code="not_recorded"),
    )


def record_report(actor, payment) -> Decision:
    """One-click record of a crew report from the payment manager's queue."""
    if not has_capability(actor, "record_payment"):
        return forbid("You may not record payments.")
    if payment.status != "reported":
        return deny("Only a payment reported by the crew can be recorded.", code="not_reported")
    if payment.order.suspended:
        return deny(f"Order {payment.order.number} is suspended.", code="suspended")
    return ALLOW


def order_money(order, invoices) -> dict:
    """The figures of the order's invoices panel: paid, balance due, refund due (from the
    order, as priced by `orders.pricing`) and what the documents bill in sum."""
    return {
        "paid": order.paid,
        "balance_due": order.balance_due,
        "refund_due": order.refund_due,
        "invoiced": sum((inv.total for inv in invoices), Decimal("0.00")),
    }


def quote_state(quote, today=None) -> str:
    """open, expired (open but past its date) or converted."""
    from django.utils import timezone

    if quote.status == "converted":
        return "converted"
    return "expired" if quote.valid_until < (today or timezone.localdate()) else "open"


def create_quote(actor) -> Decision:
    if not has_capability(actor, "create_order"):
        return forbid("You may not make quotes.")
    return ALLOW


def convert_quote(actor, quote, *, reprice: bool = False) -> Decision:
    """Converted once; after expiry only at today's prices, with the agent's consent."""
    if not create_quote(actor):
        return create_quote(actor)
    state = quote_state(quote)
    if state == "converted":
        return deny(
            f"Quote {quote.number} was already converted to order {quote.order.number}.",
            code="quote_converted",
        )
    if state == "expired" and not reprice:
        return deny(
            f"Quote {quote.number} expired on {quote.valid_until:%a %-d %b %Y}; convert it at "
            "today's prices instead.",
            code="quote_expired",
        )
    if not quote.customer.is_open:
        return deny(f"{quote.customer} is closed; reopen the account first.", code="closed")
    return ALLOW


def email_quote(actor, quote) -> Decision:
    if not has_capability(actor, "send_email"):
        return forbid("You may not email customers.")
    if not quote.customer.email:
        return deny("The customer has no email address on file.", code="no_email")
    return ALLOW


# --- Status tones -------------------------------------------------------------------------------

# A payment-manager row (payment or refund): recorded is settled, reversed is undone, anything
# else (a crew report not yet recorded) is waiting.
MOVEMENT_TONES = {"recorded": "ok", "reversed": "danger"}


def movement_tone(status: str) -> str:
    """The badge tone of a payment or refund row of the payment manager."""
    return MOVEMENT_TONES.get(status, "warn")


def status_tone(obj) -> str:
    """The badge tone of a billing object's status (`{{ refund|tone }}`): a refund is settled
    unless reversed."""
    from caredesk.billing.models import Refund, RefundStatus

    if isinstance(obj, Refund):
        return "danger" if obj.status == RefundStatus.REVERSED else "ok"
    return ""
