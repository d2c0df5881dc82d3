"""Who may do what with money documents and refunds, now, and why not; and the money figures
a screen shows about an order (read from `orders.pricing` through the order, never
recomputed here)."""

from decimal import Decimal

from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import ALLOW, Decision, deny, first_refusal, forbid, path_steps, permitted


def view_invoices(actor) -> Decision:
    return permitted(actor, "view_invoices", "You may not see invoices.")


def _email_customer(actor, customer) -> Decision:
    """Whether `actor` may email `customer` a money document (an invoice or a quote)."""
    if not has_capability(actor, "send_email"):
        return forbid("You may not email customers.")
    if not customer.email:
        return deny("The customer has no email address on file.", code="no_email")
    return ALLOW


def email_invoice(actor, invoice) -> Decision:
    return _email_customer(actor, invoice.customer)


def refunds(actor) -> Decision:
    return permitted(actor, "issue_refund", "Refunds are issued by finance.")


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
    return permitted(actor, "create_order", "You may not make quotes.")


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
    return _email_customer(actor, quote.customer)


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
    from caredesk.billing.models import Refund, RefundStatus, Return

    if isinstance(obj, Refund):
        return "danger" if obj.status == RefundStatus.REVERSED else "ok"
    if isinstance(obj, Return):
        return return_badge(obj)
    return ""


# --- Returns (RMA) -----------------------------------------------------------------------------

RETURN_TRANSITIONS: dict[str, frozenset[str]] = {
    "requested": frozenset({"approved", "rejected", "cancelled"}),
    "approved": frozenset({"received", "cancelled"}),
    "received": frozenset({"refunded", "closed"}),
    "refunded": frozenset(),
    "closed": frozenset(),
    "rejected": frozenset(),
    "cancelled": frozenset(),
}
# The statuses whose units still count against what a line can give back.
RETURN_LIVE = frozenset({"requested", "approved", "received", "refunded", "closed"})
RETURNABLE_ORDER_STATUSES = frozenset({"delivered", "completed"})
# The statuses in which the goods are still to come back (a credit is only expected).
RETURN_AWAITING_GOODS = frozenset({"requested", "approved"})
# Moves that must say why.
RETURN_REASON_NEEDED = frozenset({"rejected", "cancelled", "closed"})


def view_returns(actor) -> Decision:
    return permitted(actor, "view_orders", "You may not see returns.")


def start_return(actor, order, *, units_left: int | None = None) -> Decision:
    """A CSR (or manager) starts a return of delivered goods of a sale order; the quantities
    are checked against what each line can still give back (`returnable`). `units_left`,
    when known: the units of the order not yet on a return."""
    if not has_capability(actor, "amend_order"):
        return forbid("Returns are started by customer service.")
    if order.kind != "sale":
        return deny(
            "Only goods sold can be returned; a service order's parts are the customer's own.",
            code="not_returnable",
        )
    if order.status not in RETURNABLE_ORDER_STATUSES:
        return deny(
            f"Order {order.number} is {order.get_status_display().lower()}; goods can be "
            "returned once they are delivered.",
            code="not_delivered",
        )
    if order.suspended:
        return deny(f"Order {order.number} is suspended.", code="suspended")
    if units_left == 0:
        return deny("Every delivered unit is already on a return.", code="all_returned")
    return ALLOW


def returnable(line, taken: int) -> int:
    """Units of a delivered line that can still come back: its quantity less the units on its
    live returns (requested, approved, received or finished)."""
    return max(line.quantity - taken, 0)


def _is_manager(actor) -> bool:
    return has_capability(actor, "cancel_confirmed_order")


def _works_at(actor, branch) -> bool:
    from caredesk.people.models import StaffProfile

    return StaffProfile.objects.filter(user=actor, branch=branch).exists()


def return_move(actor, ret, to: str, *, order=None) -> Decision:
    """May `actor` move return `ret` to `to` now, and why not. The table first, then who:
    approve/reject — the store manager; receive — a manager, or customer service at the
    return's branch (the goods arrive at the counter there); refund — finance, while the
    order has money due back; close — a manager or finance; cancel — customer service."""
    from caredesk.billing.models import ReturnStatus

    labels = dict(ReturnStatus.choices)
    if to not in labels:
        return deny(f"Unknown return status {to!r}.", code="invalid", field="to")
    if to not in RETURN_TRANSITIONS.get(ret.status, frozenset()):
        return deny(
            f"Return {ret.number} is {labels[ret.status].lower()}; it cannot become "
            f"{labels[to].lower()}.",
            code="illegal_transition",
            field="to",
        )
    order = order or ret.order
    if to in ("approved", "rejected"):
        if not _is_manager(actor):
            return forbid("Returns are approved or rejected by the store manager.")
    elif to == "received":
        if not has_capability(actor, "amend_order"):
            return forbid("Returned goods are received by customer service or the manager.")
        if not _is_manager(actor) and not _works_at(actor, ret.branch):
            return forbid(
                f"Returned goods are received at branch {ret.branch.code}; you do not work there."
            )
        if order.suspended:
            return deny(f"Order {order.number} is suspended.", code="suspended")
    elif to == "refunded":
        if not has_capability(actor, "issue_refund"):
            return forbid("Refunds are issued by finance.")
        if order.refund_due <= 0:
            return deny(
                f"Nothing is due back on order {order.number}: the return lowered what the "
                "customer owes. Close the return instead.",
                code="no_refund_due",
            )
    elif to == "closed":
        if not (_is_manager(actor) or has_capability(actor, "issue_refund")):
            return forbid("Returns are closed by the store manager or finance.")
    elif to == "cancelled" and not has_capability(actor, "amend_order"):
        return forbid("Returns are cancelled by customer service.")
    return ALLOW


def return_refund_amount(ret, order) -> Decimal:
    """What finance refunds for a received return: its credit, at most the order's refund
    due (money the customer still owed absorbs the rest)."""
    credit = ret.credit or Decimal("0.00")
    return min(credit, order.refund_due)


def return_actions(actor, ret, order=None) -> dict[str, Decision]:
    """Every move of a return, as the viewer may make it now (the API's `actions`)."""
    order = order or ret.order
    names = {
        "approve": "approved",
        "reject": "rejected",
        "receive": "received",
        "refund": "refunded",
        "close": "closed",
        "cancel": "cancelled",
    }
    return {name: return_move(actor, ret, to, order=order) for name, to in names.items()}


RETURN_PATH = ("requested", "approved", "received", "refunded")


def return_path(ret) -> list[dict]:
    """The return's happy path as steps; a closed return ends at "Closed", a rejected or
    cancelled one is that one step."""
    from caredesk.billing.models import ReturnStatus

    labels = dict(ReturnStatus.choices)
    if ret.status in ("rejected", "cancelled"):
        return [{"status": ret.status, "label": labels[ret.status], "state": "current"}]
    path = RETURN_PATH if ret.status != "closed" else (*RETURN_PATH[:-1], "closed")
    return path_steps(path, ret.status, labels)


def return_badge(ret) -> str:
    """The badge tone of a return: refused ones danger, finished ones ok, open ones warn."""
    if ret.status in ("rejected", "cancelled"):
        return "danger"
    return "ok" if ret.status in ("refunded", "closed") else "warn"
