"""Delivery event types (audit `action` codes) and how each reads on a timeline. Run events
target the run; stop events target the order, so the order's timeline tells where it went."""

from enum import StrEnum

from caredesk.lib.display import day
from caredesk.lib.events import labelled, lines, part, renders


class DeliveryEvent(StrEnum):
    RUN_CREATED = "run.created"
    RUN_RESEQUENCED = "run.resequenced"
    RUN_DISPATCHED = "run.dispatched"
    RUN_COMPLETED = "run.completed"
    STOP_ADDED = "stop.added"
    STOP_REMOVED = "stop.removed"
    STOP_ARRIVED = "stop.arrived"
    STOP_DELIVERED = "stop.delivered"
    STOP_FAILED = "stop.failed"
    STOP_PAYMENT_COLLECTED = "stop.payment_collected"


labelled(
    {DeliveryEvent.RUN_DISPATCHED: "Run dispatched", DeliveryEvent.RUN_COMPLETED: "Run completed"}
)


lines(
    {
        DeliveryEvent.RUN_CREATED: (
            "Run created",
            "Run for {after.date|day} created: {after.vehicle}, crew {after.crew|plain or no crew}",
        ),
        DeliveryEvent.STOP_ARRIVED: ("Crew arrived", "Crew arrived[ (run {data.run})]"),
        DeliveryEvent.STOP_PAYMENT_COLLECTED: (
            "Payment collected (report)",
            "Crew reports collecting {after.amount|money} (report only)",
        ),
    }
)


@renders(DeliveryEvent.RUN_RESEQUENCED, label="Stops reordered")
def _run_resequenced(event) -> str:
    how = "suggested route accepted" if part(event, "data").get("suggested") else "reordered"
    return f"Stops {how} ({len(part(event, 'after').get('stops') or [])} stops)"


@renders(DeliveryEvent.STOP_ADDED, label="Added to run")
def _stop_added(event) -> str:
    a = part(event, "after")
    text = "Added to run" + (f" {a['run']}" if a.get("run") else "")
    text += f" on {day(a.get('date'))}" if a.get("date") else ""
    text += f" as stop {a['sequence']}" if a.get("sequence") else ""
    if (event.before or {}).get("scheduled_delivery_on", "same") != a.get("date"):
        text += f" (delivery date set to {day(a.get('date'))})"
    return text


@renders(DeliveryEvent.STOP_REMOVED, label="Taken off run")
def _stop_removed(event) -> str:
    run = (event.before or {}).get("run")
    return f"Taken off run {run}" if run else "Taken off its run"


@renders(DeliveryEvent.STOP_DELIVERED, label="Stop done")
def _stop_delivered(event) -> str:
    a = part(event, "after")
    if a.get("kind") == "pickup":
        text = "Parts picked up by the crew"
        if a.get("expected_return_on"):
            text += f"; expected back {day(a['expected_return_on'])}"
        return text
    who = a.get("recipient")
    return "Delivered by the crew" + (f", received by {who}" if who else "")


@renders(DeliveryEvent.STOP_FAILED, label="Delivery failed")
def _stop_failed(event) -> str:
    from caredesk.delivery.policy import FAILURE_REASONS

    a = part(event, "after")
    text = f"Stop failed: {FAILURE_REASONS.get(a.get('reason'), 'other reason')}"
    return text + (f" ({event.reason})" if event.reason else "")
