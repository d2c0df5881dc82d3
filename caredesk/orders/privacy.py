"""The orders app's part of a customer's data export. Orders and payments are tax records:
erasure keeps them (the customer's own row shows "Erased customer M0001234"), so there is no
`erase` here beyond the free-text fields that may name the customer."""

from django.db.models import Q

from caredesk.orders.models import Alert, Order, Payment

ERASED = "(erased)"


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
    """Free text written about the customer on their orders is cleared: suspension and
    cancellation reasons, review flags, fraud hits and the notes that cleared an alert,
    payments' references and reversal reasons (also in the stored API answer a replay
    returns). Amounts, methods, card last 4, lines and statuses stay as tax records."""
    orders = Order.objects.filter(customer=customer)
    orders.exclude(suspended_reason="").update(suspended_reason=ERASED)
    orders.exclude(cancel_reason="").update(cancel_reason=ERASED)
    alerts = Alert.objects.filter(order__customer=customer)
    alerts.exclude(clear_note="").update(clear_note=ERASED)
    # Staff's review flags are free text; a fraud hit names the blocked value that matched.
    alerts.filter(Q(system=False) | Q(kind=Alert.Kind.FRAUD_HIT)).update(message=ERASED)
    payments = Payment.objects.filter(order__customer=customer)
    payments.exclude(reference="").update(reference=ERASED)
    payments.exclude(reversal_reason="").update(reversal_reason=ERASED)
    for payment in payments.exclude(response=None).only("pk", "response"):
        answer = payment.response
        if isinstance(answer, dict) and answer.get("reference"):
            Payment.objects.filter(pk=payment.pk).update(response={**answer, "reference": ERASED})
