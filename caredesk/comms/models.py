"""Communications and activity (SPEC §6): email templates, the durable outbox, activity notes.

Activity history is not stored here: it is a view over audit events (`email.queued`,
`note.added`, `customer.*`, order events) that points back to these rows.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from caredesk.lib.models import staff_member


class TemplateCode(models.TextChoices):
    ORDER_CONFIRMATION = "order_confirmation", "Order confirmation"
    ORDER_STATUS_UPDATE = "order_status_update", "Order status update"
    SEND_UPDATE = "send_update", "Send update"
    RESEND_CONFIRMATION = "resend_confirmation", "Resend confirmation"
    PASSWORD_RESET = "password_reset", "Password reset"
    FREE_TEXT = "free_text", "Free text"


# The human name of every template code, shown wherever a template is named; apps that add
# their own codes (the inbox's ticket emails) register theirs here.
TEMPLATE_NAMES: dict[str, str] = dict(TemplateCode.choices)


def template_name(code: str) -> str:
    """The name staff know a template by (never its code)."""
    return TEMPLATE_NAMES.get(code) or code.replace("_", " ").capitalize()


def language_name(locale: str) -> str:
    """The language of a template or message, in words (English, Filipino)."""
    return dict(settings.LANGUAGES).get(locale, locale)


class EmailTemplate(models.Model):
    """One template per (code, locale). Subject, text and HTML bodies are Django template
    source rendered by the sandboxed engine in `caredesk.comms.rendering`; saving goes through
    `email_template_update`, which refuses syntax errors and undocumented variables, so a
    stored template always renders. A missing locale falls back to `en`."""

    code = models.CharField(max_length=40, choices=TemplateCode.choices)
    locale = models.CharField(max_length=5)
    subject = models.CharField(max_length=250)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = staff_member(on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "locale"], name="comms_template_code_locale")
        ]
        ordering = ["code", "locale"]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    @property
    def name(self) -> str:
        return template_name(self.code)

    @property
    def language(self) -> str:
        return language_name(self.locale)


class MessageKind(models.TextChoices):
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat alert"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


CONFIDENTIAL_TEMPLATES = frozenset({"password_reset"})


class OutboundMessage(models.Model):
    """One email or chat alert in the durable outbox.

    Guarantees:
    - The row is written in the same transaction as the action that caused it, so a message
      exists exactly when its action committed. A worker task is enqueued on commit, and the
      periodic sweep picks up any due message whose task was lost, so nothing is stranded.
    - A worker claims a message by setting `status=sending` with a lease (`lease_until`) in
      a short transaction (`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's
      IMMEDIATE transactions serialise claims). A message is claimable only when it is queued
      or failed with `next_attempt_at` due, or sending with an expired lease; a message marked
      `sent` is never claimed again.
    - Each message carries a stable `message_id` (the Message-ID header), fixed at creation.
    - Failures set `status=failed`, `last_error` and `next_attempt_at` (exponential backoff);
      after `CAREDESK_OUTBOX_MAX_ATTEMPTS` no further attempt is made (`next_attempt_at` null).
    - The only possible duplicate: a worker that dies after the mail server accepted the
      message but before it marked the row sent leaves the lease to expire; the next claim
      sends it again, with the same Message-ID, so mail clients can recognise the copy.
    - Retention empties the bodies of old messages (`body_removed_at`); date, recipients,
      subject, flags and regarding stay.
    """

    kind = models.CharField(max_length=5, choices=MessageKind.choices, default=MessageKind.EMAIL)
    status = models.CharField(
        max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbound_messages",
    )
    created_by = staff_member()
    message_id = models.CharField(max_length=200, unique=True)
    from_email = models.CharField(max_length=254, blank=True)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    subject = models.CharField(max_length=250, blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    template_code = models.CharField(max_length=40, blank=True)
    locale = models.CharField(max_length=5, blank=True)
    regarding = models.CharField(
        max_length=40, blank=True, help_text="Order, invoice or payment number."
    )
    # The order this message is about; becomes a foreign key when orders land.
    order_number = models.CharField(max_length=40, null=True, blank=True)
    event_type = models.CharField(max_length=40, blank=True, help_text="Chat alerts only.")

    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    body_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="comms_msg_due_idx"),
            models.Index(fields=["status", "lease_until"], name="comms_msg_lease_idx"),
            models.Index(fields=["customer", "-created_at"], name="comms_msg_customer_idx"),
            models.Index(fields=["-created_at"], name="comms_msg_created_idx"),
            models.Index(fields=["kind", "-created_at"], name="comms_msg_kind_idx"),
            models.Index(
                fields=["created_at"],
                name="comms_msg_retention_idx",
                condition=models.Q(body_removed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}: {self.subject or self.event_type}"

    @property
    def is_confidential(self) -> bool:
        """Carries a secret for the customer alone (a system-generated one-time link, not a
        staff member's own text): staff never see the body, and it is removed once sent."""
        return self.created_by_id is None and self.template_code in CONFIDENTIAL_TEMPLATES

    @property
    def gave_up(self) -> bool:
        from caredesk.comms import policy

        return policy.gave_up(self)

    @property
    def next_try(self):
        """When a failed message is tried again (`comms.policy.next_try`)."""
        from caredesk.comms import policy

        return policy.next_try(self)

    @property
    def status_text(self) -> str:
        from caredesk.comms import policy

        return policy.status_text(self)

    @property
    def template_name(self) -> str:
        return template_name(self.template_code) if self.template_code else ""

    @property
    def language(self) -> str:
        return language_name(self.locale) if self.locale else ""

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc]


class ActivityCode(models.Model):
    """An entry of the admin-managed lists: what kind of contact (activity) and how it ended
    (result). Codes are deactivated, never deleted, so old notes keep their meaning."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", "Activity"
        RESULT = "result", "Result"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    code = models.SlugField(max_length=30)
    label = models.CharField(max_length=80)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="comms_activity_code_unique")
        ]
        ordering = ["kind", "position", "label"]

    def __str__(self) -> str:
        return self.label


class ActivityNote(models.Model):
    """A CSR's note on a customer (and optionally an order): subject, body, activity code and
    result code. Written by `note_add` with its `note.added` audit event."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="activity_notes"
    )
    # The order the note is about; becomes a foreign key when orders land.
    order_number = models.CharField(max_length=40, null=True, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    activity_code = models.ForeignKey(ActivityCode, on_delete=models.PROTECT, related_name="+")
    result_code = models.ForeignKey(ActivityCode, on_delete=models.PROTECT, related_name="+")
    created_by = staff_member(blank=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["customer", "-created_at"], name="comms_note_customer_idx")]

    def __str__(self) -> str:
        return self.subject


class PeriodicJob(models.Model):
    """When a scheduled worker job (outbox sweep, retention) is next due. Workers take a due
    job with a conditional UPDATE, so with many workers each run is enqueued once."""

    name = models.CharField(max_length=40, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
