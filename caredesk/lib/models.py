"""Columns shared by the records more than one person edits, the column naming who did
something, the columns of a write a client may replay, and records written only once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# A money column: pesos with centavos, up to 9,999,999,999.99 (`DecimalField(**MONEY)`).
MONEY = {"max_digits": 12, "decimal_places": 2}


def staff_member(*, blank: bool = True, on_delete=models.PROTECT) -> models.ForeignKey:
    """The staff member who did something to the record, or nobody (a system action). No
    reverse accessor on the user; by default the user cannot be deleted while a record names
    them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=blank, on_delete=on_delete, related_name="+"
    )


def replay_columns() -> tuple[models.CharField, models.CharField, models.JSONField]:
    """The columns that let a client replay a write with its Idempotency-Key
    (`caredesk.lib.idempotency`): the key, the hash of the request and the first answer, as
    `idempotency_key, request_hash, response = replay_columns()`. Pair with
    `replay_key_unique`."""
    return (
        models.CharField(max_length=100, null=True, blank=True),
        models.CharField(max_length=64, blank=True),
        models.JSONField(null=True, blank=True),
    )


def replay_key_unique(name: str) -> models.UniqueConstraint:
    """At most one row per Idempotency-Key; rows written without a key do not count."""
    return models.UniqueConstraint(
        fields=["idempotency_key"], condition=Q(idempotency_key__isnull=False), name=name
    )


class Authored(models.Model):
    """Who created the record and who changed it last, and when."""

    created_by = staff_member(blank=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = staff_member(blank=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class WriteOnce(models.Model):
    """A record written once and then kept as it is: saving it again or deleting it raises
    `refusal` with `edit_refused` or `delete_refused`."""

    refusal: type[Exception] = PermissionError
    edit_refused = "This record is never edited."
    delete_refused = "This record is never deleted."

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.refusal(self.edit_refused)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refusal(self.delete_refused)
