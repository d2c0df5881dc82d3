import json

from django.apps import apps
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from caredesk.comms import services
from caredesk.comms.forms import CodeForm, ComposeForm, NoteForm, TemplateForm
from caredesk.comms.models import (
    ActivityCode,
    EmailTemplate,
    MessageKind,
    MessageStatus,
    OutboundMessage,
    TemplateCode,
)
from caredesk.comms.rendering import (
    VARIABLES,
    message_render,
    sample_context,
    template_variables,
)
from caredesk.comms.sanitize import EDITOR_ALLOW
from caredesk.comms.selectors import (
    HISTORY_TYPES,
    customer_history_page,
    email_template_list,
    outbox_list,
)
from caredesk.customers.ids import customer_by_member_id
from caredesk.customers.models import Customer
from caredesk.lib.counts import CappedPaginator
from caredesk.lib.errors import DomainError
from caredesk.lib.forms import apply_domain_error, form_outcome
from caredesk.lib.http import safe_next, toast
from caredesk.lib.permissions import capability_required, has_capability

# --- Outbox ------------------------------------------------------------------------------------


@capability_required("view_outbox")
def outbox(request):
    """Every outbound email and chat alert, newest first, with its delivery status. The pager
    counts at most COUNT_CAP messages (every order confirmation is one: millions in time)."""
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    page = CappedPaginator(outbox_list(status=status or None, kind=kind or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "comms/outbox.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "statuses": MessageStatus.choices,
            "kinds": MessageKind.choices,
        },
    )


@capability_required("view_outbox")
def outbox_message(request, message_id: int):
    """One message as the recipient sees it (HTML in a sandboxed frame, or the text)."""
    message = get_object_or_404(OutboundMessage.objects.select_related("customer"), pk=message_id)
    return render(request, "comms/message.html", {"message": message})


# --- Templates ---------------------------------------------------------------------------------


@capability_required("manage_email_templates")
def templates(request):
    """Every email template by name and language, its subject as a customer reads it."""
    return render(request, "comms/templates.html", {"templates": email_template_list()})


@capability_required("manage_email_templates")
@require_http_methods(["GET", "POST"])
def template_edit(request, code: str, locale: str):
    template = get_object_or_404(EmailTemplate, code=code, locale=locale)
    initial = {
        "version": template.version,
        "subject": template.subject,
        "text_body": template.text_body,
        "html_body": template.html_body,
    }
    form = TemplateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        saved, status = form_outcome(
            form,
            lambda data: services.email_template_update(
                actor=request.user,
                template=template,
                expected_version=data["version"],
                subject=data["subject"],
                text_body=data["text_body"],
                html_body=data["html_body"],
            ),
        )
        if saved:
            messages.success(request, f"Template saved: {template}.")
            return redirect("comms:templates")
    documented = sorted(VARIABLES.get(template.code, {}).items())
    sample = message_render(
        code=template.code,
        subject=template.subject,
        text=template.text_body,
        html=template.html_body,
        context=sample_context(template.code),
    )
    return render(
        request,
        "comms/template_edit.html",
        {
            "template": template,
            "form": form,
            "variables": template_variables(template.code),
            "documented": documented,
            "sample": sample,
        },
        status=status,
    )


# --- Compose -----------------------------------------------------------------------------------


def _customer_from(request) -> Customer | None:
    member_id = (request.GET.get("customer") or request.POST.get("customer") or "").strip()
    if not member_id:
        return None
    return _customer_or_404(member_id)


def _customer_or_404(member_id: str) -> Customer:
    customer = customer_by_member_id(member_id)
    if customer is None:
        raise Http404("No such customer.")
    return customer


def _prepare_kwargs(form: ComposeForm) -> dict:
    data = form.cleaned_data
    return {
        "to": data["to"],
        "cc": data["cc"],
        "include_customer_address": bool(data.get("include_customer_address")),
        "subject": data["subject"],
        "body": data["body"],
        "body_format": data["body_format"],
        "template_code": data["template_code"],
        "regarding": data["regarding"],
    }


@capability_required("send_email")
@require_http_methods(["GET", "POST"])
def compose(request):
    """Compose an email to a customer: copy from a template (GET ?template=), preview, send."""
    customer = _customer_from(request)
    if customer is None:
        return render(request, "comms/compose_pick.html", {})
    status = 200
    if request.method == "POST":
        form = ComposeForm(request.POST, customer=customer)
        message, status = form_outcome(
            form,
            lambda data: services.email_compose_send(
                actor=request.user, customer=customer, **_prepare_kwargs(form)
            ),
        )
        if message:
            messages.success(request, f"Email queued: {message.subject}")
            return redirect("comms:history", member_id=customer.member_id)
    else:
        code = request.GET.get("template") or TemplateCode.FREE_TEXT
        body_format = "html" if request.GET.get("format") == "html" else "text"
        initial = {
            "template_code": TemplateCode.FREE_TEXT,
            "body_format": body_format,
            "include_customer_address": True,
            "regarding": request.GET.get("regarding", ""),
        }
        if code in TemplateCode.values:
            try:
                template = services.template_for(code, customer.locale)
            except DomainError:
                template = None
            if template is not None:
                initial.update(
                    template_code=code,
                    subject=template.subject,
                    body=template.html_body if body_format == "html" else template.text_body,
                )
        form = ComposeForm(initial=initial, customer=customer)
    return render(
        request,
        "comms/compose.html",
        {
            "customer": customer,
            "form": form,
            "template_choices": TemplateCode.choices,
            "selected_template": request.GET.get("template", ""),
            "template_label": TemplateCode(form["template_code"].value()).label
            if form["template_code"].value() in TemplateCode.values
            else TemplateCode.FREE_TEXT.label,
            "variables": template_variables(form["template_code"].value() or "free_text"),
            "editor_allow": json.dumps(EDITOR_ALLOW),
        },
        status=status,
    )


@capability_required("send_email")
@require_POST
def compose_preview(request):
    """The composed email rendered exactly as it will be sent (htmx fragment)."""
    customer = _customer_from(request)
    if customer is None:
        return HttpResponse("Choose a customer first.", status=400)
    form = ComposeForm(request.POST, customer=customer)
    draft, error = None, None
    if form.is_valid():
        try:
            draft = services.email_compose_prepare(
                actor=request.user, customer=customer, **_prepare_kwargs(form)
            )
        except DomainError as exc:
            error = exc.detail
    else:
        error = "; ".join(e for errors in form.errors.values() for e in errors)
    response = render(
        request,
        "comms/_preview.html",
        {"draft": draft, "error": error},
        status=200 if draft else 400,
    )
    if error:
        # htmx leaves the preview pane as it was on a 400: the toast says what to fix.
        toast(response, f"No preview: {error}", tone="error")
    return response


def _history_types() -> list[tuple[str, str]]:
    """The type filters; "Orders" only once the orders app is installed."""
    return [
        (key, label)
        for key, (label, _q) in HISTORY_TYPES.items()
        if key != "order" or apps.is_installed("caredesk.orders")
    ]


# --- Activity history and notes ----------------------------------------------------------------


@capability_required("view_customer")
def history(request, member_id: str):
    """The customer's activity: account events, emails (with delivery status) and notes."""
    customer = _customer_or_404(member_id)
    kind = request.GET.get("type", "")
    page, entries = customer_history_page(
        customer, kind=kind or None, page=request.GET.get("page", 1)
    )
    context = {
        "customer": customer,
        "page": page,
        "entries": entries,
        "kind": kind,
        "types": _history_types(),
        "note_form": NoteForm() if has_capability(request.user, "add_activity_note") else None,
        "can_email": has_capability(request.user, "send_email"),
    }
    if request.htmx and request.htmx.target == "history-list":
        return render(request, "comms/_history_list.html", context)
    return render(request, "comms/history.html", context)


@capability_required("add_activity_note")
@require_http_methods(["GET", "POST"])
def note_add(request, member_id: str):
    """Add a note. From htmx: answers the note form (fresh, or with its errors), confirms with
    a toast and tells the activity list to refresh itself; otherwise redirects back."""
    customer = _customer_or_404(member_id)
    history_url = reverse("comms:history", kwargs={"member_id": customer.member_id})
    if request.method == "GET":
        return redirect(history_url)
    next_url = safe_next(request, request.POST.get("next"))
    form = NoteForm(request.POST)
    added = False
    if form.is_valid():
        try:
            services.note_add(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            added = True
    if request.htmx:
        # htmx swaps only 2xx answers: a refused note comes back as the form with its errors.
        if added:
            fresh = {"order_number": form.cleaned_data["order_number"]} if next_url else {}
            form = NoteForm(initial=fresh)
        response = render(
            request,
            "comms/_note_form.html",
            {"customer": customer, "note_form": form, "note_next": next_url},
        )
        if added:
            toast(response, "Note added.")
            trigger_client_event(response, "caredesk:activity-changed")
        else:
            toast(response, "The note was not added: see the form.", tone="error")
        return response
    if added:
        messages.success(request, "Note added.")
        return redirect(next_url or history_url)
    page, entries = customer_history_page(customer)
    return render(
        request,
        "comms/history.html",
        {
            "customer": customer,
            "page": page,
            "entries": entries,
            "kind": "",
            "types": _history_types(),
            "note_form": form,
            "can_email": has_capability(request.user, "send_email"),
        },
        status=400,
    )


# --- Activity and result codes -----------------------------------------------------------------


@capability_required("manage_activity_codes")
@require_http_methods(["GET", "POST"])
def codes(request):
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        item, status = form_outcome(
            form, lambda data: services.activity_code_create(actor=request.user, **data)
        )
        if item:
            messages.success(request, f"Code added: {item.label}.")
            return redirect("comms:codes")
    rows = ActivityCode.objects.order_by("kind", "position", "label")
    return render(request, "comms/codes.html", {"form": form, "codes": rows}, status=status)


@capability_required("manage_activity_codes")
@require_http_methods(["GET", "POST"])
def code_edit(request, code_id: int):
    """Rename or (de)activate a code. From htmx: answers the code's row and a toast; a refused
    change leaves the row as typed and says why in an error toast."""
    item = get_object_or_404(ActivityCode, pk=code_id)
    if request.method == "POST":
        try:
            item = services.activity_code_update(
                actor=request.user,
                item=item,
                label=request.POST.get("label", ""),
                active=request.POST.get("active") == "on",
            )
        except DomainError as exc:
            if request.htmx:
                return toast(HttpResponse(status=exc.status), exc.detail, tone="error")
            messages.error(request, exc.detail)
        else:
            if request.htmx:
                response = render(request, "comms/_code_row.html", {"c": item})
                return toast(response, f"Code saved: {item.label}.")
            messages.success(request, "Code saved.")
    return redirect("comms:codes")
