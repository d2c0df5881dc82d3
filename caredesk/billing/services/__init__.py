"""Money services: one function per business action (see each module)."""

from caredesk.billing.services.invoices import (
    invoice_email,
    invoice_follow_amendment,
    invoice_issue_on_confirmation,
)
from caredesk.billing.services.refunds import refund_issue, refund_reverse

__all__ = [
    "invoice_email",
    "invoice_follow_amendment",
    "invoice_issue_on_confirmation",
    "refund_issue",
    "refund_reverse",
]
