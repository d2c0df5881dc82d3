"""The customer's orders on the member snapshot (newest first, index order_customer_idx)."""

from caredesk.lib.permissions import has_capability
from caredesk.orders.selectors import customer_orders

SHOWN = 10


def panels(request, customer) -> list[dict]:
    if not has_capability(request.user, "view_orders"):
        return []
    rows = list(customer_orders(customer).select_related("branch")[: SHOWN + 1])
    return [
        {
            "template": "orders/_snapshot_orders.html",
            "orders": rows[:SHOWN],
            "more": len(rows) > SHOWN,
            "customer": customer,
            "can_create": has_capability(request.user, "create_order"),
        }
    ]
