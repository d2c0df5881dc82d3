"""The customers app's part of a customer's data export and erasure (privacy hooks)."""

import secrets

from django.db.models import Q
from django.utils import timezone

from caredesk.customers.models import (
    IDENTITY_FIELDS,
    AccountStatus,
    AccountType,
    Address,
    BlockedMember,
    Card,
    ContactPoint,
    Customer,
    CustomerGroup,
    LoginDevice,
)

PROFILE_FIELDS = [
    "member_id",
    "account_type",
    "status",
    "closed_at",
    "closed_reason",
    *IDENTITY_FIELDS,
    "locale",
    "plan",
    "plan_renews_on",
    "marketing_email",
    "marketing_sms",
    "share_with_partners",
    "call_forwarding_to",
    "created_at",
    "last_activity_at",
]


def export(customer: Customer) -> dict:
    """Profile, contact points, addresses, cards (brand, last 4, expiry only), sign-in
    devices, registered parts and blocked members."""
    profile = {name: getattr(customer, name) for name in PROFILE_FIELDS}
    for name in ("account_type", "status", "locale", "plan"):  # words, not codes
        profile[name] = getattr(customer, f"get_{name}_display")()
    profile["branch"] = customer.branch.name if customer.branch_id else None
    profile["group"] = customer.group.name if customer.group_id else None
    return {
        "profile": profile,
        "contact_points": list(customer.contacts.order_by("pk").values("kind", "value", "label")),
        "addresses": list(
            customer.addresses.order_by("pk").values(
                "kind",
                "line1",
                "line2",
                "barangay",
                "city",
                "province",
                "postal_code",
                "is_default",
            )
        ),
        "cards": [
            {
                "brand": card.get_brand_display(),
                "last4": card.last4,
                "expires": f"{card.exp_month:02d}/{card.exp_year}",
                "holder_last_name": card.holder_last_name,
            }
            for card in customer.cards.order_by("pk")
        ],
        "devices": list(customer.logins.order_by("-at").values("device", "user_agent", "ip", "at")),
        "registered_parts": list(
            customer.parts.order_by("pk").values(
                "part_type", "serial", "status", "wear_level", "last_service_on"
            )
        ),
        "blocked_members": list(
            customer.blocks.order_by("pk").values_list("blocked__member_id", flat=True)
        ),
    }


def erase(customer: Customer, *, actor) -> None:
    """Tombstone the personal fields ("Erased customer M0001234"), remove contact points,
    addresses, cards, devices, parts' serials, blocks and the membership of a group (the group
    itself when no one else is in it), and recompute the search columns
    so no search finds the customer by an old name, email, phone or card."""
    ContactPoint.objects.filter(customer=customer).delete()
    Address.objects.filter(customer=customer).delete()
    Card.objects.filter(customer=customer).delete()
    LoginDevice.objects.filter(customer=customer).delete()
    BlockedMember.objects.filter(Q(customer=customer) | Q(blocked=customer)).delete()
    for part in customer.parts.only("pk"):
        type(part).objects.filter(pk=part.pk).update(serial=f"erased-{part.pk}")
    group_id = customer.group_id
    customer.group = None
    customer.account_type = AccountType.INDIVIDUAL
    customer.first_name = "Erased customer"
    customer.last_name = customer.member_id
    for name in ("nickname", "company", "contact_name", "email", "phone", "call_forwarding_to"):
        setattr(customer, name, "")
    customer.password = ""
    customer.password_stamp = secrets.token_hex(8)
    customer.marketing_email = customer.marketing_sms = customer.share_with_partners = False
    if customer.status != AccountStatus.CLOSED:
        customer.status = AccountStatus.CLOSED
        customer.closed_at = timezone.now()
    customer.closed_reason = "Personal data erased on request"
    customer.version += 1
    customer.save()
    if group_id is not None:
        # A household named after the customer, left with no other member, goes too.
        CustomerGroup.objects.filter(pk=group_id, members__isnull=True).delete()
