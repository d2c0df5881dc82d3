"""Money API (SPEC §11): an order's invoices, one invoice, refunds (Idempotency-Key), the
payment manager's list, totals and CSV export. Endpoints parse, call the service or selector,
answer with the schema; rules live in the services and `billing.policy`."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Field, Query, Schema, Status

from caredesk.billing import policy, selectors, services
from caredesk.billing.forms import filter_parse
from caredesk.billing.models import Invoice
from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.http import (
    found,
    idempotent_action,
    if_match_version,
    known,
    versioned_response,
)
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import Amount, Code, Page, Quantity, RowId, StrictIn, Text
from caredesk.orders.models import Order

router = ApiRouter(tags=["money"])


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
    return found(Order.objects.filter(number=number.upper()).first(), "No such order.")


@router.page(
    "/orders/{number}/invoices",
    InvoiceSummaryOut,
    "view_invoices",
    "An order's invoices and credit notes, oldest first",
)
def order_invoices(request, number: str):
    return selectors.order_invoices(_order(number))


@router.get(
    "/invoices/{invoice}",
    InvoiceOut,
    "view_invoices",
    "One invoice or credit note, as issued",
    errors=(404,),
)
def invoice_get(request, invoice: str):
    issued = found(selectors.invoice_detail(invoice), "No such invoice.")
    return invoice_out(issued, request.user)


@router.create(
    "/orders/{number}/refunds",
    dict,
    "issue_refund",
    "Refund money due back (Idempotency-Key honoured; 409 above the refund due)",
    errors=(400, 403, 404, 409, 412),
)
def refund_create(request, number: str, payload: RefundIn):
    return idempotent_action(request, services.refund_issue, order=number, **payload.model_dump())


@router.post(
    "/refunds/{refund_id}/reverse",
    dict,
    "issue_refund",
    "Reverse a refund, with a reason",
    errors=(400, 403, 404, 409),
)
def refund_reverse(request, refund_id: int, payload: RefundReverseIn):
    refund = services.refund_reverse(actor=request.user, refund_id=refund_id, reason=payload.reason)
    from caredesk.billing.services.refunds import refund_snapshot

    return refund_snapshot(refund, refund.order)


@router.page(
    "/payments",
    MovementOut,
    "view_payment_manager",
    "Payments and refunds of every order, filtered, with net totals per method",
    errors=(400,),
    paginator=PaymentsPage,
)
def payments(request, filters: Query[MoneyQuery]):
    f = filters.parsed()
    movements = selectors.Movements(f)
    movements.totals = {m["method"]: m["net"] for m in selectors.drawer_totals(f)["methods"]}
    return movements


@router.get(
    "/payments.csv",
    None,
    "view_payment_manager",
    "The filtered payments and refunds as CSV (streamed)",
    errors=(400,),
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
    return found(selectors.quote_detail(number), "No such quote.")


@router.create(
    "/quotes",
    QuoteOut,
    "create_order",
    "Make a quote: catalog lines at today's prices, valid until a date",
    errors=(400, 403, 404),
)
def quote_create(request, payload: QuoteIn):
    from caredesk.branches.models import Branch
    from caredesk.customers.models import Customer

    customer = Customer.objects.filter(member_id=payload.customer.upper()).first()
    customer = found(customer, "No such customer.")
    branch = Branch.objects.filter(code=payload.branch.upper()).first()
    branch = known(branch, "No such branch.", field="branch")
    quote = services.quote_create(
        actor=request.user,
        customer=customer,
        branch=branch,
        lines=[line.model_dump() for line in payload.lines],
        valid_until=payload.valid_until,
    )
    return Status(201, quote_out(_quote(quote.number), request.user))


@router.get("/quotes/{quote}", QuoteOut, "view_orders", "One quote", errors=(404,))
def quote_get(request, quote: str):
    return quote_out(_quote(quote), request.user)


@router.create(
    "/quotes/{quote}/convert",
    dict,
    "create_order",
    "Convert a quote into a draft order (409 once converted, or expired without reprice)",
    errors=(403, 404, 409),
)
def quote_convert(request, quote: str, payload: ConvertIn | None = None):
    from caredesk.orders.api import _respond

    order = services.quote_convert(
        actor=request.user, quote=quote, reprice=bool(payload and payload.reprice)
    )
    return _respond(request, order, status=201)


# --- Returns (RMA) ---------------------------------------------------------------------------


class ReturnLineIn(StrictIn):
    line: RowId = Field(..., description="The order line's id (`lines[].id` of the order)")
    quantity: Quantity


class ReturnIn(StrictIn):
    order: Code
    lines: list[ReturnLineIn] = Field(..., min_length=1, max_length=50)
    reason: Text
    replacement: bool = Field(False, description="Ship the same goods again once approved")


class ReturnTransitionIn(StrictIn):
    to: Code = Field(..., description="approved, rejected, received, refunded, closed, cancelled")
    reason: Text = ""
    version: RowId | None = Field(None, description="The version read (or send If-Match)")
    method: Code = Field("", description="Refunded: the refund's method")
    reference: Code = Field("", description="Refunded: the refund's reference (except cash)")


class ReturnLineOut(Schema):
    line: int
    sku: str
    name: str
    unit_price: Decimal
    quantity: int
    received_quantity: int


class ReturnStepOut(Schema):
    at: datetime
    actor: str
    text: str
    reason: str


class _ReturnHead(Schema):
    number: str
    status: str
    order: str
    customer: str
    branch: str
    requested_at: datetime
    credit: Decimal | None


class ReturnSummaryOut(_ReturnHead):
    """A row of the list, read from the model (its order, customer and branch joined)."""

    @staticmethod
    def resolve_order(obj) -> str:
        return obj.order.number

    @staticmethod
    def resolve_customer(obj) -> str:
        return obj.customer.member_id

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code


class ReturnOut(_ReturnHead):
    version: int
    reason: str
    replacement: bool
    replacement_order: str | None
    credit_estimate: Decimal
    refund_due: Decimal
    lines: list[ReturnLineOut]
    refunds: list[dict[str, Any]]
    timeline: list[ReturnStepOut]
    actions: dict[str, dict]


def return_summary_out(ret) -> dict:
    return {
        "number": ret.number,
        "status": ret.status,
        "order": ret.order.number,
        "customer": ret.customer.member_id,
        "branch": ret.branch.code,
        "requested_at": ret.requested_at,
        "credit": ret.credit,
    }


def return_out(ret, actor) -> dict:
    from caredesk.billing.services.returns import return_credit_estimate
    from caredesk.lib.events import describe

    order = ret.order
    return {
        **return_summary_out(ret),
        "version": ret.version,
        "reason": ret.reason,
        "replacement": ret.replacement,
        "replacement_order": ret.replacement_order.number if ret.replacement_order_id else None,
        "credit_estimate": return_credit_estimate(ret, order),
        "refund_due": order.refund_due,
        "lines": [
            {
                "line": rl.order_line_id,
                "sku": rl.sku,
                "name": rl.name,
                "unit_price": rl.unit_price,
                "quantity": rl.quantity,
                "received_quantity": rl.received_quantity,
            }
            for rl in ret.lines.all()
        ],
        "refunds": [
            {
                "id": r.pk,
                "amount": str(r.amount),
                "method": r.method,
                "status": r.status,
                "refunded_at": r.refunded_at.isoformat(),
            }
            for r in ret.refunds.all()
        ],
        "timeline": [
            {"at": e.at, "actor": e.actor_label, "text": describe(e), "reason": e.reason}
            for e in selectors.return_timeline(ret)
        ],
        "actions": actions_out(policy.return_actions(actor, ret, order)),
    }


def _return_respond(request, number: str, status: int = 200):
    ret = found(selectors.return_detail(number), "No such return.")
    body = return_out(ret, request.user)
    return versioned_response(request, body, ret.version, status=status, schema=ReturnOut)


@router.create(
    "/returns",
    ReturnOut,
    "amend_order",
    "Start a return (RMA) of delivered lines: 201 with its number, status requested",
    errors=(400, 403, 404, 409),
)
def return_create(request, payload: ReturnIn):
    ret = services.return_create(actor=request.user, **payload.model_dump())
    return _return_respond(request, ret.number, status=201)


@router.page(
    "/returns",
    ReturnSummaryOut,
    "view_orders",
    "Returns, newest first, by status and branch",
    errors=(400,),
)
def returns_list(request, status: str = "", branch: str = ""):
    status, branch = selectors.returns_filter_parse({"status": status, "branch": branch})
    return selectors.returns_list(status=status, branch=branch)


@router.get(
    "/returns/{number}",
    ReturnOut,
    "view_orders",
    "One return with its lines, steps and what the caller may do (ETag = version)",
    errors=(404,),
)
def return_get(request, number: str):
    return _return_respond(request, number)


@router.post(
    "/returns/{number}/transitions",
    ReturnOut,
    "view_orders",
    "Move a return (If-Match or `version`; 409 with the reason when refused)",
    errors=(400, 403, 404, 409, 412),
)
def return_transition(request, number: str, payload: ReturnTransitionIn):
    expected = if_match_version(request)
    if expected is None:
        expected = payload.version
    services.return_transition(
        actor=request.user,
        ret=number,
        to=payload.to,
        expected_version=expected,
        reason=payload.reason,
        method=payload.method,
        reference=payload.reference,
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return _return_respond(request, number)
