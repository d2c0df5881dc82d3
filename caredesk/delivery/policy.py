"""Who may do what to which run or stop now, and why not (SPEC §1, §4). Services enforce these
decisions; pages show only what they allow; the API returns them as `actions`.

The rule for "ready for delivery", read from the order status machine (`orders/machine.py`):
a stop moves an order along its table, so an order may go on a run only when the table lets
the stop's outcome happen next —
- a delivery stop: the order is `ready` (ready -> delivered is the next move of both kinds);
- a pickup stop: a service order that is `scheduled` (scheduled -> picked_up).
Any other status (draft, pending, sale scheduled waiting for stock, in service, delivered...)
is "not ready". A suspended order is not ready either: it may not move.
"""

from caredesk.delivery.models import Run, Stop
from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import ALLOW, Decision, deny, deny_if, first_refusal, forbid, permitted
from caredesk.orders import machine
from caredesk.orders.models import Kind, Order, Status

# Why a stop failed: the list the crew picks from.
FAILURE_REASONS: dict[str, str] = {
    "not_home": "Customer not home",
    "refused": "Customer refused the delivery",
    "wrong_address": "Address wrong or not found",
    "no_access": "No access (gate, building, road)",
    "damaged": "Item damaged",
    "no_time": "Ran out of time",
    "other": "Other",
}

EVENT_TYPES = ("arrived", "delivered", "failed", "payment_collected")


# --- Orders on runs ---------------------------------------------------------------------------


def stop_kind_for(order: Order) -> str | None:
    """The kind of stop that moves this order next, or None when it is not ready for a run."""
    if order.status == Status.READY and machine.transition_allowed(
        order.kind, order.status, Status.DELIVERED
    ):
        return Stop.Kind.DELIVERY
    if order.kind == Kind.SERVICE and order.status == Status.SCHEDULED:
        return Stop.Kind.PICKUP
    return None


def awaits_delivery(order: Order) -> bool:
    """Whether the order still has a delivery (or pickup) ahead of it."""
    return order.status not in (Status.DELIVERED, Status.COMPLETED, Status.CANCELLED)


def order_ready(order: Order) -> Decision:
    if order.suspended:
        return deny(f"Order {order.number} is suspended; resume it first.", code="order_suspended")
    if stop_kind_for(order) is None:
        return deny(
            f"Order {order.number} is {order.get_status_display().lower()}: only ready orders "
            "(or service orders scheduled for pickup) go on a run.",
            code="order_not_ready",
        )
    return ALLOW


def may_plan(actor) -> Decision:
    """Adding, removing and reordering stops changes when orders arrive: CSRs and managers."""
    return permitted(actor, "amend_order", "You may not plan deliveries.")


def run_open_for_planning(run: Run) -> Decision:
    if run.status == Run.Status.COMPLETED:
        return deny("The run is completed.", code="run_completed")
    return ALLOW


def may_add_order(
    actor, run: Run, order: Order, *, live_stop: Stop | None, set_date: bool, stop_count: int
) -> Decision:
    """An order may go on a run when it is ready, of the run's branch, not on another live run,
    and has the run's date as its scheduled date (or the CSR sets it in the same step)."""
    date_ok = ALLOW
    if order.scheduled_delivery_on != run.date and not set_date:
        when = order.scheduled_delivery_on
        date_ok = deny(
            f"Order {order.number} is scheduled for "
            f"{when.strftime('%a %-d %b %Y') if when else 'no date'}, the run is on "
            f"{run.date.strftime('%a %-d %b %Y')}: set the order's date to the run's date.",
            code="date_mismatch",
        )
    return first_refusal(
        may_plan(actor),
        run_open_for_planning(run),
        order_ready(order),
        deny(
            f"Order {order.number} belongs to branch {order.branch.code}, the run to "
            f"{run.branch.code}.",
            code="branch_mismatch",
        )
        if order.branch_id != run.branch_id
        else ALLOW,
        deny(
            f"Order {order.number} is already on run {live_stop.run_id} "
            f"({live_stop.run.date.strftime('%a %-d %b')}, stop {live_stop.sequence}).",
            code="already_on_run",
        )
        if live_stop is not None
        else ALLOW,
        date_ok,
        deny_if(
            stop_count >= run.capacity, f"The run is full ({run.capacity} stops).", code="run_full"
        ),
    )


def may_remove_stop(actor, stop: Stop) -> Decision:
    return first_refusal(
        may_plan(actor),
        run_open_for_planning(stop.run),
        deny_if(
            stop.status != Stop.Status.PENDING,
            "Only a pending stop can be taken off the run.",
            code="stop_not_pending",
        ),
    )


def may_reorder(actor, run: Run) -> Decision:
    return first_refusal(may_plan(actor), run_open_for_planning(run))


# --- Runs -------------------------------------------------------------------------------------


def may_create_run(actor) -> Decision:
    return permitted(actor, "create_run", "Creating runs is for the store manager.")


# The status a run must be in for each of the store manager's moves, and the refusal otherwise.
_RUN_MOVES = {
    "dispatch": (Run.Status.PLANNED, "Only a planned run can be dispatched.", "run_not_planned"),
    "complete": (
        Run.Status.DISPATCHED,
        "Only a dispatched run can be completed.",
        "run_not_dispatched",
    ),
}


def _may_move_run(actor, run: Run, move: str, blocker: Decision) -> Decision:
    """The store manager makes `move` on a run in the status it needs, unless `blocker` says no."""
    status, reason, code = _RUN_MOVES[move]
    return first_refusal(
        may_create_run(actor), deny_if(run.status != status, reason, code=code), blocker
    )


def may_dispatch(actor, run: Run, stop_count: int) -> Decision:
    empty = deny_if(stop_count == 0, "The run has no stops.", code="run_empty")
    return _may_move_run(actor, run, "dispatch", empty)


def may_complete(actor, run: Run, live_stops: int) -> Decision:
    open_stops = deny_if(live_stops, f"{live_stops} stop(s) still open.", code="stops_open")
    return _may_move_run(actor, run, "complete", open_stops)


def is_crew(actor, run: Run) -> bool:
    """Whether `actor` rides on `run` (uses the prefetched crew when there is one)."""
    return any(member.pk == actor.pk for member in run.crew.all())


# --- Stop events ------------------------------------------------------------------------------


def may_act_on_stop(actor, stop: Stop) -> Decision:
    """Installers act only on the stops of their own runs; managers on any."""
    if has_capability(actor, "mark_delivered") and has_capability(actor, "create_run"):
        return ALLOW
    if has_capability(actor, "record_delivery_event") and is_crew(actor, stop.run):
        return ALLOW
    return forbid("This stop is on another crew's run.")


def may_record_event(actor, stop: Stop, event_type: str) -> Decision:
    if event_type not in EVENT_TYPES:
        return deny(f"Event type is one of {', '.join(EVENT_TYPES)}.", code="invalid")
    run_ok = deny_if(
        stop.run.status == Run.Status.COMPLETED, "The run is completed.", code="run_completed"
    )
    if event_type == "payment_collected":
        state = (
            forbid("Only the run's crew reports payments collected.")
            if not is_crew(actor, stop.run)
            else deny("The stop failed; nothing was collected.", code="stop_failed")
            if stop.status == Stop.Status.FAILED
            else ALLOW
        )
    elif event_type == "arrived":
        state = (
            ALLOW
            if stop.status == Stop.Status.PENDING
            else deny(f"The stop is already {stop.get_status_display().lower()}.", code="stop_done")
        )
    else:
        state = (
            ALLOW
            if stop.is_live
            else deny(f"The stop is already {stop.get_status_display().lower()}.", code="stop_done")
        )
    return first_refusal(may_act_on_stop(actor, stop), run_ok, state)


# --- Derived figures --------------------------------------------------------------------------


def run_load(stop_count: int, run: Run) -> dict:
    """Stops against capacity, for the day schedule: `{"stops", "capacity", "percent", "full"}`."""
    capacity = max(run.capacity, 1)
    return {
        "stops": stop_count,
        "capacity": run.capacity,
        "percent": min(round(100 * stop_count / capacity), 100),
        "full": stop_count >= run.capacity,
    }


def run_actions(actor, run: Run, *, stop_count: int, live_stops: int) -> dict[str, Decision]:
    return {
        "add_stop": first_refusal(may_plan(actor), run_open_for_planning(run)),
        "reorder": may_reorder(actor, run),
        "dispatch": may_dispatch(actor, run, stop_count),
        "complete": may_complete(actor, run, live_stops),
    }


def stop_actions(actor, stop: Stop) -> dict[str, Decision]:
    actions = {t: may_record_event(actor, stop, t) for t in EVENT_TYPES}
    actions["remove"] = may_remove_stop(actor, stop)
    return actions


def status_tone(obj) -> str:
    """The badge tone (`{{ obj|tone }}`) of a run's or a stop's status."""
    return status_badge(obj.status) if isinstance(obj, Run | Stop) else ""


def stop_failed(stop: Stop) -> bool:
    """The crew could not deliver or pick up (the reason is shown with it)."""
    return stop.status == Stop.Status.FAILED


def stop_done(stop: Stop) -> bool:
    """Delivered or picked up."""
    return stop.status == Stop.Status.DELIVERED


def status_badge(status: str) -> str:
    """The CSS class of a run or stop status badge (the text always says the status)."""
    return {
        "planned": "",
        "dispatched": "warn",
        "completed": "ok",
        "pending": "",
        "arrived": "warn",
        "delivered": "ok",
        "failed": "danger",
    }.get(status, "")
