"""Tickets in the customer's activity history: every `ticket.*` event of the customer's
recent tickets (index ticket_customer_idx, then audit_target_idx), as a subquery so the
history page spends no query of its own on it."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from caredesk.comms.selectors import history_source
from caredesk.inbox.models import Ticket

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
