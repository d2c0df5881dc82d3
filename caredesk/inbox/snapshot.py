"""The customer's tickets on the member snapshot (newest first; index ticket_customer_idx)."""

from caredesk.inbox import policy
from caredesk.inbox.models import Ticket

SHOWN = 8


def panels(request, customer) -> list[dict]:
    kinds = policy.kinds_visible(request.user)
    if not kinds:
        return []
    rows = list(
        Ticket.objects.filter(customer=customer, kind__in=kinds)
        .select_related("assignee")
        .order_by("-created_at")[: SHOWN + 1]
    )
    return [
        {
            "template": "inbox/_snapshot_tickets.html",
            "rows": [{"ticket": t, "sla": policy.sla_badge(t)} for t in rows[:SHOWN]],
            "more": len(rows) > SHOWN,
        }
    ]
