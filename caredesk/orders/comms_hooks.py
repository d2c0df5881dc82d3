"""Orders in communications: a customer's order numbers are what an email can be
"regarding" (with the order's template variables), and order events join the customer's
activity history."""

from django.db.models import Q

from caredesk.comms.regarding import RegardingItem, regarding_provider
from caredesk.comms.selectors import history_source
from caredesk.orders.models import Order

RECENT_ORDERS = 200


@regarding_provider
def customer_order_numbers(customer):
    orders = (
        Order.objects.filter(customer=customer)
        .select_related("branch", "customer")
        .order_by("-created_at", "-pk")[:RECENT_ORDERS]
    )
    from caredesk.orders.emails import order_email_context

    for order in orders:
        yield RegardingItem(
            number=order.number,
            kind="order",
            label=f"Order {order.number} ({order.get_status_display()})",
            order_number=order.number,
            load_context=lambda order=order: order_email_context(order),
        )


@history_source
def customer_order_events(customer) -> Q:
    ids = (
        Order.objects.filter(customer=customer)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:RECENT_ORDERS]
    )
    return Q(target_type="orders.order", target_id__in=[str(pk) for pk in ids])
