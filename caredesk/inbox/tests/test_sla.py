"""SLA arithmetic over business hours and holidays: property tests (hypothesis) and the
cases a CSR would check by hand."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caredesk.inbox.sla import Calendar, add_business_seconds, business_seconds_between

MNL = ZoneInfo("Asia/Manila")
WEEK = {d: ((dt.time(9), dt.time(18)),) for d in range(5)} | {
    5: ((dt.time(9), dt.time(12)),)  # Saturday morning
}
SPLIT = {d: ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))) for d in range(5)}

calendars = st.builds(
    lambda hours, holidays: Calendar(hours=hours, holidays=frozenset(holidays), tz=MNL),
    st.sampled_from([WEEK, SPLIT]),
    st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2027, 3, 31)), max_size=30),
)
instants = st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=MNL)
)
durations = st.integers(min_value=0, max_value=200 * 3600)


def _open_at(cal: Calendar, t: dt.datetime) -> bool:
    """t is inside or at the closing edge of an open interval."""
    local = t.astimezone(cal.tz)
    return any(o < local <= c for o, c in cal.intervals(local.date()))


@settings(max_examples=200, deadline=None)
@given(calendars, instants, durations)
def test_adding_then_measuring_gives_the_same_business_time(cal, start, seconds):
    due = add_business_seconds(cal, start, seconds)
    assert business_seconds_between(cal, start, due) == seconds


@settings(max_examples=150, deadline=None)
@given(calendars, instants, durations, durations)
def test_adding_in_two_steps_equals_adding_once(cal, start, a, b):
    assert add_business_seconds(cal, add_business_seconds(cal, start, a), b) == (
        add_business_seconds(cal, start, a + b)
    )


@settings(max_examples=150, deadline=None)
@given(calendars, instants, durations, durations)
def test_a_longer_target_is_never_due_earlier(cal, start, a, b):
    low, high = sorted((a, b))
    assert add_business_seconds(cal, start, low) <= add_business_seconds(cal, start, high)


@settings(max_examples=150, deadline=None)
@given(calendars, instants, st.integers(min_value=1, max_value=200 * 3600))
def test_a_deadline_falls_in_business_hours_never_on_a_holiday(cal, start, seconds):
    due = add_business_seconds(cal, start, seconds)
    assert _open_at(cal, due)
    assert due.astimezone(cal.tz).date() not in cal.holidays


@settings(max_examples=150, deadline=None)
@given(calendars, instants, instants)
def test_business_time_never_exceeds_wall_time(cal, a, b):
    start, end = sorted((a, b))
    assert 0 <= business_seconds_between(cal, start, end) <= (end - start).total_seconds()


@settings(max_examples=100, deadline=None)
@given(calendars, instants, instants, instants)
def test_business_time_adds_up_over_consecutive_spans(cal, a, b, c):
    x, y, z = sorted((a, b, c))
    assert business_seconds_between(cal, x, z) == (
        business_seconds_between(cal, x, y) + business_seconds_between(cal, y, z)
    )


def test_friday_evening_rolls_over_a_holiday_saturday_to_monday():
    cal = Calendar(hours=WEEK, holidays=frozenset({dt.date(2026, 12, 26)}), tz=MNL)
    friday_5pm = dt.datetime(2026, 12, 25, 17, 0, tzinfo=MNL)  # Friday
    due = add_business_seconds(cal, friday_5pm, 2 * 3600)
    assert due == dt.datetime(2026, 12, 28, 10, 0, tzinfo=MNL)  # Monday 10:00


def test_hours_before_opening_count_from_opening():
    cal = Calendar(hours=SPLIT, tz=MNL)
    monday_6am = dt.datetime(2026, 11, 30, 6, 0, tzinfo=MNL)
    assert add_business_seconds(cal, monday_6am, 5 * 3600) == dt.datetime(
        2026, 11, 30, 14, 0, tzinfo=MNL
    )  # 08-12 then 13-14: lunch does not count


# --- Per-branch calendars ----------------------------------------------------------------------

PATTERNS = [
    ((dt.time(9), dt.time(18)),),
    ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))),
    ((dt.time(7), dt.time(11)),),
    ((dt.time(14), dt.time(22)),),
]
weeks = st.dictionaries(st.integers(0, 6), st.sampled_from(PATTERNS), max_size=7)
holiday_sets = st.frozensets(st.dates(dt.date(2026, 1, 1), dt.date(2027, 3, 31)), max_size=20)


@settings(max_examples=150, deadline=None)
@given(calendars, holiday_sets, instants, st.integers(min_value=1, max_value=200 * 3600))
def test_another_holiday_never_brings_a_deadline_forward(cal, more, start, seconds):
    """A branch's calendar is the default's holidays plus its own: closing one more day can
    only keep or push back a deadline, and leaves it alone when the day is after it."""
    closed = Calendar(hours=cal.hours, holidays=cal.holidays | more, tz=cal.tz)
    due, later = (
        add_business_seconds(cal, start, seconds),
        add_business_seconds(closed, start, seconds),
    )
    assert later >= due
    if all(d > due.astimezone(MNL).date() for d in more - cal.holidays):
        assert later == due


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    default_week=weeks,
    own_week=weeks,
    default_holidays=holiday_sets,
    own_holidays=holiday_sets,
    start=instants,
    seconds=st.integers(min_value=1, max_value=120 * 3600),
)
def test_a_ticket_counts_over_its_branch_calendar_and_others_over_the_default(
    admin, default_week, own_week, default_holidays, own_holidays, start, seconds
):
    """Whatever an administrator keeps: a branch with hours of its own counts over them,
    a branch without counts over the default hours (Monday-Saturday 09:00-18:00 when there
    are none), and every branch skips the default holidays plus its own only."""
    from django.db import transaction

    from caredesk.branches.models import Branch
    from caredesk.inbox.services import calendar
    from caredesk.inbox.sla import DEFAULT_HOURS, calendar_for

    with transaction.atomic():
        own, other = (
            Branch.objects.create(code="PRA", name="Own hours"),
            Branch.objects.create(code="PRB", name="Default hours"),
        )
        week = lambda w: {d: list(p) for d, p in w.items()}  # noqa: E731
        if default_week:
            calendar.calendar_hours_set(
                actor=admin, branch=None, week=week(default_week), expected_version=None
            )
        calendar.calendar_hours_set(
            actor=admin, branch=own, week=week(own_week), expected_version=None
        )
        for branch, days in ((None, default_holidays), (own, own_holidays)):
            for day in days:
                calendar.calendar_holiday_add(
                    actor=admin, branch=branch, day=day, name="Closed", expected_version=None
                )
        default_hours = default_week or DEFAULT_HOURS
        expected = {
            own: Calendar(
                hours=own_week or default_hours,
                holidays=default_holidays | own_holidays,
                tz=MNL,
            ),
            other: Calendar(hours=default_hours, holidays=default_holidays, tz=MNL),
            None: Calendar(hours=default_hours, holidays=default_holidays, tz=MNL),
        }
        for branch, cal in expected.items():
            got = calendar_for(branch)
            assert got.holidays == cal.holidays
            assert add_business_seconds(got, start, seconds) == add_business_seconds(
                cal, start, seconds
            )
        transaction.set_rollback(True)
