"""The audit app's part of a customer's data export: the entries about the customer and their
orders, as they read on screen. (Erasure of audit values is crypto-shredding: see
`caredesk.audit.shredding`.)"""

from django.db.models import Q

from caredesk.audit.models import Event
from caredesk.lib.events import describe


def export(customer) -> dict:
    from caredesk.orders.models import Order

    order_ids = [
        str(pk) for pk in Order.objects.filter(customer=customer).values_list("pk", flat=True)
    ]
    events = Event.objects.filter(
        Q(target_type="customers.customer", target_id=str(customer.pk))
        | Q(target_type="orders.order", target_id__in=order_ids)
    ).order_by("seq")
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
