"""The customer's invoices and refunds on the member snapshot (newest first, through
`invoice_customer_idx` and the refunds' order join)."""

from caredesk.billing import selectors
from caredesk.lib.permissions import has_capability

SHOWN = 10


def panels(request, customer) -> list[dict]:
    if not has_capability(request.user, "view_invoices"):
        return []
    invoices = list(selectors.customer_invoices(customer)[: SHOWN + 1])
    refunds = list(selectors.customer_refunds(customer)[: SHOWN + 1])
    return [
        {
            "template": "billing/_snapshot_money.html",
            "invoices": invoices[:SHOWN],
            "refunds": refunds[:SHOWN],
            "more": len(invoices) > SHOWN or len(refunds) > SHOWN,
        }
    ]
