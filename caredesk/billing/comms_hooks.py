"""Money in communications: a customer's invoices and credit notes are what an email can be
"regarding", and an email regarding one (or an order confirmation) carries its PDF."""

from django.db.models import CharField, Q, Subquery
from django.db.models.functions import Cast

from caredesk.billing.models import Invoice, Quote
from caredesk.billing.pdf import invoice_pdf, quote_pdf
from caredesk.billing.selectors import customer_invoices
from caredesk.comms.regarding import RegardingItem, attachment_provider, regarding_provider
from caredesk.comms.selectors import history_source
from caredesk.lib.display import money

RECENT = 200


@regarding_provider
def customer_invoice_numbers(customer):
    for invoice in customer_invoices(customer)[:RECENT]:
        yield RegardingItem(
            number=invoice.number,
            kind="invoice",
            label=f"{invoice.title} {invoice.number} ({money(invoice.total)})",
            order_number=invoice.order.number,
        )


@regarding_provider
def customer_quote_numbers(customer):
    for quote in Quote.objects.filter(customer=customer).order_by("-created_at")[:RECENT]:
        yield RegardingItem(
            number=quote.number, kind="quote", label=f"Quote {quote.number} ({money(quote.total)})"
        )


@attachment_provider
def quote_attachments(message):
    regarding = message.regarding or ""
    if "-Q-" not in regarding:
        return []
    quote = Quote.objects.select_related("branch", "customer").filter(number=regarding).first()
    return [(f"{quote.number}.pdf", quote_pdf(quote), "application/pdf")] if quote else []


def _events_of(rows, newest_first: str, target_type: str) -> Q:
    """Events of the newest RECENT of `rows` (the customer's quotes or invoices): one
    subquery, no extra query."""
    ids = rows.annotate(key=Cast("pk", CharField())).order_by(newest_first).values("key")
    return Q(target_type=target_type, target_id__in=Subquery(ids[:RECENT]))


@history_source
def customer_quote_events(customer) -> Q:
    return _events_of(Quote.objects.filter(customer=customer), "-created_at", "billing.quote")


@attachment_provider
def invoice_attachments(message):
    """The PDF of the invoice a message is regarding; the order's first invoice on its
    confirmation email."""
    invoice = None
    regarding = message.regarding or ""
    if "-INV-" in regarding or "-CN-" in regarding:
        invoice = Invoice.objects.filter(number=message.regarding).first()
    elif message.template_code == "order_confirmation" and message.order_number:
        invoice = (
            Invoice.objects.filter(order__number=message.order_number, corrects__isnull=True)
            .order_by("pk")
            .first()
        )
    if invoice is None:
        return []
    return [(f"{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")]


@history_source
def customer_invoice_events(customer) -> Q:
    """Events of the customer's invoices (issued, emailed)."""
    invoices = Invoice.objects.filter(customer=customer)
    return _events_of(invoices, "-issued_at", "billing.invoice")
