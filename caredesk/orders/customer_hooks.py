"""What orders need from the customer record: deliveries and pickups are planned from the
customer's address (its zone), so an order that is neither finished nor cancelled keeps its
customer's last address from being removed."""

from caredesk.customers.services import address_needs_register
from caredesk.orders.models import Order, Status

# Past these statuses an order no longer goes to the customer's address.
ADDRESS_NOT_NEEDED = (Status.DELIVERED, Status.COMPLETED, Status.CANCELLED)


def open_order_needs_address(customer) -> str | None:
    order = (
        Order.objects.filter(customer=customer)
        .exclude(status__in=ADDRESS_NOT_NEEDED)
        .order_by("created_at", "pk")
        .only("number", "status")
        .first()
    )
    if order is None:
        return None
    return f"order {order.number} ({order.get_status_display().lower()}) still needs it."


address_needs_register(open_order_needs_address)
