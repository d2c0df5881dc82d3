"""The customer's tickets in their data export, and their erasure (privacy hooks).

The customer's tickets are those linked to them or to one of their orders. Export: each
ticket, with what the guest wrote and the replies they were sent (internal notes are staff
working notes about the case and stay out), and the names of their attachments. Erase: the
guest's name, email, phone, the subject and every message on those tickets (the guest's words,
the replies that quote or greet them, and internal notes about them) become tombstones and
their uploads are deleted; references, kinds, statuses and dates remain so the inbox figures
stay right."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from caredesk.audit.services import event_record
from caredesk.inbox.models import Attachment, Message, Ticket, Visibility

TOMBSTONE = "[erased]"


def tickets_of(customer):
    """Tickets linked to the customer or to one of their orders."""
    return Ticket.objects.filter(Q(customer=customer) | Q(order__customer=customer))


def export(customer) -> dict:
    tickets = (
        tickets_of(customer).prefetch_related("messages", "attachments").order_by("created_at")
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
    tickets = list(tickets_of(customer))
    if not tickets:
        return
    ids = [t.pk for t in tickets]
    uploads = [a.file.name for a in Attachment.objects.filter(ticket_id__in=ids) if a.file]
    Attachment.objects.filter(ticket_id__in=ids).delete()
    # The files go once the erasure commits (a rolled-back erasure keeps them).
    transaction.on_commit(lambda: _files_delete(uploads))
    Message.objects.filter(ticket_id__in=ids).update(body=TOMBSTONE)
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


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
