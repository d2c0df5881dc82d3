"""Money API (SPEC §11): an order's invoices, one invoice, refunds (Idempotency-Key), the
payment manager's list, totals and CSV export. Endpoints parse, call the service or selector,
answer with the schema; rules live in the services and `billing.policy`."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from caredesk.api_auth import capable
from caredesk.billing import policy, selectors, services
from caredesk.billing.forms import filter_parse
from caredesk.billing.models import Invoice
from caredesk.lib.errors import Invalid, NotFound
from caredesk.lib.http import if_match_version
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import Amount, Code, Error, Page, Quantity, StrictIn, Text
from caredesk.orders.models import Order

router = Router(tags=["money"])


class InvoiceSummaryOut(Schema):
    number: str
    kind: str
    issued_at: datetime
    total: Decimal


class InvoiceOut(InvoiceSummaryOut):
    title: str
    order: str
    branch: str
    corrects: str | None
    reason: str
    currency: str
    lines: list[dict[str, Any]]
    subtotal: Decimal
    discount_total: Decimal
    delivery_fee: Decimal
    tax: Decimal
    vat_rate: Decimal
    vat_inclusive: bool
    seller: dict[str, Any]
    buyer: dict[str, Any]
    pdf_url: str
    actions: dict[str, dict]


class RefundIn(StrictIn):
    amount: Amount
    method: Code
    reference: Code = ""
    reason: Text


class RefundReverseIn(StrictIn):
    reason: Text


class MovementOut(Schema):
    id: int
    kind: str
    at: datetime
    method: str
    amount: Decimal
    status: str
    reference: str
    order_number: str
    branch_code: str
    agent: str | None


class MoneyQuery(Schema):
    date_from: str = Query("", alias="from", description="First day, YYYY-MM-DD")
    date_to: str = Query("", alias="to", description="Last day, YYYY-MM-DD")
    method: str = ""
    status: str = Query("", description="recorded, reported or reversed")
    kind: str = Query("", description="payment or refund")
    branch: str = ""
    agent: str = Query("", description="Username of who recorded, reported or refunded")

    def parsed(self) -> selectors.MoneyFilter:
        return filter_parse(
            {
                "from": self.date_from,
                "to": self.date_to,
                "method": self.method,
                "status": self.status,
                "kind": self.kind,
                "branch": self.branch,
                "agent": self.agent,
            }
        )


class PaymentsPage(Page):
    """`{"count", "results", "totals"}`: totals are net recorded money per method."""

    class Output(Schema):
        count: int
        results: list[Any]
        totals: dict[str, Decimal]

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["totals"] = getattr(queryset, "totals", {})
        return page


def invoice_out(invoice: Invoice, actor) -> dict:
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "title": invoice.title,
        "issued_at": invoice.issued_at,
        "total": invoice.total,
        "order": invoice.order.number,
        "branch": invoice.seller.get("code", ""),
        "corrects": invoice.corrects.number if invoice.corrects_id else None,
        "reason": invoice.reason,
        "currency": invoice.currency,
        "lines": invoice.lines,
        "subtotal": invoice.subtotal,
        "discount_total": invoice.discount_total,
        "delivery_fee": invoice.delivery_fee,
        "tax": invoice.tax,
        "vat_rate": invoice.vat_rate,
        "vat_inclusive": invoice.vat_inclusive,
        "seller": invoice.seller,
        "buyer": invoice.buyer,
        "pdf_url": reverse("billing:invoice_pdf", kwargs={"invoice": invoice.number}),
        "actions": actions_out({"email": policy.email_invoice(actor, invoice)}),
    }


def _order(number: str) -> Order:
    order = Order.objects.filter(number=number.upper()).first()
    if order is None:
        raise NotFound("No such order.")
    return order


@router.get(
    "/orders/{number}/invoices",
    response=list[InvoiceSummaryOut],
    auth=capable("view_invoices"),
    summary="An order's invoices and credit notes, oldest first",
)
@paginate(Page)
def order_invoices(request, number: str):
    return selectors.order_invoices(_order(number))


@router.get(
    "/invoices/{invoice}",
    response={200: InvoiceOut, 404: Error},
    auth=capable("view_invoices"),
    summary="One invoice or credit note, as issued",
)
def invoice_get(request, invoice: str):
    found = selectors.invoice_detail(invoice)
    if found is None:
        raise NotFound("No such invoice.")
    return invoice_out(found, request.user)


@router.post(
    "/orders/{number}/refunds",
    response={201: dict, 400: Error, 403: Error, 404: Error, 409: Error, 412: Error},
    auth=capable("issue_refund"),
    summary="Refund money due back (Idempotency-Key honoured; 409 above the refund due)",
)
def refund_create(request, number: str, payload: RefundIn):
    refund, replayed = services.refund_issue(
        actor=request.user,
        order=number,
        amount=payload.amount,
        method=payload.method,
        reference=payload.reference,
        reason=payload.reason,
        expected_version=if_match_version(request, required=False),
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    from caredesk.api import api

    response = api.create_response(request, refund.response, status=201)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@router.post(
    "/refunds/{refund_id}/reverse",
    response={200: dict, 400: Error, 403: Error, 404: Error, 409: Error},
    auth=capable("issue_refund"),
    summary="Reverse a refund, with a reason",
)
def refund_reverse(request, refund_id: int, payload: RefundReverseIn):
    refund = services.refund_reverse(actor=request.user, refund_id=refund_id, reason=payload.reason)
    from caredesk.billing.services.refunds import refund_snapshot

    return refund_snapshot(refund, refund.order)


@router.get(
    "/payments",
    response={200: list[MovementOut], 400: Error},
    auth=capable("view_payment_manager"),
    summary="Payments and refunds of every order, filtered, with net totals per method",
)
@paginate(PaymentsPage)
def payments(request, filters: Query[MoneyQuery]):
    f = filters.parsed()
    movements = selectors.Movements(f)
    movements.totals = {m["method"]: m["net"] for m in selectors.drawer_totals(f)["methods"]}
    return movements


@router.get(
    "/payments.csv",
    auth=capable("view_payment_manager"),
    response={200: None, 400: Error},
    summary="The filtered payments and refunds as CSV (streamed)",
)
def payments_csv(request, filters: Query[MoneyQuery]):
    from caredesk.billing.views import csv_response

    return csv_response(filters.parsed())


# --- Quotes ----------------------------------------------------------------------------------


class QuoteLineIn(StrictIn):
    sku: Code
    quantity: Quantity


class QuoteIn(StrictIn):
    customer: Code
    branch: Code
    lines: list[QuoteLineIn] = Field(..., min_length=1, max_length=50)
    valid_until: date


class ConvertIn(StrictIn):
    reprice: bool = Field(False, description="After expiry: convert at today's prices")


class QuoteOut(Schema):
    number: str
    status: str
    total: Decimal
    valid_until: date
    customer: str
    branch: str
    lines: list[dict[str, Any]]
    order: str | None
    actions: dict[str, dict]


def quote_out(quote, actor) -> dict:
    return {
        "number": quote.number,
        "status": policy.quote_state(quote),
        "total": quote.total,
        "valid_until": quote.valid_until,
        "customer": quote.customer.member_id,
        "branch": quote.branch.code,
        "lines": quote.lines,
        "order": quote.order.number if quote.order_id else None,
        "actions": actions_out(
            {
                "convert": policy.convert_quote(actor, quote),
                "convert_at_todays_prices": policy.convert_quote(actor, quote, reprice=True),
                "email": policy.email_quote(actor, quote),
            }
        ),
    }


def _quote(number: str):
    found = selectors.quote_detail(number)
    if found is None:
        raise NotFound("No such quote.")
    return found


@router.post(
    "/quotes",
    response={201: QuoteOut, 400: Error, 403: Error, 404: Error},
    auth=capable("create_order"),
    summary="Make a quote: catalog lines at today's prices, valid until a date",
)
def quote_create(request, payload: QuoteIn):
    from caredesk.branches.models import Branch
    from caredesk.customers.models import Customer

    customer = Customer.objects.filter(member_id=payload.customer.upper()).first()
    if customer is None:
        raise NotFound("No such customer.")
    branch = Branch.objects.filter(code=payload.branch.upper()).first()
    if branch is None:
        raise Invalid("No such branch.", field="branch")
    quote = services.quote_create(
        actor=request.user,
        customer=customer,
        branch=branch,
        lines=[line.model_dump() for line in payload.lines],
        valid_until=payload.valid_until,
    )
    return Status(201, quote_out(_quote(quote.number), request.user))


@router.get(
    "/quotes/{quote}",
    response={200: QuoteOut, 404: Error},
    auth=capable("view_orders"),
    summary="One quote",
)
def quote_get(request, quote: str):
    return quote_out(_quote(quote), request.user)


@router.post(
    "/quotes/{quote}/convert",
    response={201: dict, 403: Error, 404: Error, 409: Error},
    auth=capable("create_order"),
    summary="Convert a quote into a draft order (409 once converted, or expired without reprice)",
)
def quote_convert(request, quote: str, payload: ConvertIn | None = None):
    from caredesk.orders.api import _respond

    order = services.quote_convert(
        actor=request.user, quote=quote, reprice=bool(payload and payload.reprice)
    )
    return _respond(request, order, status=201)
