"""Tickets API (SPEC §11): public complaint and career forms, the staff ticket endpoints
(If-Match on changes), and the inbound email endpoint for guests' replies. Endpoints parse,
call the service and answer with the schema; rules live in the services and the policy."""

import datetime as dt
from typing import Annotated, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare
from ninja import File, Form, Schema, Status, UploadedFile
from ninja.errors import ValidationError
from ninja.security import HttpBearer
from pydantic import Field, StringConstraints

from caredesk.customers.models import Customer
from caredesk.inbox import policy, selectors, services
from caredesk.inbox.models import Ticket
from caredesk.inbox.services import calendar as calendars
from caredesk.lib.endpoints import ApiRouter, answers
from caredesk.lib.errors import Invalid
from caredesk.lib.http import found, if_match_version, known, versioned_response
from caredesk.lib.middleware import client_ip
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import Code, LongText, Mapped, ShortText, StrictIn

ERRORS = (400, 403, 404, 409, 412, 428, 429)
router = ApiRouter(tags=["tickets"], errors=ERRORS)


# --- Schemas ---------------------------------------------------------------------------------


class ReferenceOut(Schema):
    reference: str


class ComplaintIn(StrictIn):
    name: ShortText
    email: ShortText = ""
    phone: Code = ""
    order: Code = ""
    message: LongText
    website: ShortText = Field("", description="Honeypot: leave empty.")


class TicketSummaryOut(Schema):
    reference: str
    kind: str
    status: str
    priority: str
    subject: str
    assignee: str | None
    due_at: dt.datetime | None
    customer: str | None
    order: str | None
    sla: str
    overdue: bool


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    url: str


class TicketMessageOut(Schema):
    id: int
    internal: bool
    from_guest: bool
    author: str
    body: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]


class TicketOut(TicketSummaryOut):
    version: int
    follow_up_on: dt.date | None
    tags: list[str]
    guest_name: str
    guest_email: str
    guest_phone: str
    merged_into: str | None
    created_at: dt.datetime
    messages: list[TicketMessageOut]
    actions: dict


class TicketIn(StrictIn):
    kind: Literal["complaint", "service", "career", "issue"] = "issue"
    subject: ShortText
    body: LongText
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    customer: Code | None = None
    order: Code | None = None
    assignee: Code | None = None


class TicketPatch(StrictIn):
    status: Literal["new", "open", "waiting", "resolved", "closed"] | None = None
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    assignee: Code | None = Field(None, description="A username, or null to unassign.")
    follow_up_on: dt.date | None = None
    tags: list[Code] | None = Field(None, max_length=10)
    reason: ShortText = ""


class MessageIn(StrictIn):
    body: LongText
    internal: bool = False


# --- Helpers ---------------------------------------------------------------------------------


def summary_out(ticket: Ticket) -> dict:
    badge = policy.sla_badge(ticket)
    return {
        "reference": ticket.reference,
        "kind": ticket.kind,
        "status": ticket.status,
        "priority": ticket.priority,
        "subject": ticket.subject,
        "assignee": ticket.assignee.get_username() if ticket.assignee_id else None,
        "due_at": ticket.due_at,
        "customer": ticket.customer.member_id if ticket.customer_id else None,
        "order": ticket.order.number if ticket.order_id else None,
        "sla": badge.text,
        "overdue": policy.is_overdue(ticket),
    }


def _respond(request, ticket: Ticket, status: int = 200):
    from django.urls import reverse

    ticket = services.ticket_get(ticket.reference)
    messages = [
        {
            "id": m.pk,
            "internal": m.visibility == "internal",
            "from_guest": m.visibility == "guest",
            "author": m.author_label,
            "body": m.body,
            "created_at": m.created_at,
            "attachments": [
                {
                    "name": a.name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "url": reverse("inbox:attachment", kwargs={"attachment_id": a.pk}),
                }
                for a in m.attachments.all()
            ],
        }
        for m in selectors.ticket_thread(ticket)
    ]
    body = TicketOut(
        **summary_out(ticket),
        version=ticket.version,
        follow_up_on=ticket.follow_up_on,
        tags=ticket.tags,
        guest_name=ticket.guest_name,
        guest_email=ticket.guest_email,
        guest_phone=ticket.guest_phone,
        merged_into=ticket.merged_into.reference if ticket.merged_into_id else None,
        created_at=ticket.created_at,
        messages=messages,
        actions=policy.actions_for_api(request.user, ticket),
    ).model_dump(mode="json")
    return versioned_response(request, body, ticket.version, status=status)


def _visible(request, reference: str) -> Ticket:
    from caredesk.lib.policy import enforce

    ticket = services.ticket_get(reference)
    enforce(policy.may_view(request.user, ticket))
    return ticket


def _user(username: str | None, *, field: str = "assignee"):
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    return known(user, f"Unknown staff member {username}.", field=field)


# --- Public forms ----------------------------------------------------------------------------


@router.post(
    "/public/complaints",
    response=answers(ReferenceOut, *ERRORS, status=201),
    auth=None,
    summary="File a complaint (no sign-in; rate-limited per IP)",
)
def public_complaint(request, payload: ComplaintIn):
    ticket = services.complaint_file(
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        message=payload.message,
        order_number=payload.order,
        ip=client_ip(request),
        honeypot=payload.website,
    )
    return Status(201, {"reference": ticket.reference})


CAREER_FIELDS = {"name", "email", "phone", "position", "message", "website", "cv"}


@router.post(
    "/public/careers",
    response=answers(ReferenceOut, *ERRORS, status=201),
    auth=None,
    summary="Apply for a position with a CV (multipart; PDF or DOCX; no sign-in)",
    # The view refuses a field it does not take (422 naming it): so does the document.
    openapi_extra={
        "requestBody": {
            "content": {"multipart/form-data": {"schema": {"additionalProperties": False}}}
        }
    },
)
def public_career(
    request,
    name: Form[str] = "",
    email: Form[str] = "",
    phone: Form[str] = "",
    position: Form[str] = "",
    message: Form[str] = "",
    website: Form[str] = "",
    cv: File[UploadedFile] = None,
):
    unknown = sorted((set(request.POST) | set(request.FILES)) - CAREER_FIELDS)
    if unknown:
        raise ValidationError(
            [{"loc": ["body", name], "msg": "Extra inputs are not permitted"} for name in unknown]
        )
    ticket = services.career_apply(
        name=name[:150],
        email=email[:254],
        phone=phone[:40],
        position_id=position,
        cv=cv,
        message=message[:20000],
        ip=client_ip(request),
        honeypot=website,
    )
    return Status(201, {"reference": ticket.reference})


# --- Staff -----------------------------------------------------------------------------------


@router.page(
    "/tickets",
    TicketSummaryOut,
    "work_inbox",
    "Tickets, open ones by default, soonest deadline first",
    errors=(),
)
def tickets(
    request,
    kind: Literal["complaint", "service", "career", "issue"] | None = None,
    status: Literal["open", "all", "new", "waiting", "resolved", "closed"] | None = None,
    priority: Literal["low", "normal", "high", "urgent"] | None = None,
    assignee: Code | None = None,
    overdue: bool = False,
    branch: Code | None = None,
    sort: Literal["due", "updated", "created", "priority", "reference"] = "due",
):
    qs = selectors.ticket_list(
        user=request.user,
        kind=kind,
        status=status,
        priority=priority,
        assignee=assignee,
        overdue=overdue,
        branch=branch,
        sort=sort,
    )
    return Mapped(qs, summary_out)


@router.get(
    "/tickets/{reference}",
    TicketOut,
    "work_inbox",
    "One ticket with its thread (ETag = version)",
)
def ticket_get(request, reference: str):
    return _respond(request, _visible(request, reference))


@router.create(
    "/tickets",
    TicketOut,
    "work_inbox",
    "File a ticket as staff (e.g. an internal issue)",
)
def ticket_create(request, payload: TicketIn):
    from caredesk.lib.policy import enforce

    enforce(policy.may_file(request.user, payload.kind))
    customer = None
    if payload.customer:
        customer = Customer.objects.filter(member_id=payload.customer.upper()).first()
        customer = known(customer, f"Unknown customer {payload.customer}.", field="customer")
    order = None
    if payload.order:
        from caredesk.orders.models import Order

        order = Order.objects.filter(number=payload.order.upper()).first()
        order = known(order, f"Unknown order {payload.order}.", field="order")
    assignee = _user(payload.assignee)
    if assignee is not None:
        probe = Ticket(kind=payload.kind)
        from caredesk.lib.policy import enforce as _enforce

        _enforce(policy.may_assign_to(request.user, probe, assignee))
    ticket = services.ticket_create(
        actor=request.user,
        kind=payload.kind,
        subject=payload.subject,
        body=payload.body,
        source="api",
        priority=payload.priority,
        customer=customer,
        order=order,
        assignee=assignee,
        guest_name=customer.display_name if customer else "",
        guest_email=customer.email if customer else "",
        guest_phone=customer.phone if customer else "",
        locale=customer.locale if customer else "en",
    )
    return _respond(request, ticket, status=201)


@router.patch(
    "/tickets/{reference}",
    TicketOut,
    "work_inbox",
    "Change status, priority, assignee, follow-up date or tags (If-Match)",
)
def ticket_patch(request, reference: str, payload: TicketPatch):
    ticket = _visible(request, reference)
    version = if_match_version(request, required=True)
    sent = payload.model_fields_set
    if "status" in sent and payload.status is None:
        raise Invalid("status cannot be null.", field="status")
    if "priority" in sent and payload.priority is None:
        raise Invalid("priority cannot be null.", field="priority")
    ticket = services.ticket_update(
        actor=request.user,
        ticket=ticket,
        expected_version=version,
        status=payload.status,
        priority=payload.priority,
        assignee=_user(payload.assignee) if "assignee" in sent else services.UNSET,
        follow_up_on=payload.follow_up_on if "follow_up_on" in sent else services.UNSET,
        tags=payload.tags,
        reason=payload.reason,
    )
    return _respond(request, ticket)


@router.create(
    "/tickets/{reference}/messages",
    TicketOut,
    "work_inbox",
    "Reply to the guest by email (then waiting on customer) or add an internal note",
)
def ticket_message(request, reference: str, payload: MessageIn):
    ticket = _visible(request, reference)
    services.ticket_reply(
        actor=request.user,
        ticket=ticket,
        body=payload.body,
        internal=payload.internal,
        expected_version=if_match_version(request),
    )
    return _respond(request, ticket, status=201)


MESSAGE_FILE_FIELDS = {"body", "internal", "files"}


@router.create(
    "/tickets/{reference}/messages/with-files",
    TicketOut,
    "work_inbox",
    "Reply or internal note with files (multipart: body, internal, files; up to 5)",
    openapi_extra={
        "requestBody": {
            "content": {"multipart/form-data": {"schema": {"additionalProperties": False}}}
        }
    },
)
def ticket_message_files(
    request,
    reference: str,
    body: Form[str] = "",
    internal: Form[bool] = False,
    files: File[list[UploadedFile]] = None,
):
    unknown = sorted((set(request.POST) | set(request.FILES)) - MESSAGE_FILE_FIELDS)
    if unknown:
        raise ValidationError(
            [{"loc": ["body", name], "msg": "Extra inputs are not permitted"} for name in unknown]
        )
    ticket = _visible(request, reference)
    services.ticket_reply(
        actor=request.user,
        ticket=ticket,
        body=body[:20000],
        internal=internal,
        expected_version=if_match_version(request),
        files=files or [],
    )
    return _respond(request, ticket, status=201)


# --- Inbound email ---------------------------------------------------------------------------


class InboundSecret(HttpBearer):
    """`Authorization: Bearer <CAREDESK_INBOUND_EMAIL_SECRET>`; nothing passes while the
    setting is empty."""

    def authenticate(self, request, token):
        secret = settings.CAREDESK_INBOUND_EMAIL_SECRET
        if secret and constant_time_compare(token, secret):
            return "inbound-email"
        return None


class InboundOut(Schema):
    reference: str
    status: str


@router.post(
    "/inbound/email",
    response=answers(InboundOut, *ERRORS, status=201),
    auth=InboundSecret(),
    summary="A guest's emailed reply: the raw RFC 822 message as the request body",
    openapi_extra={"requestBody": {"content": {"message/rfc822": {"schema": {"type": "string"}}}}},
)
def inbound_email(request):
    message = services.inbound_email_receive(request.body)
    ticket = message.ticket
    return Status(201, {"reference": ticket.reference, "status": ticket.status})


# --- Business calendars (administration) -----------------------------------------------------

Clock = Annotated[
    str,
    StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
    Field(description="HH:MM, 24-hour clock in the business time zone"),
]


class PeriodIO(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    opens: Clock
    closes: Clock


class PeriodOut(PeriodIO):
    day: str


class HolidayOut(Schema):
    date: dt.date
    name: str
    every_branch: bool


class DeadlinesOut(Schema):
    open_tickets: int = Field(description="Open tickets with a deadline counting over it")
    moved: int | None = Field(description="Deadlines moved; null: the worker is recomputing them")


class CalendarOut(Schema):
    calendar: str
    branch: str | None
    own_hours: bool
    hours: list[PeriodOut]
    holidays: list[HolidayOut]
    version: int
    actions: dict
    deadlines: DeadlinesOut | None = Field(
        None, description="On a change: what it did to open tickets' deadlines"
    )


class HoursIn(StrictIn):
    hours: list[PeriodIO] = Field(
        max_length=21,
        description="The week's opening periods; an empty list on a branch: use the default hours",
    )


class HolidayIn(StrictIn):
    date: dt.date
    name: ShortText


def _calendar_branch(calendar: str):
    """ "default" or a branch code -> None or the branch; anything else is 404."""
    from caredesk.branches.models import Branch

    if calendar == "default":
        return None
    branch = Branch.objects.filter(code=calendar.upper()).first()
    return found(branch, f"No calendar {calendar}: use default or a branch code.")


def _calendar_respond(request, branch, status: int = 200, shift=None):
    view = calendars.calendar_view(branch)
    body = CalendarOut(
        calendar=branch.code if branch else "default",
        branch=branch.code if branch else None,
        own_hours=view.own_hours,
        hours=[
            PeriodOut(
                weekday=d,
                day=calendars.WEEKDAYS[d],
                opens=f"{opens:%H:%M}",
                closes=f"{closes:%H:%M}",
            )
            for d, periods in view.hours.items()
            for opens, closes in periods
        ],
        holidays=sorted(
            [HolidayOut(date=h.date, name=h.name, every_branch=False) for h in view.holidays]
            + [
                HolidayOut(date=h.date, name=h.name, every_branch=True)
                for h in view.shared_holidays
            ],
            key=lambda h: h.date,
        )
        if branch
        else [HolidayOut(date=h.date, name=h.name, every_branch=True) for h in view.holidays],
        version=view.version,
        actions=actions_out({"edit": policy.may_manage_inbox_settings(request.user)}),
        deadlines=DeadlinesOut(open_tickets=shift.open_tickets, moved=shift.moved)
        if shift is not None
        else None,
    ).model_dump(mode="json")
    return versioned_response(request, body, view.version, status=status)


@router.get(
    "/calendars/{calendar}",
    CalendarOut,
    "work_inbox",
    "Business hours and holidays of a branch (or `default`), ETag = version",
    tags=["administration"],
)
def calendar_get(request, calendar: str):
    return _calendar_respond(request, _calendar_branch(calendar))


@router.put(
    "/calendars/{calendar}/hours",
    CalendarOut,
    "manage_staff",
    "Replace the weekly opening hours (If-Match)",
    tags=["administration"],
)
def calendar_hours(request, calendar: str, payload: HoursIn):
    branch = _calendar_branch(calendar)
    week: dict[int, list] = {}
    for period in payload.hours:
        week.setdefault(period.weekday, []).append(
            (dt.time.fromisoformat(period.opens), dt.time.fromisoformat(period.closes))
        )
    version = if_match_version(request, required=True)
    shift = calendars.calendar_hours_set(
        actor=request.user, branch=branch, week=week, expected_version=version
    )
    return _calendar_respond(request, branch, shift=shift)


def _calendar_apply(request, calendar: str, action, *, status: int = 200, **arguments):
    """Run the calendar service `action` (If-Match optional) and answer with the calendar."""
    branch = _calendar_branch(calendar)
    shift = action(
        actor=request.user, branch=branch, expected_version=if_match_version(request), **arguments
    )
    return _calendar_respond(request, branch, status=status, shift=shift)


@router.create(
    "/calendars/{calendar}/holidays",
    CalendarOut,
    "manage_staff",
    "Add a holiday (If-Match optional)",
    tags=["administration"],
)
def calendar_holiday_add(request, calendar: str, payload: HolidayIn):
    action = calendars.calendar_holiday_add
    return _calendar_apply(
        request, calendar, action, status=201, day=payload.date, name=payload.name
    )


@router.delete(
    "/calendars/{calendar}/holidays/{day}",
    CalendarOut,
    "manage_staff",
    "Remove a holiday by its date, YYYY-MM-DD (If-Match optional)",
    tags=["administration"],
)
def calendar_holiday_remove(request, calendar: str, day: str):
    return _calendar_apply(request, calendar, calendars.calendar_holiday_remove, day=day)
