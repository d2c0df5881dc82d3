"""The order status machine (SPEC §3): one table of allowed transitions per kind, checked in
one function (`transition_check`), and the labels a guest sees on the tracking page."""

from caredesk.orders.models import Kind, Status

S = Status

# Both kinds open and close the same way; they differ between scheduling and ready.
_OPENING: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PENDING, S.CANCELLED}),
    S.PENDING: frozenset({S.SCHEDULED, S.CANCELLED}),
}
_CLOSING: dict[str, frozenset[str]] = {
    S.READY: frozenset({S.DELIVERED, S.CANCELLED}),
    S.DELIVERED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Kind.SALE: {
        **_OPENING,
        S.SCHEDULED: frozenset({S.READY, S.CANCELLED}),
        **_CLOSING,
    },
    Kind.SERVICE: {
        **_OPENING,
        S.SCHEDULED: frozenset({S.PICKED_UP, S.CANCELLED}),
        S.PICKED_UP: frozenset({S.IN_SERVICE, S.CANCELLED}),
        # In service: the parts are in the workshop; no cancel until they are ready again.
        S.IN_SERVICE: frozenset({S.READY}),
        **_CLOSING,
    },
}

# The happy path of each kind, in order (the status path drawn on the order page).
PATHS: dict[str, list[str]] = {
    Kind.SALE: [S.DRAFT, S.PENDING, S.SCHEDULED, S.READY, S.DELIVERED, S.COMPLETED],
    Kind.SERVICE: [
        S.DRAFT,
        S.PENDING,
        S.SCHEDULED,
        S.PICKED_UP,
        S.IN_SERVICE,
        S.READY,
        S.DELIVERED,
        S.COMPLETED,
    ],
}

# Statuses in which a service order's parts are with us (cancel asks whether to return them).
PARTS_HELD = frozenset({S.PICKED_UP, S.READY})

CANCEL_REASONS: dict[str, str] = {
    "customer_request": "Customer asked to cancel",
    "duplicate": "Duplicate order",
    "payment_failed": "Payment failed",
    "out_of_stock": "Out of stock / supplier cannot deliver",
    "fraud": "Fraud or questionable activity",
    "call_voided": "Call voided (order in progress discarded)",
    "other": "Other",
}

STAFF_LABELS: dict[str, str] = dict(Status.choices)


def allowed_next(kind: str, status: str) -> frozenset[str]:
    return TRANSITIONS[kind][status]


def transition_allowed(kind: str, current: str, to: str) -> bool:
    return to in TRANSITIONS[kind].get(current, frozenset())


def guest_label(kind: str, status: str) -> str:
    """What the customer sees. A confirmed sale order waits for the supplier's shipment
    before it can be scheduled, hence "Pending factory shipment" [S0]."""
    if kind == Kind.SALE and status == S.PENDING:
        return "Pending factory shipment"
    return {
        S.DRAFT: "Order being prepared",
        S.PENDING: "Order confirmed",
        S.SCHEDULED: "Scheduled" if kind == Kind.SALE else "Pickup scheduled",
        S.PICKED_UP: "Picked up",
        S.IN_SERVICE: "In service",
        S.READY: "Ready for delivery",
        S.DELIVERED: "Delivered",
        S.COMPLETED: "Completed",
        S.CANCELLED: "Cancelled",
    }[status]
