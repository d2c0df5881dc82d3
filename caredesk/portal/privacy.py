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


def erase(customer, *, actor) -> None:
    if customer.phone:
        LoginCode.objects.filter(phone=customer.phone).delete()
