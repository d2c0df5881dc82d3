"""SLA arithmetic over business hours and holidays (SPEC §5).

A `Calendar` is a branch's weekly opening hours plus its closed days, in the business time
zone. Everything else is two pure functions, property-tested in `tests/test_sla.py`:

- `business_seconds_between(cal, start, end)`: open time elapsed between two instants;
- `add_business_seconds(cal, start, seconds)`: the earliest instant at which `seconds` of open
  time have elapsed since `start` (so `between(start, add(start, s)) == s`).
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

# A calendar with no open hour in this many days is refused rather than searched forever.
HORIZON_DAYS = 3 * 366

DEFAULT_HOURS = {d: ((dt.time(9), dt.time(18)),) for d in range(6)}  # Mon-Sat 09:00-18:00


@dataclass(frozen=True)
class Calendar:
    hours: dict[int, tuple[tuple[dt.time, dt.time], ...]]
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))

    def intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The open intervals of `day` as aware datetimes (none on a holiday)."""
        if day in self.holidays:
            return []
        return [
            (
                dt.datetime.combine(day, opens, tzinfo=self.tz),
                dt.datetime.combine(day, closes, tzinfo=self.tz),
            )
            for opens, closes in sorted(self.hours.get(day.weekday(), ()))
            if closes > opens
        ]


class NoBusinessHours(ValueError):
    """The calendar has no open hour within the horizon."""


def _days_from(cal: Calendar, start: dt.datetime):
    day = start.astimezone(cal.tz).date()
    for offset in range(HORIZON_DAYS):
        yield day + dt.timedelta(days=offset)


def add_business_seconds(cal: Calendar, start: dt.datetime, seconds: int) -> dt.datetime:
    """The instant when `seconds` of business time have passed since `start`."""
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    if seconds == 0:
        return start
    left = dt.timedelta(seconds=seconds)
    for day in _days_from(cal, start):
        for opens, closes in cal.intervals(day):
            begin = max(opens, start)
            if begin >= closes:
                continue
            span = closes - begin
            if left <= span:
                return begin + left
            left -= span
    raise NoBusinessHours("No business hours within the next three years.")


def business_seconds_between(cal: Calendar, start: dt.datetime, end: dt.datetime) -> int:
    """Whole seconds of business time in [start, end); 0 when end is not after start."""
    if end <= start:
        return 0
    total = dt.timedelta()
    last_day = end.astimezone(cal.tz).date()
    for day in _days_from(cal, start):
        if day > last_day:
            break
        for opens, closes in cal.intervals(day):
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
    return int(total.total_seconds())


def calendar_for(branch) -> Calendar:
    """The branch's calendar from the admin-kept rows: its own hours if it has any, else the
    default hours (rows without a branch), else Monday-Saturday 09:00-18:00; holidays of the
    branch and of every branch."""
    from django.db.models import Q

    from caredesk.inbox.models import BusinessHours, Holiday

    rows = list(
        BusinessHours.objects.filter(Q(branch__isnull=True) | Q(branch=branch)).values_list(
            "branch_id", "weekday", "opens", "closes"
        )
    )
    own = [r for r in rows if branch is not None and r[0] == branch.pk]
    chosen = own or [r for r in rows if r[0] is None]
    hours: dict[int, tuple] = {}
    for _, weekday, opens, closes in chosen:
        hours[weekday] = (*hours.get(weekday, ()), (opens, closes))
    holidays = frozenset(
        Holiday.objects.filter(Q(branch__isnull=True) | Q(branch=branch)).values_list(
            "date", flat=True
        )
    )
    return Calendar(hours=hours or DEFAULT_HOURS, holidays=holidays)
