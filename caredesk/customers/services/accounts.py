"""Customer accounts (SPEC §2): open, edit, close/reopen, FRAUD-STOP, view-as audit.

Each function checks the actor's capability, validates, writes and records its audit event in
one transaction; nothing is written when any input is refused."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from caredesk.audit.selectors import target_history
from caredesk.audit.services import event_record, field_changes
from caredesk.branches.models import Branch, Zone
from caredesk.customers import policy
from caredesk.customers.ids import customer_by_member_id, member_ids_allocate
from caredesk.customers.models import (
    AccountStatus,
    AccountType,
    Address,
    BlockedValue,
    Card,
    Customer,
    CustomerGroup,
    Locale,
    Plan,
)
from caredesk.customers.services.blocklist import (
    _blocklist_insert,
    _blocklist_value,
    blocklist_enforce,
    fraud_hit_alert,
)
from caredesk.customers.values import (
    CardKey,
    card_validate,
    email_normalise,
    looks_like_card_number,
    phone_normalise,
)
from caredesk.lib.errors import Conflict, Invalid, NotFound
from caredesk.lib.events import describe
from caredesk.lib.permissions import require
from caredesk.lib.policy import enforce
from caredesk.lib.selectors import int_or_none
from caredesk.lib.versions import version_check

CUSTOMER_TARGET = "customers.customer"
COMPANY_TYPES = {AccountType.BUSINESS, AccountType.RESELLER, AccountType.CALL_SHOP}
TEXT_FIELDS = {
    "first_name": 100,
    "last_name": 100,
    "nickname": 100,
    "company": 200,
    "contact_name": 200,
}
FLAG_FIELDS = ("marketing_email", "marketing_sms", "share_with_partners")
ADDRESS_FIELDS = {
    "line1": 200,
    "line2": 200,
    "barangay": 100,
    "city": 100,
    "province": 100,
    "postal_code": 10,
}

# --- Validation helpers (pure: no writes) ------------------------------------------------------


def _text(data: dict, key: str, limit: int, *, field: str | None = None) -> str:
    value = data.get(key)
    text = " ".join(str(value).split()) if value is not None else ""
    if len(text) > limit:
        raise Invalid(f"At most {limit} characters.", field=field or key)
    if looks_like_card_number(text):
        raise Invalid(
            "This looks like a card number; card numbers are never stored.",
            field=field or key,
            code="card_number",
        )
    return text


def _choice(value: Any, choices, *, field: str, default: str) -> str:
    text = str(value).strip() if value not in (None, "") else default
    allowed = [c for c, _ in choices]
    if text not in allowed:
        raise Invalid(f"Choose one of: {', '.join(allowed)}.", field=field)
    return text


def _bool(value: Any, *, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    if str(value).lower() in ("true", "1", "yes", "on"):
        return True
    if str(value).lower() in ("false", "0", "no", "off"):
        return False
    raise Invalid("Use true or false.", field=field)


def _address_clean(raw: Any, *, field: str = "address") -> dict:
    """An address dict with its branch (code) and optional zone (code) resolved."""
    if not isinstance(raw, dict):
        raise Invalid("An address needs at least line1, city and branch.", field=field)
    clean = {k: _text(raw, k, n, field=f"{field}.{k}") for k, n in ADDRESS_FIELDS.items()}
    if not clean["line1"]:
        raise Invalid("Street address (line 1) is required.", field=f"{field}.line1")
    clean["kind"] = _choice(
        raw.get("kind"), Address.Kind.choices, field=f"{field}.kind", default=Address.Kind.HOME
    )
    code = str(raw.get("branch") or "").strip().upper()
    if not code:
        raise Invalid("Choose the branch serving this address.", field=f"{field}.branch")
    branch = Branch.objects.filter(code=code).first()
    if branch is None:
        raise Invalid(f"Unknown branch {code!r}.", field=f"{field}.branch")
    clean["branch"] = branch
    zone_code = str(raw.get("zone") or "").strip().upper()
    clean["zone"] = None
    if zone_code:
        zone = Zone.objects.filter(code=zone_code).first()
        if zone is None or zone.branch_id != branch.pk:
            raise Invalid(
                f"Zone {zone_code!r} is not a zone of branch {code}.", field=f"{field}.zone"
            )
        clean["zone"] = zone
    for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = raw.get(key)
        if value in (None, ""):
            clean[key] = None
            continue
        try:
            number = round(float(value), 6)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high:
            raise Invalid(
                f"{key.capitalize()} must be between {low} and {high}.", field=f"{field}.{key}"
            )
        clean[key] = number
    return clean


def _profile_clean(data: dict, *, current: Customer | None = None) -> dict:
    """Validated profile fields present in `data` (all of them when creating)."""
    creating = current is None
    clean: dict[str, Any] = {}
    if creating or "account_type" in data:
        clean["account_type"] = _choice(
            data.get("account_type"),
            AccountType.choices,
            field="account_type",
            default=AccountType.INDIVIDUAL,
        )
    for key, limit in TEXT_FIELDS.items():
        if creating or key in data:
            clean[key] = _text(data, key, limit)
    for key in ("email", "phone", "call_forwarding_to"):
        if looks_like_card_number(data.get(key)):
            raise Invalid(
                "This looks like a card number; card numbers are never stored.",
                field=key,
                code="card_number",
            )
    if creating or "email" in data:
        clean["email"] = email_normalise(data.get("email") or "")
    if creating or "phone" in data:
        clean["phone"] = phone_normalise(data.get("phone") or "")
    if creating or "call_forwarding_to" in data:
        clean["call_forwarding_to"] = phone_normalise(
            data.get("call_forwarding_to") or "", field="call_forwarding_to"
        )
    if creating or "locale" in data:
        clean["locale"] = _choice(
            data.get("locale"), Locale.choices, field="locale", default=Locale.EN
        )
    if creating or "plan" in data:
        clean["plan"] = _choice(data.get("plan"), Plan.choices, field="plan", default=Plan.NONE)
    if "plan_renews_on" in data:
        value = data.get("plan_renews_on")
        if value in (None, ""):
            clean["plan_renews_on"] = None
        else:
            from datetime import date

            try:
                clean["plan_renews_on"] = (
                    value if isinstance(value, date) else date.fromisoformat(str(value))
                )
            except ValueError:
                raise Invalid("Use a date like 2027-01-31.", field="plan_renews_on") from None
    for key in FLAG_FIELDS:
        if creating or key in data:
            clean[key] = _bool(data.get(key), field=key)

    account_type = clean.get("account_type", current.account_type if current else None)
    company = clean.get("company", current.company if current else "")
    if account_type in COMPANY_TYPES and not company:
        raise Invalid(
            "A business, reseller or call shop account needs a company name.", field="company"
        )
    first = clean.get("first_name", current.first_name if current else "")
    last = clean.get("last_name", current.last_name if current else "")
    if account_type == AccountType.INDIVIDUAL and not (first or last):
        raise Invalid("An individual account needs a first or last name.", field="last_name")
    return clean


def _snapshot_fields(customer: Customer, keys: Iterable[str]) -> dict:
    out = {}
    for key in keys:
        value = getattr(customer, key)
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _address_label(address: Address | None) -> str:
    if address is None:
        return ""
    parts = [str(address)]
    if address.branch_id:
        parts.append(address.branch.code)
    if address.zone_id:
        parts.append(address.zone.code)
    return " · ".join(parts)


# --- Customers ---------------------------------------------------------------------------------


def _group_for(name: str) -> CustomerGroup | None:
    name = " ".join(str(name or "").split())[:150]
    if not name:
        return None
    group = CustomerGroup.objects.filter(name=name).order_by("pk").first()
    return group or CustomerGroup.objects.create(name=name)


def customer_create(*, actor, data: dict, ip: str | None = None) -> Customer:
    """Open an account: validates every field (nothing is written when anything is wrong),
    refuses blocked values (audited, 409), allocates the member ID, creates the group by name,
    the address(es) and cards, and records `customer.created`."""
    require(actor, "create_customer")
    if not isinstance(data, dict):
        raise Invalid("Send the customer as an object.")
    profile = _profile_clean(data)
    raw_addresses = list(data.get("addresses") or [])
    if data.get("address"):
        raw_addresses.insert(0, data["address"])
    addresses = [
        _address_clean(a, field="address" if i == 0 and data.get("address") else f"addresses.{i}")
        for i, a in enumerate(raw_addresses)
    ]
    cards_raw = data.get("cards") or []
    if not isinstance(cards_raw, list):
        raise Invalid("Cards are a list.", field="cards")
    cards = [card_validate(c, field=f"cards.{i}") for i, c in enumerate(cards_raw)]
    group_name = _text(data, "group", 150)

    blocklist_enforce(
        actor=actor,
        action="customer.create",
        emails=[profile["email"]],
        phones=[profile["phone"]],
        ips=[ip] if ip else [],
        cards=cards,
    )

    with transaction.atomic():
        (member_id,) = member_ids_allocate(1)
        now = timezone.now()
        customer = Customer.objects.create(
            member_id=member_id,
            group=_group_for(group_name),
            branch=addresses[0]["branch"] if addresses else None,
            created_at=now,
            updated_at=now,
            last_activity_at=now,
            **profile,
        )
        for i, address in enumerate(addresses):
            Address.objects.create(customer=customer, is_default=i == 0, **address)
        Card.objects.bulk_create([Card(customer=customer, **c.fields()) for c in cards])
        after = _snapshot_fields(customer, ["account_type", *TEXT_FIELDS, "email", "phone"])
        after.update(
            member_id=member_id,
            group=group_name,
            locale=customer.locale,
            addresses=len(addresses),
            cards=[f"{c.brand} {c.last4}" for c in cards],
        )
        event_record(actor=actor, action="customer.created", target=customer, after=after)
    return customer


def _locked(customer: Customer, expected_version: int | None) -> Customer:
    current = Customer.objects.select_for_update().get(pk=customer.pk)
    if expected_version is not None and int(expected_version) != current.version:
        last = (
            target_history(CUSTOMER_TARGET, customer.pk)
            .filter(action__startswith="customer.")
            .exclude(action="customer.viewed_as")
            .only("actor_label", "at")
            .first()
        )
        version_check(
            current.version,
            expected_version,
            what="This customer",
            by=last.actor_label if last else "",
            at=last.at if last else None,
        )
    return current


def _customer_changed(
    *, actor, current: Customer, action: str, before: dict, after: dict, fields=()
) -> None:
    """One of the customer's rows (an email, address, card, part, block) changed: bump the
    customer's version and `updated_at`, save them with `fields`, and record the event, in the
    caller's transaction (after `_locked`)."""
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["version", "updated_at", *fields])
    event_record(actor=actor, action=action, target=current, before=before, after=after)


def _row_of(rows, raw_id, missing: str):
    """The row of `rows` (a customer's related manager or queryset) with primary key
    `raw_id`, or NotFound with `missing` (also for an id that is not a number)."""
    pk = int_or_none(raw_id)
    row = rows.filter(pk=pk).first() if pk is not None else None
    if row is None:
        raise NotFound(missing)
    return row


UPDATABLE = {
    "account_type",
    *TEXT_FIELDS,
    "email",
    "phone",
    "call_forwarding_to",
    "locale",
    "plan",
    "plan_renews_on",
    *FLAG_FIELDS,
}


def customer_update(
    *, actor, customer: Customer, changes: dict, expected_version: int | None = None
) -> Customer:
    """Change profile fields (contact data, names, locale, privacy preferences, plan, call
    forwarding, the default address and the group). Refuses a stale `expected_version` (412,
    naming who changed it and when); records `customer.updated` with before/after of the
    fields that really changed, and bumps `version` only when something did."""
    require(actor, "edit_customer")
    if not isinstance(changes, dict):
        raise Invalid("Send the changes as an object.")
    unknown = set(changes) - UPDATABLE - {"address", "group"}
    if unknown:
        raise Invalid(
            f"These fields cannot be changed here: {', '.join(sorted(unknown))}.",
            field=sorted(unknown)[0],
        )
    profile = _profile_clean({k: v for k, v in changes.items() if k in UPDATABLE}, current=customer)
    address = _address_clean(changes["address"]) if changes.get("address") else None
    group_name = _text(changes, "group", 150) if "group" in changes else None

    new_email = profile.get("email")
    new_phone = profile.get("phone")
    blocklist_enforce(
        actor=actor,
        action="customer.update",
        target=customer,
        emails=[new_email] if new_email and new_email != customer.email else [],
        phones=[new_phone] if new_phone and new_phone != customer.phone else [],
    )

    with transaction.atomic():
        current = _locked(customer, expected_version)
        for kind, value in (("email", new_email), ("phone", new_phone)):
            if (
                value
                and value != getattr(current, kind)
                and current.contacts.filter(kind=kind, value=value).exists()
            ):
                what = "email address" if kind == "email" else "phone number"
                raise Conflict(
                    f"This {what} is already one of the customer's additional ones: "
                    "make that one primary instead.",
                    code="duplicate_contact",
                    field=kind,
                )
        before = _snapshot_fields(current, profile)
        for key, value in profile.items():
            setattr(current, key, value)
        after = _snapshot_fields(current, profile)
        if group_name is not None:
            before["group"] = current.group.name if current.group_id else ""
            current.group = _group_for(group_name)
            after["group"] = current.group.name if current.group else ""
        if address is not None:
            existing = (
                current.addresses.select_related("branch", "zone")
                .order_by("-is_default", "pk")
                .first()
            )
            before["address"] = _address_label(existing)
            if existing is None:
                existing = Address(customer=current, is_default=True)
            for key, value in address.items():
                setattr(existing, key, value)
            after["address"] = _address_label(existing)
        if current.account_type in COMPANY_TYPES and not current.company:
            raise Invalid(
                "A business, reseller or call shop account needs a company name.",
                field="company",
            )
        before, after = field_changes(before, after)
        if not after:
            return current
        if address is not None and "address" in after:
            existing.save()
            if existing.is_default and current.branch_id != existing.branch_id:
                current.branch = existing.branch
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        event_record(
            actor=actor, action="customer.updated", target=current, before=before, after=after
        )
    return current


def _reason(reason: str, what: str) -> str:
    text = " ".join(str(reason or "").split())
    if not text:
        raise Invalid(f"Give a reason for {what}.", field="reason")
    return text[:200]


def _close(*, actor, current: Customer, reason: str, source: str = "") -> None:
    before = {"status": current.status}
    current.status = AccountStatus.CLOSED
    current.closed_reason = reason
    current.closed_at = timezone.now()
    current.version += 1
    current.updated_at = current.closed_at
    current.save()
    event_record(
        actor=actor,
        action="customer.closed",
        target=current,
        before=before,
        after={"status": current.status},
        reason=reason,
        data={"source": source} if source else None,
    )


def customer_close(
    *, actor, customer: Customer, reason: str, expected_version: int | None = None
) -> Customer:
    """Close an open account with a reason (account history: `customer.closed`)."""
    enforce(policy.close(actor, customer))
    reason = _reason(reason, "closing the account")
    with transaction.atomic():
        current = _locked(customer, expected_version)
        enforce(policy.close(actor, current))
        _close(actor=actor, current=current, reason=reason)
    return current


def customer_reopen(
    *, actor, customer: Customer, reason: str, expected_version: int | None = None
) -> Customer:
    """Reopen a closed account with a reason (`customer.reopened`). An account closed by
    FRAUD-STOP may only be reopened by someone who may use FRAUD-STOP; reopening lifts the
    fraud hold (the blocklist entries stay until removed)."""
    reason = _reason(reason, "reopening the account")
    with transaction.atomic():
        current = _locked(customer, expected_version)
        enforce(policy.reopen(actor, current))
        before = {"status": current.status, "fraud_hold": current.fraud_hold}
        current.status = AccountStatus.OPEN
        current.closed_reason = ""
        current.closed_at = None
        current.fraud_hold = False
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        event_record(
            actor=actor,
            action="customer.reopened",
            target=current,
            before=before,
            after={"status": current.status, "fraud_hold": False},
            reason=reason,
        )
    return current


def customer_fraud_stop(*, actor, customer: Customer, reason: str) -> Customer:
    """FRAUD-STOP (SPEC §7): block every IP the customer signed in from and every card on
    file, close the account with the reason and set the fraud hold, all at once; writes
    `safety.fraud_stop` (safety history, source "FRAUD-STOP by <user>")."""
    enforce(policy.fraud_stop(actor, customer))
    reason = _reason(reason, "FRAUD-STOP")
    source = f"FRAUD-STOP by {actor.get_username()}"
    with transaction.atomic():
        current = _locked(customer, None)
        ips = sorted(set(current.logins.values_list("ip", flat=True)))
        cards = [CardKey.of(c) for c in current.cards.all()]
        entry_reason = f"{source}: {current.member_id}: {reason}"[:500]
        blocked = []
        for ip in ips:
            value, start, end = _blocklist_value(BlockedValue.Kind.IP, ip)
            blocked.append(
                _blocklist_insert(
                    actor=actor,
                    kind="ip",
                    value=value,
                    start=start,
                    end=end,
                    reason=entry_reason,
                    refuse_duplicate=False,
                )
            )
        for card in cards:
            blocked.append(
                _blocklist_insert(
                    actor=actor,
                    kind="card",
                    value=card.value,
                    start="",
                    end="",
                    reason=entry_reason,
                    refuse_duplicate=False,
                )
            )
        was_open = current.status == AccountStatus.OPEN
        if was_open:
            _close(actor=actor, current=current, reason=reason, source=source)
        current.fraud_hold = True
        current.save(update_fields=["fraud_hold"])
        stopped = event_record(
            actor=actor,
            action="safety.fraud_stop",
            target=current,
            before={"status": AccountStatus.OPEN if was_open else AccountStatus.CLOSED},
            after={"status": current.status, "fraud_hold": True},
            reason=reason,
            data={
                "source": source,
                "blocked": [{"kind": b.kind, "value": b.display_value} for b in blocked],
            },
        )
        fraud_hit_alert(f"{describe(stopped)}. Reason: {reason}")
    return current


def customer_viewed_as(*, actor, customer: Customer) -> None:
    """Record that `actor` opened the customer-facing view of this account."""
    enforce(policy.view_as(actor, customer))
    with transaction.atomic():
        event_record(actor=actor, action="customer.viewed_as", target=customer)


def customer_get(member_id: str) -> Customer:
    customer = customer_by_member_id(member_id)
    if customer is None:
        raise NotFound(f"No customer with member ID {member_id}.")
    return customer
