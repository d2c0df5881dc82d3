from django.conf import settings
from django.db import models
from django.utils import timezone

from caredesk.lib.models import staff_member


class Backup(models.Model):
    """One run of `caredesk backup` (by an operator or the worker's schedule): where the
    archive went, how big it is and what it holds. The archive itself lives on disk; this row
    is what the admins' backup page shows, and what retention prunes against."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        COMMAND = "command", "caredesk backup"
        SCHEDULE = "schedule", "Worker schedule"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.COMMAND)
    engine = models.CharField(max_length=20, blank=True)
    path = models.CharField(max_length=500, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    rows = models.BigIntegerField(null=True, blank=True)
    files = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["started_at"], name="privacy_backup_started_idx"),
            models.Index(fields=["status", "started_at"], name="privacy_backup_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Backup {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class CustomerExport(models.Model):
    """One request for a customer's data export (JSON document and PDF), produced in the
    background. The files live in Django's default storage under `exports/`."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="privacy_exports"
    )
    requested_by = staff_member(blank=False)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    json_file = models.CharField(max_length=300, blank=True)
    pdf_file = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["customer", "requested_at"], name="privacy_export_cust_idx"),
        ]

    def __str__(self) -> str:
        return f"Export #{self.pk} ({self.get_status_display()})"


class Erasure(models.Model):
    """A customer's personal data erased on their request, approved by a manager. Holds no
    erased value: only who approved it, when and why (the reason names no personal data)."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.PROTECT, related_name="privacy_erasure"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300)

    def __str__(self) -> str:
        return f"Erasure of {self.customer.member_id}"
