"""Reads: the activity history of a customer, the outbox, codes and templates."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from caredesk.audit.models import Event
from caredesk.comms.models import (
    ActivityCode,
    ActivityNote,
    EmailTemplate,
    MessageStatus,
    OutboundMessage,
)

# History types offered as filters: name -> (label, filter on audit events).
HISTORY_TYPES: dict[str, tuple[str, Q]] = {
    "email": ("Emails", Q(action__startswith="email.")),
    "note": ("Notes and calls", Q(action__startswith="note.")),
    "order": ("Orders", Q(target_type="orders.order")),
    "account": (
        "Account",
        Q(target_type="customers.customer")
        & ~Q(action__startswith="email.")
        & ~Q(action__startswith="note."),
    ),
}

# Other apps add the events that belong to a customer's history besides those targeting the
# customer itself: `f(customer) -> Q` over audit events, e.g. orders adds
# Q(target_type="orders.order", target_id__in=<the customer's order ids>).
HISTORY_SOURCES: list[Callable[[Any], Q]] = []


def history_source(func: Callable[[Any], Q]) -> Callable[[Any], Q]:
    if func not in HISTORY_SOURCES:
        HISTORY_SOURCES.append(func)
    return func


def customer_history_events(customer, *, kind: str | None = None) -> QuerySet[Event]:
    """Audit events of a customer's history, newest first (index-backed per source)."""
    q = Q(target_type="customers.customer", target_id=str(customer.pk))
    for source in HISTORY_SOURCES:
        q |= source(customer)
    qs = Event.objects.filter(q)
    if kind in HISTORY_TYPES:
        qs = qs.filter(HISTORY_TYPES[kind][1])
    return qs.order_by("-seq")


@dataclass
class HistoryEntry:
    event: Event
    kind: str
    message: OutboundMessage | None = None
    note: ActivityNote | None = None


def _kind_of(event: Event) -> str:
    if event.action.startswith("email."):
        return "email"
    if event.action.startswith("note."):
        return "note"
    if event.target_type == "orders.order":
        return "order"
    return "account"


def order_history_events(order, *, kind: str | None = None) -> QuerySet[Event]:
    """An order's activity, newest first: its own events (status, amendments, payments) and
    the emails and notes filed against it on its customer's record."""
    q = Q(target_type="orders.order", target_id=str(order.pk)) | (
        Q(target_type="customers.customer", target_id=str(order.customer_id))
        & (Q(action__startswith="email.") | Q(action__startswith="note."))
        & Q(data__order=order.number)
    )
    qs = Event.objects.filter(q)
    if kind in HISTORY_TYPES:
        qs = qs.filter(HISTORY_TYPES[kind][1])
    return qs.order_by("-seq")


def customer_history_page(
    customer, *, kind: str | None = None, page: Any = 1, per_page: int = 25
) -> tuple[Page, list[HistoryEntry]]:
    """One page of the customer's history with each email and note attached."""
    return history_page(customer_history_events(customer, kind=kind), page=page, per_page=per_page)


def history_page(
    events_qs: QuerySet[Event], *, page: Any = 1, per_page: int = 25
) -> tuple[Page, list[HistoryEntry]]:
    """One page of a history with each email and note attached: four queries (count,
    events, messages, notes) whatever the page size."""
    paginator = Paginator(events_qs, per_page)
    page_obj = paginator.get_page(page)
    events = list(page_obj.object_list)
    message_ids, note_ids = set(), set()
    for event in events:
        data = event.data or {}
        if event.action.startswith("email.") and data.get("message"):
            message_ids.add(data["message"])
        if event.action.startswith("note.") and data.get("note"):
            note_ids.add(data["note"])
    messages = OutboundMessage.objects.in_bulk(message_ids) if message_ids else {}
    notes = (
        ActivityNote.objects.select_related("activity_code", "result_code", "created_by").in_bulk(
            note_ids
        )
        if note_ids
        else {}
    )
    entries = []
    for event in events:
        data = event.data or {}
        entries.append(
            HistoryEntry(
                event=event,
                kind=_kind_of(event),
                message=messages.get(data.get("message"))
                if event.action.startswith("email.")
                else None,
                note=notes.get(data.get("note")) if event.action.startswith("note.") else None,
            )
        )
    return page_obj, entries


def customer_notes(customer) -> QuerySet[ActivityNote]:
    return (
        ActivityNote.objects.filter(customer=customer)
        .select_related("activity_code", "result_code", "created_by")
        .order_by("-created_at")
    )


def outbox_list(*, status: str | None = None, kind: str | None = None) -> QuerySet[OutboundMessage]:
    """Outbox messages newest first, with their customer."""
    qs = OutboundMessage.objects.select_related("customer").order_by("-created_at", "-pk")
    if status in MessageStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def active_codes(kind: str) -> QuerySet[ActivityCode]:
    return ActivityCode.objects.filter(kind=kind, active=True).order_by("position", "label")


def email_template_list() -> list[EmailTemplate]:
    """Every email template, ordered by name then language, each with `sample_subject` (the
    subject rendered with example data, so the list shows no template tags). One query."""
    from caredesk.comms.rendering import sample_subject

    rows = list(EmailTemplate.objects.select_related("updated_by"))
    for row in rows:
        row.sample_subject = sample_subject(code=row.code, subject=row.subject)
    rows.sort(key=lambda t: (t.name.casefold(), t.locale != "en", t.language))
    return rows
