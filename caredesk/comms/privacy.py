"""The comms app's part of a customer's data export and erasure: emails sent and notes."""

from django.db.models import Q

from caredesk.comms.models import ActivityNote, MessageKind, MessageStatus, OutboundMessage

ERASED = "(erased)"


def _about(customer) -> tuple[Q, Q]:
    """(messages, notes) to or about the customer: theirs, or naming one of their orders."""
    from caredesk.orders.models import Order

    numbers = Order.objects.filter(customer=customer).values("number")
    return (
        Q(customer=customer) | Q(order_number__in=numbers) | Q(regarding__in=numbers),
        Q(customer=customer) | Q(order_number__in=numbers),
    )


def export(customer) -> dict:
    about_messages, about_notes = _about(customer)
    emails = OutboundMessage.objects.filter(about_messages, kind=MessageKind.EMAIL).order_by(
        "created_at"
    )
    notes = (
        ActivityNote.objects.filter(about_notes)
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
    """Recipients, subjects and bodies of the messages to the customer or about their orders
    (a ticket's emails and the team chat's alerts name the order), and the text of notes about
    them, become tombstones; the rows stay so the history shows that contact happened.
    Messages not yet sent are stopped (failed, no retry): there is no one to send them to."""
    about_messages, about_notes = _about(customer)
    messages = OutboundMessage.objects.filter(about_messages)
    messages.exclude(status=MessageStatus.SENT).update(
        status=MessageStatus.FAILED, next_attempt_at=None, lease_until=None
    )
    messages.update(to=[], cc=[], subject=ERASED, text_body="", html_body="", last_error="")
    ActivityNote.objects.filter(about_notes).update(subject=ERASED, body="")
