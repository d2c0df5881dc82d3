"""Guest pages (SPEC §9), no staff sign-in: complaints, careers, a service request from the
tracking page, and the guest account (sign-in by one-time code, orders and open tickets)."""

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from caredesk.inbox import services as inbox
from caredesk.inbox.models import Ticket
from caredesk.inbox.uploads import size_words
from caredesk.inbox.views.ticket import attachment_response
from caredesk.lib.errors import DomainError, RateLimited
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.middleware import client_ip
from caredesk.lib.pages import or_404
from caredesk.portal import services
from caredesk.portal.forms import (
    CareerForm,
    CodeForm,
    ComplaintForm,
    GuestReplyForm,
    PhoneForm,
    ServiceForm,
)

SESSION_PHONE = "portal_phone"
SESSION_UNTIL = "portal_until"
SESSION_PENDING = "portal_pending"
SESSION_HOURS = 8


def _language(request) -> str:
    """Filipino when the browser asks for it first (fil or tl), else English."""
    first = request.headers.get("Accept-Language", "").split(",")[0].strip().lower()
    return "fil" if first.startswith(("fil", "tl")) else "en"


def _guest(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _refused(request, template, context, exc: DomainError):
    form = context["form"]
    apply_domain_error(form, exc)
    status = 429 if isinstance(exc, RateLimited) else exc.status
    response = render(request, template, context, status=status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return _guest(response)


def _done(request, ticket: Ticket, what: str):
    return _guest(
        render(
            request,
            "portal/done.html",
            {"ticket": ticket, "what": what, "emailed": bool(ticket.guest_email)},
            status=201,
        )
    )


def _guest_form(request, template: str, context: dict, file, what: str):
    """A guest's form page: once the posted form is valid, `file(cleaned_data)` files the
    ticket and the done page says the `what` was received; a refusal or an invalid form shows
    the form again (4xx)."""
    form = context["form"]
    if request.method == "POST" and form.is_valid():
        try:
            ticket = file(form.cleaned_data)
        except DomainError as exc:
            return _refused(request, template, context, exc)
        return _done(request, ticket, what)
    status = 400 if request.method == "POST" else 200
    return _guest(render(request, template, context, status=status))


def _guest_details(request, data: dict) -> dict:
    """What a complaint and an application both tell of the guest, as the inbox takes it."""
    return {
        "name": data["name"],
        "email": data["email"],
        "phone": data["phone"],
        "message": data["message"],
        "ip": client_ip(request),
        "honeypot": data["website"],
        "locale": _language(request),
    }


def _guest_ticket_page(form_class, template: str, what: str, file):
    """A guest's page filing a ticket with a `form_class` form: `file(guest, data)` files it
    from what every guest tells (`_guest_details`) and the form's other fields."""

    @never_cache
    def page(request):
        form = form_class(request.POST or None, request.FILES or None)

        def filed(data):
            return file(_guest_details(request, data), data)

        return _guest_form(request, template, {"form": form}, filed, what)

    return page


def _complaint_file(guest: dict, data: dict) -> Ticket:
    return inbox.complaint_file(**guest, order_number=data["order"], photos=data["photos"])


def _career_apply(guest: dict, data: dict) -> Ticket:
    return inbox.career_apply(**guest, position_id=data["position"].pk, cv=data["cv"])


complaints = _guest_ticket_page(
    ComplaintForm, "portal/complaints.html", "complaint", _complaint_file
)
careers_apply = _guest_ticket_page(CareerForm, "portal/careers.html", "application", _career_apply)


def _tracked_order(request, number: str):
    """The order whose tracking cookie this guest holds (set by the tracking page for its
    path, which this URL is under); None answers exactly like an unknown order."""
    from caredesk.orders import tracking
    from caredesk.orders.models import Order

    order = Order.objects.filter(number=number.upper()).select_related("customer", "branch").first()
    if not tracking.token_valid(order, request.COOKIES.get(tracking.COOKIE_NAME)):
        return None
    return order


@never_cache
def service_request(request, number: str):
    order = _tracked_order(request, number)
    if order is None:
        raise Http404
    form = ServiceForm(request.POST or None, request.FILES or None)

    def file(data):
        return inbox.service_request(
            order=order,
            message=data["message"],
            photos=data["photos"],
            ip=client_ip(request),
            honeypot=data["website"],
        )

    context = {"form": form, "order": order}
    return _guest_form(request, "portal/service.html", context, file, "service request")


# --- Guest account ---------------------------------------------------------------------------


def _signed_in_phone(request) -> str | None:
    phone = request.session.get(SESSION_PHONE)
    until = request.session.get(SESSION_UNTIL)
    if not phone or not until or dt.datetime.fromisoformat(until) < timezone.now():
        return None
    return phone


@never_cache
def login(request):
    step = (
        "code"
        if request.session.get(SESSION_PENDING) and request.GET.get("step") == "code"
        else "phone"
    )
    phone_form = PhoneForm(
        request.POST if request.method == "POST" and "phone" in request.POST else None
    )
    code_form = CodeForm(
        request.POST if request.method == "POST" and "code" in request.POST else None
    )
    context = {"phone_form": phone_form, "code_form": code_form, "step": step}
    if request.method == "POST" and "phone" in request.POST:
        if phone_form.is_valid():
            try:
                phone = services.login_code_send(
                    raw_phone=phone_form.cleaned_data["phone"], ip=client_ip(request)
                )
            except DomainError as exc:
                context["form"] = phone_form
                return _refused(request, "portal/login.html", context, exc)
            request.session[SESSION_PENDING] = phone
            return redirect("/account/login?step=code")
        return _guest(render(request, "portal/login.html", context, status=400))
    if request.method == "POST" and "code" in request.POST:
        context["step"] = "code"
        phone = request.session.get(SESSION_PENDING)
        if not phone:
            return redirect("portal:login")
        if code_form.is_valid():
            try:
                ok = services.login_code_verify(
                    phone=phone, code=code_form.cleaned_data["code"], ip=client_ip(request)
                )
            except DomainError as exc:
                context["form"] = code_form
                return _refused(request, "portal/login.html", context, exc)
            if ok:
                request.session.cycle_key()
                request.session.pop(SESSION_PENDING, None)
                request.session[SESSION_PHONE] = phone
                request.session[SESSION_UNTIL] = (
                    timezone.now() + dt.timedelta(hours=SESSION_HOURS)
                ).isoformat()
                return redirect("portal:orders")
            code_form.add_error("code", "That code is wrong or has expired. Ask for a new one.")
        return _guest(render(request, "portal/login.html", context, status=400))
    return _guest(render(request, "portal/login.html", context))


def logout(request):
    if request.method == "POST":
        for key in (SESSION_PHONE, SESSION_UNTIL, SESSION_PENDING):
            request.session.pop(key, None)
    return redirect("portal:login")


def _reply_form(reference: str, data=None, files=None) -> GuestReplyForm:
    return GuestReplyForm(
        data,
        files,
        prefix=reference,
        upload_limit=size_words(settings.CAREDESK_UPLOAD_MAX_BYTES),
    )


def _account_page(request, phone: str, *, refused: GuestReplyForm | None = None, status=200):
    """The guest's orders and open tickets (each thread with its files and a reply box); a
    reply that was refused comes back in its own box with the reason and the words kept."""
    from caredesk.orders import machine
    from caredesk.orders.tracking import tracking_url

    rows = [
        {
            "order": o,
            "label": machine.guest_label(o.kind, o.status),
            "url": tracking_url(request, o),
        }
        for o in services.guest_orders(phone)[:50]
    ]
    tickets = list(services.guest_tickets(phone).prefetch_related("messages__attachments")[:20])
    threads = [
        {
            "ticket": t,
            "messages": [m for m in t.messages.all() if m.visibility != "internal"],
            "form": refused
            if refused is not None and refused.prefix == t.reference
            else _reply_form(t.reference),
        }
        for t in tickets
    ]
    context = {"rows": rows, "threads": threads, "phone": phone}
    return _guest(render(request, "portal/orders.html", context, status=status))


def _guest_signed_in(view):
    """A page of the guest signed in by a one-time code: the view gets their phone after the
    request; anyone else goes to the sign-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        phone = _signed_in_phone(request)
        if phone is None:
            return redirect("portal:login")
        return view(request, phone, *args, **kwargs)

    return wrapper


@never_cache
@_guest_signed_in
def orders(request, phone: str):
    return _account_page(request, phone)


@_guest_signed_in
def ticket_reply(request, phone: str, reference: str):
    ticket = or_404(services.guest_ticket, phone, reference, missing="No such ticket.")
    if request.method != "POST":
        return redirect("portal:orders")
    form = _reply_form(ticket.reference, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.guest_reply(
                phone=phone,
                reference=ticket.reference,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Your reply on {ticket.reference} was sent.")
            return redirect(f"{reverse('portal:orders')}#t-{ticket.reference}")
    return _account_page(request, phone, refused=form, status=400)


@never_cache
@_guest_signed_in
def attachment(request, phone: str, attachment_id: int):
    """A file on one of the signed-in guest's tickets: always downloaded, never shown inline
    (the same response as staff downloads). Another guest's file answers 404."""
    return attachment_response(
        or_404(services.guest_attachment, phone, attachment_id, missing="No such file.")
    )
