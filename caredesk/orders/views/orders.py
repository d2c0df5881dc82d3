"""Order pages: lists, the pending grid, the order page and its actions. Thin: they call the
services and show their errors."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from caredesk.branches.models import Branch
from caredesk.customers.selectors import customer_card
from caredesk.lib.display import money
from caredesk.lib.errors import DomainError, StaleVersion
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.modules import module_panels
from caredesk.lib.permissions import capability_required
from caredesk.orders import forms, machine, policy, services, tracking
from caredesk.orders.models import Kind, Order, Status
from caredesk.orders.pricing import kept_line
from caredesk.orders.selectors import (
    catalog_list,
    order_list,
    order_timeline,
    pending_list,
)
from caredesk.orders.services.calls import lock_holder
from caredesk.orders.services.common import order_version_check
from caredesk.orders.views.common import order_or_404, page_of

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
    page = page_of(request, order_list(**filters))
    context = {
        "page": page,
        "filters": filters,
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "branches": Branch.objects.filter(active=True),
    }
    template = "orders/_list_rows.html" if request.htmx else "orders/list.html"
    return render(request, template, context)


# What the pending grid shows of an order's relations (no branch).
PENDING_GRID_JOINS = ("customer", "assigned_to", "locked_by")


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
    qs = (
        pending_list(
            agent=request.user if mine else None,
            q=filters["q"],
            locked=filters["locked"],
            sort=filters["sort"],
        )
        .select_related(None)
        .select_related(*PENDING_GRID_JOINS)
    )
    page = page_of(request, qs)
    rows = [
        {"order": o, "lock_holder": lock_holder(o), "void": policy.void(request.user, o)}
        for o in page
    ]
    context = {
        "page": page,
        "rows": rows,
        # One Void dialog for the grid, filled from the clicked row's button.
        "void_dialog": any(row["void"] for row in rows),
        "filters": filters,
        "undo": None if request.htmx else _undo_offer(request),
    }
    template = "orders/_pending_rows.html" if request.htmx else "orders/pending.html"
    return render(request, template, context)


def _undo_offer(request) -> dict | None:
    """The call the agent just voided, while policy still lets them undo it."""
    from caredesk.audit.selectors import target_history

    number, version = (request.session.get("undo_void") or [None, None])[:2]
    order = Order.objects.filter(number=number).first() if number else None
    if order is None:
        return None
    last = target_history("orders.order", order.pk).first()
    if not policy.undo_void(request.user, order, last):
        request.session.pop("undo_void", None)
        return None
    return {"order": order, "version": version}


# --- The order page --------------------------------------------------------------------------


def _order_context(request, order: Order, **forms_in) -> dict:
    """Everything the order page shows, each action as `orders.policy` answers it."""
    user = request.user
    lines = list(order.lines.all())
    v = {"version": order.version}
    lock = None
    if policy.edit_lock(user, order):
        lock = services.lock_touch(actor=user, order=order)
    holder = lock.holder if lock else lock_holder(order)
    payments = list(order.payments.all())
    alerts = list(order.alerts.all())
    can = {name: decision for name, decision in policy.actions(user, order).items()}
    can["take_over_lock"] = policy.take_over_lock(user, order, holder)
    return {
        "order": order,
        "customer": order.customer,
        "customer_card": customer_card(order.customer),
        "lines": [
            {
                "line": ln,
                "total": kept_line(ln.quantity, ln.unit_price, ln.discount, ln.returned).total,
            }
            for ln in lines
        ],
        "payments": [
            {
                "payment": p,
                "tone": policy.payment_badge(p),
                "confirm": policy.confirm_report(user, order, p),
                "reverse": policy.reverse_payment(user, order, p),
            }
            for p in payments
        ],
        "alerts": [{"alert": a, "clear": policy.clear_alert(user, order, a)} for a in alerts],
        "timeline": list(order_timeline(order)),
        "status_path": policy.status_path(order),
        "badge": policy.badge(order),
        "figures": policy.figures(order),
        "next_action": policy.next_action(user, order),
        "can": can,
        "moves": policy.moves(user, order),
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
        "parts_held": policy.parts_held(order),
        "tracking_url": tracking.tracking_url(request, order),
        "order_panels": module_panels("order_panels", request, order),
        "agents": _agents(user) if can["transfer"] else [],
        "undo_remove": _undo_remove_offer(request, order),
    }


def _agents(user) -> list[tuple[str, str]]:
    """(username, name) of the active staff who can take orders (Transfer picks one), the
    agent themself excluded. Holders are found through the permission's groups and direct
    grants as subqueries: no join over every user's groups and permissions to de-duplicate."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    User = get_user_model()
    perm = Permission.objects.filter(content_type__app_label="staff", codename="create_order")
    groups = Group.permissions.through.objects.filter(permission__in=perm).values("group_id")
    members = User.groups.through.objects.filter(group_id__in=groups).values("user_id")
    direct = User.user_permissions.through.objects.filter(permission__in=perm).values("user_id")
    rows = (
        User.objects.filter(Q(pk__in=members) | Q(pk__in=direct), is_active=True)
        .exclude(pk=user.pk)
        .order_by("first_name", "last_name", "username")
        .values_list("username", "first_name", "last_name")[:200]
    )
    # The name as User.get_full_name() gives it, the username when there is none.
    return [(name, f"{first} {last}".strip() or name) for name, first, last in rows]


@capability_required("view_orders")
def detail(request, number: str):
    """The order page: status path, lines and totals, payments, alerts, timeline, actions."""
    order = order_or_404(number)
    return render(request, "orders/detail.html", _order_context(request, order))


def _rerender(request, number: str, *, exc: DomainError, form_name: str, form, **extra):
    """After a refused write: the current order, the agent's input kept, the error shown.
    A stale version also moves the form's version to the current one (after the agent has
    seen the current order, submitting again applies to it)."""
    order = order_or_404(number)
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
    order = order_or_404(number)
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
            order_version_check(order, data["version"])
            preview = services.amendment_preview(
                actor=request.user, order=order, amendment=amendment
            )
            return render(
                request,
                "orders/detail.html",
                _order_context(request, order, amend_form=form, preview=preview),
            )
        removed = next((ln for ln in order.lines.all() if ln.pk == data["line"]), None)
        services.order_amend(
            actor=request.user,
            order=order,
            expected_version=data["version"],
            amendment=amendment,
            reason=data["reason"],
        )
    except DomainError as exc:
        return _rerender(request, number, exc=exc, form_name="amend_form", form=form)
    request.session.pop("undo_remove", None)
    if data["op"] == "remove_line" and removed is not None and not removed.part_id:
        request.session["undo_remove"] = {
            "number": order.number,
            "sku": removed.sku,
            "name": removed.name,
            "quantity": removed.quantity,
            "at": timezone.now().isoformat(),
        }
    return _done(request, order.number, "Order amended.")


def _undo_remove_offer(request, order: Order) -> dict | None:
    """The line the agent just removed from this order, while policy lets them put it back."""
    offer = request.session.get("undo_remove") or {}
    if offer.get("number") != order.number:
        return None
    removed_at = datetime.fromisoformat(offer["at"])
    if not policy.undo_remove_line(request.user, order, removed_at):
        return None
    return offer


def _order_form(request, number: str, *, form_class, write, form_name: str = "", invalid=""):
    """An action posted from the order page; success runs `write(order, cleaned_data) -> done
    text`. With `form_name` (a form shown on the page) an invalid form or a refusal shows the
    page again with the input kept; without (a one-field action: reverse, suspend/resume,
    clear an alert) they come back as a message on the page (`invalid` for an invalid form)."""
    order = order_or_404(number)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            return _done(request, order.number, write(order, form.cleaned_data))
        except DomainError as exc:
            if form_name:
                return _rerender(request, number, exc=exc, form_name=form_name, form=form)
            problem = exc.detail
    elif form_name:
        context = _order_context(request, order, **{form_name: form})
        return render(request, "orders/detail.html", context, status=400)
    else:
        problem = invalid
    messages.error(request, problem)
    return redirect("orders:detail", number=order.number)


def _run(request, action, order: Order, data: dict, **arguments):
    """The order service `action` on `order` as the request's user, under the form's
    `version`; its other arguments are `arguments`, else the form's other fields by name."""
    if not arguments:
        arguments = {key: value for key, value in data.items() if key != "version"}
    return action(actor=request.user, order=order, expected_version=data["version"], **arguments)


@capability_required("record_payment")
@require_POST
def pay(request, number: str):
    def write(order, d):
        payment, _ = _run(request, services.payment_record, order, d)
        return f"Payment of {money(payment.amount)} recorded."

    return _order_form(
        request, number, form_class=forms.PaymentForm, form_name="pay_form", write=write
    )


@capability_required("reverse_payment")
@require_POST
def reverse_payment(request, number: str):
    def write(order, d):
        payment, reason = d["payment"], d["reason"]
        _run(request, services.payment_reverse, order, d, payment_id=payment, reason=reason)
        return "Payment reversed."

    invalid = "Give a reason to reverse the payment."
    return _order_form(request, number, form_class=forms.ReverseForm, invalid=invalid, write=write)


@capability_required("record_payment")
@require_POST
def record_report(request, number: str):
    """Record a payment the delivery crew reported: from then on it counts."""

    def arguments():
        return {"payment_id": int(request.POST.get("payment", "0") or 0)}

    action, done = services.payment_confirm_report, "Reported payment recorded."
    return _button(request, number, action, done, arguments)


def _button(request, number: str, action, done: str, arguments):
    """A one-button form on the order page: run the order service `action` under the posted
    `version` with `arguments()`; a refusal or a tampered form comes back as a message on the
    page."""
    order = order_or_404(number)
    try:
        version = int(request.POST.get("version", "0") or 0)
        _run(request, action, order, {"version": version}, **arguments())
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "detail", "The form is incomplete; reload the page."))
        return redirect("orders:detail", number=order.number)
    return _done(request, order.number, done)


@capability_required("amend_order")
@require_POST
def flag(request, number: str):
    """Flag the order for review with a note (does not block the order)."""
    action, done = services.order_flag, "Order flagged for review."
    return _button(request, number, action, done, lambda: {"note": request.POST.get("note", "")})


@capability_required("view_orders")
@require_POST
def move(request, number: str):
    def write(order, d):
        _run(request, services.order_transition, order, d)
        return f"Order is now {Status(d['to']).label.lower()}."

    return _order_form(
        request, number, form_class=forms.MoveForm, form_name="move_form", write=write
    )


@capability_required("suspend_order")
@require_POST
def hold(request, number: str):
    """Suspend or resume, with a reason."""

    def write(order, d):
        service = services.order_resume if order.suspended else services.order_suspend
        _run(request, service, order, d)
        return "Order resumed." if order.suspended else "Order suspended."

    invalid = "Give a reason."
    return _order_form(request, number, form_class=forms.ReasonForm, invalid=invalid, write=write)


@capability_required("clear_alerts")
@require_POST
def alert_clear(request, number: str):
    def write(order, d):
        _run(request, services.alert_clear, order, d, alert_id=d["alert"], note=d["note"])
        return "Alert cleared."

    invalid = "Clearing an alert needs a note."
    return _order_form(
        request, number, form_class=forms.AlertClearForm, invalid=invalid, write=write
    )


@capability_required("take_over_lock")
@require_POST
def take_over(request, number: str):
    order = order_or_404(number)
    try:
        services.lock_take_over(actor=request.user, order=order)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("orders:detail", number=order.number)


@capability_required("create_order")
@require_POST
def call(request, number: str):
    """Call handling on an order in progress: park, transfer or void (button `action`)."""
    order = order_or_404(number)
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
            voided = services.order_void(actor=request.user, order=order, expected_version=version)
            messages.success(request, f"Call voided: {order.number} discarded.")
            request.session["undo_void"] = [voided.number, voided.version]
        elif action == "undo_void":
            services.order_void_undo(actor=request.user, order=order, expected_version=version)
            request.session.pop("undo_void", None)
            messages.success(request, f"{order.number} is back in your pending orders.")
            return redirect("orders:detail", number=order.number)
        else:
            messages.error(request, "Unknown call action.")
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("orders:detail", number=order.number)
    return redirect(back)


@capability_required("send_email")
@require_POST
def email(request, number: str):
    """ "Send update" / "Resend confirmation" from the order page."""
    from caredesk.orders.emails import STAFF_TEMPLATES, order_email_send

    order = order_or_404(number)
    template = request.POST.get("template", "")
    try:
        message = order_email_send(actor=request.user, order=order, template_code=template)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("orders:detail", number=order.number)
    return _done(
        request, order.number, f"{STAFF_TEMPLATES[template]} queued to {', '.join(message.to)}."
    )
