"""The comms app's part of a customer's data export and erasure: emails sent and notes."""

from caredesk.comms.models import ActivityNote, MessageKind, MessageStatus, OutboundMessage

ERASED = "(erased)"


def export(customer) -> dict:
    emails = OutboundMessage.objects.filter(customer=customer, kind=MessageKind.EMAIL).order_by(
        "created_at"
    )
    notes = (
        ActivityNote.objects.filter(customer=customer)
        .select_related("activity_code", "result_code", "created_by")
        .order_by("created_at")
    )
    return {
        "emails": [
            {
                "created_at": m.created_at,
                "sent_at": m.sent_at,
                "status": m.get_status_display(),
                "to": m.to,
                "cc": m.cc,
                "subject": m.subject,
                "body": m.text_body
                if not m.body_removed_at
                else "(removed after the retention period)",
                "order_number": m.order_number,
            }
            for m in emails
        ],
        "notes": [
            {
                "created_at": n.created_at,
                "by": n.created_by.get_username() if n.created_by_id else "",
                "subject": n.subject,
                "body": n.body,
                "activity": n.activity_code.label,
                "result": n.result_code.label,
                "order_number": n.order_number,
            }
            for n in notes
        ],
    }


def erase(customer, *, actor) -> None:
    """Recipients, subjects and bodies of the customer's messages, and the text of notes about
    them, become tombstones; the rows stay so the history shows that contact happened.
    Messages not yet sent are stopped (failed, no retry): there is no one to send them to."""
    messages = OutboundMessage.objects.filter(customer=customer)
    messages.exclude(status=MessageStatus.SENT).update(
        status=MessageStatus.FAILED, next_attempt_at=None, lease_until=None
    )
    messages.update(to=[], cc=[], subject=ERASED, text_body="", html_body="", last_error="")
    ActivityNote.objects.filter(customer=customer).update(subject=ERASED, body="")
