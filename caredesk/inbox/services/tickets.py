"""Ticket writes: filing, status/priority/assignee/follow-up changes with the SLA clock,
replies and notes, merging, linking, tags. Each function checks the policy and the version,
writes, and records one `ticket.*` event per change in one transaction."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.inbox import emails, policy
from caredesk.inbox.events import TicketEvent
from caredesk.inbox.models import (
    PREFIX,
    Attachment,
    Kind,
    Message,
    Priority,
    ReferenceCounter,
    SlaTarget,
    Status,
    Ticket,
    Visibility,
)
from caredesk.inbox.sla import (
    Calendar,
    add_business_seconds,
    business_seconds_between,
    calendar_for,
)
from caredesk.inbox.uploads import STAFF_REPLY_FILES, Checked, uploads_check
from caredesk.lib.counters import counter_next
from caredesk.lib.errors import Invalid, NotFound, StaleVersion
from caredesk.lib.policy import enforce

UNSET: Any = object()

# Business hours to resolve when an admin has not set a target for the kind and priority.
DEFAULT_SLA_HOURS = {
    Priority.URGENT: 4,
    Priority.HIGH: 8,
    Priority.NORMAL: 24,
    Priority.LOW: 72,
}


# --- References, SLA -------------------------------------------------------------------------


def reference_allocate(kind: str) -> str:
    """The next reference of the kind (`C-000123`), inside the caller's transaction: the
    counter row stays locked until it commits, so references are unique and gapless."""
    number = counter_next(ReferenceCounter, kind=kind)
    return f"{PREFIX[kind]}-{number:06d}"


def _default_sla_hours(kind: str, priority: str) -> int:
    return DEFAULT_SLA_HOURS[priority] * (10 if kind == Kind.CAREER else 1)


def sla_seconds(kind: str, priority: str) -> int:
    target = SlaTarget.objects.filter(kind=kind, priority=priority).first()
    return (target.hours if target else _default_sla_hours(kind, priority)) * 3600


def sla_targets() -> dict[tuple[str, str], int]:
    """Every (kind, priority) -> target in seconds, in one query (for recomputing many)."""
    kept = {(t.kind, t.priority): t.hours for t in SlaTarget.objects.all()}
    return {
        (kind, priority): kept.get((kind, priority), _default_sla_hours(kind, priority)) * 3600
        for kind in Kind.values
        for priority in Priority.values
    }


def deadline(ticket: Ticket, calendar: Calendar, target_seconds: int) -> dt.datetime:
    """The deadline over `calendar`: the target plus the business time spent waiting on the
    customer, counted from filing. Every deadline is computed here, so a ticket's due time is
    always what a computation from scratch over its branch's calendar gives."""
    return add_business_seconds(
        calendar, ticket.created_at, target_seconds + ticket.sla_paused_seconds
    )


def _due(ticket: Ticket) -> dt.datetime:
    return deadline(ticket, calendar_for(ticket.branch), sla_seconds(ticket.kind, ticket.priority))


def _clock_for_status(ticket: Ticket, old: str, new: str, now: dt.datetime) -> None:
    """Pause the SLA clock while waiting on the customer; resume (deadline pushed by the
    business time spent waiting) when the ticket leaves that status."""
    if new == Status.WAITING and old != Status.WAITING:
        ticket.sla_paused_at = now
        ticket.due_at = None
    elif old == Status.WAITING and new != Status.WAITING:
        if ticket.sla_paused_at:
            ticket.sla_paused_seconds += business_seconds_between(
                calendar_for(ticket.branch), ticket.sla_paused_at, now
            )
        ticket.sla_paused_at = None
        ticket.due_at = _due(ticket)
    if new in (Status.RESOLVED, Status.CLOSED) and old not in (Status.RESOLVED, Status.CLOSED):
        ticket.resolved_at = now
    elif new in policy.OPEN_STATUSES:
        ticket.resolved_at = None


# --- Events ----------------------------------------------------------------------------------


def _record(
    ticket: Ticket, actor, action: TicketEvent, *, before=None, after=None, reason="", data=None
) -> None:
    event_record(
        actor=actor if getattr(actor, "pk", None) else None,
        action=str(action),
        target=ticket,
        before=before,
        after=after,
        reason=reason,
        data={
            "reference": ticket.reference,
            "customer": ticket.customer.member_id if ticket.customer_id else None,
            "order": ticket.order.number if ticket.order_id else None,
            "version": ticket.version,
            **(data or {}),
        },
    )


def _locked(ticket: Ticket, expected_version: int | None) -> Ticket:
    fresh = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "order", "branch", "assignee")
        .get(pk=ticket.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise StaleVersion(
            f"{fresh.reference} changed since you opened it (version {expected_version}, now "
            f"{fresh.version}). Reload and try again."
        )
    return fresh


def _bump(ticket: Ticket, now: dt.datetime) -> None:
    ticket.version += 1
    ticket.updated_at = now


def _attach(ticket: Ticket, message: Message | None, files: list[Checked]) -> None:
    """Store checked files on `message`, inside the caller's transaction. Should storing one
    fail, the files already stored are removed again before the error rolls the message back,
    so a refused reply leaves neither a half-written message nor orphaned files."""
    stored: list[Attachment] = []
    try:
        for checked in files:
            attachment = Attachment(
                ticket=ticket,
                message=message,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
            )
            attachment.file.save(checked.name, checked.upload, save=False)
            stored.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


# --- Filing ----------------------------------------------------------------------------------


def ticket_create(
    *,
    actor,
    kind: str,
    subject: str,
    body: str,
    source: str,
    priority: str = Priority.NORMAL,
    guest_name: str = "",
    guest_email: str = "",
    guest_phone: str = "",
    locale: str = "en",
    customer=None,
    order=None,
    branch=None,
    position=None,
    assignee=None,
    files: list[Checked] = (),
    source_ip: str | None = None,
    acknowledge: bool = True,
) -> Ticket:
    """File a ticket with its first message and attachments, its SLA deadline, the
    `ticket.created` event and (for guests with an email) the acknowledgement email."""
    if kind not in Kind.values:
        raise Invalid("Unknown kind of ticket.", field="kind")
    if priority not in Priority.values:
        raise Invalid("Unknown priority.", field="priority")
    subject = " ".join((subject or "").split())[:200]
    if not subject:
        raise Invalid("A subject is required.", field="subject")
    if not (body or "").strip():
        raise Invalid("Please write a message.", field="message")
    if order is not None:
        customer = customer or order.customer
        branch = branch or order.branch
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket(
            reference=reference_allocate(kind),
            kind=kind,
            priority=priority,
            subject=subject,
            branch=branch,
            assignee=assignee,
            customer=customer,
            order=order,
            position=position,
            guest_name=guest_name[:150],
            guest_email=guest_email,
            guest_phone=guest_phone,
            locale=locale if locale in emails.KIND_WORDS else "en",
            source_ip=source_ip,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=now,
            updated_at=now,
        )
        ticket.due_at = _due(ticket)
        ticket.save()
        message = Message.objects.create(
            ticket=ticket,
            visibility=Visibility.GUEST if source == "web" else Visibility.INTERNAL,
            author=ticket.created_by,
            body=body.strip(),
            created_at=now,
        )
        _attach(ticket, message, list(files))
        _record(
            ticket,
            actor,
            TicketEvent.CREATED,
            after={"subject": ticket.subject, "status": ticket.status, "priority": priority},
            data={"kind": kind, "kind_label": ticket.get_kind_display(), "source": source},
        )
        if acknowledge and source == "web":
            emails.ticket_email_queue(ticket=ticket, code=emails.ACK)
    return ticket


# --- Changes ---------------------------------------------------------------------------------


def _username(user) -> str | None:
    """A user as a ticket event shows it: the username, None for nobody."""
    return user.get_username() if user else None


def _iso_day(day) -> str | None:
    """A date as a ticket event shows it: ISO format, None for no date."""
    return day.isoformat() if day else None


def ticket_update(
    *,
    actor,
    ticket: Ticket,
    expected_version: int | None,
    status: str | None = None,
    priority: str | None = None,
    assignee: Any = UNSET,
    follow_up_on: Any = UNSET,
    tags: list[str] | None = None,
    reason: str = "",
) -> Ticket:
    """Change any of status, priority, assignee, follow-up date and tags at once (one event
    per field that changes, one version step). Nothing changes when any part is refused."""
    with transaction.atomic():
        ticket = _locked(ticket, expected_version)
        now = timezone.now()
        changed = False

        def record(event_type: str, **parts) -> None:
            """The event of one field's change; the first change steps the version."""
            nonlocal changed
            if not changed:
                _bump(ticket, now)
                changed = True
            _record(ticket, actor, event_type, **parts)

        def set_field(event_type: str, field: str, value, shown=lambda v: v) -> None:
            """Set one field and record its change, both values read through `shown`."""
            before = shown(getattr(ticket, field))
            setattr(ticket, field, value)
            record(event_type, before={field: before}, after={field: shown(value)})

        enforce(policy.may_view(actor, ticket))
        if status is not None and status != ticket.status:
            if status not in Status.values:
                raise Invalid("Unknown status.", field="status")
            enforce(policy.may_change_status(actor, ticket, status))
            old = ticket.status
            old_label = ticket.get_status_display()
            _clock_for_status(ticket, old, status, now)
            ticket.status = status
            record(
                TicketEvent.STATUS_CHANGED,
                before={"status": old, "status_label": old_label},
                after={"status": status, "status_label": ticket.get_status_display()},
                reason=reason,
            )
        if priority is not None and priority != ticket.priority:
            if priority not in Priority.values:
                raise Invalid("Unknown priority.", field="priority")
            enforce(policy.may_edit(actor, ticket))
            old = ticket.get_priority_display()
            ticket.priority = priority
            if ticket.status != Status.WAITING:
                ticket.due_at = _due(ticket)
            record(
                TicketEvent.PRIORITY_CHANGED,
                before={"priority": old},
                after={"priority": ticket.get_priority_display()},
            )
        if assignee is not UNSET and assignee != ticket.assignee:
            enforce(policy.may_assign_to(actor, ticket, assignee))
            set_field(TicketEvent.ASSIGNED, "assignee", assignee, _username)
            if ticket.status == Status.NEW and assignee is not None and status is None:
                ticket.status = Status.OPEN  # taken: no longer new
                record(
                    TicketEvent.STATUS_CHANGED,
                    before={"status": Status.NEW, "status_label": Status.NEW.label},
                    after={"status": Status.OPEN, "status_label": Status.OPEN.label},
                )
        if follow_up_on is not UNSET and follow_up_on != ticket.follow_up_on:
            enforce(policy.may_edit(actor, ticket))
            set_field(TicketEvent.FOLLOW_UP_SET, "follow_up_on", follow_up_on, _iso_day)
        if tags is not None:
            clean = sorted({" ".join(t.split()).lower()[:30] for t in tags if t.strip()})[:10]
            if clean != ticket.tags:
                enforce(policy.may_edit(actor, ticket))
                set_field(TicketEvent.TAGGED, "tags", clean)
        if changed:
            ticket.save()
    return ticket


def ticket_link(
    *,
    actor,
    ticket: Ticket,
    expected_version: int | None,
    customer: Any = UNSET,
    order: Any = UNSET,
) -> Ticket:
    """Link the ticket to a customer and/or an order (an order brings its customer)."""
    with transaction.atomic():
        ticket = _locked(ticket, expected_version)
        enforce(policy.may_edit(actor, ticket))
        before, after = {}, {}
        if order is not UNSET and order != ticket.order:
            before["order"] = ticket.order.number if ticket.order_id else None
            after["order"] = order.number if order else None
            ticket.order = order
            if order is not None and customer is UNSET:
                customer = order.customer
            if order is not None and ticket.branch_id is None:
                ticket.branch = order.branch
        if customer is not UNSET and customer != ticket.customer:
            before["customer"] = ticket.customer.member_id if ticket.customer_id else None
            after["customer"] = customer.member_id if customer else None
            ticket.customer = customer
        if after:
            _bump(ticket, timezone.now())
            ticket.save()
            _record(ticket, actor, TicketEvent.LINKED, before=before, after=after)
    return ticket


def ticket_reply(
    *,
    actor,
    ticket: Ticket,
    body: str,
    internal: bool,
    expected_version: int | None = None,
    then_status: str | None = Status.WAITING,
    files=(),
) -> Message:
    """An internal note, or a reply emailed to the guest (from the reply template in the
    guest's language) after which the ticket waits on the customer (`then_status`). `files`
    are uploads checked by the same rules as the guests' (by their bytes, size-limited, at
    most five) before anything is written; they go on the message and, for a reply, with the
    email (see `comms_hooks.reply_attachments`)."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid("The message is empty.", field="body")
    checked = uploads_check(files, allowed=STAFF_REPLY_FILES, field="files")
    with transaction.atomic():
        ticket = _locked(ticket, expected_version)
        now = timezone.now()
        if internal:
            enforce(policy.may_note(actor, ticket))
            message = Message.objects.create(
                ticket=ticket,
                visibility=Visibility.INTERNAL,
                author=actor,
                body=body,
                created_at=now,
            )
            _attach(ticket, message, checked)
            _bump(ticket, now)
            ticket.save(update_fields=["version", "updated_at"])
            _record(
                ticket,
                actor,
                TicketEvent.NOTE_ADDED,
                data={"message": message.pk, "files": len(checked)},
            )
            return message
        enforce(policy.may_reply(actor, ticket))
        message = Message.objects.create(
            ticket=ticket, visibility=Visibility.REPLY, author=actor, body=body, created_at=now
        )
        _attach(ticket, message, checked)
        outbound = emails.ticket_email_queue(
            ticket=ticket, code=emails.REPLY, actor=actor, extra={"reply": {"body": body}}
        )
        if outbound is not None:
            message.email_message_id = outbound.message_id
            message.save(update_fields=["email_message_id"])
        _bump(ticket, now)
        ticket.save(update_fields=["version", "updated_at"])
        _record(
            ticket,
            actor,
            TicketEvent.REPLIED,
            data={
                "message": message.pk,
                "to": emails.guest_address(ticket),
                "files": len(checked),
            },
        )
    if (
        then_status
        and then_status != ticket.status
        and policy.may_change_status(actor, ticket, then_status)
    ):
        ticket_update(actor=actor, ticket=ticket, expected_version=None, status=then_status)
    return message


def ticket_guest_reply(
    *,
    ticket: Ticket,
    body: str,
    via: str,
    files: list[Checked] = (),
    skipped: list[str] = (),
    email_message_id: str = "",
) -> Message:
    """The guest's words on their ticket (by email or on their account page) with the files
    that passed the upload checks. A ticket that waits on them, is resolved or closed reopens,
    and its SLA clock runs again. `skipped` says which of the guest's files were not kept and
    why: an internal note on the thread, so staff can ask for them another way."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid("The message is empty.", field="body")
    with transaction.atomic():
        ticket = _locked(ticket, None)
        if ticket.merged_into_id:
            ticket = _locked(ticket.merged_into, None)
        now = timezone.now()
        message = Message.objects.create(
            ticket=ticket,
            visibility=Visibility.GUEST,
            body=body[:20000],
            email_message_id=email_message_id[:250],
            created_at=now,
        )
        _attach(ticket, message, list(files))
        if skipped:
            Message.objects.create(
                ticket=ticket,
                visibility=Visibility.INTERNAL,
                body="\n".join(
                    [
                        f"Not kept from the guest's message ({len(skipped)}): only PDF, Word "
                        "(DOCX), JPEG, PNG and WebP files within the size limit are kept.",
                        *(f"- {line}" for line in skipped),
                    ]
                )[:20000],
                created_at=now,
            )
        _bump(ticket, now)
        _record(
            ticket,
            None,
            TicketEvent.GUEST_REPLIED,
            data={
                "message": message.pk,
                "via": via,
                "files": len(files),
                "skipped": len(skipped),
            },
        )
        if policy.reopen_on_reply(ticket):
            old, old_label = ticket.status, ticket.get_status_display()
            _clock_for_status(ticket, old, Status.OPEN, now)
            ticket.status = Status.OPEN
            _record(
                ticket,
                None,
                TicketEvent.STATUS_CHANGED,
                before={"status": old, "status_label": old_label},
                after={"status": Status.OPEN, "status_label": Status.OPEN.label},
                reason="The customer replied",
            )
        ticket.save()
    return message


def ticket_merge(*, actor, ticket: Ticket, into: Ticket, expected_version: int | None) -> Ticket:
    """Merge duplicate `ticket` into `into`: its thread and attachments move over, the
    duplicate is closed and points to `into`; both timelines say so."""
    with transaction.atomic():
        first, second = sorted([ticket, into], key=lambda t: t.pk)
        locked = {t.pk: _locked(t, None) for t in (first, second)}
        ticket, into = locked[ticket.pk], locked[into.pk]
        if expected_version is not None and ticket.version != expected_version:
            raise StaleVersion(f"{ticket.reference} changed since you opened it. Reload.")
        enforce(policy.may_merge(actor, ticket, into))
        now = timezone.now()
        Message.objects.filter(ticket=ticket).update(ticket=into)
        Attachment.objects.filter(ticket=ticket).update(ticket=into)
        old = ticket.status
        ticket.merged_into = into
        if old != Status.CLOSED:
            _clock_for_status(ticket, old, Status.CLOSED, now)
            ticket.status = Status.CLOSED
        _bump(ticket, now)
        ticket.save()
        _record(ticket, actor, TicketEvent.MERGED, data={"into": into.reference})
        if into.customer_id is None and ticket.customer_id:
            into.customer = ticket.customer
        _bump(into, now)
        into.save()
        _record(into, actor, TicketEvent.ABSORBED, data={"from": ticket.reference})
    return into


def ticket_get(reference: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("customer", "order", "branch", "assignee", "position")
        .filter(reference=(reference or "").upper())
        .first()
    )
    if ticket is None:
        raise NotFound(f"No ticket {reference}.")
    return ticket
