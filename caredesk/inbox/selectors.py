"""Ticket reads: the inbox lists (filtered, sorted, index-backed), a ticket with its thread
and timeline, the dashboard queue."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.inbox import policy
from caredesk.inbox.models import Message, Status, Ticket

SORTS = {
    # Overdue and soonest first, no deadline last (queue_at: index-ordered on both databases).
    "due": ("queue_at", "-id"),
    "updated": ("-updated_at", "-pk"),
    "created": ("-created_at", "-pk"),
    "reference": ("-reference",),
    "priority": ("-priority_rank", "queue_at", "-id"),
}
# `is_open IN (1)`, not a bare `is_open`: SQLite uses only an equality (or IN) term as an
# index prefix, so the queues scan ticket_*_queue_idx in order instead of sorting.
OPEN = {"is_open__in": [True]}

SORT_LABELS = {
    "due": "Due soonest",
    "updated": "Last updated",
    "created": "Newest",
    "priority": "Priority",
    "reference": "Reference",
}


def ticket_list(
    *,
    user,
    kind: str | None = None,
    status: str | None = None,
    priority: str | None = None,
    assignee: str | None = None,
    overdue: bool = False,
    branch: str | None = None,
    mine: bool = False,
    q: str | None = None,
    sort: str = "due",
) -> QuerySet[Ticket]:
    """Tickets `user` may see. `status` is a status, or "open" for new/open/waiting (the
    default inbox view), or "all". `assignee` is a username, "me" or "none"."""
    qs = Ticket.objects.select_related("assignee", "customer", "order", "branch").filter(
        kind__in=policy.kinds_visible(user)
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status == "open" or not status:
        qs = qs.filter(**OPEN)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if priority:
        qs = qs.filter(priority=priority)
    if mine or assignee == "me":
        qs = qs.filter(assignee=user)
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee__username=assignee)
    if overdue:
        qs = qs.filter(**OPEN, queue_at__lte=timezone.now())
    if branch:
        qs = qs.filter(branch__code=branch)
    if q:
        text = q.strip()
        if policy_ref(text):
            qs = qs.filter(reference=text.upper())
        else:
            qs = qs.filter(
                Q(subject__icontains=text)
                | Q(guest_email__iexact=text)
                | Q(guest_name__icontains=text)
            )
    return qs.order_by(*SORTS.get(sort, SORTS["due"]))


def policy_ref(text: str) -> bool:
    from caredesk.inbox.services.inbound import REFERENCE

    return bool(REFERENCE.fullmatch(text.strip().upper()))


def ticket_thread(ticket: Ticket) -> list[Message]:
    return list(
        Message.objects.filter(ticket=ticket)
        .select_related("author", "ticket")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def ticket_timeline(ticket: Ticket) -> QuerySet[Event]:
    """The ticket's own events, newest first (its emails read as "Reply emailed" events)."""
    return (
        Event.objects.filter(target_type="inbox.ticket", target_id=str(ticket.pk))
        .exclude(action__startswith="email.")
        .order_by("-seq")
    )


def dashboard_queue(user, *, limit: int = 8) -> list[Ticket]:
    """Open tickets assigned to `user` or to nobody, overdue (soonest deadline) first."""
    qs = (
        Ticket.objects.select_related("assignee")
        .filter(kind__in=policy.kinds_visible(user), **OPEN)
        .filter(Q(assignee=user) | Q(assignee__isnull=True))
        .order_by("queue_at", "-id")
    )
    return list(qs[:limit])
