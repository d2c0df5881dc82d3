"""The customer's tickets in their data export, and their erasure (privacy hooks).

Export: each ticket the customer is linked to, with what the guest wrote and the replies they
were sent (internal notes are staff working notes about the case and stay out), and the names
of their attachments. Erase: the guest's name, email, phone and words on those tickets become
tombstones and their uploads are deleted; references, kinds, statuses and dates remain so
the inbox figures stay right."""

from caredesk.audit.services import event_record
from caredesk.inbox.models import Attachment, Message, Ticket, Visibility

TOMBSTONE = "[erased]"


def export(customer) -> dict:
    tickets = (
        Ticket.objects.filter(customer=customer)
        .prefetch_related("messages", "attachments")
        .order_by("created_at")
    )
    return {
        "tickets": [
            {
                "reference": t.reference,
                "kind": t.get_kind_display(),
                "status": t.get_status_display(),
                "subject": t.subject,
                "created_at": t.created_at.isoformat(),
                "name": t.guest_name,
                "email": t.guest_email,
                "phone": t.guest_phone,
                "messages": [
                    {
                        "from": "you" if m.visibility == Visibility.GUEST else "us",
                        "at": m.created_at.isoformat(),
                        "body": m.body,
                    }
                    for m in t.messages.all()
                    if m.visibility != Visibility.INTERNAL
                ],
                "attachments": [a.name for a in t.attachments.all()],
            }
            for t in tickets
        ]
    }


def erase(customer, *, actor) -> None:
    """Inside the caller's transaction."""
    tickets = list(Ticket.objects.filter(customer=customer))
    if not tickets:
        return
    ids = [t.pk for t in tickets]
    for item in Attachment.objects.filter(ticket_id__in=ids):
        item.file.delete(save=False)
    Attachment.objects.filter(ticket_id__in=ids).delete()
    Message.objects.filter(ticket_id__in=ids, visibility=Visibility.GUEST).update(body=TOMBSTONE)
    Ticket.objects.filter(pk__in=ids).update(
        guest_name=TOMBSTONE, guest_email="", guest_phone="", subject=TOMBSTONE, source_ip=None
    )
    for ticket in tickets:
        event_record(
            actor=actor,
            action="ticket.erased",
            target=("inbox.ticket", str(ticket.pk), ticket.reference),
            data={"reference": ticket.reference},
        )
