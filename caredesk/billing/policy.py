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
