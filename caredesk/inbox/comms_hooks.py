"""Tickets in the comms app: every `ticket.*` event of the customer's recent tickets in the
customer's activity history (index ticket_customer_idx, then audit_target_idx, as a subquery
so the history page spends no query of its own on it), and the files of a staff reply sent
with its email."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from caredesk.comms.regarding import attachment_provider
from caredesk.comms.selectors import history_source
from caredesk.inbox import emails
from caredesk.inbox.models import Attachment, Ticket, Visibility

RECENT_TICKETS = 50


@history_source
def customer_ticket_events(customer) -> Q:
    ids = (
        Ticket.objects.filter(customer=customer)
        .order_by("-created_at")
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")[:RECENT_TICKETS]
    )
    return Q(target_type="inbox.ticket", target_id__in=ids)


@attachment_provider
def reply_attachments(message):
    """The files staff attached to a reply, read from storage when the email is delivered
    (the reply's Message-ID ties the email to its thread message)."""
    if message.template_code != emails.REPLY or not message.message_id:
        return []
    files = []
    for item in Attachment.objects.filter(
        message__email_message_id=message.message_id, message__visibility=Visibility.REPLY
    ).order_by("pk"):
        with item.file.open("rb") as handle:
            files.append((item.name, handle.read(), item.content_type))
    return files
