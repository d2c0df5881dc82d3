"""Orders in the top bar's type-ahead: an order number (or its start, `MNL-00`) lists the
matching orders above the customers; the customer of an exactly matching order is ranked
with the exact matches of the customer search."""

from caredesk.customers.search import instant_exact_lookup_register
from caredesk.lib.permissions import has_capability
from caredesk.orders.models import Order
from caredesk.orders.selectors import order_number_search


def panels(request, q: str) -> list[dict]:
    if not has_capability(request.user, "view_orders"):
        return []
    orders = order_number_search(q)
    if not orders:
        return []
    return [{"template": "orders/_instant_orders.html", "orders": orders}]


def customers_of_order_number(q: str) -> list[int]:
    q = q.strip().upper()
    if "-" not in q:
        return []
    return list(Order.objects.filter(number=q).values_list("customer_id", flat=True)[:1])


instant_exact_lookup_register(customers_of_order_number)
