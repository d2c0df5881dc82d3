"""Order pages: list, pending grid, order page with its actions, new-order wizard, catalog,
and the guest tracking page. Views are thin: they call the services and show their errors."""

import datetime
from urllib.parse import urlencode

import phonenumbers
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from caredesk.branches.models import Branch
from caredesk.customers.models import Customer, RegisteredPart
from caredesk.lib.errors import DomainError, StaleVersion
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.middleware import client_ip
from caredesk.lib.permissions import capability_required, has_capability
from caredesk.orders import forms, machine, services, tracking
from caredesk.orders.models import Kind, Order, PickupWindow, Status, TrackingHit
from caredesk.orders.pricing import PricedLine, price
from caredesk.orders.selectors import (
    catalog_list,
    order_detail,
    order_list,
    order_timeline,
    pending_list,
)
from caredesk.orders.services.calls import lock_cutoff, lock_holder
from caredesk.orders.services.common import stale_message

PAGE_SIZE = 50


COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (a LIMITed subquery), so a page of a large grid costs
    the same at 3 million orders as at 3 thousand; beyond the cap the pager says "N+"."""

    capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list[: COUNT_CAP + 1].count()
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)


def _page(request, qs):
    return CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _load_or_404(number: str) -> Order:
    from django.http import Http404

    order = order_detail(number)
    if order is None:
        raise Http404
    return order


# --- Lists -----------------------------------------------------------------------------------


@capability_required("view_orders")
def order_list_view(request):
    """All orders, filterable (status, kind, branch, number/customer) and sortable."""
    filters = {
        "status": request.GET.get("status", ""),
        "kind": request.GET.get("kind", ""),
        "branch": request.GET.get("branch", ""),
        "q": request.GET.get("q", "").strip(),
        "sort": request.GET.get("sort", "updated"),
    }
    page = _page(request, order_list(**filters))
    context = {
        "page": page,
        "filters": filters,
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "branches": Branch.objects.filter(active=True),
    }
    template = "orders/_list_rows.html" if request.htmx else "orders/list.html"
    return render(request, template, context)


@capability_required("view_orders")
def pending(request):
    """The pending orders grid (orders in progress): last updated, customer, lines, lock,
    agent, Void. Mine by default."""
    mine = request.GET.get("agent", "me") != "all"
    filters = {
        "agent": "me" if mine else "all",
        "q": request.GET.get("q", "").strip(),
        "locked": request.GET.get("locked", ""),
        "sort": request.GET.get("sort", "updated"),
    }
    qs = pending_list(
        agent=request.user if mine else None,
        q=filters["q"],
        locked=filters["locked"],
        sort=filters["sort"],
    )
    page = _page(request, qs)
    context = {"page": page, "filters": filters, "lock_cutoff": lock_cutoff()}
    template = "orders/_pending_rows.html" if request.htmx else "orders/pending.html"
    return render(request, template, context)


# --- The order page --------------------------------------------------------------------------


def _next_action(user, order: Order) -> dict | None:
    """The one primary next step for the order, if the user may take it."""
    if order.suspended or order.status in (Status.COMPLETED, Status.CANCELLED):
        return None
    if order.status == Status.DRAFT:
        if has_capability(user, "record_payment"):
            return {"kind": "pay", "label": "Record payment to confirm"}
        return None
    labels = {
        Status.PENDING: "Schedule",
        Status.SCHEDULED: "Mark picked up" if order.kind == Kind.SERVICE else "Mark ready",
        Status.PICKED_UP: "Start service",
        Status.IN_SERVICE: "Mark ready",
        Status.READY: "Mark delivered",
        Status.DELIVERED: "Complete",
    }
    path = machine.PATHS[order.kind]
    nxt = path[path.index(order.status) + 1]
    needed = "mark_delivered" if nxt == Status.DELIVERED else "amend_order"
    if not has_capability(user, needed):
        return None
    return {"kind": "move", "to": nxt, "label": labels[order.status]}


def _status_path(order: Order) -> list[dict]:
    path = machine.PATHS[order.kind]
    if order.status == Status.CANCELLED:
        return [{"status": Status.CANCELLED, "label": "Cancelled", "state": "current"}]
    at = path.index(order.status)
    return [
        {
            "status": s,
            "label": machine.STAFF_LABELS[s],
            "state": "done" if i < at else ("current" if i == at else "todo"),
        }
        for i, s in enumerate(path)
    ]


def _order_context(request, order: Order, **forms_in) -> dict:
    user = request.user
    lines = list(order.lines.all())
    v = {"version": order.version}
    lock = None
    if order.is_open and has_capability(user, "amend_order"):
        lock = services.lock_touch(actor=user, order=order)
    holder = lock.holder if lock else lock_holder(order)
    moves = [
        (s, machine.STAFF_LABELS[s])
        for s in machine.allowed_next(order.kind, order.status)
        if not (order.status == Status.DRAFT and s == Status.PENDING)
    ]
    return {
        "order": order,
        "lines": [
            {"line": ln, "total": PricedLine(ln.quantity, ln.unit_price, ln.discount).total}
            for ln in lines
        ],
        "payments": list(order.payments.all()),
        "alerts": list(order.alerts.all()),
        "timeline": list(order_timeline(order)),
        "status_path": _status_path(order),
        "badge": machine.badge_class(order.status),
        "next_action": _next_action(user, order),
        "moves": moves,
        "lock_holder": holder,
        "amend_form": forms_in.get("amend_form") or forms.AmendForm(initial=v, lines=lines),
        "pay_form": forms_in.get("pay_form") or forms.PaymentForm(initial=v),
        "move_form": forms_in.get("move_form") or forms.MoveForm(initial=v),
        "hold_form": forms.ReasonForm(initial=v),
        "transfer_form": forms.TransferForm(initial=v),
        "preview": forms_in.get("preview"),
        "stale": forms_in.get("stale"),
        "catalog_skus": catalog_list(active=True).values_list("sku", "name")[:200],
        "guest_label": machine.guest_label(order.kind, order.status),
        "version": order.version,
        "currency": settings.CAREDESK_CURRENCY,
        "parts_held": order.kind == Kind.SERVICE and order.status in machine.PARTS_HELD,
        "tracking_url": tracking.tracking_url(request, order),
    }


@capability_required("view_orders")
def detail(request, number: str):
    """The order page: status path, lines and totals, payments, alerts, timeline, actions."""
    order = _load_or_404(number)
    return render(request, "orders/detail.html", _order_context(request, order))


def _rerender(request, number: str, *, exc: DomainError, form_name: str, form, **extra):
    """After a refused write: the current order, the agent's input kept, the error shown.
    A stale version also moves the form's version to the current one (after the agent has
    seen the current order, submitting again applies to it)."""
    order = _load_or_404(number)
    stale = None
    if isinstance(exc, StaleVersion):
        stale = exc.detail
        data = form.data.copy()
        data["version"] = order.version
        form = form.__class__(
            data, **({"lines": list(order.lines.all())} if form_name == "amend_form" else {})
        )
        form.is_valid()
    else:
        apply_domain_error(form, exc)
    status = exc.status
    context = _order_context(request, order, **{form_name: form}, stale=stale, **extra)
    return render(request, "orders/detail.html", context, status=status)


def _done(request, order_number: str, text: str):
    messages.success(request, text)
    return redirect("orders:detail", number=order_number)


@capability_required("amend_order")
@require_POST
def amend(request, number: str):
    """Preview (writes nothing) or confirm an amendment at the version the page showed."""
    order = _load_or_404(number)
    form = forms.AmendForm(request.POST, lines=list(order.lines.all()))
    if not form.is_valid():
        return render(
            request,
            "orders/detail.html",
            _order_context(request, order, amend_form=form),
            status=400,
        )
    data = form.cleaned_data
    given = {k for k in ("requested_delivery_on", "scheduled_delivery_on") if k in request.POST}
    amendment = services.Amendment(
        op=data["op"],
        line=data["line"],
        quantity=data["quantity"],
        sku=data["sku"] or None,
        requested_delivery_on=data["requested_delivery_on"],
        scheduled_delivery_on=data["scheduled_delivery_on"],
        dates_given=frozenset(given) if data["op"] == "set_dates" else frozenset(),
    )
    try:
        if request.POST.get("action") == "preview":
            if order.version != data["version"]:
                raise StaleVersion(stale_message(order))
            preview = services.amendment_preview(
                actor=request.user, order=order, amendment=amendment
            )
            return render(
                request,
                "orders/detail.html",
                _order_context(request, order, amend_form=form, preview=preview),
            )
        services.order_amend(
            actor=request.user,
            order=order,
            expected_version=data["version"],
            amendment=amendment,
            reason=data["reason"],
        )
    except DomainError as exc:
        return _rerender(request, number, exc=exc, form_name="amend_form", form=form)
    return _done(request, order.number, "Order amended.")


@capability_required("record_payment")
@require_POST
def pay(request, number: str):
    order = _load_or_404(number)
    form = forms.PaymentForm(request.POST)
    if not form.is_valid():
        return render(
            request, "orders/detail.html", _order_context(request, order, pay_form=form), status=400
        )
    d = form.cleaned_data
    try:
        services.payment_record(
            actor=request.user,
            order=order,
            method=d["method"],
            amount=d["amount"],
            card_last4=d["card_last4"],
            reference=d["reference"],
            expected_version=d["version"],
        )
    except DomainError as exc:
        return _rerender(request, number, exc=exc, form_name="pay_form", form=form)
    return _done(request, order.number, f"Payment of {d['amount']} recorded.")


@capability_required("reverse_payment")
@require_POST
def reverse_payment(request, number: str):
    order = _load_or_404(number)
    form = forms.ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason to reverse the payment.")
        return redirect("orders:detail", number=order.number)
    try:
        services.payment_reverse(
            actor=request.user,
            order=order,
            payment_id=form.cleaned_data["payment"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("orders:detail", number=order.number)
    return _done(request, order.number, "Payment reversed.")


@capability_required("record_payment")
@require_POST
def record_report(request, number: str):
    """Record a payment the delivery crew reported: from then on it counts."""
    order = _load_or_404(number)
    try:
        services.payment_confirm_report(
            actor=request.user,
            order=order,
            payment_id=int(request.POST.get("payment", "0") or 0),
            expected_version=int(request.POST.get("version", "0") or 0),
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "detail", "The form is incomplete; reload the page."))
        return redirect("orders:detail", number=order.number)
    return _done(request, order.number, "Reported payment recorded.")


@capability_required("amend_order")
@require_POST
def flag(request, number: str):
    """Flag the order for review with a note (does not block the order)."""
    order = _load_or_404(number)
    try:
        services.order_flag(
            actor=request.user,
            order=order,
            note=request.POST.get("note", ""),
            expected_version=int(request.POST.get("version", "0") or 0),
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "detail", "The form is incomplete; reload the page."))
        return redirect("orders:detail", number=order.number)
    return _done(request, order.number, "Order flagged for review.")


@capability_required("view_orders")
@require_POST
def move(request, number: str):
    order = _load_or_404(number)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "orders/detail.html",
            _order_context(request, order, move_form=form),
            status=400,
        )
    d = form.cleaned_data
    try:
        services.order_transition(
            actor=request.user,
            order=order,
            to=d["to"],
            expected_version=d["version"],
            reason=d["reason"],
            reason_code=d["reason_code"],
            parts_to_return=d["parts_to_return"],
        )
    except DomainError as exc:
        return _rerender(request, number, exc=exc, form_name="move_form", form=form)
    return _done(request, order.number, f"Order is now {Status(d['to']).label.lower()}.")


@capability_required("suspend_order")
@require_POST
def hold(request, number: str):
    """Suspend or resume (button `action`), with a reason."""
    order = _load_or_404(number)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason.")
        return redirect("orders:detail", number=order.number)
    service = services.order_resume if order.suspended else services.order_suspend
    try:
        service(
            actor=request.user,
            order=order,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("orders:detail", number=order.number)
    return _done(request, order.number, "Order resumed." if order.suspended else "Order suspended.")


@capability_required("clear_alerts")
@require_POST
def alert_clear(request, number: str):
    order = _load_or_404(number)
    form = forms.AlertClearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Clearing an alert needs a note.")
        return redirect("orders:detail", number=order.number)
    try:
        services.alert_clear(
            actor=request.user,
            order=order,
            alert_id=form.cleaned_data["alert"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("orders:detail", number=order.number)
    return _done(request, order.number, "Alert cleared.")


@capability_required("take_over_lock")
@require_POST
def take_over(request, number: str):
    order = _load_or_404(number)
    try:
        services.lock_take_over(actor=request.user, order=order)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("orders:detail", number=order.number)


@capability_required("create_order")
@require_POST
def call(request, number: str):
    """Call handling on an order in progress: park, transfer or void (button `action`)."""
    order = _load_or_404(number)
    action = request.POST.get("action")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    back = request.POST.get("next") or reverse("orders:pending")
    if not back.startswith("/"):
        back = reverse("orders:pending")
    try:
        if version is None:
            from caredesk.lib.errors import Invalid

            raise Invalid("The form is missing the order version; reload the page.")
        if action == "park":
            services.order_park(actor=request.user, order=order, expected_version=version)
            messages.success(request, f"Call parked: {order.number} is in your pending orders.")
        elif action == "transfer":
            services.order_transfer(
                actor=request.user,
                order=order,
                to_username=request.POST.get("to", ""),
                expected_version=version,
            )
            messages.success(request, f"{order.number} transferred to {request.POST.get('to')}.")
        elif action == "void":
            services.order_void(actor=request.user, order=order, expected_version=version)
            messages.success(request, f"Call voided: {order.number} discarded.")
        else:
            messages.error(request, "Unknown call action.")
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("orders:detail", number=order.number)
    return redirect(back)


# --- Catalog ---------------------------------------------------------------------------------


@capability_required("manage_catalog")
def catalog(request):
    """The catalog: search, add a product, change price/name/availability."""
    form = forms.CatalogForm(initial={"active": True})
    if request.method == "POST":
        form = forms.CatalogForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                existing = catalog_list().filter(sku=d["sku"].strip().upper()).first()
                if existing and request.POST.get("edit"):
                    services.catalog_update(
                        actor=request.user,
                        item=existing,
                        name=d["name"],
                        price=d["price"],
                        active=d["active"],
                    )
                    messages.success(request, f"{existing.sku} updated.")
                else:
                    item = services.catalog_create(
                        actor=request.user,
                        sku=d["sku"],
                        name=d["name"],
                        price=d["price"],
                        active=d["active"],
                    )
                    messages.success(request, f"{item.sku} added.")
                return redirect("orders:catalog")
            except DomainError as exc:
                apply_domain_error(form, exc)
    q = request.GET.get("q", "").strip()
    page = _page(request, catalog_list(q=q))
    return render(
        request,
        "orders/catalog.html",
        {"page": page, "form": form, "q": q},
        status=400 if form.errors else 200,
    )


# --- New-order wizard ------------------------------------------------------------------------


def _customer_search(q: str):
    """Simple look-up over the customers' indexed fields: member ID, phone, email; plus a
    last-name prefix. (The full search module lives with customers.)"""
    q = q.strip()
    if not q:
        return Customer.objects.none()
    cond = Q(member_id=q.upper()) | Q(email=q.lower())
    try:
        parsed = phonenumbers.parse(q, "PH")
        if phonenumbers.is_possible_number(parsed):
            cond |= Q(phone=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    except phonenumbers.NumberParseException:
        pass
    if len(q) >= 2 and not q[0].isdigit():
        cond |= Q(last_name__istartswith=q) | Q(company__istartswith=q)
    return Customer.objects.filter(cond).select_related("branch").order_by("last_name", "pk")[:20]


def _customer_zone(customer: Customer):
    address = customer.addresses.filter(zone__isnull=False).order_by("-is_default", "pk").first()
    return address.zone if address else None


def _windows(zone, branch):
    if zone is None or zone.branch_id != branch.pk:
        return []
    today = timezone.localdate()
    return list(
        PickupWindow.objects.filter(
            zone=zone, date__gte=today, date__lte=today + datetime.timedelta(days=14)
        )
        .exclude(booked__gte=F("capacity"))
        .order_by("date", "starts_at")[:40]
    )


def _wizard_lines(request) -> list[dict]:
    lines = []
    for item in catalog_list(active=True)[:200]:
        raw = request.GET.get(f"qty_{item.sku}") or request.POST.get(f"qty_{item.sku}")
        if raw:
            try:
                qty = int(raw)
            except ValueError:
                qty = -1
            if qty != 0:
                lines.append(
                    {"sku": item.sku, "quantity": qty, "name": item.name, "price": item.price}
                )
    for part_id in request.GET.getlist("part") or request.POST.getlist("part"):
        lines.append({"part": part_id, "quantity": 1})
    return lines


@capability_required("create_order")
@never_cache
def new(request):
    """The new-order wizard: customer -> parts or SKUs -> window -> confirm (creates a draft).

    State travels in the query string (GET steps) and the final form (POST)."""
    q = request.GET.get("q", "")
    member_id = request.GET.get("customer") or request.POST.get("customer")
    context = {"q": q, "step": 1}
    if not member_id:
        context["results"] = _customer_search(q) if q else []
        return render(request, "orders/new.html", context)
    customer = Customer.objects.filter(member_id=member_id.upper()).select_related("branch").first()
    if customer is None:
        context["results"] = []
        context["error"] = "No such customer."
        return render(request, "orders/new.html", context, status=404)
    branches = list(Branch.objects.filter(active=True))
    branch_code = (
        request.GET.get("branch")
        or request.POST.get("branch")
        or (customer.branch.code if customer.branch_id else (branches[0].code if branches else ""))
    )
    branch = next((b for b in branches if b.code == branch_code), None)
    kind = request.GET.get("kind") or request.POST.get("kind") or Kind.SALE
    context.update(
        customer=customer,
        branches=branches,
        branch=branch,
        kind=kind,
        kinds=Kind.choices,
        parts=list(customer.parts.exclude(status=RegisteredPart.Status.RETIRED)),
        catalog=list(catalog_list(active=True)[:200]),
        chosen_parts={
            str(p) for p in (request.GET.getlist("part") or request.POST.getlist("part"))
        },
        step=2,
    )
    lines = _wizard_lines(request)
    context["chosen"] = {ln["sku"]: ln["quantity"] for ln in lines if "sku" in ln}
    step = request.GET.get("step") or request.POST.get("step") or "2"
    if step == "2" or not lines or branch is None:
        if step != "2" and not lines:
            context["error"] = "Choose at least one part or product."
        return render(request, "orders/new.html", context)
    zone = _customer_zone(customer)
    context.update(step=3, zone=zone, windows=_windows(zone, branch), lines=lines)
    state = [("customer", customer.member_id), ("branch", branch.code), ("kind", kind)]
    state += [(f"qty_{ln['sku']}", ln["quantity"]) for ln in lines if "sku" in ln]
    state += [("part", ln["part"]) for ln in lines if "part" in ln]
    context["state"] = state
    context["back_url"] = f"{reverse('orders:new')}?{urlencode([*state, ('step', '2')])}"
    if request.method == "POST" and step == "confirm":
        window_id = request.POST.get("window") or None
        try:
            order = services.order_create(
                actor=request.user,
                customer=customer,
                branch=branch,
                kind=kind,
                lines=[
                    {k: v for k, v in ln.items() if k in ("sku", "part", "quantity")}
                    for ln in lines
                ],
                window_id=int(window_id) if window_id and window_id.isdigit() else None,
            )
        except DomainError as exc:
            context["error"] = exc.detail
            context["step"] = 4
            return render(request, "orders/new.html", context, status=exc.status)
        messages.success(request, f"Draft order {order.number} created.")
        return redirect("orders:detail", number=order.number)
    if step == "4":
        context["step"] = 4
        window_id = request.GET.get("window") or ""
        context["window"] = next((w for w in context["windows"] if str(w.pk) == window_id), None)
        context["estimate"] = _estimate(lines)
    return render(request, "orders/new.html", context)


def _estimate(lines):
    from caredesk.orders.models import CatalogItem

    priced = []
    service_price = CatalogItem.objects.filter(sku=settings.CAREDESK_PART_SERVICE_SKU).first()
    for ln in lines:
        if "sku" in ln and ln["quantity"] > 0:
            priced.append(PricedLine(ln["quantity"], ln["price"]))
        elif "part" in ln and service_price:
            priced.append(PricedLine(1, service_price.price))
    return price(priced, delivery_fee=settings.CAREDESK_DELIVERY_FEE)


# --- Guest tracking --------------------------------------------------------------------------


def _guest_not_found(request):
    from caredesk.workspace.errors import not_found

    return _guest_headers(not_found(request))


def _guest_headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _rate_limited(ip) -> bool:
    since = timezone.now() - datetime.timedelta(seconds=settings.CAREDESK_TRACKING_WINDOW_SECONDS)
    limit = settings.CAREDESK_TRACKING_MAX_PER_IP
    TrackingHit.objects.filter(ip=ip, at__lt=since).delete()  # keep only the live window
    if TrackingHit.objects.filter(ip=ip, at__gte=since)[:limit].count() >= limit:
        return True
    TrackingHit.objects.create(ip=ip)
    return False


@never_cache
def track(request, number: str):
    """The guest's tracking page (public). A wrong or missing token answers exactly like an
    unknown order. The first visit trades `?t=` for a cookie scoped to this order's path and
    redirects to the bare URL, so the token leaves the address bar, history and referrers."""
    if _rate_limited(client_ip(request)):
        response = render(request, "orders/track_limited.html", status=429)
        response["Retry-After"] = str(settings.CAREDESK_TRACKING_WINDOW_SECONDS)
        return _guest_headers(response)
    order = Order.objects.filter(number=number.upper()).select_related("branch").first()
    token = request.GET.get("t")
    path = reverse("orders:track", kwargs={"number": number})
    if token is not None:
        if not tracking.token_valid(order, token):
            return _guest_not_found(request)
        response = redirect(path)
        response.set_cookie(
            tracking.COOKIE_NAME,
            token,
            max_age=60 * 60 * 24 * 90,
            path=path,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return _guest_headers(response)
    if not tracking.token_valid(order, request.COOKIES.get(tracking.COOKIE_NAME)):
        return _guest_not_found(request)
    events = [
        e
        for e in order_timeline(order)
        if e.action in ("order.created", "order.status_changed", "order.payment_recorded")
    ]
    steps = []
    for e in events:
        if e.action == "order.created":
            steps.append((e.at, "Order received"))
        elif e.action == "order.status_changed":
            steps.append((e.at, machine.guest_label(order.kind, (e.after or {}).get("status", ""))))
        elif (e.before or {}).get("status") == Status.DRAFT and (e.after or {}).get(
            "status"
        ) == Status.PENDING:
            steps.append((e.at, machine.guest_label(order.kind, Status.PENDING)))
    context = {
        "order": order,
        "label": machine.guest_label(order.kind, order.status),
        "steps": steps,
        "lines": list(order.lines.all()),
    }
    return _guest_headers(render(request, "orders/track.html", context))
