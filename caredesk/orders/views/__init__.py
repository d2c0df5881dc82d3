"""Order pages (see each module)."""

from caredesk.orders.views.activity import activity
from caredesk.orders.views.catalog import catalog
from caredesk.orders.views.orders import (
    alert_clear,
    amend,
    call,
    detail,
    email,
    flag,
    hold,
    move,
    order_list_view,
    pay,
    pending,
    record_report,
    reverse_payment,
    take_over,
)
from caredesk.orders.views.tracking import track
from caredesk.orders.views.windows import window_change, windows
from caredesk.orders.views.wizard import new

__all__ = [
    "activity",
    "alert_clear",
    "amend",
    "call",
    "catalog",
    "detail",
    "email",
    "flag",
    "hold",
    "move",
    "new",
    "order_list_view",
    "pay",
    "pending",
    "record_report",
    "reverse_payment",
    "take_over",
    "track",
    "window_change",
    "windows",
]
