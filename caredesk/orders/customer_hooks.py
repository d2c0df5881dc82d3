"""What orders need from the customer record: deliveries and pickups are planned from the
customer's address (its zone), so an order that is neither finished nor cancelled keeps its
customer's last address from being removed; a service order that has picked a part up holds
that part's status until the part is back."""

from caredesk.customers.services import address_needs_register, part_holders_register
from caredesk.orders import machine
from caredesk.orders.models import Order, OrderLine, Status

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


# From pickup until the parts are back with the customer.
PART_HOLDING = (*machine.PARTS_HELD, Status.IN_SERVICE)


def open_order_holds_part(part) -> str | None:
    line = (
        OrderLine.objects.filter(part=part, order__status__in=PART_HOLDING)
        .select_related("order")
        .only("order__number", "order__status")
        .first()
    )
    if line is None:
        return None
    order = line.order
    return f"order {order.number} ({order.get_status_display().lower()}) has it."


part_holders_register(open_order_holds_part)
