"""Communications API: compose and send, activity history, notes, outbox (SPEC §6, §11)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Schema
from ninja.responses import Status

from caredesk.comms import services
from caredesk.comms.models import ActivityNote, OutboundMessage, TemplateCode
from caredesk.comms.selectors import HISTORY_TYPES, customer_history_page, outbox_list
from caredesk.customers.ids import customer_by_member_id
from caredesk.customers.models import Customer
from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.errors import Invalid
from caredesk.lib.events import describe
from caredesk.lib.http import found
from caredesk.lib.schemas import MAX_OFFSET, MAX_PAGE, Code, LongText, ShortText, StrictIn

router = ApiRouter(tags=["communications"])


def _customer(member_id: str) -> Customer:
    return found(customer_by_member_id(member_id), f"No customer with member ID {member_id}.")


class EmailIn(StrictIn):
    to: list[ShortText] = Field(default_factory=list, max_length=20, description="Other recipients")
    cc: list[ShortText] = Field(default_factory=list, max_length=20)
    include_customer_address: bool = Field(True, description="Send to the customer's address")
    template_code: Code = Field(TemplateCode.FREE_TEXT, description="; ".join(TemplateCode.values))
    subject: ShortText | None = Field(None, description="Template source; omitted: the template's")
    body: LongText | None = Field(None, description="Template source; omitted: the template's")
    body_format: Literal["text", "html"] = "text"
    regarding: Code | None = Field(None, description="Order, invoice or payment number")


class MessageOut(Schema):
    id: int
    kind: str
    status: str
    message_id: str
    customer: str | None
    to: list[str]
    cc: list[str]
    subject: str
    regarding: str
    template_code: str
    locale: str
    event_type: str
    created_at: datetime
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    sent_at: datetime | None
    body_removed: bool

    @staticmethod
    def resolve_customer(m: OutboundMessage) -> str | None:
        return m.customer.member_id if m.customer_id else None

    @staticmethod
    def resolve_next_attempt_at(m: OutboundMessage):
        return m.next_attempt_at if m.status == "failed" else None

    @staticmethod
    def resolve_body_removed(m: OutboundMessage) -> bool:
        return m.body_removed_at is not None


class EmailOut(MessageOut):
    text_body: str
    html_body: str


class ActivityNoteIn(StrictIn):
    subject: ShortText
    body: LongText = ""
    activity_code: Code
    result_code: Code
    order_number: Code | None = None


class NoteOut(Schema):
    id: int
    subject: str
    body: str
    activity_code: str
    result_code: str
    order_number: str | None
    created_at: datetime
    created_by: str | None

    @staticmethod
    def resolve_activity_code(n: ActivityNote) -> str:
        return n.activity_code.code

    @staticmethod
    def resolve_result_code(n: ActivityNote) -> str:
        return n.result_code.code

    @staticmethod
    def resolve_created_by(n: ActivityNote) -> str | None:
        return n.created_by.get_username() if n.created_by else None


class ActivityOut(Schema):
    seq: int
    at: datetime
    type: str
    action: str
    text: str = ""
    actor: str
    target: str
    email: MessageOut | None = None
    note: NoteOut | None = None
    data: dict | None = None


class ActivityPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ActivityOut]


class OutboxPage(Schema):
    count: int
    results: list[MessageOut]


class ActivityQuery(Schema):
    type: str | None = Field(None, description="; ".join(HISTORY_TYPES))
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(25, ge=1, le=100)


class OutboxQuery(Schema):
    status: Literal["queued", "sending", "sent", "failed"] | None = None
    kind: Literal["email", "chat"] | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.create(
    "/customers/{member_id}/emails",
    EmailOut,
    "send_email",
    "Compose and send an email to a customer (queued in the outbox)",
)
def email_create(request, member_id: str, payload: EmailIn):
    customer = _customer(member_id)
    subject, body = payload.subject, payload.body
    if subject is None or body is None:
        template = services.template_for(payload.template_code, customer.locale)
        if subject is None:
            subject = template.subject
        if body is None:
            body = template.html_body if payload.body_format == "html" else template.text_body
    fields = payload.model_dump(exclude={"subject", "body"})
    message = services.email_compose_send(
        actor=request.user, customer=customer, subject=subject, body=body, **fields
    )
    message.customer = customer
    return Status(201, message)


@router.get(
    "/customers/{member_id}/activity",
    ActivityPage,
    "view_customer",
    "The customer's activity history: account events, emails and notes, newest first",
)
def activity(request, member_id: str, filters: Query[ActivityQuery]):
    customer = _customer(member_id)
    if filters.type and filters.type not in HISTORY_TYPES:
        raise Invalid(f"type must be one of: {', '.join(HISTORY_TYPES)}.", field="type")
    page, entries = customer_history_page(
        customer, kind=filters.type, page=filters.page, per_page=filters.per_page
    )
    results = []
    for e in entries:
        if e.message is not None:
            e.message.customer = customer
        results.append(
            {
                "seq": e.event.seq,
                "at": e.event.at,
                "type": e.kind,
                "action": e.event.action,
                "text": describe(e.event),
                "actor": e.event.actor_label,
                "target": e.event.target_label,
                "email": e.message,
                "note": e.note,
                "data": None if (e.message or e.note) else e.event.after,
            }
        )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": results,
    }


@router.create(
    "/customers/{member_id}/notes",
    NoteOut,
    "add_activity_note",
    "Add an activity note with activity and result codes",
)
def note_create(request, member_id: str, payload: ActivityNoteIn):
    customer = _customer(member_id)
    note = services.note_add(actor=request.user, customer=customer, **payload.dict())
    return Status(201, note)


@router.get(
    "/outbox",
    OutboxPage,
    "view_outbox",
    "Outbound emails and chat alerts with their delivery status, newest first",
)
def outbox(request, filters: Query[OutboxQuery]):
    qs = outbox_list(status=filters.status, kind=filters.kind)
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "results": rows}
