"""Delivery API (SPEC §11): runs, stops, sequence (If-Match), route suggestion, stop events
(Idempotency-Key), schedule exceptions. Endpoints parse, call the service or selector, answer
with the schema; rules live in `policy` and `services`."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema, Status

from caredesk.delivery import policy, services
from caredesk.delivery.models import Run, Stop
from caredesk.delivery.routing import suggest
from caredesk.delivery.selectors import (
    exception_orders,
    exception_rows,
    run_detail,
    run_list,
    stop_detail,
)
from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.errors import Invalid, NotFound
from caredesk.lib.http import found, if_match_version, replayable_response, versioned_response
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import Amount, Code, Mapped, ShortText, StrictIn, Text

ERRORS = (400, 403, 404, 409, 412, 422, 428)
router = ApiRouter(tags=["delivery"], errors=ERRORS)


# --- Schemas ----------------------------------------------------------------------------------


class RunIn(StrictIn):
    date: datetime.date
    branch: Code
    vehicle: ShortText
    crew: list[Code] = Field(..., max_length=10)
    capacity: int = Field(12, ge=1, le=200)


class StopIn(StrictIn):
    order: Code
    set_date: bool = Field(False, description="Set the order's scheduled date to the run's date")
    notes: ShortText = ""


class SequenceIn(StrictIn):
    stops: list[int] = Field(..., max_length=200)
    suggested: bool = False


class EventIn(StrictIn):
    type: Literal["arrived", "delivered", "failed", "payment_collected"]
    reason: Code = Field("", description="failed: one of the failure reasons")
    note: Text = ""
    recipient: ShortText = ""
    amount: Amount | None = None
    method: Code = "cash"
    at: datetime.datetime | None = Field(None, description="When it happened on the device")


class StopOut(Schema):
    id: int
    order: str
    kind: str
    sequence: int
    status: str
    window_start: datetime.time | None
    window_end: datetime.time | None
    customer: str
    address: str
    phone: str
    latitude: Decimal | None
    longitude: Decimal | None
    amount_to_collect: Decimal
    notes: str
    failure_reason: str
    recipient: str
    expected_return_on: datetime.date | None
    actions: dict


class RunOut(Schema):
    id: int
    date: datetime.date
    branch: str
    vehicle: str
    capacity: int
    crew: list[str]
    status: str
    version: int
    stops: list[StopOut]
    actions: dict


class RunSummaryOut(Schema):
    id: int
    date: datetime.date
    branch: str
    vehicle: str
    status: str
    version: int
    crew: list[str]


class SuggestionOut(Schema):
    stops: list[int]
    distance_km_before: float
    distance_km_after: float
    unplaced: list[int]


class ExceptionOut(Schema):
    order: str
    reason: str
    detail: str
    status: str
    branch: str
    customer: str
    requested_delivery_on: datetime.date | None
    scheduled_delivery_on: datetime.date | None


class EventOut(Schema):
    stop: int
    type: str
    status: str
    at: datetime.datetime
    order: str


# --- Answers ----------------------------------------------------------------------------------


def stop_out(user, stop: Stop) -> dict:
    order = stop.order
    return {
        "id": stop.pk,
        "order": order.number,
        "kind": stop.kind,
        "sequence": stop.sequence,
        "status": stop.status,
        "window_start": stop.window_start,
        "window_end": stop.window_end,
        "customer": order.customer.display_name,
        "address": stop.address,
        "phone": stop.phone,
        "latitude": stop.latitude,
        "longitude": stop.longitude,
        "amount_to_collect": order.balance_due,
        "notes": stop.notes,
        "failure_reason": stop.failure_reason,
        "recipient": stop.recipient,
        "expected_return_on": stop.expected_return_on,
        "actions": actions_out(policy.stop_actions(user, stop)),
    }


def run_summary_out(run: Run) -> dict:
    return {
        "id": run.pk,
        "date": run.date,
        "branch": run.branch.code,
        "vehicle": run.vehicle,
        "status": run.status,
        "version": run.version,
        "crew": [u.get_username() for u in run.crew.all()],
    }


def run_out(user, run: Run) -> dict:
    stops = list(run.stops.all())
    live = sum(1 for s in stops if s.is_live)
    return {
        **run_summary_out(run),
        "capacity": run.capacity,
        "stops": [stop_out(user, s) for s in stops],
        "actions": actions_out(
            policy.run_actions(user, run, stop_count=len(stops), live_stops=live)
        ),
    }


def _load_run(run_id) -> Run:
    return found(run_detail(run_id), "No such run.")


def _respond_run(request, run_id, status: int = 200):
    run = _load_run(run_id)
    body = run_out(request.user, run)
    return versioned_response(request, body, run.version, status=status, schema=RunOut)


def _run_step(request, run_id, action):
    """Run the run service `action` under the request's `If-Match` version (when sent) and
    answer with the run as it is now."""
    action(actor=request.user, run=run_id, expected_version=if_match_version(request))
    return _respond_run(request, run_id)


def _date(value: str, field: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Invalid("Dates are YYYY-MM-DD.", field=field) from None


# --- Runs -------------------------------------------------------------------------------------


@router.create("/runs", RunOut, "create_run", "Create a delivery run (store manager)")
def run_create(request, payload: RunIn):
    run = services.run_create(actor=request.user, **payload.model_dump())
    return _respond_run(request, run.pk, status=201)


@router.page(
    "/runs", RunSummaryOut, "view_delivery", "Runs, filtered by date and branch", errors=(400,)
)
def runs(request, date: str = "", branch: str = ""):
    return Mapped(run_list(date=_date(date, "date"), branch=branch), run_summary_out)


@router.get(
    "/runs/{run_id}",
    RunOut,
    "view_delivery",
    "A run with its stops in order (ETag = version)",
    errors=(404,),
)
def run_get(request, run_id: int):
    return _respond_run(request, run_id)


@router.create(
    "/runs/{run_id}/stops",
    StopOut,
    "amend_order",
    "Add an order to the run (409 with the reason when it cannot go on)",
)
def stop_add(request, run_id: int, payload: StopIn):
    stop = services.stop_add(actor=request.user, run=run_id, **payload.model_dump())
    return Status(201, stop_out(request.user, stop_detail(stop.pk)))


@router.delete(
    "/runs/{run_id}/stops/{stop_id}",
    None,
    "amend_order",
    "Take a pending stop off the run",
    status=204,
)
def stop_remove(request, run_id: int, stop_id: int):
    stop = stop_detail(stop_id)
    if stop is None or stop.run_id != run_id:
        raise NotFound("No such stop on this run.")
    services.stop_remove(actor=request.user, stop=stop)
    return Status(204, None)


@router.post(
    "/runs/{run_id}/sequence",
    RunOut,
    "amend_order",
    "Set the order of the stops (If-Match: the run's version; 412 when stale)",
)
def run_sequence(request, run_id: int, payload: SequenceIn):
    version = if_match_version(request, required=True)
    services.run_resequence(
        actor=request.user,
        run=run_id,
        stops=payload.stops,
        expected_version=version,
        suggested=payload.suggested,
    )
    return _respond_run(request, run_id)


@router.post(
    "/runs/{run_id}/route-suggestion",
    SuggestionOut,
    "amend_order",
    "Suggest a stop order from the depot respecting windows (writes nothing)",
)
def route_suggestion(request, run_id: int):
    run = _load_run(run_id)
    return suggest(run, list(run.stops.all())).as_dict()


@router.post("/runs/{run_id}/dispatch", RunOut, "create_run", "Dispatch a planned run")
def run_dispatch(request, run_id: int):
    return _run_step(request, run_id, services.run_dispatch)


@router.post(
    "/runs/{run_id}/complete",
    RunOut,
    "create_run",
    "Complete a dispatched run whose stops are all done",
)
def run_complete(request, run_id: int):
    return _run_step(request, run_id, services.run_complete)


# --- Stop events ------------------------------------------------------------------------------


@router.post(
    "/stops/{stop_id}/events",
    {200: EventOut, 201: EventOut},
    "view_delivery",
    "Record a crew event at a stop (Idempotency-Key; `at` = device time)",
)
def stop_event(request, stop_id: int, payload: EventIn):
    answer, replayed = services.stop_event_record(
        actor=request.user,
        stop=stop_id,
        idempotency_key=request.headers.get("Idempotency-Key"),
        **payload.model_dump(),
    )
    return replayable_response(request, answer, replayed=replayed, status=200 if replayed else 201)


# --- Schedule exceptions ----------------------------------------------------------------------


@router.page(
    "/schedule/exceptions",
    ExceptionOut,
    "view_delivery",
    "Open orders on no run, without a date, or past their requested date",
    errors=(400,),
)
def schedule_exceptions(request, branch: str = "", date: str = "", reason: str = ""):
    if reason and reason not in ("no_run", "no_date", "past_requested"):
        raise Invalid("Reason is no_run, no_date or past_requested.", field="reason")
    rows = exception_rows(branch=branch, date=_date(date, "date"), reason=reason)
    return Mapped(rows, page=_exception_answers)


def _exception_answers(rows: list) -> list[dict]:
    """One page of exception rows as answers (their orders read in one query)."""
    return [
        {
            "order": row["order"].number,
            "reason": row["reason"],
            "detail": row["detail"],
            "status": row["order"].status,
            "branch": row["order"].branch.code,
            "customer": row["order"].customer.display_name,
            "requested_delivery_on": row["order"].requested_delivery_on,
            "scheduled_delivery_on": row["order"].scheduled_delivery_on,
        }
        for row in exception_orders(rows)
    ]
