"""Order services: one function per business action (see each module)."""

from caredesk.orders.services.calls import (
    lock_release,
    lock_take_over,
    lock_touch,
    order_park,
    order_transfer,
    order_void,
    order_void_undo,
)
from caredesk.orders.services.catalog import catalog_create, catalog_update
from caredesk.orders.services.holds import alert_clear, order_flag, order_resume, order_suspend
from caredesk.orders.services.moves import order_transition
from caredesk.orders.services.orders import (
    AMENDMENT_OPS,
    Amendment,
    amendment_preview,
    order_amend,
    order_create,
)
from caredesk.orders.services.payments import (
    payment_confirm_report,
    payment_record,
    payment_report,
    payment_reverse,
)
from caredesk.orders.services.windows import (
    window_capacity_change,
    window_create,
    window_remove,
)

__all__ = [
    "AMENDMENT_OPS",
    "Amendment",
    "alert_clear",
    "amendment_preview",
    "catalog_create",
    "catalog_update",
    "lock_release",
    "lock_take_over",
    "lock_touch",
    "order_amend",
    "order_create",
    "order_flag",
    "order_park",
    "order_resume",
    "order_suspend",
    "order_transfer",
    "order_transition",
    "order_void",
    "order_void_undo",
    "payment_confirm_report",
    "payment_record",
    "payment_report",
    "payment_reverse",
    "window_capacity_change",
    "window_create",
    "window_remove",
]
