"""The customer's invoices, refunds, quotes and returns on the member snapshot (newest first,
through `invoice_customer_idx`, the refunds' order join and `return_customer_idx`)."""

from caredesk.billing import policy, selectors
from caredesk.lib.permissions import has_capability

SHOWN = 10


def panels(request, customer) -> list[dict]:
    if not has_capability(request.user, "view_invoices"):
        return []
    invoices = list(selectors.customer_invoices(customer)[: SHOWN + 1])
    refunds = list(selectors.customer_refunds(customer)[: SHOWN + 1])
    quotes = list(selectors.customer_quotes(customer)[:SHOWN])
    returns = list(selectors.customer_returns(customer)[:SHOWN])
    return [
        {
            "template": "billing/_snapshot_money.html",
            "invoices": invoices[:SHOWN],
            "refunds": refunds[:SHOWN],
            "quotes": [(q, policy.quote_state(q)) for q in quotes],
            "returns": returns,
            "customer": customer,
            "can_quote": bool(policy.create_quote(request.user)),
            "more": len(invoices) > SHOWN or len(refunds) > SHOWN,
        }
    ]
