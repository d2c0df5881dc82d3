"""The audit app's part of a customer's data export: the entries about the customer and their
orders, tickets, invoices, quotes, messages and notes, as they read on screen. (Erasure of
audit values is crypto-shredding: see `caredesk.audit.shredding`.)"""

from django.db.models import Q

from caredesk.audit.models import Event
from caredesk.lib.events import describe


def _targets(customer) -> Q:
    """Events about the customer: on their own row, and on their orders, tickets, invoices,
    quotes, messages and notes."""
    from caredesk.billing.models import Invoice, Quote
    from caredesk.comms.models import ActivityNote, OutboundMessage
    from caredesk.inbox.privacy import tickets_of
    from caredesk.orders.models import Order

    records = {
        "orders.order": Order.objects.filter(customer=customer),
        "inbox.ticket": tickets_of(customer),
        "billing.invoice": Invoice.objects.filter(customer=customer),
        "billing.quote": Quote.objects.filter(customer=customer),
        "comms.outboundmessage": OutboundMessage.objects.filter(customer=customer),
        "comms.activitynote": ActivityNote.objects.filter(customer=customer),
    }
    where = Q(target_type="customers.customer", target_id=str(customer.pk))
    for target_type, rows in records.items():
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if ids:
            where |= Q(target_type=target_type, target_id__in=ids)
    return where


def export(customer) -> dict:
    events = Event.objects.filter(_targets(customer)).order_by("seq")
    return {
        "audit_entries": [
            {
                "at": event.at,
                "by": event.actor_label,
                "what": describe(event),
                "record": event.target_label,
                "reason": event.reason,
            }
            for event in events.iterator(chunk_size=1000)
        ]
    }
