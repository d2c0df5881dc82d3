"""Guest sign-in codes in the customer's data export, and their erasure (privacy hooks).
Codes are hashed; only the number and the times are personal."""

from caredesk.portal.models import LoginCode


def export(customer) -> dict:
    if not customer.phone:
        return {}
    codes = LoginCode.objects.filter(phone=customer.phone).order_by("created_at")
    return {
        "sign_in_codes": [
            {"phone": c.phone, "sent_at": c.created_at.isoformat(), "used": c.used_at is not None}
            for c in codes
        ]
    }


def _phones(customer) -> set[str]:
    """The customer's numbers (profile and contact points), read before the customers app's
    hook tombstones them (`privacy.hooks` runs that one after this)."""
    phones = set(customer.contacts.filter(kind="phone").values_list("value", flat=True))
    return {p for p in phones | {customer.phone} if p}


def erase(customer, *, actor) -> None:
    """Delete the sign-in codes sent to any of the customer's numbers."""
    phones = _phones(customer)
    if phones:
        LoginCode.objects.filter(phone__in=phones).delete()
