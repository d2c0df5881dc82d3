"""Orders panels on the workspace dashboard: active orders and the agent's pending orders,
with counts (index-backed: status and assigned agent). A count query only runs when a panel
has more rows than it shows, and counts at most COUNT_CAP rows like the grids ("1,000+"): the
dashboard costs the same at 3 million orders as at 3 thousand."""

from caredesk.lib.counts import COUNT_CAP, capped_count, count_label
from caredesk.lib.permissions import has_capability
from caredesk.orders.selectors import active_orders_newest_first, order_list, pending_list

PANEL_ROWS = 5


def _rows_and_count(qs, rows=None) -> tuple[list, str]:
    """The panel's rows and its count as shown: exact up to COUNT_CAP, then "1,000+"."""
    rows = list(qs[: PANEL_ROWS + 1]) if rows is None else rows
    if len(rows) <= PANEL_ROWS:
        return rows, f"{len(rows):,}"
    return rows[:PANEL_ROWS], count_label(*capped_count(qs, COUNT_CAP))


def panels(request) -> list[dict]:
    user = request.user
    if not has_capability(user, "view_orders"):
        return []
    # The panels show the order and its customer only.
    active = active_orders_newest_first().select_related(None).select_related("customer")
    active, active_count = _rows_and_count(
        order_list(status="active"), rows=list(active[: PANEL_ROWS + 1])
    )
    mine, mine_count = _rows_and_count(
        pending_list(agent=user).select_related(None).select_related("customer")
    )
    return [
        {
            "template": "orders/_dashboard_panels.html",
            "active_count": active_count,
            "active": active,
            "mine_count": mine_count,
            "mine": mine,
        }
    ]
