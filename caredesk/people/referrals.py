"""Referral links as customers reach them: `/r/<code>` remembers the code in the session, and
the customer and order creation pages credit what they create to it (`attach`)."""

from django.conf import settings
from django.urls import reverse

SESSION_KEY = "referral_code"


def referral_url(link) -> str:
    return settings.CAREDESK_PUBLIC_URL.rstrip("/") + reverse(
        "people:referral_follow", kwargs={"code": link.code}
    )


def remember(request, code: str) -> None:
    request.session[SESSION_KEY] = code.strip().upper()[:24]


def attach(request, *, customer=None, order=None) -> None:
    """Credit a customer or order just created in this session to the remembered referral
    link, if any (the one-line hook in the customer and order creation views)."""
    code = request.session.get(SESSION_KEY)
    if not code:
        return
    from caredesk.people.services import referral_attribute

    referral_attribute(actor=request.user, code=code, customer=customer, order=order)
