"""Idempotent writes: a client's `Idempotency-Key` with the same request returns the first
answer; the same key with another request is refused (409 `idempotency_key_reused`)."""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError

from caredesk.lib.errors import Conflict, Invalid


def idempotency_key_clean(raw: str | None) -> str | None:
    """The key as given, without surrounding spaces; None for no key. At most 100 characters."""
    key = (raw or "").strip() or None
    if key and len(key) > 100:
        raise Invalid("Idempotency-Key is at most 100 characters.", field="idempotency_key")
    return key


def request_fingerprint(**fields) -> str:
    """A stable hash of a request's content, to tell a replay from a reused key."""
    payload = json.dumps({k: str(v) for k, v in sorted(fields.items())}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def idempotent_first(model, key: str, fingerprint: str, what: str):
    """The row of `model` first written with `key`, or None; refused when that row was written
    for another request (`what` names it: "payment", "refund", ...)."""
    first = model.objects.filter(idempotency_key=key).first()
    if first is not None and first.request_hash != fingerprint:
        raise Conflict(
            f"This Idempotency-Key was used for a different {what}.",
            code="idempotency_key_reused",
        )
    return first


@dataclass(frozen=True)
class IdempotentWrite:
    """A write of a `model` row under the client's `key` (None: no key) for the request whose
    hash is `fingerprint`; `what` names the row in the refusal of a reused key."""

    model: type
    key: str | None
    fingerprint: str
    what: str

    def first(self):
        """The row first written with this key, None without a key or before the first write;
        Conflict (409) when that row answered another request."""
        if not self.key:
            return None
        return idempotent_first(self.model, self.key, self.fingerprint, self.what)

    def fields(self) -> dict:
        """The columns a new row keeps so that a replay finds it."""
        return {"idempotency_key": self.key, "request_hash": self.fingerprint if self.key else ""}

    def winner(self, error: IntegrityError):
        """After a unique-key clash, the row the concurrent first write left; `error` again
        when there is none (the clash was about something else)."""
        first = self.first()
        if first is None:
            raise error
        return first
