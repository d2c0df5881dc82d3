"""The order event types (the audit `action` codes the orders app writes) and how each reads
on the order timeline, the customer's timeline, the activity page, emails and chat alerts."""

from enum import StrEnum

from caredesk.lib.display import day, money
from caredesk.lib.events import changed, labelled, lines, part, plain, renders


class OrderEvent(StrEnum):
    CREATED = "order.created"
    AMENDED = "order.amended"
    STATUS_CHANGED = "order.status_changed"
    PAYMENT_RECORDED = "order.payment_recorded"
    PAYMENT_REPORTED = "order.payment_reported"
    PAYMENT_REVERSED = "order.payment_reversed"
    SUSPENDED = "order.suspended"
    RESUMED = "order.resumed"
    ALERT_RAISED = "order.alert_raised"
    ALERT_CLEARED = "order.alert_cleared"
    PARKED = "order.parked"
    TRANSFERRED = "order.transferred"
    VOIDED = "order.voided"
    VOID_UNDONE = "order.void_undone"
    LOCK_TAKEN_OVER = "order.lock_taken_over"
    EMAIL_QUEUED = "order.email_queued"


class CatalogEvent(StrEnum):
    CREATED = "catalog.created"
    UPDATED = "catalog.updated"


class WindowEvent(StrEnum):
    CREATED = "pickup_window.created"
    CAPACITY_CHANGED = "pickup_window.capacity_changed"
    REMOVED = "pickup_window.removed"


labelled({OrderEvent.SUSPENDED: "Order suspended", OrderEvent.RESUMED: "Order resumed"})


def _status(code) -> str:
    from caredesk.orders.models import Status

    try:
        return Status(code).label
    except ValueError:
        return plain(code)


def _method(code) -> str:
    from caredesk.orders.models import PaymentMethod

    try:
        return PaymentMethod(code).label.lower()
    except ValueError:
        return plain(code)


def _template(code) -> str:
    from caredesk.orders.emails import STAFF_TEMPLATES

    return STAFF_TEMPLATES.get(code, "Order email")


lines(
    {
        OrderEvent.PAYMENT_REPORTED: (
            "Payment reported",
            "Crew reported {after.amount|money} {after.method|method} received",
        ),
        OrderEvent.PAYMENT_REVERSED: ("Payment reversed", "Payment {data.amount|money} reversed"),
        OrderEvent.ALERT_CLEARED: ("Alert cleared", "{before.alert or Alert} cleared"),
        OrderEvent.PARKED: ("Call parked", "Call parked with {after.assigned_to|plain}"),
        OrderEvent.TRANSFERRED: (
            "Call transferred",
            "Call transferred from {before.assigned_to|plain} to {after.assigned_to|plain}",
        ),
        OrderEvent.VOIDED: ("Call voided", "Call voided: the order in progress was discarded"),
        OrderEvent.VOID_UNDONE: ("Void undone", "Void undone: the order is in progress again"),
        OrderEvent.LOCK_TAKEN_OVER: (
            "Edit lock taken over",
            "Edit lock taken over from {before.locked_by|plain}",
        ),
        OrderEvent.EMAIL_QUEUED: (
            "Order email queued",
            "{data.template|template} queued to {data.to|plain}",
        ),
        CatalogEvent.CREATED: (
            "Catalog item added",
            "{after.sku} {after.name} added at {after.price|money}",
        ),
        WindowEvent.CAPACITY_CHANGED: ("Window capacity changed", changed("Window {target_label}")),
        WindowEvent.REMOVED: ("Pickup window removed", "Window {target_label} removed"),
    },
    filters={"method": _method, "template": _template},
)


def _total_change(event) -> str:
    old, new = part(event, "before").get("total"), part(event, "after").get("total")
    if old is not None and new is not None and str(old) != str(new):
        return f" · total {money(old)} → {money(new)}"
    return ""


@renders(OrderEvent.CREATED, label="Order created")
def _created(event) -> str:
    after = part(event, "after")
    lines = after.get("lines") or []
    text = f"Order {after.get('number') or event.target_label} created"
    if lines:
        text += f" with {len(lines)} line{'s' if len(lines) != 1 else ''}"
    if after.get("total") is not None:
        text += f", total {money(after['total'])}"
    return text


_DATE_NAMES = {
    "requested_delivery_on": "Requested delivery",
    "scheduled_delivery_on": "Scheduled delivery",
}


@renders(OrderEvent.AMENDED, label="Order amended")
def _amended(event) -> str:
    before, after, op = part(event, "before"), part(event, "after"), part(event, "data").get("op")
    old, new = before.get("line") or {}, after.get("line") or {}
    if op == "set_quantity":
        text = f"Quantity of {new.get('name')} {old.get('quantity')} → {new.get('quantity')}"
    elif op == "swap_sku":
        text = f"{old.get('name')} swapped for {new.get('name')}"
    elif op == "add_line":
        text = f"Added {new.get('quantity')} × {new.get('name')}"  # noqa: RUF001
    elif op == "remove_line":
        text = f"Removed {old.get('quantity')} × {old.get('name')}"  # noqa: RUF001
    elif op == "set_dates":
        parts = []
        for field, name in _DATE_NAMES.items():
            if field in after:
                value = after[field]
                parts.append(f"{name} set to {day(value)}" if value else f"{name} cleared")
        text = "; ".join(parts) or "Delivery dates changed"
    else:
        text = "Order amended"
    return text + _total_change(event)


@renders(OrderEvent.STATUS_CHANGED, label="Status changed")
def _status_changed(event) -> str:
    before, after = part(event, "before"), part(event, "after")
    text = f"Status {_status(before.get('status'))} → {_status(after.get('status'))}"
    if after.get("refund_due"):
        text += f" · refund due {money(after['refund_due'])}"
    return text


@renders(OrderEvent.PAYMENT_RECORDED, label="Payment recorded")
def _payment_recorded(event) -> str:
    data = part(event, "data")
    text = f"Payment {money(data.get('amount'))}"
    if data.get("method"):
        text += f" {_method(data['method'])}"
    text += " recorded" + (" from the crew's report" if data.get("from_report") else "")
    if data.get("reference"):
        text += f" ({data['reference']})"
    before, after = part(event, "before"), part(event, "after")
    if before.get("status") and after.get("status") and before["status"] != after["status"]:
        text += f" · order {_status(after['status']).lower()}"
    return text


@renders(OrderEvent.ALERT_RAISED, label="Alert raised")
def _alert_raised(event) -> str:
    after = part(event, "after")
    return f"{after.get('alert') or 'Alert'} raised: {after.get('message', '')}".rstrip(": ")


@renders(CatalogEvent.UPDATED, label="Catalog item changed")
def _catalog_updated(event) -> str:
    before, after = dict(part(event, "before")), dict(part(event, "after"))
    for side in (before, after):
        if "price" in side:
            side["price"] = money(side["price"])
    from caredesk.lib.events import changes

    return f"{event.target_label} changed: {changes(before, after)}"


@renders(WindowEvent.CREATED, label="Pickup window opened")
def _window_created(event) -> str:
    after = part(event, "after")
    start, end = str(after.get("from", ""))[:5], str(after.get("to", ""))[:5]
    return f"Window {after.get('zone')} {day(after.get('date'))}, {start} to {end}"
