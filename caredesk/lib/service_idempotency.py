"""The idempotent write of a service: the first row written with a client's key answers every
replay of the same request, also a replay that ran concurrently and lost the unique-key race."""

from dataclasses import dataclass

from django.db import IntegrityError

from caredesk.lib.idempotency import idempotent_first


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
