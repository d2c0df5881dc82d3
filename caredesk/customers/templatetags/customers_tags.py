"""Display helpers for customer pages: local phone format and audit event labels."""

from django import template

from caredesk.customers.values import phone_local as _phone_local

register = template.Library()

EVENT_LABELS = {
    "customer.created": "Account opened",
    "customer.updated": "Profile changed",
    "customer.closed": "Account closed",
    "customer.reopened": "Account reopened",
    "customer.password_reset_sent": "Password reset link sent",
    "customer.password_set": "Password set by the customer",
    "customer.viewed_as": "Viewed as customer",
    "safety.fraud_stop": "FRAUD-STOP",
    "safety.blocked_attempt": "Blocked attempt",
}


@register.filter
def phone_local(value: str) -> str:
    """`+639171234567` -> `0917 123 4567`."""
    return _phone_local(value or "")


@register.filter
def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def event_tone(action: str) -> str:
    """Badge class for an event: safety events are danger, closures warn."""
    if action.startswith("safety."):
        return "danger"
    if action == "customer.closed":
        return "warn"
    if action in ("customer.created", "customer.reopened"):
        return "ok"
    return ""
