"""Business calendars kept by administrators: the weekly opening hours and the holidays of each
branch, and the default calendar (hours for branches without their own, holidays that close
every branch). The SLA clock reads them through `sla.calendar_for(ticket.branch)`.

Each write locks the calendar's version row, checks the version the administrator read,
changes the rows, bumps the version, moves the deadlines of the open tickets counting over the
calendar (`services.deadlines`: inline, or queued for the worker when there are many) and
records one `calendar.*` event saying how many moved, in one transaction."""

import datetime as dt
import itertools
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from caredesk.audit.services import event_record
from caredesk.inbox import policy
from caredesk.inbox.events import CalendarEvent
from caredesk.inbox.models import BusinessCalendar, BusinessHours, Holiday
from caredesk.inbox.services.deadlines import HOLIDAYS, HOURS, DeadlineShift, deadlines_follow
from caredesk.lib.display import day as day_text
from caredesk.lib.errors import Conflict, Invalid, NotFound
from caredesk.lib.policy import enforce
from caredesk.lib.versions import row_save, version_check

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MAX_PERIODS_PER_DAY = 3
# Holidays are kept for the SLA arithmetic's horizon; further than this is a typing error.
HOLIDAY_YEARS = 3
FIRST_HOLIDAY_YEAR = 2000

Week = dict[int, list[tuple[dt.time, dt.time]]]


@dataclass(frozen=True)
class CalendarView:
    """One calendar as the settings page and the API show it."""

    branch: object | None
    version: int
    own_hours: bool  # False: a branch using the default hours
    hours: Week  # the hours in force (the branch's own or the default)
    holidays: list[Holiday]  # the calendar's own holidays
    shared_holidays: list[Holiday]  # for a branch: the default calendar's (every branch)
    updated_at: dt.datetime | None
    updated_by: str


def _scope(branch) -> dict:
    return {"branch": branch} if branch is not None else {"branch__isnull": True}


def _week(rows) -> Week:
    week: Week = {}
    for row in rows:
        week.setdefault(row.weekday, []).append((row.opens, row.closes))
    return {d: sorted(p) for d, p in sorted(week.items())}


def week_text(week: Week) -> dict[str, str]:
    """{"Monday": "09:00 to 12:00, 13:00 to 18:00", ...} for events: every day, closed too."""
    return {
        WEEKDAYS[d]: ", ".join(f"{a:%H:%M} to {b:%H:%M}" for a, b in week.get(d, [])) or "closed"
        for d in range(7)
    }


def calendar_view(branch) -> CalendarView:
    """The calendar of `branch` (None: the default) in force now."""
    row = BusinessCalendar.objects.filter(**_scope(branch)).select_related("updated_by").first()
    own = _week(BusinessHours.objects.filter(**_scope(branch)).order_by("weekday", "opens"))
    hours = own
    if branch is not None and not own:
        hours = _week(BusinessHours.objects.filter(branch__isnull=True).order_by("weekday"))
    if not hours:
        from caredesk.inbox.sla import DEFAULT_HOURS

        hours = {d: list(p) for d, p in DEFAULT_HOURS.items()}
    since = dt.date.today() - dt.timedelta(days=31)
    holidays = list(Holiday.objects.filter(**_scope(branch), date__gte=since).order_by("date"))
    shared = (
        list(Holiday.objects.filter(branch__isnull=True, date__gte=since).order_by("date"))
        if branch is not None
        else []
    )
    by = row.updated_by if row and row.updated_by_id else None
    return CalendarView(
        branch=branch,
        version=row.version if row else 1,
        own_hours=bool(own) or branch is None,
        hours=hours,
        holidays=holidays,
        shared_holidays=shared,
        updated_at=row.updated_at if row else None,
        updated_by=(by.get_full_name() or by.get_username()) if by else "",
    )


def _locked(branch, expected_version: int | None) -> BusinessCalendar:
    """The calendar's version row, locked (created at version 1 the first time)."""
    row = BusinessCalendar.objects.select_for_update().filter(**_scope(branch)).first()
    if row is None:
        try:
            with transaction.atomic():
                BusinessCalendar.objects.create(branch=branch)
        except IntegrityError:
            pass  # created by a concurrent transaction; lock that one
        row = BusinessCalendar.objects.select_for_update().get(**_scope(branch))
    by = row.updated_by
    version_check(
        row.version,
        expected_version,
        what=str(row),
        by=(by.get_full_name() or by.get_username()) if by else "",
        at=row.updated_at if row.version > 1 else None,
    )
    return row


def _bump(row: BusinessCalendar, actor) -> None:
    row_save(row, actor=actor, fields=[])


def _record(
    row: BusinessCalendar, actor, action: CalendarEvent, *, deadlines: DeadlineShift, **kw
) -> None:
    event_record(
        actor=actor,
        action=str(action),
        target=row,
        data={
            "branch": row.branch.code if row.branch_id else None,
            "version": row.version,
            "deadlines": deadlines.as_data(),
        },
        **kw,
    )


def week_clean(week: Week, *, branch) -> Week:
    """Check a week of opening periods: weekdays 0-6, each period closing after it opens, at
    most three a day, none overlapping. The default calendar must open at least one day (a
    branch with no period uses the default hours)."""
    out: Week = {}
    for weekday, periods in week.items():
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise Invalid("Weekdays are 0 (Monday) to 6 (Sunday).", field="hours")
        name = WEEKDAYS[weekday]
        ordered = sorted(periods)
        if len(ordered) > MAX_PERIODS_PER_DAY:
            raise Invalid(
                f"{name}: at most {MAX_PERIODS_PER_DAY} opening periods a day.", field="hours"
            )
        for opens, closes in ordered:
            if closes <= opens:
                raise Invalid(f"{name}: closing must be after opening.", field="hours")
        for (_, first_closes), (second_opens, _) in itertools.pairwise(ordered):
            if second_opens < first_closes:
                raise Invalid(f"{name}: opening periods overlap.", field="hours")
        if ordered:
            out[weekday] = ordered
    if branch is None and not out:
        raise Invalid("The default calendar must open at least one day.", field="hours")
    return out


def calendar_hours_set(
    *, actor, branch, week: Week, expected_version: int | None
) -> DeadlineShift | None:
    """Replace the weekly opening hours of `branch` (None: the default calendar). An empty
    week for a branch means "use the default hours". None when the week is what it was."""
    enforce(policy.may_manage_inbox_settings(actor))
    week = week_clean(week, branch=branch)
    with transaction.atomic():
        row = _locked(branch, expected_version)
        current = BusinessHours.objects.filter(**_scope(branch))
        before = _week(current)
        if before == week:
            return None
        current.delete()
        BusinessHours.objects.bulk_create(
            BusinessHours(branch=branch, weekday=d, opens=a, closes=b)
            for d, periods in week.items()
            for a, b in periods
        )
        _bump(row, actor)
        shift = deadlines_follow(row, HOURS)
        _record(
            row,
            actor,
            CalendarEvent.HOURS_CHANGED,
            before=week_text(before) if before else {"hours": "default"},
            after=week_text(week) if week else {"hours": "default"},
            deadlines=shift,
        )
    return shift


def _parse_date(day) -> dt.date:
    if isinstance(day, dt.date):
        return day
    try:
        return dt.date.fromisoformat(str(day or "").strip())
    except ValueError:
        raise Invalid("Give the holiday's date (YYYY-MM-DD).", field="date") from None


def _holiday_date(day) -> dt.date:
    day = _parse_date(day)
    last_year = dt.date.today().year + HOLIDAY_YEARS
    if not FIRST_HOLIDAY_YEAR <= day.year <= last_year:
        raise Invalid(f"A holiday is between {FIRST_HOLIDAY_YEAR} and {last_year}.", field="date")
    return day


def calendar_holiday_add(
    *, actor, branch, day, name: str, expected_version: int | None
) -> DeadlineShift:
    """Close `branch` (None: every branch) on `day`, called `name` (e.g. "Rizal Day")."""
    enforce(policy.may_manage_inbox_settings(actor))
    day = _holiday_date(day)
    name = " ".join((name or "").split())[:100]
    if not name:
        raise Invalid("Give the holiday a name.", field="name")
    with transaction.atomic():
        row = _locked(branch, expected_version)
        if Holiday.objects.filter(**_scope(branch), date=day).exists():
            raise Conflict(
                f"{day_text(day)} is already a holiday of this calendar.", code="duplicate"
            )
        Holiday.objects.create(branch=branch, date=day, name=name)
        _bump(row, actor)
        shift = deadlines_follow(row, HOLIDAYS)
        _record(
            row,
            actor,
            CalendarEvent.HOLIDAY_ADDED,
            after={"date": day.isoformat(), "name": name},
            deadlines=shift,
        )
    return shift


def calendar_holiday_remove(*, actor, branch, day, expected_version: int | None) -> DeadlineShift:
    """Open `branch` (None: the default calendar) again on `day`."""
    enforce(policy.may_manage_inbox_settings(actor))
    day = _parse_date(day)
    with transaction.atomic():
        row = _locked(branch, expected_version)
        holiday = Holiday.objects.filter(**_scope(branch), date=day).first()
        if holiday is None:
            raise NotFound(f"{day_text(day)} is not a holiday of this calendar.")
        before = {"date": day.isoformat(), "name": holiday.name}
        holiday.delete()
        _bump(row, actor)
        shift = deadlines_follow(row, HOLIDAYS)
        _record(row, actor, CalendarEvent.HOLIDAY_REMOVED, before=before, deadlines=shift)
    return shift
