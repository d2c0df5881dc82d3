"""Deadlines follow the business calendar. When an administrator changes a calendar's hours or
holidays, every open ticket that counts over that calendar and is not waiting on the customer
gets the deadline a computation from scratch over the calendar as it now is gives
(`tickets.deadline`: from filing, the SLA target plus the business time already spent waiting).
A waiting ticket has no deadline; its clock resumes over the calendar of that day.

Which tickets count over a calendar: a branch's, the tickets of that branch; the default
calendar's hours, the tickets without a branch and those of branches without hours of their
own; the default calendar's holidays, every ticket.

Up to `CAREDESK_SLA_RECOMPUTE_INLINE` open tickets are recomputed in the calendar change's own
transaction (their rows locked, so a ticket changed at the same moment is computed after the
change or before it, never from a half-changed calendar), and the change's event says how many
deadlines moved. Beyond that the change enqueues `tasks.deadlines_recompute` in the same
transaction (the database task backend: the task exists exactly when the change does), its
event says the deadlines are being recomputed, and the worker recomputes them in batches of
`BATCH` tickets, one transaction each, then records `calendar.deadlines_moved` with the count.
Recomputing is idempotent: a task that runs twice (a worker killed mid-run is requeued) or
after a newer change only ever writes the deadline of the calendar in force. No ticket event
is written and no ticket version moves: the ticket did not change, its calendar did."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Subquery

from caredesk.audit.services import event_record
from caredesk.inbox.events import CalendarEvent
from caredesk.inbox.models import (
    NO_DEADLINE,
    BusinessCalendar,
    BusinessHours,
    Status,
    Ticket,
)
from caredesk.inbox.services.tickets import deadline, sla_targets
from caredesk.inbox.sla import calendar_for

BATCH = 500
HOURS = "hours"
HOLIDAYS = "holidays"


@dataclass(frozen=True)
class DeadlineShift:
    """What a calendar change did to open tickets: `open_tickets` with a deadline that count
    over the calendar, and how many of those deadlines `moved` (None: the worker is
    recomputing them)."""

    open_tickets: int
    moved: int | None

    def as_data(self) -> dict:
        return {"open": self.open_tickets, "moved": self.moved}


def counting_over(row: BusinessCalendar, change: str) -> Q:
    """The tickets whose deadline a change of `change` ("hours" or "holidays") to the
    calendar `row` can move."""
    if row.branch_id is not None:
        return Q(branch_id=row.branch_id)
    if change == HOLIDAYS:
        return Q()
    own = BusinessHours.objects.filter(branch__isnull=False).values("branch_id")
    return Q(branch__isnull=True) | ~Q(branch_id__in=Subquery(own))


def _open(scope: Q):
    return Ticket.objects.filter(scope, is_open__in=[True])


def _recompute(tickets: list[Ticket]) -> tuple[int, int]:
    """Give each ticket with a deadline the one its calendar gives now; (with a deadline,
    moved). The tickets are locked by the caller."""
    targets = sla_targets()
    calendars: dict = {}
    counted, moved = 0, []
    for ticket in tickets:
        if ticket.status == Status.WAITING or ticket.due_at is None:
            continue
        counted += 1
        if ticket.branch_id not in calendars:
            calendars[ticket.branch_id] = calendar_for(ticket.branch)
        due = deadline(ticket, calendars[ticket.branch_id], targets[(ticket.kind, ticket.priority)])
        if due != ticket.due_at:
            ticket.due_at = due
            ticket.queue_fields()
            moved.append(ticket)
    Ticket.objects.bulk_update(moved, ["due_at", "queue_at"], batch_size=BATCH)
    return counted, len(moved)


def _locked_batch(scope: Q, *, after: int = 0, limit: int | None = None) -> list[Ticket]:
    qs = (
        _open(scope)
        .filter(pk__gt=after)
        .select_related("branch")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    return list(qs[:limit] if limit is not None else qs)


def deadlines_follow(row: BusinessCalendar, change: str) -> DeadlineShift:
    """Inside a calendar change's transaction, after its rows are written: move the deadlines
    of the open tickets counting over `row` now, or enqueue the worker to (see the module)."""
    scope = counting_over(row, change)
    limit = settings.CAREDESK_SLA_RECOMPUTE_INLINE
    if _open(scope)[: limit + 1].count() <= limit:
        counted, moved = _recompute(_locked_batch(scope))
        return DeadlineShift(open_tickets=counted, moved=moved)
    from caredesk.inbox.tasks import deadlines_recompute

    deadlines_recompute.enqueue(row.pk, row.version, change)
    with_deadline = _open(scope).filter(queue_at__lt=NO_DEADLINE).count()
    return DeadlineShift(open_tickets=with_deadline, moved=None)


def deadlines_catch_up(*, calendar_id: int, version: int, change: str) -> DeadlineShift:
    """The worker's part: recompute the deadlines counting over calendar `calendar_id` in
    batches, then record how many moved (`calendar.deadlines_moved`, about change `version`)."""
    row = BusinessCalendar.objects.select_related("branch").filter(pk=calendar_id).first()
    if row is None:  # its branch was deleted with it: no ticket counts over it any more
        return DeadlineShift(open_tickets=0, moved=0)
    scope = counting_over(row, change)
    last, counted, moved = 0, 0, 0
    while True:
        with transaction.atomic():
            batch = _locked_batch(scope, after=last, limit=BATCH)
            if not batch:
                break
            last = batch[-1].pk
            c, m = _recompute(batch)
            counted, moved = counted + c, moved + m
    shift = DeadlineShift(open_tickets=counted, moved=moved)
    with transaction.atomic():
        event_record(
            actor=None,
            action=str(CalendarEvent.DEADLINES_MOVED),
            target=row,
            data={
                "branch": row.branch.code if row.branch_id else None,
                "version": version,
                "change": change,
                "deadlines": shift.as_data(),
            },
        )
    return shift
