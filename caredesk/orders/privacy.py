"""The orders app's part of a customer's data export. Orders and payments are tax records:
erasure keeps them (the customer's own row shows "Erased customer M0001234"), so there is no
`erase` here beyond the free-text fields that may name the customer."""

from caredesk.orders.models import Order


def export(customer) -> dict:
    """Every order of the customer with its lines and payments."""
    orders = (
        Order.objects.filter(customer=customer)
        .select_related("branch")
        .prefetch_related("lines", "payments")
        .order_by("created_at")
    )
    return {
        "orders": [
            {
                "number": order.number,
                "kind": order.get_kind_display(),
                "status": order.get_status_display(),
                "branch": order.branch.name,
                "created_at": order.created_at,
                "requested_delivery_on": order.requested_delivery_on,
                "scheduled_delivery_on": order.scheduled_delivery_on,
                "subtotal": order.subtotal,
                "discount_total": order.discount_total,
                "tax": order.tax,
                "delivery_fee": order.delivery_fee,
                "total": order.total,
                "paid": order.paid,
                "balance": order.balance,
                "lines": [
                    {
                        "sku": line.sku,
                        "name": line.name,
                        "quantity": line.quantity,
                        "unit_price": line.unit_price,
                        "discount": line.discount,
                    }
                    for line in sorted(order.lines.all(), key=lambda line: line.position)
                ],
                "payments": [
                    {
                        "method": payment.get_method_display(),
                        "amount": payment.amount,
                        "card_last4": payment.card_last4,
                        "reference": payment.reference,
                        "received_at": payment.received_at,
                        "status": payment.get_status_display(),
                    }
                    for payment in sorted(order.payments.all(), key=lambda p: p.received_at)
                ],
            }
            for order in orders
        ]
    }


def erase(customer, *, actor) -> None:
    """Free text written about the customer on their orders (suspension and cancellation
    reasons) is cleared; amounts, lines and payments stay as tax records."""
    Order.objects.filter(customer=customer).exclude(suspended_reason="").update(
        suspended_reason="(erased)"
    )
    Order.objects.filter(customer=customer).exclude(cancel_reason="").update(
        cancel_reason="(erased)"
    )
