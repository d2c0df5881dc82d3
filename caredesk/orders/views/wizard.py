"""The new-order wizard: customer -> parts or SKUs -> window -> confirm."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from caredesk.branches.models import Branch
from caredesk.customers import policy as customer_policy
from caredesk.customers.ids import customer_by_member_id
from caredesk.customers.models import Customer, RegisteredPart
from caredesk.customers.selectors import customer_blocked_values
from caredesk.lib.errors import DomainError
from caredesk.lib.permissions import capability_required
from caredesk.orders import policy, services
from caredesk.orders.models import Kind
from caredesk.orders.pricing import PricedLine, price
from caredesk.orders.selectors import catalog_list, windows_list
from caredesk.people import referrals

# --- New-order wizard ------------------------------------------------------------------------


def _customer_search(q: str) -> list:
    """Customers for the wizard's first step: the instant search's ranking (member ID, phone
    in any format, email, order number, names and fragments), index-backed at any size."""
    from caredesk.customers.search import customers_instant

    return customers_instant(q=q, limit=20) if q.strip() else []


def _customer_zone(customer: Customer):
    address = customer.addresses.filter(zone__isnull=False).order_by("-is_default", "pk").first()
    return address.zone if address else None


def _windows(zone, branch):
    """Free pickup windows of the customer's zone in the dates the wizard offers."""
    if zone is None or zone.branch_id != branch.pk:
        return []
    start, end = policy.delivery_window_range()
    qs = windows_list(zone=zone.code, start=start, free_only=True).filter(date__lte=end)
    return list(qs[:40])


def _requested_date(request) -> tuple[str, datetime.date | None, str]:
    """(raw, date, error) of the requested delivery date field (optional, not in the past)."""
    raw = (request.GET.get("requested") or request.POST.get("requested") or "").strip()
    if not raw:
        return "", None, ""
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return raw, None, "Requested delivery date: use a date like 2026-12-24."
    decision = policy.delivery_date(day, field="requested_delivery_on")
    if not decision:
        return raw, None, f"Requested delivery date: {decision.reason}"
    return raw, day, ""


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
    customer = customer_by_member_id(member_id, Customer.objects.select_related("branch"))
    if customer is None:
        context["results"] = []
        context["error"] = "No such customer."
        return render(request, "orders/new.html", context, status=404)
    allowed = customer_policy.place_order(request.user, customer)
    context["flags"] = customer_policy.flags(customer, customer_blocked_values(customer))
    if not allowed:
        context.update(customer=customer, refused=allowed.reason, step=2)
        return render(request, "orders/new.html", context, status=409)
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
        parts=[
            {"part": part, "busy": customer_policy.part_follows_order(part)}
            for part in customer.parts.exclude(status=RegisteredPart.Status.RETIRED)
        ],
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
    requested_raw, requested, requested_error = _requested_date(request)
    context.update(requested=requested, requested_raw=requested_raw, today=timezone.localdate())
    if requested_error and step in ("4", "confirm"):
        context["error"] = requested_error
        context["requested_error"] = requested_error
        return render(request, "orders/new.html", context, status=400)
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
                requested_delivery_on=requested,
            )
        except DomainError as exc:
            context["error"] = exc.detail
            context["step"] = 4
            return render(request, "orders/new.html", context, status=exc.status)
        referrals.attach(request, order=order)
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
