"""Who may do what to an order now, and why not; and the figures derived from an order.

One function per question. Services `enforce` these answers, the order page, the pending grid
and the wizard show only what they allow, and the API returns them as `actions`
(`actions(actor, order)`), so no view, template or client repeats a rule. Money figures come
from `orders.pricing`; this module only exposes them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import (
    ALLOW,
    Decision,
    answers,
    deny,
    deny_if,
    first_refusal,
    forbid,
    path_steps,
    permitted,
)
from caredesk.orders import machine, pricing
from caredesk.orders.models import Kind, Order, PaymentStatus, Status

S = Status

# Amendments are possible while the order is not yet with the crew.
OPEN_STATUSES = frozenset({S.DRAFT, S.PENDING, S.SCHEDULED})
CLOSED_STATUSES = frozenset({S.COMPLETED, S.CANCELLED})
WINDOW_DAYS_AHEAD = 14


def is_open(order: Order) -> bool:
    return order.status in OPEN_STATUSES


def not_suspended(order: Order) -> Decision:
    if order.suspended:
        return deny(
            f"Order {order.number} is suspended ({order.suspended_reason}); resume it first.",
            code="suspended",
        )
    return ALLOW


def _not_closed(order: Order) -> Decision:
    if order.status in CLOSED_STATUSES:
        return deny(f"The order is {order.get_status_display().lower()}.", code="closed")
    return ALLOW


def open_system_alerts(order: Order) -> list:
    """Uncleared system alerts (they block status advances). Reads the prefetched alerts."""
    return [a for a in order.alerts.all() if a.system and a.cleared_at is None]


# --- Amending -------------------------------------------------------------------------------


def amend(actor, order: Order) -> Decision:
    """Change lines or dates: while draft, pending or scheduled, not suspended."""
    state = ALLOW
    if not is_open(order):
        state = deny(
            f"Order {order.number} is {order.get_status_display().lower()}: amendments are only "
            "possible while it is draft, pending or scheduled.",
            code="not_amendable",
        )
    return first_refusal(
        permitted(actor, "amend_order", "Amending orders is not allowed for you."),
        not_suspended(order),
        state,
    )


def line_removal(line_count: int) -> Decision:
    """An order keeps at least one line."""
    if line_count <= 1:
        return deny("An order keeps at least one line; cancel the order instead.", code="last_line")
    return ALLOW


def remove_line(actor, order: Order) -> Decision:
    """Remove a line: an amendment that keeps at least one line."""
    return first_refusal(amend(actor, order), line_removal(len(order.lines.all())))


def delivery_date(value, *, field: str, current=None) -> Decision:
    """A requested or scheduled delivery date is not in the past (an unchanged one may stay)."""
    if value and value < timezone.localdate() and value != current:
        return deny("A delivery date cannot be in the past.", code="invalid", field=field)
    return ALLOW


def delivery_window_range() -> tuple:
    """The dates the wizard offers pickup windows for: today and the next 14 days."""
    today = timezone.localdate()
    return today, today + timedelta(days=WINDOW_DAYS_AHEAD)


# --- Status moves ---------------------------------------------------------------------------


def _move_capability(actor, order: Order, to: str, *, by_crew: bool = False) -> Decision:
    if by_crew and to in (S.DELIVERED, S.PICKED_UP):
        # The delivery services decided this crew member stands at this order's stop.
        return permitted(actor, "record_delivery_event", "Recording deliveries is for the crew.")
    if to == S.CANCELLED:
        if order.status == S.DRAFT:
            return permitted(actor, "cancel_order", "You may not cancel orders.")
        return permitted(
            actor,
            "cancel_confirmed_order",
            "Cancelling a confirmed order needs the store manager's permission.",
        )
    if to == S.DELIVERED:
        return permitted(
            actor, "mark_delivered", "Marking an order delivered needs the store manager."
        )
    return permitted(actor, "amend_order", "Changing the status of orders is not allowed for you.")


def _move_table(order: Order, to: str) -> Decision:
    if machine.transition_allowed(order.kind, order.status, to):
        if order.status == S.DRAFT and to == S.PENDING:
            return deny(
                "A draft is confirmed by recording its first payment.", code="needs_payment"
            )
        return ALLOW
    if order.status == S.IN_SERVICE and to == S.CANCELLED:
        return deny(
            "An order in service cannot be cancelled until its parts are ready.",
            code="illegal_transition",
        )
    return deny(
        f"Order {order.number} cannot go from {order.get_status_display().lower()} "
        f"to {Status(to).label.lower()}.",
        code="illegal_transition",
        field="to",
    )


def _alerts_clear(order: Order, to: str) -> Decision:
    if to == S.CANCELLED:
        return ALLOW
    blocking = open_system_alerts(order)
    if blocking:
        return deny(
            "Clear the system alerts first: "
            + "; ".join(a.get_kind_display() for a in blocking[:3]),
            code="alerts_uncleared",
        )
    return ALLOW


def move(actor, order: Order, to: str, *, by_crew: bool = False) -> Decision:
    """Move the order to status `to` now. The checks read in this order: permission,
    suspension, the transition table of the kind, uncleared system alerts (advances only).
    `by_crew`: a crew member records the delivered/picked-up stop of their own run."""
    return first_refusal(
        _move_capability(actor, order, to, by_crew=by_crew),
        not_suspended(order),
        _move_table(order, to),
        _alerts_clear(order, to),
    )


def cancel(actor, order: Order) -> Decision:
    return move(actor, order, S.CANCELLED)


def schedule(actor, order: Order) -> Decision:
    return move(actor, order, S.SCHEDULED)


def moves(actor, order: Order) -> list[tuple[str, str]]:
    """The statuses the actor may move the order to now: (status, label), for "Move to"."""
    return [
        (to, machine.STAFF_LABELS[to])
        for to in machine.PATHS[order.kind] + [S.CANCELLED]
        if to in machine.allowed_next(order.kind, order.status) and move(actor, order, to)
    ]


def parts_held(order: Order) -> bool:
    """A service order whose parts are with us: cancelling asks whether to return them."""
    return order.kind == Kind.SERVICE and order.status in machine.PARTS_HELD


# --- Money ----------------------------------------------------------------------------------


def payment_permission(actor) -> Decision:
    """Recording money at all (checked before anything about the order is looked at)."""
    return permitted(actor, "record_payment", "Recording payments is not allowed for you.")


def record_payment(actor, order: Order) -> Decision:
    cancelled = ALLOW
    if order.status == S.CANCELLED:
        cancelled = deny("The order is cancelled; no payment can be recorded.", code="cancelled")
    return first_refusal(payment_permission(actor), not_suspended(order), cancelled)


def confirm_report(actor, order: Order, payment) -> Decision:
    """Record a payment the delivery crew reported."""
    state = ALLOW
    if payment.status != PaymentStatus.REPORTED:
        state = deny("Only a reported payment can be recorded.", code="not_reported")
    return first_refusal(record_payment(actor, order), state)


def reverse_payment(actor, order: Order, payment=None) -> Decision:
    state = ALLOW
    if payment is not None and payment.status != PaymentStatus.RECORDED:
        state = deny("Only a recorded payment can be reversed.", code="not_recorded")
    return first_refusal(
        permitted(actor, "reverse_payment", "Reversing payments is not allowed for you."),
        state,
    )


def report_payment(actor, order: Order) -> Decision:
    """The delivery crew reports money received on delivery."""
    cancelled = deny_if(order.status == S.CANCELLED, "The order is cancelled.", code="cancelled")
    return first_refusal(
        permitted(actor, "record_delivery_event", "Reporting payments is for the delivery crew."),
        _on_own_run(actor, order),
        cancelled,
    )


def _on_own_run(actor, order: Order) -> Decision:
    """Crew report money only for orders on a delivery run they ride on."""
    from django.apps import apps

    if not apps.is_installed("caredesk.delivery") or order.stops.filter(run__crew=actor).exists():
        return ALLOW
    return forbid("You can report payments only for orders on your own runs.")


# --- Holds, flags, alerts, locks -------------------------------------------------------------


def suspend(actor, order: Order) -> Decision:
    state = ALLOW
    if order.suspended:
        state = deny("The order is already suspended.", code="already_suspended")
    return first_refusal(
        permitted(actor, "suspend_order", "Suspending orders is not allowed for you."),
        _not_closed(order),
        state,
    )


def resume(actor, order: Order) -> Decision:
    state = ALLOW if order.suspended else deny("The order is not suspended.", code="not_suspended")
    return first_refusal(
        permitted(actor, "suspend_order", "Resuming orders is not allowed for you."), state
    )


def flag(actor, order: Order) -> Decision:
    return first_refusal(
        permitted(actor, "amend_order", "Flagging orders is not allowed for you."),
        _not_closed(order),
    )


def clear_alert(actor, order: Order, alert=None) -> Decision:
    state = ALLOW
    if alert is not None and alert.cleared_at:
        state = deny("The alert is already cleared.", code="already_cleared")
    return first_refusal(
        permitted(actor, "clear_alerts", "Clearing alerts is not allowed for you."), state
    )


def take_over_lock(actor, order: Order, holder=None) -> Decision:
    """Take the soft edit lock from the agent holding it (`holder`, when known)."""
    state = ALLOW
    if holder is not None and getattr(actor, "pk", None) == holder.pk:
        state = deny("You already hold the lock.", code="own_lock")
    return first_refusal(
        permitted(
            actor, "take_over_lock", "Taking over another agent's lock is not allowed for you."
        ),
        state,
    )


def edit_lock(actor, order: Order) -> bool:
    """Opening the order page takes the soft edit lock when the agent could change it."""
    return is_open(order) and has_capability(actor, "amend_order")


# --- Call handling (an order in progress) ---------------------------------------------------


def _draft_in_progress(order: Order) -> Decision:
    if order.status != S.DRAFT:
        return deny(
            "Only an order in progress (draft) can be parked, transferred or voided.",
            code="not_draft",
        )
    return ALLOW


def park(actor, order: Order) -> Decision:
    return first_refusal(
        permitted(actor, "create_order", "Taking calls is not allowed for you."),
        not_suspended(order),
        _draft_in_progress(order),
    )


def transfer(actor, order: Order) -> Decision:
    return park(actor, order)


def void(actor, order: Order) -> Decision:
    money = ALLOW
    if order.paid:
        money = deny("Money was recorded on this order; cancel it instead.", code="has_payments")
    return first_refusal(park(actor, order), money)


UNDO_SECONDS = 120


def undo_void(actor, order: Order, voided=None) -> Decision:
    """Undo a void: the agent who voided the call, within UNDO_SECONDS of it. `voided` is the
    order's latest event (the `order.voided` one, if the void is the last thing that
    happened)."""
    from django.utils import timezone as tz

    recent = (
        voided is not None
        and voided.action == "order.voided"
        and voided.actor_label == getattr(actor, "username", None)
        and (tz.now() - voided.at).total_seconds() <= UNDO_SECONDS
    )
    state = ALLOW
    if order.status != S.CANCELLED or order.cancel_reason_code != "call_voided":
        state = deny("Only a voided call can be brought back.", code="not_voided")
    elif not recent:
        state = deny(
            "The void can only be undone by the agent who voided the call, for two minutes.",
            code="undo_expired",
        )
    return first_refusal(
        permitted(actor, "create_order", "Taking calls is not allowed for you."), state
    )


def undo_remove_line(actor, order: Order, removed_at) -> Decision:
    """Put back a line the actor removed moments ago (an amendment adding it again), for
    UNDO_SECONDS after the removal."""
    from django.utils import timezone as tz

    state = ALLOW
    if removed_at is None or (tz.now() - removed_at).total_seconds() > UNDO_SECONDS:
        state = deny("A removed line can only be put back for two minutes.", code="undo_expired")
    return first_refusal(amend(actor, order), state)


def transfer_target(agent) -> Decision:
    """The agent a call is transferred to must be active and able to take orders."""
    if agent is None or not agent.is_active or not has_capability(agent, "create_order"):
        return deny("Choose an agent who can take orders.", code="invalid")
    return ALLOW


# --- Emails ----------------------------------------------------------------------------------


def email(actor, order: Order, template: str = "send_update") -> Decision:
    """ "Send update" / "Resend confirmation" to the order's customer."""
    state = ALLOW
    if not order.customer.email:
        state = deny("The customer has no email address.", code="no_email")
    elif template == "resend_confirmation" and order.status == S.DRAFT:
        state = deny("A draft has no confirmation yet.", code="not_confirmed")
    return first_refusal(
        permitted(actor, "send_email", "Emailing customers is not allowed for you."), state
    )


# --- Derived figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class NextAction:
    """The one primary next step on the order page: record a payment, or a status move."""

    kind: str  # "pay" | "move" | "clear_alert" | "resume"
    label: str
    to: str = ""


_NEXT_LABELS = {
    S.PENDING: "Schedule",
    S.PICKED_UP: "Start service",
    S.IN_SERVICE: "Mark ready",
    S.READY: "Mark delivered",
    S.DELIVERED: "Complete",
}


def next_action(actor, order: Order) -> NextAction | None:
    """The primary action the actor can take now, or None. A blocked advance points at what
    unblocks it (resume, clear the alert) when the actor may do that."""
    if order.status in CLOSED_STATUSES:
        return None
    if order.suspended:
        return NextAction("resume", "Resume order") if resume(actor, order) else None
    if order.status == S.DRAFT:
        return (
            NextAction("pay", "Record payment to confirm") if record_payment(actor, order) else None
        )
    path = machine.PATHS[order.kind]
    to = path[path.index(order.status) + 1]
    decision = move(actor, order, to)
    if decision:
        label = _NEXT_LABELS.get(order.status)
        if order.status == S.SCHEDULED:
            label = "Mark picked up" if order.kind == Kind.SERVICE else "Mark ready"
        return NextAction("move", label, to)
    if decision.code == "alerts_uncleared" and clear_alert(actor, order):
        return NextAction("clear_alert", "Clear the alert first")
    return None


BADGE_TONES = {
    S.DRAFT: "",
    S.PENDING: "warn",
    S.SCHEDULED: "warn",
    S.PICKED_UP: "warn",
    S.IN_SERVICE: "warn",
    S.READY: "ok",
    S.DELIVERED: "ok",
    S.COMPLETED: "ok",
    S.CANCELLED: "danger",
}


def badge(order: Order) -> str:
    """The colour (CSS tone) of the order's status badge, the same on every screen."""
    return BADGE_TONES.get(order.status, "")


PAYMENT_TONES = {PaymentStatus.RECORDED: "ok", PaymentStatus.REVERSED: "danger"}


def payment_badge(payment) -> str:
    return PAYMENT_TONES.get(payment.status, "warn")


def status_tone(obj) -> str:
    """The badge tone (`{{ obj|tone }}`) of an order's or a payment's status."""
    from caredesk.orders.models import Payment

    if isinstance(obj, Order):
        return badge(obj)
    if isinstance(obj, Payment):
        return payment_badge(obj)
    return ""


def status_path(order: Order) -> list[dict]:
    """The happy path of the order's kind, each step done, current or to do."""
    if order.status == S.CANCELLED:
        return [{"status": S.CANCELLED, "label": "Cancelled", "state": "current"}]
    return path_steps(machine.PATHS[order.kind], order.status, machine.STAFF_LABELS)


def figures(order: Order) -> pricing.OrderFigures:
    """Paid, balance due and refund due, as `orders.pricing` computes them."""
    return pricing.order_figures(order)


# --- The API's `actions` --------------------------------------------------------------------


def actions(actor, order: Order) -> dict[str, Decision]:
    """Every question about the order, answered for `actor`: the API's `actions` member and
    what the order page shows."""
    found = answers(
        (
            amend,
            cancel,
            record_payment,
            reverse_payment,
            suspend,
            resume,
            flag,
            clear_alert,
            take_over_lock,
            park,
            transfer,
            void,
            email,
        ),
        actor,
        order,
    )
    found["resend_confirmation"] = email(actor, order, "resend_confirmation")
    for to in machine.PATHS[order.kind][1:]:
        found[f"move_to_{to}"] = move(actor, order, to)
    return found
