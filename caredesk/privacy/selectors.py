"""Reads of the privacy app."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from caredesk.privacy.models import Backup, CustomerExport, Erasure


def backup_list() -> QuerySet[Backup]:
    """Every backup run, newest first (index on started_at)."""
    return Backup.objects.order_by("-started_at")


def export_list(customer) -> QuerySet[CustomerExport]:
    """The customer's exports, newest first (index on customer, requested_at)."""
    return (
        CustomerExport.objects.filter(customer=customer)
        .select_related("requested_by", "customer")
        .order_by("-requested_at")
    )


def erasure_of(customer) -> Erasure | None:
    return Erasure.objects.filter(customer=customer).select_related("approved_by").first()


def retention_due() -> QuerySet:
    """Closed accounts, closed longer ago than CAREDESK_RETENTION_CLOSED_DAYS and not yet
    erased, oldest first — a list for a person to review; nothing here erases anything."""
    from caredesk.customers.models import AccountStatus, Customer

    cutoff = timezone.now() - timedelta(days=settings.CAREDESK_RETENTION_CLOSED_DAYS)
    return (
        Customer.objects.filter(status=AccountStatus.CLOSED, closed_at__lt=cutoff)
        .filter(privacy_erasure__isnull=True)
        .only(
            "pk",
            "member_id",
            "first_name",
            "last_name",
            "company",
            "account_type",
            "closed_at",
            "closed_reason",
            "last_activity_at",
        )
        .order_by("closed_at", "pk")
    )
