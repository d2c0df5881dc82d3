"""The order page's money panels: the order's invoices and credit notes, its refunds, the
refund due and finance's refund form (what `billing.policy` allows); and its returns, with
"Start a return" when the policy allows one and a line has units left to give back."""

import uuid

from caredesk.billing import policy, selectors
from caredesk.billing.forms import RefundForm
from caredesk.lib.permissions import has_capability


def panels(request, order) -> list[dict]:
    return [*_money(request, order), *_returns(request, order)]


def _returns(request, order) -> list[dict]:
    """Shown on sale orders that are delivered, have returns or replace a return's goods."""
    from caredesk.billing.services.returns import returnable_lines

    if order.kind != "sale" or not policy.view_returns(request.user):
        return []
    returns, replacing = [], None
    for ret in selectors.order_returns(order):  # one query (lines prefetched when any)
        if ret.order_id == order.pk:
            returns.append(ret)
        else:
            replacing = ret
    delivered = order.status in policy.RETURNABLE_ORDER_STATUSES
    if not (returns or replacing or delivered):
        return []
    start = policy.start_return(request.user, order)
    if start:
        left = sum(row.left for row in returnable_lines(order))
        start = policy.start_return(request.user, order, units_left=left)
    return [
        {
            "template": "billing/_order_returns.html",
            "order": order,
            "returns": returns,
            "replacing": replacing,
            "start": start,
        }
    ]


def _money(request, order) -> list[dict]:
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
