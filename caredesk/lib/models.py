"""Columns shared by the records more than one person edits."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Authored(models.Model):
    """Who created the record and who changed it last, and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
