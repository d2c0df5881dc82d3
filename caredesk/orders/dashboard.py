"""Orders panels on the workspace dashboard: active orders and the agent's pending orders,
with counts (index-backed: status and assigned agent). A count query only runs when a panel
has more rows than it shows."""

from caredesk.lib.permissions import has_capability
from caredesk.orders.selectors import order_list, pending_list

PANEL_ROWS = 5


def _rows_and_count(qs) -> tuple[list, int]:
    rows = list(qs[: PANEL_ROWS + 1])
    if len(rows) <= PANEL_ROWS:
        return rows, len(rows)
    return rows[:PANEL_ROWS], qs.count()


def panels(request) -> list[dict]:
    user = request.user
    if not has_capability(user, "view_orders"):
        return []
    active, active_count = _rows_and_count(order_list(status="active"))
    mine, mine_count = _rows_and_count(pending_list(agent=user))
    return [
        {
            "template": "orders/_dashboard_panels.html",
            "active_count": active_count,
            "active": active,
            "mine_count": mine_count,
            "mine": mine,
        }
    ]
