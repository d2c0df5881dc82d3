"""The customer's orders and payments on the member snapshot (newest first; orders through
index order_customer_idx, their payments through payment_order_status_idx)."""

from caredesk.lib.permissions import has_capability
from caredesk.orders.selectors import customer_orders, customer_payments

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
        },
        _payments_panel(customer),
    ]


def _payments_panel(customer) -> dict:
    rows = list(customer_payments(customer)[: SHOWN + 1])
    return {
        "template": "orders/_snapshot_payments.html",
        "payments": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "customer": customer,
    }
