"""Display helpers for customer pages: local phone format and audit event labels."""

from django import template

from caredesk.customers.selectors import PROFILE_ACTIONS
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
    "customer.contact_added": "Email/phone added",
    "customer.contact_changed": "Email/phone changed",
    "customer.contact_removed": "Email/phone removed",
    "customer.contact_made_primary": "Primary email/phone changed",
    "customer.address_added": "Address added",
    "customer.address_changed": "Address changed",
    "customer.address_removed": "Address removed",
    "customer.address_made_default": "Default address changed",
    "customer.card_added": "Card added",
    "customer.card_removed": "Card removed",
    "customer.part_registered": "Part registered",
    "customer.part_changed": "Part changed",
    "customer.member_blocked": "Member blocked",
    "customer.member_unblocked": "Member unblocked",
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
def is_profile_change(action: str) -> bool:
    """Events whose before/after the timeline shows field by field."""
    return action in PROFILE_ACTIONS


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
