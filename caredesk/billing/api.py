"""Money API (SPEC §11): an order's invoices, one invoice, refunds (Idempotency-Key), the
payment manager's list, totals and CSV export. Endpoints parse, call the service or selector,
answer with the schema; rules live in the services and `billing.policy`."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from caredesk.api_auth import capable
from caredesk.billing import policy, selectors, services
from caredesk.billing.forms import filter_parse
from caredesk.billing.models import Invoice
from caredesk.lib.errors import NotFound
from caredesk.lib.http import if_match_version
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import Amount, Code, Error, Page, StrictIn, Text
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


class ReverseIn(StrictIn):
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
def refund_reverse(request, refund_id: int, payload: ReverseIn):
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
    qs = selectors.money_movements(f)
    qs.totals = {m["method"]: m["net"] for m in selectors.drawer_totals(f)["methods"]}
    return qs


@router.get(
    "/payments.csv",
    auth=capable("view_payment_manager"),
    response={200: None, 400: Error},
    summary="The filtered payments and refunds as CSV (streamed)",
)
def payments_csv(request, filters: Query[MoneyQuery]):
    from caredesk.billing.views import csv_response

    return csv_response(filters.parsed())
