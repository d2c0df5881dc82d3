"""The customer's orders on "View as customer": what the customer sees on their account page
(the guest status words, dates, totals), read-only and with nothing to click."""

from caredesk.orders import machine
from caredesk.orders.selectors import customer_orders

SHOWN = 10


def panels(request, customer) -> list[dict]:
    rows = [
        {
            "number": order.number,
            "placed": order.created_at,
            "status": machine.guest_label(order.kind, order.status),
            "total": order.total,
        }
        for order in customer_orders(customer).exclude(status="draft")[:SHOWN]
    ]
    return [{"template": "orders/_view_as_orders.html", "orders": rows}]
