"""Money services: one function per business action (see each module)."""

from caredesk.billing.services.invoices import (
    invoice_email,
    invoice_follow_amendment,
    invoice_issue_on_confirmation,
)
from caredesk.billing.services.quotes import quote_convert, quote_create, quote_email
from caredesk.billing.services.refunds import refund_issue, refund_reverse
from caredesk.billing.services.returns import return_create, return_transition

__all__ = [
    "invoice_email",
    "invoice_follow_amendment",
    "invoice_issue_on_confirmation",
    "quote_convert",
    "quote_create",
    "quote_email",
    "refund_issue",
    "refund_reverse",
    "return_create",
    "return_transition",
]
