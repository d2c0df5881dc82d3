"""One ticket: thread, timeline, the SLA badge, and its actions (status, priority,
assignee, follow-up date, tags; reply to the guest or internal note; merge a duplicate; link
a customer and an order). Each form posts to its own URL and comes back to the page."""

import datetime as dt
from functools import partial, wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from caredesk.customers.models import Customer
from caredesk.inbox import emails, policy, selectors, services
from caredesk.inbox.models import Attachment, Priority
from caredesk.inbox.uploads import MAX_FILES, size_words
from caredesk.inbox.views.common import inbox_required, visible_ticket
from caredesk.inbox.views.inbox import _staff_for
from caredesk.lib.errors import DomainError, Invalid
from caredesk.lib.modules import module_panels
from caredesk.lib.pages import service_told


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    internal = forms.BooleanField(label="Internal note (the guest does not see it)", required=False)
    # The files are checked by the service (by their bytes, like the guests' uploads).
    files = forms.Field(required=False, label="Files")


def _page(request, ticket, *, reply_form=None, status=200):
    thread = selectors.ticket_thread(ticket)
    timeline = list(selectors.ticket_timeline(ticket)[:50])
    link_q = request.GET.get("link_q", "").strip()
    link_results = []
    if link_q and policy.may_edit(request.user, ticket):
        from caredesk.customers.search import customers_instant

        link_results = customers_instant(q=link_q, limit=8)
    actions = policy.actions(request.user, ticket)
    context = {
        "ticket": ticket,
        "thread": thread,
        "timeline": timeline,
        "sla": policy.sla_badge(ticket),
        "actions": actions,
        "transitions": [
            (name.removeprefix("to_"), decision)
            for name, decision in actions.items()
            if name.startswith("to_")
        ],
        "priorities": Priority.choices,
        "staff": list(_staff_for([ticket.kind])),
        "reply_form": reply_form or ReplyForm(),
        "link_q": link_q,
        "link_results": link_results,
        "reply_to": emails.guest_address(ticket),
        "upload_limit": size_words(settings.CAREDESK_UPLOAD_MAX_BYTES),
        "max_files": MAX_FILES,
        "ticket_panels": module_panels("ticket_panels", request, ticket),
    }
    return render(request, "inbox/ticket.html", context, status=status)


@inbox_required
def ticket(request, reference: str):
    return _page(request, visible_ticket(request, reference))


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def ticket_change(view):
    """A change posted to a ticket: the view gets the ticket the viewer may see (404
    otherwise); any other method than POST is refused (405)."""

    @inbox_required
    @wraps(view)
    def wrapper(request, reference: str):
        ticket = visible_ticket(request, reference)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, ticket)

    return wrapper


def _back(ticket):
    return redirect("inbox:ticket", reference=ticket.reference)


def _change_told(request, ticket, change, done: str):
    """Make `change(actor=, ticket=, expected_version=)` at the version the page showed, tell
    "<reference> <done>." or why not, and go back to the ticket."""
    service_told(
        request,
        lambda: change(actor=request.user, ticket=ticket, expected_version=_version(request)),
        f"{ticket.reference} {done}.",
    )
    return _back(ticket)


@ticket_change
def update(request, ticket):
    post = request.POST
    kwargs = {}
    if "status" in post:
        kwargs["status"] = post["status"]
    if "priority" in post:
        kwargs["priority"] = post["priority"]
    if "assignee" in post:
        username = post["assignee"]
        kwargs["assignee"] = (
            get_user_model().objects.filter(username=username, is_active=True).first()
            if username
            else None
        )
    if post.get("assign_me"):
        kwargs["assignee"] = request.user
    if "follow_up_on" in post:
        raw = post["follow_up_on"].strip()
        try:
            kwargs["follow_up_on"] = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            messages.error(request, "The follow-up date is not a date.")
            return _back(ticket)
    if "tags" in post:
        kwargs["tags"] = [t for t in post["tags"].replace(";", ",").split(",")]
    return _change_told(request, ticket, partial(services.ticket_update, **kwargs), "updated")


@ticket_change
def reply(request, ticket):
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _page(request, ticket, reply_form=form, status=400)
    try:
        services.ticket_reply(
            actor=request.user,
            ticket=ticket,
            body=form.cleaned_data["body"],
            internal=form.cleaned_data["internal"],
            expected_version=_version(request),
            files=request.FILES.getlist("files"),
        )
    except DomainError as exc:
        from caredesk.lib.forms import apply_domain_error

        apply_domain_error(form, exc)
        return _page(request, ticket, reply_form=form, status=400)
    messages.success(
        request,
        "Note added." if form.cleaned_data["internal"] else "Reply queued to the guest's email.",
    )
    return _back(ticket)


@ticket_change
def merge(request, ticket):
    into_ref = request.POST.get("into", "").strip().upper()
    try:
        into = services.ticket_get(into_ref) if into_ref else None
        if into is None:
            raise Invalid("Give the reference of the ticket to merge into.")
        services.ticket_merge(
            actor=request.user, ticket=ticket, into=into, expected_version=_version(request)
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return _back(ticket)
    messages.success(request, f"{ticket.reference} merged into {into.reference}.")
    return _back(into)


def _link_targets(post) -> dict:
    """The customer and/or order a link form names (None to unlink); Invalid for one that
    does not exist."""
    kwargs = {}
    member = post.get("customer", "").strip().upper()
    number = post.get("order", "").strip().upper()
    if "customer" in post:
        kwargs["customer"] = None
        if member:
            kwargs["customer"] = Customer.objects.filter(member_id=member).first()
            if kwargs["customer"] is None:
                raise Invalid(f"No customer {member}.")
    if "order" in post:
        from caredesk.orders.models import Order

        kwargs["order"] = None
        if number:
            kwargs["order"] = (
                Order.objects.select_related("customer", "branch").filter(number=number).first()
            )
            if kwargs["order"] is None:
                raise Invalid(f"No order {number}.")
    return kwargs


@ticket_change
def link(request, ticket):
    def change(**fixed):
        return services.ticket_link(**fixed, **_link_targets(request.POST))

    return _change_told(request, ticket, change, "linked")


@inbox_required
def attachment(request, attachment_id: int):
    """Download an attachment: always as a file (never shown inline), with nosniff, to staff
    who may see its ticket."""
    item = get_object_or_404(Attachment.objects.select_related("ticket"), pk=attachment_id)
    visible_ticket(request, item.ticket.reference)
    return attachment_response(item)


def attachment_response(item: Attachment) -> FileResponse:
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
