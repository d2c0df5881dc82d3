"""Tickets in the customer's activity history: every `ticket.*` event of the customer's
recent tickets (index ticket_customer_idx, then audit_target_idx)."""

from django.db.models import Q

from caredesk.comms.selectors import history_source
from caredesk.inbox.models import Ticket

RECENT_TICKETS = 50


@history_source
def customer_ticket_events(customer) -> Q:
    ids = (
        Ticket.objects.filter(customer=customer)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:RECENT_TICKETS]
    )
    return Q(target_type="inbox.ticket", target_id__in=[str(pk) for pk in ids])
