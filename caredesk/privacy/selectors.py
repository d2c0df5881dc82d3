"""Reads of the privacy app."""

from django.db.models import QuerySet

from caredesk.privacy.models import Backup


def backup_list() -> QuerySet[Backup]:
    """Every backup run, newest first (index on started_at)."""
    return Backup.objects.order_by("-started_at")
