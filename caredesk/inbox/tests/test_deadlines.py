"""Deadlines follow the business calendar: a change to a calendar's hours or holidays moves
the deadlines of the open tickets counting over it (not those waiting on the customer), with
no ticket event and one calendar event saying how many moved; many tickets are recomputed by
the worker. The property test: after any sequence of calendar changes every open ticket's
deadline is the one computed from scratch over the calendar as it is then."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caredesk.audit.models import Event
from caredesk.branches.models import Branch
from caredesk.inbox import services
from caredesk.inbox.models import Ticket
from caredesk.inbox.services import calendar
from caredesk.inbox.services.tickets import sla_seconds
from caredesk.inbox.sla import DEFAULT_HOURS, Calendar, add_business_seconds
from caredesk.inbox.tasks import deadlines_recompute
from caredesk.lib.events import describe

MNL = ZoneInfo("Asia/Manila")
T = dt.time
TASK = "caredesk.inbox.tasks.deadlines_recompute"
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=MNL)


def _issue(actor, branch, priority="urgent", at=MONDAY_10) -> Ticket:
    """An internal issue filed at `at` (urgent: 4 business hours)."""
    ticket = services.ticket_create(
        actor=actor,
        kind="issue",
        subject="Till is down",
        body="Since opening",
        source="staff",
        priority=priority,
        branch=branch,
    )
    Ticket.objects.filter(pk=ticket.pk).update(created_at=at)
    ticket.refresh_from_db()
    ticket.due_at = services.tickets._due(ticket)
    ticket.save()
    return ticket


def _fresh(*tickets):
    return [Ticket.objects.get(pk=t.pk) for t in tickets]


@pytest.mark.django_db
def test_a_branch_holiday_moves_the_open_deadlines_of_that_branch_only(admin, csr, cebu, davao):
    moving, waiting, closed = _issue(csr, cebu), _issue(csr, cebu), _issue(csr, cebu)
    elsewhere = _issue(csr, davao)
    services.ticket_update(actor=csr, ticket=waiting, expected_version=None, status="waiting")
    services.ticket_update(actor=csr, ticket=closed, expected_version=None, status="closed")
    assert moving.due_at == dt.datetime(2026, 11, 30, 14, 0, tzinfo=MNL)
    versions = {t.pk: t.version for t in _fresh(moving, waiting, closed, elsewhere)}
    ticket_events = Event.objects.filter(target_type="inbox.ticket").count()

    shift = calendar.calendar_holiday_add(
        actor=admin, branch=cebu, day="2026-11-30", name="Cebu fiesta", expected_version=None
    )

    assert (shift.open_tickets, shift.moved) == (1, 1)
    moving, waiting, closed, elsewhere = _fresh(moving, waiting, closed, elsewhere)
    assert moving.due_at == dt.datetime(2026, 12, 1, 13, 0, tzinfo=MNL)  # Tue 09:00 + 4 h
    assert moving.queue_at == moving.due_at  # the inbox queues read the new deadline
    assert waiting.due_at is None and closed.due_at == dt.datetime(2026, 11, 30, 14, tzinfo=MNL)
    assert elsewhere.due_at == dt.datetime(2026, 11, 30, 14, 0, tzinfo=MNL)
    # No per-ticket noise: versions and ticket timelines as they were.
    assert {t.pk: t.version for t in (moving, waiting, closed, elsewhere)} == versions
    assert Event.objects.filter(target_type="inbox.ticket").count() == ticket_events
    event = Event.objects.get(action="calendar.holiday_added")
    assert event.data["deadlines"] == {"open": 1, "moved": 1}
    assert describe(event) == (
        "Holiday Cebu fiesta on Mon 30 Nov 2026 added to branch CEB; "
        "deadlines of 1 of 1 open ticket moved"
    )
    # Removing it brings the deadline back.
    calendar.calendar_holiday_remove(
        actor=admin, branch=cebu, day="2026-11-30", expected_version=None
    )
    assert _fresh(moving)[0].due_at == dt.datetime(2026, 11, 30, 14, 0, tzinfo=MNL)


@pytest.mark.django_db
def test_a_waiting_ticket_resumes_over_the_new_calendar(admin, csr, cebu, monkeypatch):
    ticket = _issue(csr, cebu)
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_10 + dt.timedelta(hours=1))
    services.ticket_update(actor=csr, ticket=ticket, expected_version=None, status="waiting")
    calendar.calendar_hours_set(
        actor=admin, branch=cebu, week={d: [(T(7), T(11))] for d in range(5)}, expected_version=None
    )
    assert _fresh(ticket)[0].due_at is None
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_10 + dt.timedelta(days=1))  # Tue 10:00
    services.ticket_update(actor=csr, ticket=ticket, expected_version=None, status="open")
    ticket = _fresh(ticket)[0]
    # Filed Mon 10:00: the new hours count Mon 10-11 (1 h); it waited Mon 11:00 to Tue 10:00,
    # 3 business hours (Tue 07-10) over the new hours, so 4 + 3 h from filing: Wed 09:00.
    assert ticket.sla_paused_seconds == 3 * 3600
    assert ticket.due_at == dt.datetime(2026, 12, 2, 9, 0, tzinfo=MNL)


@pytest.mark.django_db
def test_default_hours_move_tickets_without_hours_of_their_own(admin, csr, cebu, davao):
    calendar.calendar_hours_set(
        actor=admin, branch=cebu, week={d: [(T(9), T(18))] for d in range(6)}, expected_version=None
    )
    at_cebu, at_davao, nowhere = _issue(csr, cebu), _issue(csr, davao), _issue(csr, None)
    shift = calendar.calendar_hours_set(
        actor=admin, branch=None, week={d: [(T(8), T(11))] for d in range(5)}, expected_version=None
    )
    assert (shift.open_tickets, shift.moved) == (2, 2)
    at_cebu, at_davao, nowhere = _fresh(at_cebu, at_davao, nowhere)
    assert at_cebu.due_at == dt.datetime(2026, 11, 30, 14, 0, tzinfo=MNL)  # its own hours
    assert at_davao.due_at == nowhere.due_at == dt.datetime(2026, 12, 1, 11, 0, tzinfo=MNL)
    # A default holiday closes every branch, Cebu too.
    shift = calendar.calendar_holiday_add(
        actor=admin, branch=None, day="2026-11-30", name="Company day", expected_version=None
    )
    assert (shift.open_tickets, shift.moved) == (3, 3)
    assert _fresh(at_cebu)[0].due_at == dt.datetime(2026, 12, 1, 13, 0, tzinfo=MNL)
    texts = [
        describe(e) for e in Event.objects.filter(action__startswith="calendar.").order_by("seq")
    ]
    assert texts[-2].endswith("; deadlines of 2 of 2 open tickets moved")
    assert texts[-1].endswith("to every branch (default); deadlines of 3 of 3 open tickets moved")


@pytest.mark.django_db
def test_many_open_tickets_are_recomputed_by_the_worker_in_batches(
    admin, csr, cebu, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from caredesk.inbox.services import deadlines

    settings.CAREDESK_SLA_RECOMPUTE_INLINE = 2
    monkeypatch.setattr(deadlines, "BATCH", 2)
    tickets = [_issue(csr, cebu) for _ in range(5)]
    services.ticket_update(actor=csr, ticket=tickets[0], expected_version=None, status="waiting")

    shift = calendar.calendar_holiday_add(
        actor=admin, branch=cebu, day="2026-11-30", name="Cebu fiesta", expected_version=None
    )

    assert (shift.open_tickets, shift.moved) == (4, None)
    change = Event.objects.get(action="calendar.holiday_added")
    assert describe(change).endswith("; deadlines of 4 open tickets being recomputed")
    assert all(t.due_at == dt.datetime(2026, 11, 30, 14, tzinfo=MNL) for t in _fresh(*tickets[1:]))
    task = DBTaskResult.objects.get(task_path=TASK)
    assert task.args_kwargs["args"] == [int(change.target_id), 2, "holidays"]

    assert deadlines_recompute.call(*task.args_kwargs["args"]) == 4
    assert all(t.due_at == dt.datetime(2026, 12, 1, 13, tzinfo=MNL) for t in _fresh(*tickets[1:]))
    assert _fresh(tickets[0])[0].due_at is None
    done = Event.objects.get(action="calendar.deadlines_moved")
    assert done.actor_id is None and done.data["deadlines"] == {"open": 4, "moved": 4}
    assert describe(done) == (
        "After the calendar change of branch CEB: deadlines of 4 of 4 open tickets moved"
    )
    # Run again (a requeued task): nothing more moves, and it says so.
    assert deadlines_recompute.call(*task.args_kwargs["args"]) == 0


@pytest.mark.django_db
def test_the_settings_page_and_the_api_say_how_many_deadlines_moved(
    admin, csr, cebu, web_for, api_for
):
    _issue(csr, cebu)
    answer = web_for(admin).post(
        "/inbox/settings",
        {"op": "holiday_add", "calendar": "CEB", "date": "2026-11-30", "name": "Fiesta"},
        follow=True,
    )
    assert "Fiesta added. Deadlines of 1 of 1 open ticket moved." in answer.content.decode()
    removed = api_for(admin).delete("/api/v1/calendars/CEB/holidays/2026-11-30")
    assert removed.status_code == 200
    assert removed.json()["deadlines"] == {"open_tickets": 1, "moved": 1}
    assert api_for(admin).get("/api/v1/calendars/CEB").json()["deadlines"] is None


# --- Property: recomputed deadlines equal deadlines computed from scratch ---------------------

PATTERNS = [
    ((T(9), T(18)),),
    ((T(8), T(12)), (T(13), T(17))),
    ((T(7), T(11)),),
    ((T(14), T(22)),),
]
weeks = st.dictionaries(st.integers(0, 6), st.sampled_from(PATTERNS), max_size=7)
days = st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
instants = st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 11, 30)).map(
    lambda d: d.replace(tzinfo=MNL)
)
# Where a change goes: 0 = the default calendar, 1 = branch A, 2 = branch B.
changes = st.one_of(
    st.tuples(st.just("hours"), st.integers(0, 2), weeks),
    st.tuples(st.just("holiday_add"), st.integers(0, 2), days),
    st.tuples(st.just("holiday_remove"), st.integers(0, 2), st.integers(0, 50)),
)
ticket_specs = st.lists(
    st.tuples(
        st.integers(0, 2),  # no branch, branch A, branch B
        st.sampled_from(["urgent", "high", "normal", "low"]),
        instants,
        st.integers(0, 40 * 3600),  # business time already spent waiting
        st.sampled_from(["open", "open", "waiting", "resolved"]),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=ticket_specs, steps=st.lists(changes, min_size=1, max_size=4), inline=st.booleans())
def test_after_any_calendar_change_deadlines_equal_a_computation_from_scratch(
    admin, specs, steps, inline
):
    from django.test import override_settings

    with transaction.atomic(), override_settings(CAREDESK_SLA_RECOMPUTE_INLINE=50 if inline else 0):
        branches = [
            None,
            Branch.objects.create(code="PRA", name="A"),
            Branch.objects.create(code="PRB", name="B"),
        ]
        tickets = []
        for where, priority, filed, paused, status in specs:
            ticket = services.ticket_create(
                actor=admin,
                kind="complaint",
                subject="Late",
                body="Late delivery",
                source="staff",
                priority=priority,
                branch=branches[where],
                acknowledge=False,
            )
            ticket.created_at, ticket.sla_paused_seconds, ticket.status = filed, paused, status
            ticket.due_at = None if status == "waiting" else services.tickets._due(ticket)
            ticket.save()
            tickets.append(ticket)
        frozen = {t.pk: t.due_at for t in tickets if t.status != "open"}
        # The model of the calendars: hours per scope (None: no hours of its own), holidays.
        hours = {0: None, 1: None, 2: None}
        holidays: dict[int, dict[dt.date, str]] = {0: {}, 1: {}, 2: {}}
        for op, scope, value in steps:
            branch = branches[scope]
            if op == "hours":
                if scope == 0 and not value:
                    continue  # the default calendar must open one day (a refusal: tested apart)
                calendar.calendar_hours_set(
                    actor=admin,
                    branch=branch,
                    week={d: list(p) for d, p in value.items()},
                    expected_version=None,
                )
                hours[scope] = value or None
            elif op == "holiday_add":
                if value in holidays[scope]:
                    continue
                calendar.calendar_holiday_add(
                    actor=admin, branch=branch, day=value, name="Closed", expected_version=None
                )
                holidays[scope][value] = "Closed"
            else:
                if not holidays[scope]:
                    continue
                day = sorted(holidays[scope])[value % len(holidays[scope])]
                calendar.calendar_holiday_remove(
                    actor=admin, branch=branch, day=day, expected_version=None
                )
                del holidays[scope][day]
            for task in DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at"):
                deadlines_recompute.call(*task.args_kwargs["args"])
                task.delete()

            default_hours = hours[0] or DEFAULT_HOURS
            for ticket in tickets:
                fresh = Ticket.objects.get(pk=ticket.pk)
                if fresh.status != "open":
                    assert fresh.due_at == frozen[fresh.pk]  # waiting or resolved: untouched
                    continue
                where = branches.index(fresh.branch)
                expected = Calendar(
                    hours=(hours[where] if where else None) or default_hours,
                    holidays=frozenset(holidays[0])
                    | (frozenset(holidays[where]) if where else set()),
                    tz=MNL,
                )
                from_scratch = add_business_seconds(
                    expected,
                    fresh.created_at,
                    sla_seconds(fresh.kind, fresh.priority) + fresh.sla_paused_seconds,
                )
                assert fresh.due_at == from_scratch
                assert fresh.queue_at == from_scratch
        transaction.set_rollback(True)
