"""Who may do what to a customer account now, and why not; and the figures a screen derives
from an account (its status badge, its flags).

One function per question. The customer services `enforce` these answers, the snapshot and the
order wizard show only what they allow, and the API returns them as `actions`.
"""

from caredesk.customers.models import AccountStatus, Customer, RegisteredPart
from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import ALLOW, Decision, answers, deny, first_refusal, forbid, permitted


def _open(customer: Customer, reason: str) -> Decision:
    if customer.status != AccountStatus.OPEN:
        return deny(reason, code="closed")
    return ALLOW


def view(actor, customer: Customer) -> Decision:
    return permitted(actor, "view_customer", "Opening customer accounts is not allowed for you.")


def edit(actor, customer: Customer) -> Decision:
    return permitted(actor, "edit_customer", "Editing customers is not allowed for you.")


def close(actor, customer: Customer) -> Decision:
    state = ALLOW
    if customer.status == AccountStatus.CLOSED:
        state = deny("This account is already closed.", code="already_closed")
    return first_refusal(
        permitted(actor, "close_customer", "Closing accounts is not allowed for you."), state
    )


def reopen(actor, customer: Customer) -> Decision:
    """Reopen a closed account; one closed by FRAUD-STOP only by someone who may use it."""
    state = ALLOW
    if customer.status != AccountStatus.CLOSED:
        state = deny("This account is open.", code="already_open")
    elif customer.fraud_hold and not has_capability(actor, "fraud_stop"):
        state = forbid("Only staff who may use FRAUD-STOP can reopen it.")
    return first_refusal(
        permitted(actor, "close_customer", "Reopening accounts is not allowed for you."),
        state,
    )


def fraud_stop(actor, customer: Customer) -> Decision:
    return permitted(actor, "fraud_stop", "FRAUD-STOP is not allowed for you.")


def view_as(actor, customer: Customer) -> Decision:
    return permitted(actor, "view_as_customer", "Viewing as the customer is not allowed for you.")


def email(actor, customer: Customer) -> Decision:
    state = ALLOW if customer.email else deny("The customer has no email address.", code="no_email")
    return first_refusal(
        permitted(actor, "send_email", "Emailing customers is not allowed for you."), state
    )


def add_note(actor, customer: Customer) -> Decision:
    return permitted(actor, "add_activity_note", "Adding notes is not allowed for you.")


def password_reset(actor, customer: Customer) -> Decision:
    """Email a password-reset link: an open account with an email address."""
    state = ALLOW
    if not customer.email:
        state = deny(
            "This customer has no email address to send the link to.",
            code="invalid",
            field="email",
        )
    return first_refusal(
        edit(actor, customer),
        _open(customer, "This account is closed; reopen it before resetting the password."),
        state,
    )


def place_order(actor, customer: Customer) -> Decision:
    """Start an order for the customer: an open account. (A fraud hold or blocked values on
    file do not refuse the order: it is created and held by FRAUD-STOP; `flags` says so
    before the agent builds it.)"""
    state = ALLOW
    if customer.status != AccountStatus.OPEN:
        state = deny(
            f"{customer.display_name} ({customer.member_id}) is closed; reopen the account first.",
            code="customer_closed",
        )
    return first_refusal(
        permitted(actor, "create_order", "Taking orders is not allowed for you."), state
    )


# --- Derived figures ------------------------------------------------------------------------


def badge(customer: Customer) -> str:
    """The tone of the account status badge, the same on every screen."""
    return "ok" if customer.status == AccountStatus.OPEN else "warn"


# A registered part: in service (held by a service order) is good, retired is a warning, with
# the customer is neutral.
PART_TONES = {RegisteredPart.Status.IN_SERVICE: "ok", RegisteredPart.Status.RETIRED: "warn"}


def part_follows_order(part) -> bool:
    """A part in service has its status set by the service order holding it, not by hand."""
    return part.status == RegisteredPart.Status.IN_SERVICE


def status_tone(obj) -> str:
    """The badge tone (`{{ obj|tone }}`) of an account's or a registered part's status."""
    if isinstance(obj, Customer):
        return badge(obj)
    if isinstance(obj, RegisteredPart):
        return PART_TONES.get(obj.status, "")
    return ""


def flags(customer: Customer, blocked_values=()) -> list[dict]:
    """What an agent must see first about the account: closed, fraud hold, blocked values."""
    found = []
    if customer.fraud_hold:
        found.append(
            {"tone": "danger", "label": "Fraud hold", "text": "orders are held by FRAUD-STOP"}
        )
    elif customer.status != AccountStatus.OPEN:
        found.append({"tone": "warn", "label": "Closed", "text": customer.closed_reason})
    for value in blocked_values:
        found.append({"tone": "danger", "label": "Blocked", "text": value.display_value})
    return found


def actions(actor, customer: Customer) -> dict[str, Decision]:
    """Every question about the account answered for `actor` (the API's `actions`)."""
    return answers(
        (edit, close, reopen, fraud_stop, view_as, email, add_note, password_reset, place_order),
        actor,
        customer,
    )
