"""Quotes: an offer with lines and an expiry date, emailed as a PDF, converted once into a
draft order at the quoted prices (or, after expiry, at today's prices with consent)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.billing import policy
from caredesk.billing.events import MoneyEvent
from caredesk.billing.models import Quote, QuoteStatus, Series
from caredesk.billing.services.invoices import document_email, document_number_allocate
from caredesk.lib.display import day
from caredesk.lib.errors import Invalid
from caredesk.lib.policy import enforce
from caredesk.orders import pricing
from caredesk.orders.services import order_create
from caredesk.orders.services.orders import lines_from_input

MAX_DAYS = 180


def quote_create(*, actor, customer, branch, lines: list[dict], valid_until: date) -> Quote:
    """A quote numbered in its branch (`MNL-Q-000001`), priced now by `orders.pricing`."""
    enforce(policy.create_quote(actor))
    if not customer.is_open:
        raise Invalid(f"{customer} is closed; reopen the account first.", field="customer")
    if not branch.active:
        raise Invalid(f"Branch {branch.code} is not active.", field="branch")
    today = timezone.localdate()
    if valid_until is None or valid_until < today:
        raise Invalid("A quote is valid until today or a later day.", field="valid_until")
    if valid_until > today + timedelta(days=MAX_DAYS):
        raise Invalid(f"A quote is valid for at most {MAX_DAYS} days.", field="valid_until")
    drafts = lines_from_input(customer=customer, lines=lines, parts=False)
    totals = pricing.price(
        [pricing.PricedLine(d.quantity, d.unit_price) for d in drafts],
        delivery_fee=pricing.money(settings.CAREDESK_DELIVERY_FEE),
    )
    with transaction.atomic():
        quote = Quote.objects.create(
            number=document_number_allocate(branch, Series.QUOTE),
            branch=branch,
            customer=customer,
            valid_until=valid_until,
            lines=[
                {
                    "sku": d.sku,
                    "name": d.name,
                    "quantity": d.quantity,
                    "unit_price": str(d.unit_price),
                    "total": str(pricing.PricedLine(d.quantity, d.unit_price).total),
                }
                for d in drafts
            ],
            subtotal=totals.subtotal,
            discount_total=totals.discount_total,
            delivery_fee=totals.delivery_fee,
            tax=totals.tax,
            total=totals.total,
            created_by=actor,
        )
        event_record(
            actor=actor,
            action=MoneyEvent.QUOTE_CREATED,
            target=quote,
            after={"number": quote.number, "total": quote.total, "until": day(valid_until)},
        )
    return quote


def quote_convert(*, actor, quote: Quote | str, reprice: bool = False):
    """The draft order of a quote, at the quoted prices; refused once converted, and after
    expiry unless `reprice` (today's catalog prices, the agent's consent). Returns the order."""
    with transaction.atomic():
        number = quote.number if isinstance(quote, Quote) else str(quote).upper()
        locked = (
            Quote.objects.select_for_update(of=("self",))
            .select_related("customer", "branch", "order")
            .filter(number=number)
            .first()
        )
        if locked is None:
            from caredesk.lib.errors import NotFound

            raise NotFound("No such quote.")
        expired = policy.quote_state(locked) == "expired"
        enforce(policy.convert_quote(actor, locked, reprice=reprice))
        repriced = expired and reprice
        order = order_create(
            actor=actor,
            customer=locked.customer,
            branch=locked.branch,
            kind="sale",
            lines=[{"sku": ln["sku"], "quantity": ln["quantity"]} for ln in locked.lines],
            quoted_prices=None
            if repriced
            else {ln["sku"]: pricing.money(ln["unit_price"]) for ln in locked.lines},
        )
        locked.status, locked.order, locked.converted_at = (
            QuoteStatus.CONVERTED,
            order,
            timezone.now(),
        )
        locked.save(update_fields=["status", "order", "converted_at"])
        event_record(
            actor=actor,
            action=MoneyEvent.QUOTE_CONVERTED,
            target=locked,
            after={"number": locked.number, "order": order.number, "repriced": repriced},
        )
    return order


def quote_email(*, actor, quote: Quote):
    """Email the quote (PDF attached by the outbox) to the customer."""
    from caredesk.lib.display import money

    enforce(policy.email_quote(actor, quote))
    return document_email(
        actor=actor,
        document=quote,
        to="",
        subject=f"Quote {quote.number}",
        body=(
            f"Dear {quote.customer.display_name},\n\n"
            f"Attached is our quote {quote.number} for {money(quote.total)}, valid until "
            f"{day(quote.valid_until)}.\n"
        ),
        action=MoneyEvent.QUOTE_EMAILED,
    )
