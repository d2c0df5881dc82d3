"""Columns shared by the records more than one person edits, and the column naming who did
something."""

from django.conf import settings
from django.db import models
from django.utils import timezone


def staff_member(*, blank: bool = True, on_delete=models.PROTECT) -> models.ForeignKey:
    """The staff member who did something to the record, or nobody (a system action). No
    reverse accessor on the user; by default the user cannot be deleted while a record names
    them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=blank, on_delete=on_delete, related_name="+"
    )


class Authored(models.Model):
    """Who created the record and who changed it last, and when."""

    created_by = staff_member(blank=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = staff_member(blank=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
