"""Money pages: the read-only invoice page and its PDF, emailing an invoice, refunds from the
order page, the payment manager (list, cash-drawer totals, the crew-report queue, CSV).
Thin: they call the services and show their refusals."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from caredesk.billing import policy, selectors, services
from caredesk.billing.forms import (
    InvoiceEmailForm,
    QuoteForm,
    RefundForm,
    ReturnForm,
    ReturnMoveForm,
    ReverseRefundForm,
    filter_parse,
)
from caredesk.billing.models import Refund, ReturnStatus
from caredesk.billing.pdf import invoice_pdf, quote_pdf
from caredesk.branches.models import Branch
from caredesk.lib.counts import CappedPaginator
from caredesk.lib.errors import DomainError, Invalid
from caredesk.lib.permissions import capability_required
from caredesk.orders.models import Payment, PaymentMethod
from caredesk.orders.services import payment_confirm_report

PAGE_SIZE = 50
QUEUE_SIZE = 50


def _or_404(found):
    """The invoice, quote or return a selector found, else 404."""
    if found is None:
        raise Http404
    return found


def _pdf_view(capability: str, find, render_pdf):
    """The view of an invoice's or quote's PDF (`find(number)` finds it, else 404), shown in
    the browser, saved as `<number>.pdf`."""

    @capability_required(capability)
    def view(request, **number):
        found = _or_404(find(*number.values()))
        response = HttpResponse(render_pdf(found), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
        return response

    return view


@capability_required("view_invoices")
def invoice_detail(request, invoice: str):
    """The invoice as issued (read-only), its corrections, PDF and email."""
    found = _or_404(selectors.invoice_detail(invoice))
    context = {
        "invoice": found,
        "corrections": list(found.corrections.order_by("issued_at")),
        "email": policy.email_invoice(request.user, found),
        "email_form": InvoiceEmailForm(),
        "net_of_tax": found.net_of_tax,
        "vat_percent": found.vat_rate * 100,
    }
    return render(request, "billing/invoice.html", context)


invoice_pdf_view = _pdf_view("view_invoices", selectors.invoice_detail, invoice_pdf)


@capability_required("send_email")
@require_POST
def invoice_email(request, invoice: str):
    found = _or_404(selectors.invoice_detail(invoice))
    form = InvoiceEmailForm(request.POST)

    def send():
        if not form.is_valid():
            raise Invalid("Check the addresses.", field="to")
        return services.invoice_email(actor=request.user, invoice=found, to=form.cleaned_data["to"])

    _email_queue(request, send, f"{found.title} {found.number}")
    return redirect("billing:invoice", invoice=found.number)


def _email_queue(request, send, document: str) -> None:
    """Queue a document's email with `send()` and say where it went, or why it was not sent."""
    try:
        message = send()
    except DomainError as exc:
        messages.error(request, f"Not sent: {exc.detail}")
    else:
        messages.success(request, f"{document} queued to {', '.join(message.to)}.")


@capability_required("issue_refund")
@require_POST
def refund(request, number: str):
    """Finance's refund from the order page's money panel."""
    form = RefundForm(request.POST, prefix="refund")
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[k].label}: {' '.join(v)}"
            for k, v in form.errors.items()
            if k in form.fields
        )
        messages.error(request, f"Refund not recorded. {errors}")
        return redirect("orders:detail", number=number)
    data = form.cleaned_data
    try:
        done, replayed = services.refund_issue(
            actor=request.user,
            order=number,
            amount=data["amount"].replace(",", "").replace("₱", "").strip(),
            method=data["method"],
            reference=data["reference"],
            reason=data["reason"],
            expected_version=data["version"],
            idempotency_key=data["idempotency_key"] or None,
        )
    except DomainError as exc:
        messages.error(request, f"Refund not recorded: {exc.detail}")
    else:
        if not replayed:
            messages.success(request, f"Refund of ₱{done.amount:,.2f} recorded.")
    return redirect("orders:detail", number=number)


@capability_required("issue_refund")
@require_POST
def refund_reverse(request, refund_id: int):
    found = get_object_or_404(Refund.objects.select_related("order"), pk=refund_id)
    form = ReverseRefundForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid("Say why the refund is reversed.", field="reason")
        services.refund_reverse(
            actor=request.user, refund_id=refund_id, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, f"Not reversed: {exc.detail}")
    else:
        messages.success(request, "Refund reversed.")
    return redirect("orders:detail", number=found.order.number)


@capability_required("view_payment_manager")
def payments(request):
    """The payment manager: payments and refunds of every order, filtered; the cash-drawer
    totals per method and day; the crew reports awaiting recording."""
    error = None
    try:
        f = filter_parse(request.GET)
    except Invalid as exc:
        error = exc.detail
        f = filter_parse({})
    page = Paginator(selectors.Movements(f), PAGE_SIZE).get_page(request.GET.get("page"))
    queue = list(selectors.crew_reports(branch=f.branch)[: QUEUE_SIZE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    methods, statuses = dict(PaymentMethod.choices), selectors.STATUSES
    rows = [
        {
            **row,
            "method_label": methods.get(row["method"], row["method"]),
            "tone": policy.movement_tone(row["status"]),
            "status_label": "Refunded"
            if row["kind"] == "refund" and row["status"] == "recorded"
            else statuses.get(row["status"], row["status"]),
        }
        for row in page
    ]
    context = {
        "filter": f,
        "error": error,
        "page": page,
        "rows": rows,
        "totals": selectors.drawer_totals(f),
        "queue": [(p, policy.record_report(request.user, p)) for p in queue[:QUEUE_SIZE]],
        "queue_more": len(queue) > QUEUE_SIZE,
        "methods": PaymentMethod.choices,
        "statuses": selectors.STATUSES.items(),
        "kinds": selectors.KINDS.items(),
        "branches": Branch.objects.filter(active=True),
        "query": query.urlencode(),
        "csv_url": f"{reverse('billing:payments_csv')}?{query.urlencode()}",
    }
    return render(request, "billing/payments.html", context)


class _Echo:
    def write(self, value):
        return value


CSV_HEADER = ["kind", "at", "order", "branch", "method", "amount", "status", "reference", "agent"]


def _csv_rows(f):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for row in selectors.money_movements(f).iterator(chunk_size=2000):
        yield writer.writerow(
            [
                row["kind"],
                timezone.localtime(row["at"]).isoformat(timespec="seconds"),
                row["order_number"],
                row["branch_code"],
                row["method"],
                f"{row['amount']:.2f}",
                row["status"],
                row["reference"],
                row["agent"] or "",
            ]
        )


def csv_response(f) -> StreamingHttpResponse:
    """The filtered movements as CSV, streamed row by row from a server-side cursor: memory
    stays flat whatever the range."""
    response = StreamingHttpResponse(_csv_rows(f), content_type="text/csv; charset=utf-8")
    name = f"payments-{f.date_from:%Y%m%d}-{f.date_to:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@capability_required("view_payment_manager")
def payments_csv(request):
    try:
        f = filter_parse(request.GET)
    except Invalid as exc:
        return HttpResponse(exc.detail, status=400, content_type="text/plain; charset=utf-8")
    return csv_response(f)


@capability_required("record_payment")
@require_POST
def record_report(request, payment_id: int):
    """One-click record of a crew report from the payment manager's queue."""
    payment = get_object_or_404(Payment.objects.select_related("order"), pk=payment_id)
    try:
        payment_confirm_report(actor=request.user, order=payment.order, payment_id=payment.pk)
    except DomainError as exc:
        messages.error(request, f"Not recorded: {exc.detail}")
    else:
        messages.success(request, f"₱{payment.amount:,.2f} on {payment.order.number} recorded.")
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("billing:payments")


# --- Quotes ----------------------------------------------------------------------------------


@capability_required("create_order")
def quote_new(request):
    """Make a quote for a customer: up to five catalog lines and a validity date."""
    from datetime import timedelta

    from caredesk.customers.models import Customer
    from caredesk.orders.selectors import catalog_list

    if request.method == "POST":
        form = QuoteForm(request.POST)
        if form.is_valid():
            customer = Customer.objects.filter(
                member_id=form.cleaned_data["customer"].strip().upper()
            ).first()
            try:
                if customer is None:
                    raise Invalid("No such member ID.", field="customer")
                quote = services.quote_create(
                    actor=request.user,
                    customer=customer,
                    branch=form.cleaned_data["branch"],
                    lines=form.lines(),
                    valid_until=form.cleaned_data["valid_until"],
                )
            except DomainError as exc:
                field = (exc.field or "").split(".")
                name = {"sku": "sku", "quantity": "qty"}.get(field[-1], "") if field else ""
                target = f"{name}_{int(field[1]) + 1}" if len(field) == 3 and name else exc.field
                form.add_error(target if target in form.fields else None, exc.detail)
            else:
                messages.success(request, f"Quote {quote.number} made.")
                return redirect("billing:quote", quote=quote.number)
        status = 400
    else:
        member = request.GET.get("customer", "")
        found = Customer.objects.filter(member_id=member.upper()).first() if member else None
        form = QuoteForm(
            initial={
                "customer": member,
                "branch": found.branch.code if found and found.branch_id else None,
                "valid_until": timezone.localdate() + timedelta(days=14),
            }
        )
        status = 200
    context = {"form": form, "catalog_skus": catalog_list(active=True).values_list("sku", "name")}
    return render(request, "billing/quote_new.html", context, status=status)


@capability_required("view_orders")
def quote_detail(request, quote: str):
    found = _or_404(selectors.quote_detail(quote))
    context = {
        "quote": found,
        "state": policy.quote_state(found),
        "convert": policy.convert_quote(request.user, found),
        "reprice": policy.convert_quote(request.user, found, reprice=True),
        "email": policy.email_quote(request.user, found),
    }
    return render(request, "billing/quote.html", context)


quote_pdf_view = _pdf_view("view_orders", selectors.quote_detail, quote_pdf)


@capability_required("create_order")
@require_POST
def quote_convert(request, quote: str):
    try:
        order = services.quote_convert(
            actor=request.user, quote=quote, reprice=request.POST.get("reprice") == "yes"
        )
    except DomainError as exc:
        messages.error(request, f"Not converted: {exc.detail}")
        return redirect("billing:quote", quote=quote.upper())
    messages.success(request, f"Quote {quote.upper()} converted to draft order {order.number}.")
    return redirect("orders:detail", number=order.number)


@capability_required("send_email")
@require_POST
def quote_email(request, quote: str):
    found = _or_404(selectors.quote_detail(quote))
    _email_queue(
        request,
        lambda: services.quote_email(actor=request.user, quote=found),
        f"Quote {found.number}",
    )
    return redirect("billing:quote", quote=found.number)


# --- Returns (RMA) ---------------------------------------------------------------------------

RETURN_BUTTONS = {
    "approved": ("approve", "Approve return", "primary"),
    "received": ("receive", "Goods received", "primary"),
    "refunded": ("refund", "Record refund", "primary"),
    "closed": ("close", "Close without refund", ""),
    "rejected": ("reject", "Reject return", "danger"),
    "cancelled": ("cancel", "Cancel return", "danger"),
}


@capability_required("view_orders")
def return_detail(request, ret: str):
    """A return: its lines, status, credit, refunds, steps and the moves the viewer may make
    (and, for the moves open from here that they may not, why not)."""
    from caredesk.billing.services.returns import return_credit_estimate

    found = _or_404(selectors.return_detail(ret))
    order = found.order
    decisions = policy.return_actions(request.user, found, order)
    moves, refusals = [], []
    for to in policy.RETURN_TRANSITIONS[found.status]:
        name, label, style = RETURN_BUTTONS[to]
        decision = decisions[name]
        if decision.allowed:
            moves.append({"to": to, "label": label, "style": style})
        elif decision.code != "illegal_transition":
            refusals.append({"label": label, "reason": decision.reason})
    moves.sort(key=lambda m: (m["style"] != "primary", m["style"] == "danger"))
    context = {
        "ret": found,
        "order": order,
        "lines": list(found.lines.all()),
        "path": policy.return_path(found),
        "moves": moves,
        "refusals": refusals,
        "credit": return_credit_estimate(found, order),
        "refund_amount": policy.return_refund_amount(found, order),
        "refunds": list(found.refunds.all()),
        "timeline": list(selectors.return_timeline(found)),
        "methods": PaymentMethod.choices,
        "reason_needed": policy.RETURN_REASON_NEEDED,
    }
    return render(request, "billing/return.html", context)


@capability_required("view_orders")
@require_POST
def return_move(request, ret: str):
    found = _or_404(selectors.return_detail(ret))
    form = ReturnMoveForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid("Check the form and submit again.")
        data = form.cleaned_data
        services.return_transition(
            actor=request.user,
            ret=found.number,
            to=data["to"],
            expected_version=data["version"],
            reason=data["reason"],
            method=data["method"],
            reference=data["reference"],
        )
    except DomainError as exc:
        messages.error(request, f"Not done: {exc.detail}")
    else:
        label = dict(ReturnStatus.choices).get(form.cleaned_data["to"], "").lower()
        messages.success(request, f"Return {found.number} {label}.")
    return redirect("billing:return", ret=found.number)


@capability_required("amend_order")
def return_new(request, number: str):
    """Start a return of a delivered order: units per line (at most what can still come
    back), the reason, a replacement or not."""
    from caredesk.billing.services.returns import returnable_lines
    from caredesk.orders.models import Order

    order = Order.objects.select_related("customer", "branch").filter(number=number.upper()).first()
    if order is None:
        raise Http404
    decision = policy.start_return(request.user, order)
    rows = returnable_lines(order) if decision else []
    form = ReturnForm(request.POST or None, returnable=rows)
    status = 200
    if request.method == "POST" and decision:
        if form.is_valid():
            try:
                done = services.return_create(
                    actor=request.user,
                    order=order,
                    lines=form.lines(),
                    reason=form.cleaned_data["reason"],
                    replacement=form.cleaned_data["replacement"],
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(request, f"Return {done.number} requested.")
                return redirect("billing:return", ret=done.number)
        status = 400
    context = {"order": order, "form": form, "decision": decision}
    return render(request, "billing/return_new.html", context, status=status)


@capability_required("view_orders")
def returns(request):
    """Every return, newest first, by status and branch; paginated."""
    error = None
    try:
        status, branch = selectors.returns_filter_parse(request.GET)
    except Invalid as exc:
        error, status, branch = exc.detail, "", ""
    paginator = CappedPaginator(selectors.returns_list(status=status, branch=branch), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "branch": branch,
        "error": error,
        "statuses": ReturnStatus.choices,
        "branches": Branch.objects.filter(active=True),
    }
    return render(request, "billing/returns.html", context)
