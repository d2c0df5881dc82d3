"""The customer event types (the audit `action` codes the customers app writes) and how each
reads on the snapshot's timeline and histories, the activity page and chat alerts."""

from enum import StrEnum

from caredesk.lib.events import changed, changes, labelled, lines, part, plain, renders


class CustomerEvent(StrEnum):
    CREATED = "customer.created"
    UPDATED = "customer.updated"
    CLOSED = "customer.closed"
    REOPENED = "customer.reopened"
    PASSWORD_RESET_SENT = "customer.password_reset_sent"  # noqa: S105 (an event code)
    PASSWORD_SET = "customer.password_set"  # noqa: S105 (an event code)
    VIEWED_AS = "customer.viewed_as"
    CONTACT_ADDED = "customer.contact_added"
    CONTACT_CHANGED = "customer.contact_changed"
    CONTACT_REMOVED = "customer.contact_removed"
    CONTACT_MADE_PRIMARY = "customer.contact_made_primary"
    ADDRESS_ADDED = "customer.address_added"
    ADDRESS_CHANGED = "customer.address_changed"
    ADDRESS_REMOVED = "customer.address_removed"
    ADDRESS_MADE_DEFAULT = "customer.address_made_default"
    CARD_ADDED = "customer.card_added"
    CARD_REMOVED = "customer.card_removed"
    PART_REGISTERED = "customer.part_registered"
    PART_CHANGED = "customer.part_changed"
    MEMBER_BLOCKED = "customer.member_blocked"
    MEMBER_UNBLOCKED = "customer.member_unblocked"


class SafetyEvent(StrEnum):
    FRAUD_STOP = "safety.fraud_stop"
    BLOCKED_ATTEMPT = "safety.blocked_attempt"


class BlocklistEvent(StrEnum):
    ADDED = "blocklist.added"
    REMOVED = "blocklist.removed"


# The badge tone of each type on the snapshot's account and safety histories.
TONES = {
    CustomerEvent.CLOSED: "warn",
    CustomerEvent.CREATED: "ok",
    CustomerEvent.REOPENED: "ok",
    SafetyEvent.FRAUD_STOP: "danger",
    SafetyEvent.BLOCKED_ATTEMPT: "danger",
}


def tone(code: str) -> str:
    return TONES.get(code, "")


labelled({CustomerEvent.PASSWORD_SET: "Password set by the customer"})


lines(
    {
        CustomerEvent.CREATED: ("Account opened", "Account {target_label} opened"),
        CustomerEvent.UPDATED: ("Profile changed", changed("Profile changed")),
        CustomerEvent.CLOSED: ("Account closed", "Account closed[ ({data.source})]"),
        CustomerEvent.PASSWORD_RESET_SENT: (
            "Password reset link sent",
            "Password reset link sent to {data.to|plain}",
        ),
        CustomerEvent.VIEWED_AS: ("Viewed as customer", "Account viewed as the customer sees it"),
        BlocklistEvent.ADDED: (
            "Blocked",
            "{after.kind|plain|upper} {after.value|plain} added to the blocklist",
        ),
        BlocklistEvent.REMOVED: (
            "Unblocked",
            "{before.kind|plain|upper} {before.value|plain} removed from the blocklist",
        ),
    }
)


@renders(CustomerEvent.REOPENED, label="Account reopened")
def _reopened(event) -> str:
    if part(event, "before").get("fraud_hold"):
        return "Account reopened; fraud hold lifted"
    return "Account reopened"


def _row_event(verb: str):
    def render(event) -> str:
        before, after = part(event, "before"), part(event, "after")
        if before and after:
            return f"{verb}: {changes(before, after)}"
        side = after or before
        return f"{verb}: {plain(list(side.values()))}" if side else verb

    return render


for _type, _label in [
    (CustomerEvent.CONTACT_ADDED, "Email/phone added"),
    (CustomerEvent.CONTACT_CHANGED, "Email/phone changed"),
    (CustomerEvent.CONTACT_REMOVED, "Email/phone removed"),
    (CustomerEvent.CONTACT_MADE_PRIMARY, "Primary email/phone changed"),
    (CustomerEvent.ADDRESS_ADDED, "Address added"),
    (CustomerEvent.ADDRESS_CHANGED, "Address changed"),
    (CustomerEvent.ADDRESS_REMOVED, "Address removed"),
    (CustomerEvent.ADDRESS_MADE_DEFAULT, "Default address changed"),
    (CustomerEvent.CARD_ADDED, "Card added"),
    (CustomerEvent.CARD_REMOVED, "Card removed"),
    (CustomerEvent.PART_REGISTERED, "Part registered"),
    (CustomerEvent.PART_CHANGED, "Part changed"),
    (CustomerEvent.MEMBER_BLOCKED, "Member blocked"),
    (CustomerEvent.MEMBER_UNBLOCKED, "Member unblocked"),
]:
    renders(_type, label=_label)(_row_event(_label))


@renders(SafetyEvent.FRAUD_STOP, label="FRAUD-STOP")
def _fraud_stop(event) -> str:
    data = part(event, "data")
    blocked = data.get("blocked") or []
    text = f"FRAUD-STOP on {event.target_label}"
    if data.get("source"):
        text = f"{data['source']} on {event.target_label}"
    if blocked:
        text += f": {len(blocked)} value{'s' if len(blocked) != 1 else ''} blocked, account closed"
    return text


@renders(SafetyEvent.BLOCKED_ATTEMPT, label="Blocked attempt")
def _blocked_attempt(event) -> str:
    data = part(event, "data")
    values = [e.get("value") for e in data.get("entries") or [] if isinstance(e, dict)]
    text = "Blocked attempt"
    if values:
        text += f" with {plain(values)}"
    return text
