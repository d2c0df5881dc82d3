"""The communication event types (the audit `action` codes the comms app writes) and how each
reads on the activity page and the customer's timeline."""

from enum import StrEnum

from caredesk.lib.events import changed, lines, part


class CommsEvent(StrEnum):
    EMAIL_QUEUED = "email.queued"
    EMAIL_SENT = "email.sent"
    EMAIL_FAILED = "email.failed"
    CHAT_QUEUED = "chat.queued"
    CHAT_SENT = "chat.sent"
    CHAT_FAILED = "chat.failed"
    NOTE_ADDED = "note.added"
    TEMPLATE_UPDATED = "email_template.updated"
    ACTIVITY_CODE_CREATED = "activity_code.created"
    ACTIVITY_CODE_UPDATED = "activity_code.updated"
    OUTBOX_RETENTION = "outbox.retention"


def _failed(kind: str):
    def render(event) -> str:
        data = part(event, "data")
        end = "gave up" if data.get("gave_up") else "will retry"
        return f"{kind} “{event.target_label}” failed (attempt {data.get('attempts')}, {end})"

    return render


lines(
    {
        CommsEvent.EMAIL_QUEUED: (
            "Email queued",
            "Email “{data.subject}” queued to {data.to|plain}[ about order {data.order}]",
        ),
        CommsEvent.NOTE_ADDED: ("Note added", "Note “{data.subject}”[ about order {data.order}]"),
        CommsEvent.EMAIL_SENT: ("Email sent", "Email “{target_label}” sent"),
        CommsEvent.CHAT_SENT: ("Chat alert sent", "Chat alert “{target_label}” sent"),
        CommsEvent.EMAIL_FAILED: ("Email failed", _failed("Email")),
        CommsEvent.CHAT_FAILED: ("Chat alert failed", _failed("Chat alert")),
        CommsEvent.CHAT_QUEUED: ("Chat alert queued", "Chat alert queued: {target_label}"),
        CommsEvent.TEMPLATE_UPDATED: (
            "Email template changed",
            "Email template {target_label} changed",
        ),
        CommsEvent.ACTIVITY_CODE_CREATED: (
            "Activity code added",
            "Code {after.code} “{after.label}” added",
        ),
        CommsEvent.ACTIVITY_CODE_UPDATED: (
            "Activity code changed",
            changed("Code {target_label} changed"),
        ),
        CommsEvent.OUTBOX_RETENTION: (
            "Old message bodies removed",
            "Bodies of {data.messages} sent messages older than {data.older_than_days} days "
            "removed",
        ),
    }
)
