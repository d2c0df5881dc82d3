"""The FRAUD-STOP blocklist (SPEC §7): add, remove, look up, and `blocklist_enforce`, the one
check every path calls (CSR form, API, public forms, orders, card payments) before it opens its
own transaction."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.customers.models import (
    BlockedValue,
    Customer,
)
from caredesk.customers.values import (
    CardKey,
    card_parse,
    card_validate,
    email_normalise,
    ip_hex,
    ip_network,
    ip_normalise,
    ip_range,
    phone_normalise,
)
from caredesk.lib.errors import Conflict, Invalid
from caredesk.lib.permissions import require


def _blocklist_value(kind: str, value: Any) -> tuple[str, str, str]:
    """(normalised value, range_start, range_end) for an entry of `kind`."""
    if kind == BlockedValue.Kind.IP:
        network = ip_network(str(value or ""))
        start, end = ip_range(network)
        if network.num_addresses == 1:
            return str(network.network_address), start, end
        return str(network), start, end
    if kind == BlockedValue.Kind.EMAIL:
        email = email_normalise(str(value or ""), field="value")
        if not email:
            raise Invalid("Enter the email address to block.", field="value")
        return email, "", ""
    if kind == BlockedValue.Kind.PHONE:
        phone = phone_normalise(str(value or ""), field="value")
        if not phone:
            raise Invalid("Enter the phone number to block.", field="value")
        return phone, "", ""
    if kind == BlockedValue.Kind.CARD:
        key = value if isinstance(value, CardKey) else None
        if key is None and isinstance(value, dict):
            key = card_validate(value, field="value")
        if key is None:
            key = card_parse(str(value or ""))
        return key.value, "", ""
    raise Invalid("Kind must be one of: ip, card, email, phone.", field="kind")


def blocklist_add(*, actor, kind: str, value: Any, reason: str = "") -> BlockedValue:
    """Block a value. The value is normalised first; blocking a value that is already actively
    blocked is refused (Conflict) so the list holds one live entry per value."""
    require(actor, "manage_blocklist")
    kind = str(kind or "").strip().lower()
    normalised, start, end = _blocklist_value(kind, value)
    reason = " ".join(str(reason or "").split())[:500]
    with transaction.atomic():
        return _blocklist_insert(
            actor=actor,
            kind=kind,
            value=normalised,
            start=start,
            end=end,
            reason=reason,
            refuse_duplicate=True,
        )


def _blocklist_insert(
    *, actor, kind: str, value: str, start: str, end: str, reason: str, refuse_duplicate: bool
) -> BlockedValue:
    existing = BlockedValue.objects.filter(kind=kind, value=value, removed_at__isnull=True).first()
    if existing is not None:
        if refuse_duplicate:
            raise Conflict(f"{existing} is already blocked.", code="already_blocked")
        return existing
    entry = BlockedValue.objects.create(
        kind=kind, value=value, range_start=start, range_end=end, reason=reason, created_by=actor
    )
    event_record(
        actor=actor,
        action="blocklist.added",
        target=entry,
        after={"kind": kind, "value": entry.display_value},
        reason=reason,
    )
    return entry


def blocklist_remove(*, actor, entry: BlockedValue, reason: str) -> BlockedValue:
    """End a block. The row stays (who removed it, when, why); a reason is required."""
    require(actor, "manage_blocklist")
    reason = " ".join(str(reason or "").split())[:500]
    if not reason:
        raise Invalid("Say why this value is no longer blocked.", field="reason")
    with transaction.atomic():
        entry = BlockedValue.objects.select_for_update().get(pk=entry.pk)
        if entry.removed_at is not None:
            raise Conflict("This entry was already removed.", code="already_removed")
        entry.removed_at = timezone.now()
        entry.removed_by = actor
        entry.removed_reason = reason
        entry.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        event_record(
            actor=actor,
            action="blocklist.removed",
            target=entry,
            before={"kind": entry.kind, "value": entry.display_value},
            reason=reason,
        )
    return entry


def blocklist_hits(
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    ips: Iterable[str] = (),
    cards: Iterable[CardKey | dict] = (),
) -> list[BlockedValue]:
    """Active entries matching any of the given values (read-only). Values are normalised
    here; ones that do not parse cannot be blocked and are skipped."""
    condition = Q()
    email_values = {e.strip().lower() for e in emails if e and e.strip()}
    phone_values = set()
    for phone in phones:
        try:
            if normalised := phone_normalise(phone or ""):
                phone_values.add(normalised)
        except Invalid:
            continue
    card_values = set()
    for card in cards:
        try:
            key = card if isinstance(card, CardKey) else card_validate(card)
        except Invalid:
            continue
        card_values.add(key.value)
    if email_values:
        condition |= Q(kind=BlockedValue.Kind.EMAIL, value__in=email_values)
    if phone_values:
        condition |= Q(kind=BlockedValue.Kind.PHONE, value__in=phone_values)
    if card_values:
        condition |= Q(kind=BlockedValue.Kind.CARD, value__in=card_values)
    for ip in ips:
        try:
            point = ip_hex(ip_network(ip_normalise(ip or "")).network_address)
        except Invalid:
            continue
        condition |= Q(kind=BlockedValue.Kind.IP, range_start__lte=point, range_end__gte=point)
    if not condition:
        return []
    return list(
        BlockedValue.objects.filter(condition, removed_at__isnull=True).order_by("created_at")
    )


def fraud_hit_alert(text: str) -> None:
    """Tell the team chat about a fraud hit (event type `fraud_hit`, when configured), through
    the durable outbox in the caller's transaction."""
    from caredesk.comms.services import chat_alert

    chat_alert(event_type="fraud_hit", text=text)


def blocklist_enforce(
    *,
    actor,
    action: str,
    target: Customer | None = None,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    ips: Iterable[str] = (),
    cards: Iterable[CardKey | dict] = (),
) -> None:
    """The one FRAUD-STOP check. When any value is blocked: records `safety.blocked_attempt`
    (on the customer's safety history when `target` is a customer) in its own committed
    transaction, then raises `Conflict(code="blocked")`. Call it before opening your own
    transaction so the refusal's audit entry survives the refusal."""
    hits = blocklist_hits(emails=emails, phones=phones, ips=ips, cards=cards)
    if not hits:
        return
    kinds = sorted({h.get_kind_display().lower() for h in hits})
    with transaction.atomic():
        event_record(
            actor=actor,
            action="safety.blocked_attempt",
            target=target,
            reason=f"Blocked {', '.join(kinds)} on {action}",
            data={
                "attempted": action,
                "entries": [{"id": h.pk, "kind": h.kind, "value": h.display_value} for h in hits],
            },
        )
        who = target.member_id if target is not None else "a new account"
        fraud_hit_alert(f"FRAUD-STOP: blocked {', '.join(kinds)} on {action} ({who}).")
    raise Conflict(
        f"Refused: this {' and '.join(kinds)} is on the FRAUD-STOP blocklist. "
        "The attempt has been recorded.",
        code="blocked",
    )
