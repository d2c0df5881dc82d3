"""The billing app's part of a customer's data export and erasure (privacy hooks).

Invoices, supplementary invoices and credit notes are tax records: erasure keeps their
numbers, dates, lines and totals, and replaces only the buyer's personal values frozen on
them at issue (name, email, address) with the tombstone "Erased customer M0001234" (the
member ID stays, as on the customer's own row). Quotes keep no copy of the buyer (a quote's
PDF reads the customer row, already tombstoned). Returns and refunds keep their numbers,
lines and amounts; the free text written about them (a return's reason and closing note, a
refund's reason, reference and reversal reason, also in the stored API answer a replay
returns) may name the customer or their household and becomes a tombstone."""

from caredesk.billing.models import Invoice, Quote, Refund, Return

ERASED = "(erased)"


def export(customer) -> dict:
    """The customer's invoices and credit notes (as billed to them), refunds, quotes and
    returns."""
    invoices = (
        Invoice.objects.filter(customer=customer)
        .select_related("order", "corrects")
        .order_by("issued_at", "pk")
    )
    refunds = Refund.objects.filter(order__customer=customer).select_related("order")
    quotes = Quote.objects.filter(customer=customer).select_related("order")
    return {
        "invoices": [
            {
                "number": invoice.number,
                "title": invoice.title,
                "order": invoice.order.number,
                "corrects": invoice.corrects.number if invoice.corrects_id else None,
                "issued_at": invoice.issued_at,
                "reason": invoice.reason,
                "currency": invoice.currency,
                "buyer": invoice.buyer,
                "lines": invoice.lines,
                "subtotal": invoice.subtotal,
                "discount_total": invoice.discount_total,
                "delivery_fee": invoice.delivery_fee,
                "tax": invoice.tax,
                "total": invoice.total,
            }
            for invoice in invoices
        ],
        "refunds": [
            {
                "order": refund.order.number,
                "method": refund.method,
                "amount": refund.amount,
                "reference": refund.reference,
                "reason": refund.reason,
                "status": refund.get_status_display(),
                "refunded_at": refund.refunded_at,
                "reversed_at": refund.reversed_at,
            }
            for refund in refunds.order_by("refunded_at", "pk")
        ],
        "quotes": [
            {
                "number": quote.number,
                "status": quote.get_status_display(),
                "created_at": quote.created_at,
                "valid_until": quote.valid_until,
                "lines": quote.lines,
                "subtotal": quote.subtotal,
                "discount_total": quote.discount_total,
                "delivery_fee": quote.delivery_fee,
                "tax": quote.tax,
                "total": quote.total,
                "order": quote.order.number if quote.order_id else None,
            }
            for quote in quotes.order_by("created_at", "pk")
        ],
        "returns": [
            {
                "number": ret.number,
                "order": ret.order.number,
                "status": ret.get_status_display(),
                "reason": ret.reason,
                "requested_at": ret.requested_at,
                "received_at": ret.received_at,
                "credit": ret.credit,
                "lines": [
                    {"sku": rl.sku, "name": rl.name, "quantity": rl.quantity}
                    for rl in ret.lines.all()
                ],
                "replacement_order": (
                    ret.replacement_order.number if ret.replacement_order_id else None
                ),
            }
            for ret in Return.objects.filter(customer=customer)
            .select_related("order", "replacement_order")
            .prefetch_related("lines")
            .order_by("requested_at", "pk")
        ],
    }


def erased_buyer(customer) -> dict:
    """What an erased customer's documents show as the buyer."""
    return {
        "name": f"Erased customer {customer.member_id}",
        "member_id": customer.member_id,
        "email": "",
        "address": "",
    }


def erase(customer, *, actor) -> None:
    """Tombstone the buyer frozen on the customer's invoices and credit notes.

    `Invoice.save()` refuses every edit of an issued document; erasure is the one deliberate
    exception, so it writes the `buyer` column alone with a queryset `update()` (which does
    not go through `save()`). Numbers, lines, totals and the seller are untouched."""
    Invoice.objects.filter(customer=customer).update(buyer=erased_buyer(customer))
    returns = Return.objects.filter(customer=customer)
    returns.exclude(reason="").update(reason=ERASED)
    returns.exclude(close_reason="").update(close_reason=ERASED)
    refunds = Refund.objects.filter(order__customer=customer)
    refunds.exclude(reason="").update(reason=ERASED)
    refunds.exclude(reference="").update(reference=ERASED)
    refunds.exclude(reversal_reason="").update(reversal_reason=ERASED)
    for refund in refunds.exclude(response=None).only("pk", "response"):
        Refund.objects.filter(pk=refund.pk).update(response=_erased_answer(refund.response))


def _erased_answer(answer):
    """A stored API answer with its free text tombstoned (replays answer the same shape)."""
    if not isinstance(answer, dict):
        return answer
    return {k: ERASED if k in ("reference", "reason") and v else v for k, v in answer.items()}
