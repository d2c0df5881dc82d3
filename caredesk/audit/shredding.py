"""Crypto-shredding of personal values in the audit log.

The log is append-only and hash-chained, so an erased customer's name cannot be removed from
it. Instead, the personal values of events about a customer are stored encrypted (AES-GCM)
under a key of their own (`SubjectKey`); the chain is computed over what is stored. Erasure
destroys the key: the events stay, the chain still verifies, and the values become unreadable.

What is encrypted (`event_record` calls `seal` — the one place this happens):
- events whose target is the customer or one of their personal records (contact points,
  addresses, cards, parts, devices, blocks, emails, notes): every value of `before`, `after`
  and `data` (but references and codes, `PLAIN_KEYS`), and `reason`; `target_label` becomes
  "Customer M0001234" and the real label travels encrypted in `data` (`_label`);
- events on a customer's ticket: like the above, but the label stays the ticket's reference;
- events on a record that belongs to a customer (an order, a return, a quote, an invoice):
  `reason` and the values under `PERSONAL_KEYS` (free text and contact values: a recipient's
  name, a payment reference, the address an email went to); amounts, statuses and lines stay
  readable with the order, a tax record.
Dict keys never change, so renderers read `event.before["email"]` as before: `reveal` (run
when an event is loaded) decrypts while the key exists and gives `ERASED` after.
"""

import base64
import json
import os
import time
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils import timezone

ERASED = "erased"
PREFIX = "enc1:"
LABEL_KEY = "_label"
_CACHE_SECONDS = 10.0
_cache: dict[int, tuple[float, bytes | None]] = {}

# Keys whose values are references and codes, never personal (an order number, a message or
# note id, a template or activity code): stored readable, so screens can find events by them in
# the database (e.g. the order activity: `data__order`).
PLAIN_KEYS = frozenset(
    {
        "order",
        "message",
        "note",
        "export",
        "version",
        "payment_id",
        "alert_id",
        "template",
        "activity",
        "result",
        "event_type",
        "kind",
        "op",
        "customer",
        "return",
        "run",
        "stop",
        "invoice",
    }
)

# Keys whose values are personal in the events of a record that merely belongs to a customer
# (an order and its payments, deliveries and returns; a quote; an invoice): sealed there too
# (in `before` and `after`; in `data` only those that are not also reference keys).
PERSONAL_KEYS = frozenset(
    {
        "to",
        "cc",
        "email",
        "phone",
        "name",
        "recipient",
        "address",
        "note",
        "notes",
        "message",
        "subject",
        "body",
        "reference",
        "reason",
        "guest_name",
        "guest_email",
        "guest_phone",
    }
)

PERSONAL_TARGETS = {
    "customers.customer",
    "customers.contactpoint",
    "customers.address",
    "customers.card",
    "customers.registeredpart",
    "customers.logindevice",
    "customers.blockedmember",
    "comms.outboundmessage",
    "comms.activitynote",
    "inbox.ticket",
}


def _customer_of(target) -> tuple[int | None, str]:
    """(customer pk, scope) for an event target: scope "all", "reason" or ""."""
    if target is None:
        return None, ""
    if isinstance(target, tuple):
        target_type, target_id = target[0], target[1]
        if target_type == "customers.customer" and str(target_id).isdigit():
            return int(target_id), "all"
        if target_type == "comms.outboundmessage" and str(target_id).isdigit():
            from caredesk.comms.models import OutboundMessage

            pk = (
                OutboundMessage.objects.filter(pk=int(target_id))
                .values_list("customer_id", flat=True)
                .first()
            )
            return pk, "all" if pk else ""
        return None, ""
    label = target._meta.label_lower
    if label == "customers.customer":
        return target.pk, "all"
    customer_id = getattr(target, "customer_id", None)
    if customer_id is None:
        return None, ""
    return customer_id, "all" if label in PERSONAL_TARGETS else "reason"


def _key_for(customer_id: int):
    """The customer's live key row, created on first use; None once destroyed (erased)."""
    from caredesk.audit.models import SubjectKey

    row, _ = SubjectKey.objects.get_or_create(
        customer_id=customer_id, defaults={"key": AESGCM.generate_key(bit_length=256)}
    )
    return row if row.key is not None else None


def _encrypt(key_row, value: Any) -> str:
    nonce = os.urandom(12)
    plain = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    sealed = AESGCM(bytes(key_row.key)).encrypt(nonce, plain, str(key_row.pk).encode())
    return f"{PREFIX}{key_row.pk}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


# A ticket's events name it by its reference (in `data`), a reference like an order number.
TARGET_PLAIN_KEYS = {"inbox.ticket": frozenset({"reference"})}


def _seal_values(key_row, values: dict, plain_keys: frozenset = PLAIN_KEYS) -> dict:
    return {k: v if k in plain_keys else _encrypt(key_row, v) for k, v in values.items()}


def _public_label(target, customer_id: int) -> str:
    """The label a sealed event keeps readable: a ticket's reference, else the member ID."""
    reference = getattr(target, "reference", None) if not isinstance(target, tuple) else None
    if reference:
        return reference
    from caredesk.customers.models import Customer

    member_id = Customer.objects.filter(pk=customer_id).values_list("member_id", flat=True).first()
    return f"Customer {member_id}" if member_id else "Customer"


def seal(*, target, target_label: str, before, after, data, reason: str) -> dict:
    """What `event_record` stores for these values: encrypted when the event is about a
    customer whose key exists, unchanged otherwise (no customer, or already erased)."""
    plain = {
        "target_label": target_label,
        "before": before,
        "after": after,
        "data": data,
        "reason": reason,
    }
    customer_id, scope = _customer_of(target)
    if not scope:
        return plain
    key_row = _key_for(customer_id)
    if key_row is None:
        return plain  # erased: what is written now holds tombstones only
    sealed = dict(plain)
    if reason:
        sealed["reason"] = _encrypt(key_row, reason)
    if scope == "reason":
        for name in ("before", "after", "data"):
            if isinstance(plain[name], dict):
                # In `data` a reference key wins (`message` is then a message's id).
                personal = PERSONAL_KEYS - PLAIN_KEYS if name == "data" else PERSONAL_KEYS
                sealed[name] = {
                    k: _encrypt(key_row, v) if k in personal and v not in ("", None) else v
                    for k, v in plain[name].items()
                }
    if scope == "all":
        sealed["target_label"] = _public_label(target, customer_id)
        for name in ("before", "after"):
            if plain[name] is not None:
                sealed[name] = _seal_values(key_row, plain[name])
        target_type = target[0] if isinstance(target, tuple) else target._meta.label_lower
        plain_keys = PLAIN_KEYS | TARGET_PLAIN_KEYS.get(target_type, frozenset())
        data_values = _seal_values(key_row, plain["data"] or {}, plain_keys)
        if target_label:
            data_values[LABEL_KEY] = _encrypt(key_row, target_label)
        sealed["data"] = data_values or plain["data"]
    return sealed


def _key_bytes(key_id: int, *, fresh: bool = False) -> bytes | None:
    """A key by id, from a short-lived per-process cache (a list of events about one customer
    costs one query, not one per event)."""
    from caredesk.audit.models import SubjectKey

    now = time.monotonic()
    hit = _cache.get(key_id)
    if hit and not fresh and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    key = SubjectKey.objects.filter(pk=key_id).values_list("key", flat=True).first()
    key = bytes(key) if key is not None else None
    _cache[key_id] = (now, key)
    return key


def _decrypt(key: bytes, key_id_text: str, raw: bytes) -> Any:
    return json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], key_id_text.encode()))


def _open(value: Any) -> Any:
    if not (isinstance(value, str) and value.startswith(PREFIX)):
        return value
    try:
        key_id_text, token = value[len(PREFIX) :].split(":", 1)
        raw = base64.urlsafe_b64decode(token)
        key = _key_bytes(int(key_id_text))
        if key is not None:
            try:
                return _decrypt(key, key_id_text, raw)
            except InvalidTag:
                pass  # the cached key is stale (a key id reused after a rollback): ask again
        key = _key_bytes(int(key_id_text), fresh=True)
        return ERASED if key is None else _decrypt(key, key_id_text, raw)
    except Exception:  # a damaged value never breaks a screen; verify reports the tampering
        return ERASED


SEALABLE = ("target_label", "before", "after", "data", "reason")


def _loaded(event) -> list[str]:
    """The sealable fields this instance holds (a query with `.only()` defers some; reading
    a deferred one would load the row again)."""
    return [name for name in SEALABLE if name in event.__dict__]


def is_sealed(event) -> bool:
    loaded = _loaded(event)
    values = [event.reason] if "reason" in loaded else []
    for name in ("before", "after", "data"):
        if name in loaded and isinstance(getattr(event, name), dict):
            values += list(getattr(event, name).values())
    return any(isinstance(v, str) and v.startswith(PREFIX) for v in values)


def reveal(event) -> None:
    """Decrypt a loaded event's values in place (keeping what is stored for the hash)."""
    if not is_sealed(event):
        return
    loaded = _loaded(event)
    event.stored_values = {name: getattr(event, name) for name in loaded}
    for name in ("before", "after"):
        value = getattr(event, name) if name in loaded else None
        if isinstance(value, dict):
            setattr(event, name, {k: _open(v) for k, v in value.items()})
    if "data" in loaded and isinstance(event.data, dict):
        data = {k: _open(v) for k, v in event.data.items()}
        label = data.pop(LABEL_KEY, None)
        if label is not None and "target_label" in loaded:
            event.target_label = label
        event.data = data
    if "reason" in loaded:
        event.reason = _open(event.reason)


def subject_key_destroy(customer) -> None:
    """Destroy the customer's key (erasure): their sealed audit values become unreadable.
    The row stays, keyless, so later events about the tombstoned customer are stored plain."""
    from caredesk.audit.models import SubjectKey

    SubjectKey.objects.update_or_create(
        customer_id=customer.pk, defaults={"key": None, "destroyed_at": timezone.now()}
    )
    for key_id in SubjectKey.objects.filter(customer_id=customer.pk).values_list("pk", flat=True):
        _cache.pop(key_id, None)
