"""Delivery pages: day schedule, run page (reorder, suggest route, add/remove stops), route
sheet (print and PDF), map schedule, schedule exceptions, and the crew's "My runs today".
Views parse, call the services, and show what the policy allows; refusals come back as a
message saying why (the service's own words)."""

import datetime
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from caredesk.branches.models import Branch
from caredesk.delivery import policy, services
from caredesk.delivery.models import Run, Stop
from caredesk.delivery.routing import suggest, tour_km
from caredesk.delivery.selectors import (
    COUNT_CAP,
    EXCEPTION_REASONS,
    ExceptionRows,
    count_label,
    crew_runs,
    day_schedule,
    exception_counts,
    exception_orders,
    exception_sets,
    open_runs_for,
    run_detail,
    stop_detail,
)
from caredesk.delivery.sheet import route_sheet_pdf
from caredesk.lib.display import day
from caredesk.lib.errors import DomainError, Invalid
from caredesk.lib.pages import service_told
from caredesk.lib.permissions import capability_required, has_capability
from caredesk.lib.selectors import int_or_none
from caredesk.orders import policy as order_policy
from caredesk.orders.models import Order

# --- Helpers ----------------------------------------------------------------------------------


def _date_param(value: str | None, default: datetime.date | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _branches():
    return list(Branch.objects.filter(active=True).order_by("code"))


def _run_or_404(run_id) -> Run:
    run = run_detail(run_id)
    if run is None:
        raise Http404("No such run.")
    return run


def _back(request, fallback: str):
    """Where a POST returns: its `next` when it is a local path, else `fallback`."""
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else fallback)


def _stop_rows(user, stops: list[Stop], *, actions: bool = True) -> list[dict]:
    return [
        {
            "stop": s,
            "badge": policy.status_badge(s.status),
            "actions": policy.stop_actions(user, s) if actions else {},
            "failure": policy.FAILURE_REASONS.get(s.failure_reason, ""),
            "failed": policy.stop_failed(s),
            "done": policy.stop_done(s),
        }
        for s in stops
    ]


def _run_context(request, run: Run, **extra) -> dict:
    stops = list(run.stops.all())
    live = sum(1 for s in stops if s.is_live)
    actions = policy.run_actions(request.user, run, stop_count=len(stops), live_stops=live)
    depot = run.branch
    points = [(float(s.latitude), float(s.longitude)) for s in stops if s.latitude and s.longitude]
    distance = None
    if depot.depot_latitude is not None and points:
        distance = round(
            tour_km([(float(depot.depot_latitude), float(depot.depot_longitude)), *points]), 1
        )
    return {
        "run": run,
        "stops": _stop_rows(request.user, stops),
        "load": policy.run_load(len(stops), run),
        "actions": actions,
        "badge": policy.status_badge(run.status),
        "distance_km": distance,
        "crew": [u.get_full_name() or u.get_username() for u in run.crew.all()],
        **extra,
    }


# --- Day schedule and runs --------------------------------------------------------------------


@capability_required("view_delivery")
def schedule(request):
    """The runs of a date per branch, with their stops and load against capacity."""
    date = _date_param(request.GET.get("date"), timezone.localdate())
    branch = (request.GET.get("branch") or "").upper()
    runs = day_schedule(date=date, branch=branch)
    rows = []
    for run in runs:
        stops = list(run.stops.all())
        rows.append(
            {
                "run": run,
                "stops": _stop_rows(request.user, stops, actions=False),
                "load": policy.run_load(len(stops), run),
                "badge": policy.status_badge(run.status),
                "crew": [u.get_full_name() or u.get_username() for u in run.crew.all()],
            }
        )
    from django.contrib.auth import get_user_model

    may_create = policy.may_create_run(request.user)
    installers = []
    if may_create:
        installers = list(
            get_user_model()
            .objects.filter(
                is_active=True,
                groups__permissions__codename="record_delivery_event",
            )
            .distinct()
            .order_by("username")[:100]
        )
    return render(
        request,
        "delivery/schedule.html",
        {
            "date": date,
            "prev_day": date - datetime.timedelta(days=1),
            "next_day": date + datetime.timedelta(days=1),
            "branch": branch,
            "branches": _branches(),
            "rows": rows,
            "may_create": may_create,
            "installers": installers,
        },
    )


@capability_required("create_run")
@require_POST
def run_new(request):
    date = _date_param(request.POST.get("date"), None)
    back = reverse("delivery:schedule")
    try:
        if date is None:
            raise Invalid("Choose the run's date.", field="date")
        run = services.run_create(
            actor=request.user,
            date=date,
            branch=request.POST.get("branch", ""),
            vehicle=request.POST.get("vehicle", ""),
            crew=request.POST.getlist("crew"),
            capacity=int_or_none(request.POST.get("capacity")) or 12,
        )
    except DomainError as exc:
        messages.error(request, f"Run not created: {exc.detail}")
        return redirect(f"{back}?date={date or ''}")
    messages.success(request, f"Run {run.pk} created for {run.date:%a %-d %b %Y}.")
    return redirect("delivery:run", run_id=run.pk)


@capability_required("view_delivery")
def run_page(request, run_id: int):
    """A run: its stops in order (drag, or move up/down), suggest route, add and remove."""
    run = _run_or_404(run_id)
    return render(request, "delivery/run.html", _run_context(request, run))


@capability_required("amend_order")
@require_POST
def run_suggest(request, run_id: int):
    """Show a suggested order beside the current one; nothing is written until accepted."""
    run = _run_or_404(run_id)
    try:
        suggestion = suggest(run, list(run.stops.all()))
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("delivery:run", run_id=run.pk)
    by_id = {s.pk: s for s in run.stops.all()}
    context = _run_context(
        request,
        run,
        suggestion=suggestion,
        suggested_stops=[by_id[pk] for pk in suggestion.stops if pk in by_id],
    )
    return render(request, "delivery/run.html", context)


@capability_required("amend_order")
@require_POST
def run_sequence(request, run_id: int):
    """Reorder: the whole list (drag and drop, an accepted suggestion) or one stop up/down."""
    run = _run_or_404(run_id)
    ids = [s.pk for s in run.stops.all()]
    move, stop_id = request.POST.get("move"), int_or_none(request.POST.get("stop"))
    if move in ("up", "down") and stop_id in ids:
        i = ids.index(stop_id)
        j = i - 1 if move == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
    elif request.POST.get("stops"):
        ids = [int_or_none(x) for x in request.POST.get("stops", "").split(",")]
    try:
        services.run_resequence(
            actor=request.user,
            run=run,
            stops=ids,
            expected_version=int_or_none(request.POST.get("version")) or 0,
            suggested=request.POST.get("suggested") == "1",
        )
    except DomainError as exc:
        messages.error(request, f"Not saved: {exc.detail}")
    else:
        text = "Suggested route applied." if request.POST.get("suggested") == "1" else "Saved."
        messages.success(request, text)
    url = reverse("delivery:run", kwargs={"run_id": run.pk})
    return redirect(f"{url}#stop-{stop_id}" if move else url)


@capability_required("amend_order")
@require_POST
def order_add(request):
    """ "Add to run" from the order page and the exceptions: the run is chosen in the form."""
    run_id = int_or_none(request.POST.get("run"))
    if run_id is None:
        messages.error(request, "Choose a run.")
        return _back(request, reverse("delivery:exceptions"))
    return stop_add(request, run_id)


@capability_required("amend_order")
@require_POST
def stop_add(request, run_id: int):
    """Add an order (by number) to this run."""
    number = (request.POST.get("order") or "").strip().upper()
    try:
        stop = services.stop_add(
            actor=request.user,
            run=run_id,
            order=number,
            set_date=request.POST.get("set_date") == "1",
            notes=request.POST.get("notes", ""),
        )
    except DomainError as exc:
        messages.error(request, f"{number or 'The order'} not added: {exc.detail}")
    else:
        messages.success(request, f"{number} added as stop {stop.sequence} of run {run_id}.")
    return _back(request, reverse("delivery:run", kwargs={"run_id": run_id}))


@capability_required("amend_order")
@require_POST
def stop_remove(request, stop_id: int):
    stop = stop_detail(stop_id)
    if stop is None:
        raise Http404("No such stop.")
    service_told(
        request,
        lambda: services.stop_remove(actor=request.user, stop=stop),
        f"{stop.order.number} taken off the run.",
    )
    return redirect("delivery:run", run_id=stop.run_id)


@capability_required("create_run")
@require_POST
def run_status(request, run_id: int):
    action = request.POST.get("action")
    service = {"dispatch": services.run_dispatch, "complete": services.run_complete}.get(action)
    try:
        if service is None:
            raise Invalid("Dispatch or complete.")
        service(
            actor=request.user,
            run=run_id,
            expected_version=int_or_none(request.POST.get("version")),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Run dispatched." if action == "dispatch" else "Run completed.")
    return redirect("delivery:run", run_id=run_id)


# --- Route sheet ------------------------------------------------------------------------------


@capability_required("view_delivery")
def route_sheet(request, run_id: int):
    run = _run_or_404(run_id)
    return render(request, "delivery/route_sheet.html", _run_context(request, run))


@capability_required("view_delivery")
def route_sheet_pdf_view(request, run_id: int):
    run = _run_or_404(run_id)
    response = HttpResponse(route_sheet_pdf(run), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="run-{run.pk}-{run.date}.pdf"'
    return response


EXCEPTION_RUN_CHOICES = 8

# --- Map --------------------------------------------------------------------------------------

RUN_COLOURS = ["#1f5fbf", "#b3261e", "#1b7f3b", "#8a4b00", "#6b2fa3", "#00707a", "#9c2a6b"]


@capability_required("view_delivery")
def map_schedule(request):
    """The stops of a date on a map: numbered in run order, coloured per run, legend in text."""
    from django.conf import settings

    date = _date_param(request.GET.get("date"), timezone.localdate())
    branches = _branches()
    # One branch at a time by default: the branches are far apart.
    branch = (request.GET.get("branch", branches[0].code if branches else "")).upper()
    runs = day_schedule(date=date, branch=branch)
    legend, data = [], []
    for i, run in enumerate(runs):
        colour = RUN_COLOURS[i % len(RUN_COLOURS)]
        stops = list(run.stops.all())
        depot = None
        if run.branch.depot_latitude is not None:
            depot = [float(run.branch.depot_latitude), float(run.branch.depot_longitude)]
        data.append(
            {
                "run": run.pk,
                "label": f"Run {run.pk} · {run.vehicle}",
                "colour": colour,
                "depot": depot,
                "stops": [
                    {
                        "n": s.sequence,
                        "lat": float(s.latitude),
                        "lng": float(s.longitude),
                        "title": f"{s.sequence}. {s.order.number} {s.order.customer.display_name}",
                        "status": s.get_status_display(),
                    }
                    for s in stops
                    if s.latitude is not None and s.longitude is not None
                ],
            }
        )
        legend.append(
            {
                "run": run,
                "index": i % len(RUN_COLOURS),
                "colour_name": f"colour {i % len(RUN_COLOURS) + 1}",
                "stops": stops,
                "unmapped": sum(1 for s in stops if s.latitude is None),
            }
        )
    return render(
        request,
        "delivery/map.html",
        {
            "date": date,
            "branch": branch,
            "branches": branches,
            "legend": legend,
            "map_data": {"runs": data, "tiles": settings.CAREDESK_MAP_TILES},
        },
    )


# --- Schedule exceptions ----------------------------------------------------------------------


@capability_required("view_delivery")
def exceptions(request):
    """Open orders on no run, without a date, or past their requested date, with one-click
    fixes: add to a run of the branch (setting the date), or set the delivery date."""
    branch = (request.GET.get("branch") or "").upper()
    date = _date_param(request.GET.get("date"), None)
    reason = request.GET.get("reason", "")
    if reason not in EXCEPTION_REASONS:
        reason = ""
    counts = exception_counts(branch=branch, date=date)
    every = ExceptionRows(
        exception_sets(branch=branch, date=date), {k: min(n, COUNT_CAP) for k, n in counts.items()}
    )
    page = Paginator(every.only(reason) if reason else every, 50).get_page(request.GET.get("page"))
    rows = exception_orders(list(page.object_list))
    today = timezone.localdate()
    # The run choices of a branch, labelled once (every row of the branch offers the same).
    runs_by_branch: dict[int, list[tuple[int, str]]] = {}
    for branch_id in {r["order"].branch_id for r in rows}:
        runs_by_branch[branch_id] = [
            (
                run.pk,
                f"{day(run.date)} · run {run.pk} {run.vehicle} ({run.stop_count}/{run.capacity})",
            )
            for run in open_runs_for(branch_id=branch_id, date_from=today)[:EXCEPTION_RUN_CHOICES]
        ]
    for r in rows:
        order = r["order"]
        r["runs"] = runs_by_branch.get(order.branch_id, [])
        r["may_add"] = policy.order_ready(order).allowed and has_capability(
            request.user, "amend_order"
        )
        r["may_set_date"] = order_policy.is_open(order) and has_capability(
            request.user, "amend_order"
        )
    return render(
        request,
        "delivery/exceptions.html",
        {
            "rows": rows,
            "page": page,
            "branch": branch,
            "date": date,
            "reason": reason,
            "reasons": EXCEPTION_REASONS,
            "branches": _branches(),
            "counts": {k: count_label(n) for k, n in counts.items()},
            "today": today,
        },
    )


@capability_required("amend_order")
@require_POST
def set_date(request):
    """Set an open order's scheduled delivery date (the orders amendment, at its version)."""
    from caredesk.orders.services import Amendment, order_amend

    number = (request.POST.get("order") or "").upper()
    date = _date_param(request.POST.get("date"), None)
    try:
        if date is None:
            raise Invalid("Choose a date.")
        order_amend(
            actor=request.user,
            order=number,
            expected_version=int_or_none(request.POST.get("version")) or 0,
            amendment=Amendment(
                op="set_dates",
                scheduled_delivery_on=date,
                dates_given=frozenset({"scheduled_delivery_on"}),
            ),
            reason="Scheduled from the schedule exceptions",
        )
    except DomainError as exc:
        messages.error(request, f"{number}: {exc.detail}")
    else:
        messages.success(request, f"{number} scheduled for {date:%a %-d %b %Y}.")
    return _back(request, reverse("delivery:exceptions"))


# --- The crew's phone -------------------------------------------------------------------------


@capability_required("view_delivery")
def my_runs(request):
    """ "My runs today": the installer's runs, stops in order, with the actions they may take."""
    date = _date_param(request.GET.get("date"), timezone.localdate())
    runs = crew_runs(user=request.user, date=date)
    return render(
        request,
        "delivery/my_runs.html",
        {
            "date": date,
            "runs": [
                {"run": run, "stops": _stop_rows(request.user, list(run.stops.all()))}
                for run in runs
            ],
            "reasons": policy.FAILURE_REASONS,
            "event_key": uuid.uuid4().hex,
        },
    )


@capability_required("view_delivery")
@require_POST
def stop_event(request, stop_id: int):
    """One crew event from the phone: the form carries an Idempotency-Key made when the page
    was drawn and the device time (`at`), so a resubmission never records twice."""
    at = None
    if request.POST.get("at"):
        try:
            at = datetime.datetime.fromisoformat(request.POST["at"].replace("Z", "+00:00"))
        except ValueError:
            at = None
    event_type = request.POST.get("type", "")
    key = (request.POST.get("key") or "")[:60]
    try:
        _answer, replayed = services.stop_event_record(
            actor=request.user,
            stop=stop_id,
            type=event_type,
            at=at,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            recipient=request.POST.get("recipient", ""),
            amount=request.POST.get("amount") if event_type == "payment_collected" else None,
            idempotency_key=f"web-{stop_id}-{event_type}-{key}" if key else None,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        label = {
            "arrived": "Arrival recorded.",
            "delivered": "Done: recorded.",
            "failed": "Failed stop recorded.",
            "payment_collected": "Payment reported to finance.",
        }[event_type]
        messages.success(request, label if not replayed else "Already recorded.")
    return _back(request, reverse("delivery:my_runs") + f"#stop-{stop_id}")


# --- From the order page ----------------------------------------------------------------------


def order_add_runs(order: Order) -> list[Run]:
    return list(open_runs_for(branch_id=order.branch_id, date_from=timezone.localdate()))
