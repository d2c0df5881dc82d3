"""Inboxes and tickets (SPEC §5): one ticket engine for complaints, after-sales service
requests, job applications and the internal issue tracker, plus the settings admins keep
(positions, business hours, holidays, SLA targets).

A ticket's history is not stored here: it is the audit events targeting the ticket
(`ticket.*`, see `events.py`); messages and attachments are the thread's content.
"""

import datetime as dt

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from caredesk.lib.models import staff_member


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    SERVICE = "service", "Service request"
    CAREER = "career", "Job application"
    ISSUE = "issue", "Internal issue"


# Reference prefix per kind: C-000123, S-000045, J-000007, I-000310.
PREFIX = {Kind.COMPLAINT: "C", Kind.SERVICE: "S", Kind.CAREER: "J", Kind.ISSUE: "I"}


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    WAITING = "waiting", "Waiting on customer"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class ReferenceCounter(models.Model):
    """The last reference number handed out for a kind. Allocation locks this row inside the
    ticket's transaction, so references are gapless and unique across processes."""

    kind = models.CharField(max_length=10, choices=Kind.choices, primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Position(models.Model):
    """An open job offered on `/careers/apply`; admins keep the list."""

    title = models.CharField(max_length=120)
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class BusinessCalendar(models.Model):
    """The version of one branch's opening hours and holidays (no branch: the default
    calendar, whose hours serve branches without their own and whose holidays close every
    branch). The rows themselves are `BusinessHours` and `Holiday`; every change to them goes
    through `services.calendar` under this row's lock and bumps `version` (API `If-Match`)."""

    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = staff_member(on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            # One calendar per branch and one default (NULL branch counted as 0).
            models.UniqueConstraint(
                Coalesce("branch", models.Value(0)), name="business_calendar_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar of {self.branch.code}" if self.branch_id else "Default calendar"


class BusinessHours(models.Model):
    """Opening hours of a branch on a weekday (0 = Monday); rows with no branch are the
    default for branches without their own. A weekday without a row is closed."""

    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField()
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["branch_id", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="hours_weekday"),
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="hours_closes_after_opens"
            ),
        ]


class Holiday(models.Model):
    """A day the branch is closed (no branch: every branch)."""

    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "date"], name="holiday_branch_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SlaTarget(models.Model):
    """Business hours within which a ticket of this kind and priority is to be resolved."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    priority = models.CharField(max_length=8, choices=Priority.choices)
    hours = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "priority"], name="sla_kind_priority"),
            models.CheckConstraint(condition=models.Q(hours__gte=1), name="sla_hours_positive"),
        ]


NO_DEADLINE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)


class Ticket(models.Model):
    """A complaint, service request, job application or internal issue.

    Guarantees kept by the services: `status` moves only along `policy.TRANSITIONS`;
    `version` grows by one per change and each change writes one `ticket.*` event; `due_at`
    is the SLA deadline: `SlaTarget.hours` plus the business time spent waiting on the customer
    (`sla_paused_seconds`), counted from `created_at` over the branch's business hours; None
    while waiting (since `sla_paused_at`).
    """

    reference = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    subject = models.CharField(max_length=200)
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = staff_member()
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    # The guest as they introduced themselves (a customer may not exist for them).
    guest_name = models.CharField(max_length=150, blank=True)
    guest_email = models.EmailField(blank=True)
    guest_phone = models.CharField(max_length=20, blank=True)
    locale = models.CharField(max_length=5, default="en")
    tags = models.JSONField(default=list, blank=True)

    follow_up_on = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # Kept by save() for the inbox queues (index-ordered on both databases): open or not, and
    # the deadline with "none" as the far future so it sorts last.
    is_open = models.BooleanField(default=True)
    queue_at = models.DateTimeField(default=NO_DEADLINE)
    priority_rank = models.PositiveSmallIntegerField(default=1)  # urgent 3 ... low 0
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    created_by = staff_member()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The inbox queues: open tickets of a kind / of an agent, soonest deadline first.
            models.Index(
                fields=["kind", "is_open", "queue_at", "-id"], name="ticket_kind_queue_idx"
            ),
            models.Index(
                fields=["assignee", "is_open", "queue_at", "-id"], name="ticket_assignee_queue_idx"
            ),
            models.Index(fields=["is_open", "queue_at", "-id"], name="ticket_queue_idx"),
            models.Index(
                fields=["kind", "is_open", "-priority_rank", "queue_at", "-id"],
                name="ticket_kind_priority_idx",
            ),
            models.Index(fields=["kind", "status", "due_at"], name="ticket_kind_status_due_idx"),
            models.Index(fields=["kind", "-updated_at"], name="ticket_kind_updated_idx"),
            models.Index(fields=["-updated_at"], name="ticket_updated_idx"),
            models.Index(fields=["branch", "is_open", "queue_at"], name="ticket_branch_queue_idx"),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer_idx"),
            models.Index(fields=["order", "-created_at"], name="ticket_order_idx"),
            models.Index(fields=["source_ip", "created_at"], name="ticket_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"[:200]

    def save(self, *args, **kwargs):
        self.queue_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "is_open",
                "queue_at",
                "priority_rank",
            }
        super().save(*args, **kwargs)

    def queue_fields(self) -> None:
        """Derive `is_open`, `queue_at` and `priority_rank` from status, deadline, priority."""
        self.is_open = self.status in OPEN_STATUSES
        self.queue_at = self.due_at or NO_DEADLINE
        self.priority_rank = PRIORITY_RANK.get(self.priority, 1)


class Visibility(models.TextChoices):
    GUEST = "guest", "From the guest"
    REPLY = "reply", "Reply to the guest"
    INTERNAL = "internal", "Internal note"


class Message(models.Model):
    """One entry of a ticket's thread: the guest's words, a staff reply emailed to the guest,
    or an internal note the guest never sees."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    author = staff_member()
    body = models.TextField()
    email_message_id = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticket_message_idx")]

    @property
    def author_label(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        if self.visibility == Visibility.INTERNAL:
            return "Caredesk"  # written by the system, e.g. files not kept from an email
        return self.ticket.guest_name or "Guest"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    import uuid

    return f"tickets/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A checked upload (PDF, DOCX, JPEG, PNG, WebP by content) stored through Django's
    storage API under a random name; always downloaded, never shown inline."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class Throttle(models.Model):
    """One public request counted against a rate limit (`key` is e.g. "complaint:<ip>").
    Kept in the database so every web process sees the same counts."""

    key = models.CharField(max_length=120)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="throttle_key_at_idx")]
