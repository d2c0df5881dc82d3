"""Reads for the member snapshot (customer 360): the customer with everything it shows
prefetched, and the histories/timeline as views over audit events and logins."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from caredesk.audit.models import Event
from caredesk.customers.ids import customer_by_member_id
from caredesk.customers.models import (
    Address,
    BlockedMember,
    BlockedValue,
    Card,
    ContactPoint,
    Customer,
    LoginDevice,
    RegisteredPart,
)
from caredesk.customers.services import (
    ADDRESS_ACTIONS,
    BLOCK_ACTIONS,
    CARD_ACTIONS,
    CONTACT_ACTIONS,
    CUSTOMER_TARGET,
    PART_ACTIONS,
    blocklist_hits,
)
from caredesk.customers.values import CardKey
from caredesk.lib.errors import NotFound

LOGINS_SHOWN = 20
RELATED_SHOWN = 20
HISTORY_SHOWN = 25

ACCOUNT_ACTIONS = (
    "customer.created",
    "customer.closed",
    "customer.reopened",
    "customer.password_reset_sent",
    "customer.password_set",
)
# Field-level changes to the profile, its emails/phones and its addresses (the audit history).
PROFILE_ACTIONS = (
    "customer.updated",
    *CONTACT_ACTIONS,
    *ADDRESS_ACTIONS,
    *CARD_ACTIONS,
    *PART_ACTIONS,
    *BLOCK_ACTIONS,
)


def customer_snapshot(member_id: str) -> Customer:
    """The customer with group, branch, addresses (branch/zone), cards, parts, blocked members
    and the latest logins prefetched: a constant number of queries whatever it holds."""
    customer = Customer.objects.select_related("group", "branch").prefetch_related(
        Prefetch(
            "addresses",
            queryset=Address.objects.select_related("branch", "zone").order_by("-is_default", "pk"),
        ),
        Prefetch("contacts", queryset=ContactPoint.objects.order_by("kind", "pk")),
        Prefetch("cards", queryset=Card.objects.order_by("pk")),
        Prefetch("parts", queryset=RegisteredPart.objects.order_by("pk")),
        Prefetch(
            "blocks",
            queryset=BlockedMember.objects.select_related("blocked").order_by("-created_at"),
        ),
        Prefetch(
            "logins",
            queryset=LoginDevice.objects.order_by("-at")[:LOGINS_SHOWN],
            to_attr="recent_logins",
        ),
    )
    customer = customer_by_member_id(member_id, customer)
    if customer is None:
        raise NotFound(f"No customer with member ID {member_id}.")
    return customer


def related_accounts(customer: Customer) -> list[Customer]:
    """Other accounts in the customer's group (household, company, reseller network)."""
    if not customer.group_id:
        return []
    return list(
        Customer.objects.filter(group_id=customer.group_id)
        .exclude(pk=customer.pk)
        .only("member_id", "first_name", "last_name", "company", "account_type", "status")
        .order_by("member_id")[:RELATED_SHOWN]
    )


def customer_blocked_values(customer: Customer) -> list[BlockedValue]:
    """Active blocklist entries matching this customer's emails, phones, cards or login IPs
    (uses the prefetched contacts, cards and recent logins)."""
    logins = getattr(customer, "recent_logins", None)
    if logins is None:
        logins = list(customer.logins.order_by("-at")[:LOGINS_SHOWN])
    contacts = list(customer.contacts.all())
    return blocklist_hits(
        emails=[customer.email] + [c.value for c in contacts if c.kind == ContactPoint.Kind.EMAIL],
        phones=[customer.phone] + [c.value for c in contacts if c.kind == ContactPoint.Kind.PHONE],
        ips=sorted({login.ip for login in logins}),
        cards=[CardKey.of(c) for c in customer.cards.all()],
    )


def customer_events(customer: Customer) -> QuerySet[Event]:
    """All audit events about this customer, newest first (index: target_type, target_id)."""
    return Event.objects.filter(target_type=CUSTOMER_TARGET, target_id=str(customer.pk)).order_by(
        "-seq"
    )


def account_history(customer: Customer) -> QuerySet[Event]:
    """Status and account changes: opened, closed, reopened, password reset."""
    return customer_events(customer).filter(action__in=ACCOUNT_ACTIONS)


def audit_history(customer: Customer) -> QuerySet[Event]:
    """Field-level profile changes (before -> after, who, when), emails, phones and addresses
    included."""
    return customer_events(customer).filter(action__in=PROFILE_ACTIONS)


def safety_history(customer: Customer) -> QuerySet[Event]:
    """FRAUD-STOP closures and refused blocked attempts on this customer."""
    return customer_events(customer).filter(action__startswith="safety.")


def change_rows(event: Event) -> list[dict[str, Any]]:
    """`[{"field", "before", "after"}]` of an update event, for display."""
    before = event.before or {}
    after = event.after or {}
    return [
        {"field": key.replace("_", " "), "before": before.get(key), "after": value}
        for key, value in after.items()
    ]


@dataclass(frozen=True)
class TimelineItem:
    """One line of the merged timeline: an audit event or a customer login."""

    at: datetime
    kind: str  # "event" | "login"
    event: Event | None = None
    login: LoginDevice | None = None

    @property
    def key(self) -> tuple[datetime, int, int]:
        """Sort key, newest first: time, then events before logins, then id."""
        if self.kind == "event":
            return (self.at, 1, self.event.pk)
        return (self.at, 0, self.login.pk)

    @property
    def cursor(self) -> str:
        return f"{self.at.isoformat()}~{self.kind}~{self.key[2]}"


@dataclass(frozen=True)
class TimelinePage:
    items: list[TimelineItem]
    next_cursor: str | None


def _cursor_parse(cursor: str | None) -> tuple[datetime, str, int] | None:
    try:
        at_text, kind, pk = str(cursor or "").split("~")
        at = datetime.fromisoformat(at_text)
        if kind not in ("event", "login") or at.tzinfo is None:
            return None
        return at, kind, int(pk)
    except ValueError:
        return None


def customer_timeline(
    customer: Customer, *, cursor: str | None = None, size: int = 25, with_orders: bool = True
) -> TimelinePage:
    """Events and logins of the customer merged newest first, keyset-paginated by `cursor`
    (time, kind, id: no line is lost or repeated when several share a timestamp). Each source
    is read through its per-customer index. Events include those of the customer's other
    records that modules register as history sources (orders), unless `with_orders` is off
    (the viewer may not see orders)."""
    from caredesk.comms.selectors import customer_history_events

    events = customer_history_events(customer) if with_orders else customer_events(customer)
    events = events.order_by("-at", "-pk")
    logins = LoginDevice.objects.filter(customer=customer).order_by("-at", "-pk")
    after = _cursor_parse(cursor)
    if after is not None:
        at, kind, pk = after
        if kind == "event":
            events = events.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
            logins = logins.filter(at__lte=at)
        else:
            events = events.filter(at__lt=at)
            logins = logins.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    merged = [TimelineItem(e.at, "event", event=e) for e in events[: size + 1]]
    merged += [TimelineItem(x.at, "login", login=x) for x in logins[: size + 1]]
    merged.sort(key=lambda item: item.key, reverse=True)
    page = merged[:size]
    more = len(merged) > size
    return TimelinePage(items=page, next_cursor=page[-1].cursor if more and page else None)


def blocklist_entries(*, kind: str | None = None, active: bool | None = None) -> QuerySet:
    """Blocklist newest first, filtered by kind and active/removed."""
    qs = BlockedValue.objects.select_related("created_by", "removed_by").order_by(
        "-created_at", "-pk"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if active is True:
        qs = qs.filter(removed_at__isnull=True)
    elif active is False:
        qs = qs.filter(removed_at__isnull=False)
    return qs


def blocklist_entry(entry_id: int) -> BlockedValue:
    entry = BlockedValue.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("No such blocklist entry.")
    return entry


def customer_card(customer: Customer) -> dict:
    """What an agent on a call needs first about the customer (the order page's customer
    card): name, member ID, phone in local format with its `tel:` number, email, the default
    address, and the flags `customers.policy` derives (closed, fraud hold, blocked values)."""
    from caredesk.customers import policy
    from caredesk.customers.values import phone_local

    address = (
        customer.addresses.select_related(None).order_by("-is_default", "pk").first()
        if customer.pk
        else None
    )
    return {
        "customer": customer,
        "phone": phone_local(customer.phone),
        "tel": customer.phone,
        "email": customer.email,
        "address": address,
        "badge": policy.badge(customer),
        "flags": policy.flags(customer, customer_blocked_values(customer)),
    }
