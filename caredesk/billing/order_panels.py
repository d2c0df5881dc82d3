"""The order page's money panel: the order's invoices and credit notes, its refunds, the refund
due and finance's refund form (what `billing.policy` allows)."""

import uuid

from caredesk.billing import policy, selectors
from caredesk.billing.forms import RefundForm
from caredesk.lib.permissions import has_capability


def panels(request, order) -> list[dict]:
    user = request.user
    if not has_capability(user, "view_invoices") and not has_capability(user, "issue_refund"):
        return []
    invoices = list(selectors.order_invoices(order)) if policy.view_invoices(user) else []
    refunds = list(order.refunds.select_related("issued_by").order_by("refunded_at", "pk"))
    refund = policy.issue_refund(user, order)
    return [
        {
            "template": "billing/_order_money.html",
            "order": order,
            "invoices": invoices,
            "refunds": [(r, policy.reverse_refund(user, r)) for r in refunds],
            "figures": policy.order_money(order, invoices),
            "refund": refund,
            "refund_form": RefundForm(
                prefix="refund",
                initial={
                    "version": order.version,
                    "amount": order.refund_due,
                    "idempotency_key": uuid.uuid4().hex,
                },
            )
            if refund
            else None,
            "can_reverse": bool(policy.refunds(user)),
        }
    ]
