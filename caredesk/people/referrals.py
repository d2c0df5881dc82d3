"""Referral links as customers reach them: `/r/<code>` remembers the code in the session, and
the customer and order creation pages credit what they create to it (`attach`). API clients
name the code in the body instead (`"referral": "CODE"`, checked by `link_for_code`)."""

from django.conf import settings
from django.urls import reverse

from caredesk.lib.errors import Invalid

SESSION_KEY = "referral_code"
# The member ID of the customer credited in this session: only that customer's order follows.
SESSION_CUSTOMER = "referral_customer"


def referral_url(link) -> str:
    return settings.CAREDESK_PUBLIC_URL.rstrip("/") + reverse(
        "people:referral_follow", kwargs={"code": link.code}
    )


def remember(request, code: str) -> None:
    """A referral link was opened: the next customer (and that customer's order) is its."""
    request.session[SESSION_KEY] = code.strip().upper()[:24]
    request.session.pop(SESSION_CUSTOMER, None)


def attach(request, *, customer=None, order=None) -> None:
    """Credit what was just created in this session to the remembered referral link: the first
    customer opened, and then one order (of that customer, when one was credited). Anything
    created later in the same session is the CSR's own work, not the link's."""
    code = request.session.get(SESSION_KEY)
    if not code:
        return
    from caredesk.people.services import referral_attribute

    credited = request.session.get(SESSION_CUSTOMER)
    if customer is not None:
        if credited:
            return
        referral_attribute(actor=request.user, code=code, customer=customer)
        request.session[SESSION_CUSTOMER] = customer.member_id
    if order is not None:
        if credited and order.customer.member_id != credited:
            return
        referral_attribute(actor=request.user, code=code, order=order)
        request.session.pop(SESSION_KEY, None)
        request.session.pop(SESSION_CUSTOMER, None)


def link_for_code(code: str):
    """The active referral link `code` names; an API body naming another is refused (400)
    before anything is created."""
    from caredesk.people.models import ReferralLink

    link = ReferralLink.objects.filter(code=(code or "").strip().upper(), active=True).first()
    if link is None:
        raise Invalid(f"No active referral link {code}.", field="referral")
    return link
