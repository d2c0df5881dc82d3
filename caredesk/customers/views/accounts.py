"""Customer pages: member snapshot, create/edit, account actions, view-as-customer, blocklist,
and the customer's own password-reset page. Views parse input and call the services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.customers import policy, selectors, services
from caredesk.customers.forms.accounts import (
    AddressFields,
    BlocklistAddForm,
    BlocklistFilterForm,
    CustomerCreateForm,
    CustomerEditForm,
    ReasonForm,
    service_field,
)
from caredesk.customers.models import Customer
from caredesk.customers.values import phone_local
from caredesk.customers.views import customer_or_404
from caredesk.lib.errors import DomainError
from caredesk.lib.forms import form_submit
from caredesk.lib.modules import module_panels
from caredesk.lib.pages import or_404, service_told
from caredesk.lib.permissions import capability_required, has_capability
from caredesk.people import referrals

BLOCKLIST_PAGE = 50


def _form_error(form, exc: DomainError) -> None:
    field = service_field(exc.field)
    form.add_error(field if field in form.fields else None, exc.detail)


@capability_required("view_customer")
@require_GET
def snapshot(request, member_id: str):
    """The member snapshot: identity and flags left, merged timeline middle, actions right."""
    customer = or_404(selectors.customer_snapshot, member_id, missing="No such customer.")
    timeline = selectors.customer_timeline(
        customer,
        cursor=request.GET.get("after"),
        with_orders=has_capability(request.user, "view_orders"),
    )
    if request.htmx and request.GET.get("after"):
        return render(
            request,
            "customers/_timeline.html",
            {"customer": customer, "timeline": timeline},
        )
    audit = list(selectors.audit_history(customer)[: selectors.HISTORY_SHOWN])
    blocked_values = selectors.customer_blocked_values(customer)
    context = {
        "customer": customer,
        "phone_local": phone_local(customer.phone),
        "forwarding_local": phone_local(customer.call_forwarding_to),
        "related": selectors.related_accounts(customer),
        "blocked_values": blocked_values,
        "timeline": timeline,
        "account_history": list(selectors.account_history(customer)[: selectors.HISTORY_SHOWN]),
        "audit_history": [(e, selectors.change_rows(e)) for e in audit],
        "safety_history": list(selectors.safety_history(customer)[: selectors.HISTORY_SHOWN]),
        "module_panels": module_panels("snapshot", request, customer),
        "can": policy.actions(request.user, customer),
        "badge": policy.badge(customer),
        "flags": policy.flags(customer, blocked_values),
    }
    return render(request, "customers/snapshot.html", context)


@capability_required("create_customer")
@require_http_methods(["GET", "POST"])
def customer_new(request):
    form = CustomerCreateForm(request.POST or None, initial={"locale": "en"})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                customer = services.customer_create(
                    actor=request.user, data=form.service_data(), ip=None
                )
            except DomainError as exc:
                _form_error(form, exc)
                status = exc.status
            else:
                referrals.attach(request, customer=customer)
                messages.success(request, f"Account {customer.member_id} opened.")
                return redirect("customers:snapshot", member_id=customer.member_id)
    return render(request, "customers/new.html", {"form": form}, status=status)


def _edit_initial(customer: Customer) -> dict:
    address = (
        customer.addresses.select_related("branch", "zone").order_by("-is_default", "pk").first()
    )
    initial = {
        field: getattr(customer, field)
        for field in CustomerEditForm.CHANGEABLE
        if field not in ("group",)
    }
    initial.update(
        version=customer.version,
        phone=phone_local(customer.phone),
        call_forwarding_to=phone_local(customer.call_forwarding_to),
        group=customer.group.name if customer.group_id else "",
    )
    if address:
        initial.update(
            address_line1=address.line1,
            address_barangay=address.barangay,
            address_city=address.city,
            address_branch=address.branch.code if address.branch_id else "",
            address_zone=address.zone.code if address.zone_id else "",
        )
    return initial


def _current_rows(form: CustomerEditForm, initial: dict) -> list[tuple[str, object]]:
    """(label, value) of every field as it is stored now, choices by their label."""
    rows = []
    names = [*CustomerEditForm.CHANGEABLE, *AddressFields.base_fields]
    for name in names:
        value = initial.get(name)
        choices = getattr(form.fields[name], "choices", None)
        if choices and value not in (None, ""):
            value = dict(choices).get(value, value)
        rows.append((form[name].label, value))
    return rows


@capability_required("edit_customer")
@require_http_methods(["GET", "POST"])
def customer_edit(request, member_id: str):
    """Profile edit guarded by the version: a stale save shows who changed the customer and
    when, the current values, and keeps what the agent typed."""
    customer = customer_or_404(member_id)
    form = CustomerEditForm(request.POST or None, initial=_edit_initial(customer))
    current = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.customer_update(
                    actor=request.user,
                    customer=customer,
                    changes=form.service_changes(),
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                _form_error(form, exc)
                status = exc.status
                if exc.status == 412:
                    customer.refresh_from_db()
                    initial = _edit_initial(customer)
                    data = request.POST.copy()
                    data["version"] = str(customer.version)
                    form = CustomerEditForm(data, initial=initial)
                    form.is_valid()
                    form.add_error(None, exc.detail)
                    current = _current_rows(form, initial)
            else:
                messages.success(request, "Profile saved.")
                return redirect("customers:snapshot", member_id=customer.member_id)
    return render(
        request,
        "customers/edit.html",
        {"form": form, "customer": customer, "current": current},
        status=status,
    )


def _account_action(request, member_id: str, action, done: str):
    customer = customer_or_404(member_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason.")
    else:
        reason = form.cleaned_data["reason"]
        service_told(
            request, lambda: action(actor=request.user, customer=customer, reason=reason), done
        )
    return redirect("customers:snapshot", member_id=customer.member_id)


@capability_required("close_customer")
@require_POST
def customer_close(request, member_id: str):
    return _account_action(request, member_id, services.customer_close, "Account closed.")


@capability_required("close_customer")
@require_POST
def customer_reopen(request, member_id: str):
    return _account_action(request, member_id, services.customer_reopen, "Account reopened.")


@capability_required("fraud_stop")
@require_POST
def customer_fraud_stop(request, member_id: str):
    return _account_action(
        request,
        member_id,
        services.customer_fraud_stop,
        "FRAUD-STOP done: known IPs and cards blocked, account closed.",
    )


@capability_required("edit_customer")
@require_POST
def customer_password_reset(request, member_id: str):
    customer = customer_or_404(member_id)
    base_url = request.build_absolute_uri("/")
    service_told(
        request,
        lambda: services.customer_password_reset_send(
            actor=request.user, customer=customer, base_url=base_url
        ),
        f"Password reset link sent to {customer.email}.",
    )
    return redirect("customers:snapshot", member_id=customer.member_id)


@capability_required("view_as_customer")
@require_GET
def view_as(request, member_id: str):
    """The customer-facing account page as the customer sees it, read-only, audited."""
    customer = or_404(selectors.customer_snapshot, member_id, missing="No such customer.")
    services.customer_viewed_as(actor=request.user, customer=customer)
    return render(
        request,
        "customers/view_as.html",
        {
            "customer": customer,
            "read_only": True,
            "phone_local": phone_local(customer.phone),
            "forwarding_local": phone_local(customer.call_forwarding_to),
            "module_panels": module_panels("view_as", request, customer),
        },
    )


@capability_required("view_blocklist")
@require_GET
def blocklist(request):
    filters = BlocklistFilterForm(request.GET or {"active": "yes"})
    filters.is_valid()
    kind = filters.cleaned_data.get("kind") or None
    active = {"yes": True, "no": False}.get(filters.cleaned_data.get("active", ""))
    page = Paginator(
        selectors.blocklist_entries(kind=kind, active=active), BLOCKLIST_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/blocklist.html",
        {
            "page": page,
            "filters": filters,
            "form": BlocklistAddForm(),
            "can_manage": has_capability(request.user, "manage_blocklist"),
        },
    )


@capability_required("manage_blocklist")
@require_POST
def blocklist_add(request):
    form = BlocklistAddForm(request.POST)
    entry = form_submit(form, lambda data: services.blocklist_add(actor=request.user, **data))
    if entry is not None:
        messages.success(request, f"Blocked {entry}.")
        return redirect("customers:blocklist")
    page = Paginator(selectors.blocklist_entries(active=True), BLOCKLIST_PAGE).get_page(1)
    return render(
        request,
        "customers/blocklist.html",
        {
            "page": page,
            "filters": BlocklistFilterForm({"active": "yes"}),
            "form": form,
            "can_manage": True,
            "open_add": True,
        },
        status=400,
    )


@capability_required("manage_blocklist")
@require_POST
def blocklist_remove(request, entry_id: int):
    entry = or_404(selectors.blocklist_entry, entry_id, missing="No such entry.")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the value is no longer blocked.")
    else:
        service_told(
            request,
            lambda: services.blocklist_remove(actor=request.user, entry=entry, **form.cleaned_data),
            f"Removed {entry} from the blocklist.",
        )
    return redirect(reverse("customers:blocklist") + "?active=yes")


@require_http_methods(["GET", "POST"])
def password_reset(request, token: str):
    """The customer's page behind a reset link: set a new password. An expired, used or forged
    link gets one neutral message."""
    customer = services.password_reset_customer(token)
    context = {"valid": customer is not None, "done": False, "error": ""}
    status = 200 if customer is not None else 400
    if customer is not None and request.method == "POST":
        password = request.POST.get("password", "")
        if password != request.POST.get("password_again", ""):
            context["error"] = "The two passwords differ."
            status = 400
        else:
            try:
                services.customer_password_set(token=token, password=password)
            except DomainError as exc:
                context["error"] = exc.detail
                status = 400
            else:
                context["done"] = True
    context["message"] = services.PASSWORD_RESET_INVALID
    response = render(request, "customers/portal/password_reset.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response
