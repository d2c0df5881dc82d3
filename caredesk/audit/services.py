"""Writing the audit/event log. Every state change in Caredesk calls `event_record` inside the
transaction that makes the change, so the event exists exactly when the change does."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from caredesk.audit.models import ChainHead, Event
from caredesk.audit.shredding import reveal, seal
from caredesk.lib import context

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    """JSON-safe copy (Decimals, dates and UUIDs become strings) so what is hashed is exactly
    what the database stores and gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def event_digest(*, prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def hashed_fields(event: Event) -> dict[str, Any]:
    """The fields the hash covers, as stored (sealed values stay sealed: see shredding)."""
    stored = getattr(event, "stored_values", {})
    at = event.at
    if timezone.is_naive(at):
        at = timezone.make_aware(at, UTC)
    return {
        "seq": event.seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": stored.get("target_label", event.target_label),
        "before": stored.get("before", event.before),
        "after": stored.get("after", event.after),
        "reason": stored.get("reason", event.reason),
        "data": stored.get("data", event.data),
        "request_id": event.request_id,
        "ip": event.ip,
    }


def _target_parts(target: models.Model | tuple[str, str, str] | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        return target
    meta = target._meta
    return f"{meta.app_label}.{meta.model_name}", str(target.pk), str(target)[:200]


def event_record(
    *,
    actor,
    action: str,
    target: models.Model | tuple[str, str, str] | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event to the chain. Call it inside the transaction of the change it records.

    `actor` is a user or None (system/guest). `target` is a model instance or a
    `(type, id, label)` tuple. The request id and client IP come from the request context.
    """
    ctx = context.current()
    target_type, target_id, target_label = _target_parts(target)
    # Personal values of events about a customer are stored encrypted (crypto-shredding).
    sealed = seal(
        target=target,
        target_label=target_label,
        before=_plain(before),
        after=_plain(after),
        data=_plain(data),
        reason=reason or "",
    )
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            # First event ever: create the head without racing other first writers.
            ChainHead.objects.bulk_create(
                [ChainHead(pk=1, seq=0, hash=GENESIS)], ignore_conflicts=True
            )
            head = ChainHead.objects.select_for_update().get(pk=1)
        event = Event(
            seq=head.seq + 1,
            at=at or timezone.now(),
            actor=user,
            actor_label=user.get_username() if user else (str(actor) if actor else "system"),
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_label=sealed["target_label"][:200],
            before=sealed["before"],
            after=sealed["after"],
            reason=sealed["reason"],
            data=sealed["data"],
            request_id=ctx.request_id,
            ip=ctx.ip,
            prev_hash=head.hash,
        )
        event.hash = event_digest(prev_hash=head.hash, fields=hashed_fields(event))
        event.save()
        ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    reveal(event)
    return event


def created_with_event(
    model: type[models.Model], *, actor, action: str, after, taken: Exception, **fields
):
    """Create a `model` row with `fields` and record `action` on it (its `after(row)` values)
    in one transaction; raise `taken` instead when a unique column already holds the value."""
    try:
        with transaction.atomic():
            row = model.objects.create(**fields)
            event_record(actor=actor, action=action, target=row, after=after(row))
    except IntegrityError:
        raise taken from None
    return row


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that differ, as (before, after) dicts for an audit event."""
    changed = [k for k in after if _plain(before.get(k)) != _plain(after.get(k))]
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}
