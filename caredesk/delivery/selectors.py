"""Reads for delivery pages and the API: runs with their stops (joins set), the day schedule,
the schedule exceptions, the crew's runs of a day. Every list is index-backed."""

import datetime

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from caredesk.delivery.models import Run, Stop
from caredesk.lib.selectors import int_or_none
from caredesk.orders.models import Kind, Order, Status

LIVE = [Stop.Status.PENDING, Stop.Status.ARRIVED]


def _stops_qs() -> QuerySet[Stop]:
    return Stop.objects.select_related("order", "order__customer").order_by("sequence", "pk")


def run_list(*, date: datetime.date | None = None, branch: str = "") -> QuerySet[Run]:
    qs = Run.objects.select_related("branch").prefetch_related("crew")
    if date:
        qs = qs.filter(date=date)
    if branch:
        qs = qs.filter(branch__code=branch.upper())
    return qs.order_by("-date", "branch__code", "pk")


def run_detail(run_id) -> Run | None:
    if (pk := int_or_none(run_id)) is None:
        return None
    return (
        Run.objects.select_related("branch")
        .prefetch_related(
            "crew",
            Prefetch("stops", queryset=_stops_qs().prefetch_related("order__lines")),
        )
        .filter(pk=pk)
        .first()
    )


def day_schedule(*, date: datetime.date, branch: str = "") -> list[Run]:
    """The runs of a date (per branch) with their stops and customers: three queries."""
    qs = (
        Run.objects.filter(date=date)
        .select_related("branch")
        .prefetch_related("crew", Prefetch("stops", queryset=_stops_qs()))
        .order_by("branch__code", "pk")
    )
    if branch:
        qs = qs.filter(branch__code=branch.upper())
    return list(qs)


def crew_runs(*, user, date: datetime.date | None = None) -> list[Run]:
    """The runs `user` rides on for a day (today by default), stops in order."""
    date = date or timezone.localdate()
    return list(
        Run.objects.filter(date=date, crew=user)
        .select_related("branch")
        .prefetch_related("crew", Prefetch("stops", queryset=_stops_qs()))
        .order_by("pk")
    )


def order_stops(order: Order) -> list[Stop]:
    return list(
        Stop.objects.filter(order=order).select_related("run").order_by("-run__date", "-pk")[:5]
    )


def stop_detail(stop_id) -> Stop | None:
    if (pk := int_or_none(stop_id)) is None:
        return None
    return (
        Stop.objects.select_related("run", "run__branch", "order", "order__customer")
        .prefetch_related("run__crew")
        .filter(pk=pk)
        .first()
    )


# --- Schedule exceptions ----------------------------------------------------------------------

# Exception counts stop at this many per reason (a LIMITed subquery): a page costs the same
# with a backlog of thousands; screens then say "1,000+".
COUNT_CAP = 1000

EXCEPTION_REASONS = {
    "no_run": "Ready but on no run",
    "no_date": "No delivery date",
    "past_requested": "Past the requested date",
}

# Orders still to be taken somewhere (not delivered, completed or cancelled; drafts are not
# confirmed yet).
_OPEN = [Status.PENDING, Status.SCHEDULED, Status.PICKED_UP, Status.IN_SERVICE, Status.READY]


def _on_live_run() -> Exists:
    return Exists(Stop.objects.filter(order=OuterRef("pk"), status__in=LIVE))


def exception_sets(*, branch: str, date: datetime.date | None) -> dict[str, QuerySet]:
    today = timezone.localdate()
    base = Order.objects.filter(suspended=False)
    if branch:
        base = base.filter(branch__code=branch.upper())
    # Ready orders and service orders scheduled for pickup (policy.stop_kind_for), written as
    # a status list so the status index serves it.
    runnable = base.filter(status__in=[Status.READY, Status.SCHEDULED]).exclude(
        kind=Kind.SALE, status=Status.SCHEDULED
    )
    no_run = runnable.exclude(_on_live_run())
    no_date = base.filter(
        status__in=[Status.PENDING, Status.SCHEDULED, Status.READY],
        scheduled_delivery_on__isnull=True,
    )
    past = base.filter(status__in=_OPEN, requested_delivery_on__lt=date or today)
    if date:
        no_run = no_run.filter(scheduled_delivery_on=date)
    return {"no_run": no_run, "no_date": no_date, "past_requested": past}


def _capped_count(qs: QuerySet) -> int:
    return qs[: COUNT_CAP + 1].count()


def exception_counts(*, branch: str = "", date: datetime.date | None = None) -> dict[str, int]:
    """Per reason, the number of exceptions up to COUNT_CAP + 1 (more than the cap: "1,000+"),
    in one query: each reason's capped count is a scalar subquery of one SELECT."""
    sets = exception_sets(branch=branch, date=date)
    parts, params = [], []
    for qs in sets.values():
        sql, p = qs.values("pk")[: COUNT_CAP + 1].query.sql_with_params()
        # The SQL is the ORM's own, its values bound as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608
        params.extend(p)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(sets, row, strict=True))


def count_label(n: int) -> str:
    return f"{COUNT_CAP:,}+" if n > COUNT_CAP else f"{n:,}"


class ExceptionRows:
    """The exception rows of every reason, one reason after the other (each oldest order
    first), sliced without sorting them together: a page reads only the reasons it covers,
    each with an index-backed LIMIT/OFFSET, and the count is the sum of the per-reason counts
    (each capped at COUNT_CAP: the first thousand of a reason are listed).
    Slicing gives `{"pk", "reason"}` dicts; load them with `exception_orders`."""

    def __init__(self, sets: dict[str, QuerySet], counts: dict[str, int] | None = None):
        self.sets = sets
        self.counts = (
            counts
            if counts is not None
            else {k: min(_capped_count(q), COUNT_CAP) for k, q in sets.items()}
        )

    def count(self) -> int:
        return sum(self.counts.values())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def only(self, reason: str) -> "ExceptionRows":
        """The rows of one reason, reusing the counts already taken."""
        if reason not in self.sets:
            return ExceptionRows({}, {})
        return ExceptionRows({reason: self.sets[reason]}, {reason: self.counts[reason]})

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        rows: list[dict] = []
        for reason, qs in self.sets.items():
            n = self.counts[reason]
            if stop <= 0:
                break
            if start < n:
                for pk in qs.order_by("pk").values_list("pk", flat=True)[start : min(stop, n)]:
                    rows.append({"pk": pk, "reason": reason})
            start, stop = max(start - n, 0), stop - n
        return rows


def exception_rows(
    *, branch: str = "", date: datetime.date | None = None, reason: str = ""
) -> ExceptionRows:
    """Every exception of the branch/date (or of one `reason`), as sliceable rows."""
    sets = exception_sets(branch=branch, date=date)
    if reason:
        sets = {reason: sets[reason]} if reason in sets else {}
    return ExceptionRows(sets)


def exception_orders(rows: list[dict]) -> list[dict]:
    """The page of exception rows with their orders, customers and the last failed stop."""
    ids = [r["pk"] for r in rows]
    orders = Order.objects.select_related("customer", "branch").in_bulk(ids)
    failed: dict[int, Stop] = {}
    for stop in Stop.objects.filter(order_id__in=ids, status=Stop.Status.FAILED).order_by("pk"):
        failed[stop.order_id] = stop
    out = []
    for r in rows:
        order = orders.get(r["pk"])
        if order is None:
            continue
        detail = EXCEPTION_REASONS[r["reason"]]
        stop = failed.get(order.pk)
        if r["reason"] == "no_run" and stop is not None:
            from caredesk.delivery.policy import FAILURE_REASONS

            detail = f"Last stop failed: {FAILURE_REASONS.get(stop.failure_reason, 'other')}"
            if stop.failure_note:
                detail += f" ({stop.failure_note})"
        out.append({"order": order, "reason": r["reason"], "detail": detail})
    return out


def open_runs_for(*, branch_id: int, date_from: datetime.date) -> QuerySet[Run]:
    """Planned or dispatched runs of a branch from a date, for "add to run" pickers."""
    return (
        Run.objects.filter(branch_id=branch_id, date__gte=date_from)
        .exclude(status=Run.Status.COMPLETED)
        .annotate(stop_count=Count("stops"))
        .order_by("date", "pk")[:20]
    )
