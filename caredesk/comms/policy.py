"""What the communications screens derive from a message or a note, in one place: the tone
and the words of a delivery status, when the next attempt is, the tone of a call's result.
(Who may send or manage templates is a capability, checked by `caredesk.lib.permissions`.)"""

from datetime import datetime

from caredesk.comms.models import ActivityNote, MessageStatus, OutboundMessage

STATUS_TONES = {
    MessageStatus.QUEUED: "",
    MessageStatus.SENDING: "warn",
    MessageStatus.SENT: "ok",
    MessageStatus.FAILED: "danger",
}
# The result of a call or visit: satisfied is good, not satisfied is bad, anything else (left a
# message, call back, ...) still needs someone.
RESULT_TONES = {"satisfied": "ok", "not_satisfied": "danger"}


def gave_up(message: OutboundMessage) -> bool:
    """Failed, and no further attempt is scheduled."""
    return message.status == MessageStatus.FAILED and message.next_attempt_at is None


def next_try(message: OutboundMessage) -> datetime | None:
    """When a failed message is tried again (None when it is not failed or was given up)."""
    return message.next_attempt_at if message.status == MessageStatus.FAILED else None


def status_text(message: OutboundMessage) -> str:
    """The delivery status in words, saying whether a failed message will be retried."""
    if message.status == MessageStatus.FAILED:
        return "Failed, gave up" if gave_up(message) else "Failed, will retry"
    return message.get_status_display()


def status_tone(obj) -> str:
    """The badge tone (`{{ obj|tone }}`) of a message's delivery status or a note's result."""
    if isinstance(obj, OutboundMessage):
        return STATUS_TONES.get(obj.status, "")
    if isinstance(obj, ActivityNote):
        return RESULT_TONES.get(obj.result_code.code, "warn")
    return ""
