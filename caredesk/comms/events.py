"""The communication event types (the audit `action` codes the comms app writes) and how each
reads on the activity page and the customer's timeline."""

from enum import StrEnum

from caredesk.lib.events import part, plain, renders, with_changes


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


@renders(CommsEvent.EMAIL_QUEUED, label="Email queued")
def _email_queued(event) -> str:
    data = part(event, "data")
    text = f"Email “{data.get('subject', '')}” queued to {plain(data.get('to'))}"
    if data.get("order"):
        text += f" about order {data['order']}"
    return text


def _sent(kind: str):
    def render(event) -> str:
        return f"{kind} “{event.target_label}” sent"

    return render


def _failed(kind: str):
    def render(event) -> str:
        data = part(event, "data")
        end = "gave up" if data.get("gave_up") else "will retry"
        return f"{kind} “{event.target_label}” failed (attempt {data.get('attempts')}, {end})"

    return render


renders(CommsEvent.EMAIL_SENT, label="Email sent")(_sent("Email"))
renders(CommsEvent.CHAT_SENT, label="Chat alert sent")(_sent("Chat alert"))
renders(CommsEvent.EMAIL_FAILED, label="Email failed")(_failed("Email"))
renders(CommsEvent.CHAT_FAILED, label="Chat alert failed")(_failed("Chat alert"))


@renders(CommsEvent.CHAT_QUEUED, label="Chat alert queued")
def _chat_queued(event) -> str:
    return f"Chat alert queued: {event.target_label}"


@renders(CommsEvent.NOTE_ADDED, label="Note added")
def _note(event) -> str:
    data = part(event, "data")
    text = f"Note “{data.get('subject', '')}”"
    if data.get("order"):
        text += f" about order {data['order']}"
    return text


@renders(CommsEvent.TEMPLATE_UPDATED, label="Email template changed")
def _template(event) -> str:
    return f"Email template {event.target_label} changed"


@renders(CommsEvent.ACTIVITY_CODE_CREATED, label="Activity code added")
def _code_created(event) -> str:
    after = part(event, "after")
    return f"Code {after.get('code')} “{after.get('label')}” added"


@renders(CommsEvent.ACTIVITY_CODE_UPDATED, label="Activity code changed")
def _code_updated(event) -> str:
    return with_changes(f"Code {event.target_label} changed", event)


@renders(CommsEvent.OUTBOX_RETENTION, label="Old message bodies removed")
def _retention(event) -> str:
    data = part(event, "data")
    count, days = data.get("messages"), data.get("older_than_days")
    return f"Bodies of {count} sent messages older than {days} days removed"
