from django.db import models
from django.utils import timezone

from caredesk.lib.models import WriteOnce, staff_member

APPEND_ONLY = "Audit events are append-only."


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def delete(self):
        raise PermissionError(APPEND_ONLY)


class Event(WriteOnce):
    """One thing that happened: who did what to which record, before -> after, and why.

    Append-only and tamper-evident: `seq` is gapless, and `hash` covers this event's content and
    the previous event's hash, so `caredesk audit verify` finds an edited, inserted or deleted
    row. Database triggers refuse UPDATE (and DELETE on PostgreSQL) as a second guard.
    Order timelines, activity histories and audit histories are views over these rows.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now)
    actor = staff_member()
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    edit_refused = delete_refused = APPEND_ONLY

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_idx"),
            models.Index(fields=["actor", "seq"], name="audit_actor_idx"),
            models.Index(fields=["action", "seq"], name="audit_action_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_label}"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Loaded events read decrypted (crypto-shredded values read "erased")."""
        from caredesk.audit.shredding import reveal

        event = super().from_db(db, field_names, values)
        reveal(event)
        return event


class ChainHead(models.Model):
    """The single row holding the last sequence number and hash. Writers lock it, so events
    are chained in one order even with many processes writing at once."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class SubjectKey(models.Model):
    """A customer's key for the personal values of their audit events (AES-256-GCM).
    Erasure sets `key` to NULL (crypto-shredding): the events keep their hashes and order,
    and their personal values can no longer be read by anyone. See `audit.shredding`."""

    customer_id = models.BigIntegerField(unique=True)
    key = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Audit key of customer #{self.customer_id}"
