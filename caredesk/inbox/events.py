"""Ticket event types and how each reads on the ticket timeline and the customer's history."""

import datetime as dt
from enum import StrEnum

from caredesk.lib.display import day
from caredesk.lib.events import changes, either, lines, part, plain, renders


class TicketEvent(StrEnum):
    CREATED = "ticket.created"
    STATUS_CHANGED = "ticket.status_changed"
    ASSIGNED = "ticket.assigned"
    PRIORITY_CHANGED = "ticket.priority_changed"
    FOLLOW_UP_SET = "ticket.follow_up_set"
    REPLIED = "ticket.replied"
    NOTE_ADDED = "ticket.note_added"
    GUEST_REPLIED = "ticket.guest_replied"
    MERGED = "ticket.merged"
    ABSORBED = "ticket.absorbed"
    LINKED = "ticket.linked"
    TAGGED = "ticket.tagged"


class CalendarEvent(StrEnum):
    """Changes to a branch's (or the default) business calendar, as the audit log reads."""

    HOURS_CHANGED = "calendar.hours_changed"
    HOLIDAY_ADDED = "calendar.holiday_added"
    HOLIDAY_REMOVED = "calendar.holiday_removed"
    DEADLINES_MOVED = "calendar.deadlines_moved"


class SettingsEvent(StrEnum):
    """Open positions and SLA targets kept on Inbox settings."""

    POSITION_ADDED = "inbox.position_added"
    POSITION_CHANGED = "inbox.position_changed"
    SLA_CHANGED = "inbox.sla_changed"


def _ref(event) -> str:
    return (event.data or {}).get("reference") or (event.target_label or "").split(" ", 1)[0]


def _files(event) -> str:
    """ " (2 files attached)" when the message carried files, else nothing."""
    kept = (event.data or {}).get("files") or 0
    return f" ({kept} file{'s' if kept != 1 else ''} attached)" if kept else ""


lines(
    {
        TicketEvent.STATUS_CHANGED: (
            "Ticket status",
            "{ref}: {before.status_label or ?} → {after.status_label}[ ({reason})]",
        ),
        TicketEvent.ASSIGNED: ("Ticket assigned", "{ref} assigned to {after.assignee or nobody}"),
        TicketEvent.PRIORITY_CHANGED: (
            "Ticket priority",
            "{ref} priority {before.priority} → {after.priority}",
        ),
        TicketEvent.NOTE_ADDED: ("Internal note", "Internal note on {ref}{files}"),
        TicketEvent.MERGED: ("Merged", "{ref} merged into {data.into or another ticket}"),
        TicketEvent.ABSORBED: (
            "Duplicate merged in",
            "{data.from or A duplicate} merged into {ref}",
        ),
        "ticket.erased": ("Personal data erased", "Personal data on {ref} erased"),
        SettingsEvent.POSITION_ADDED: (
            "Position added",
            "Position {after.title} opened[ at {after.branch}]",
        ),
        SettingsEvent.POSITION_CHANGED: ("Position changed", "Position {target_label} {state}"),
    },
    ref=_ref,
    files=_files,
    state=either("after.active", "reopened", "closed"),
)


@renders(TicketEvent.CREATED, label="Ticket filed")
def _created(event) -> str:
    data = event.data or {}
    via = {"web": "on the website", "api": "through the API", "staff": "by staff"}.get(
        data.get("source", ""), ""
    )
    kind = data.get("kind_label", "Ticket")
    return (
        f"{kind} {_ref(event)} filed {via}".strip() + f": {part(event, 'after').get('subject', '')}"
    )


@renders(TicketEvent.FOLLOW_UP_SET, label="Follow-up date")
def _follow_up(event) -> str:
    when = part(event, "after").get("follow_up_on", "")
    if not when:
        return f"{_ref(event)}: follow-up date cleared"
    return f"{_ref(event)}: follow up on {day(dt.date.fromisoformat(when))}"


@renders(TicketEvent.REPLIED, label="Reply emailed")
def _replied(event) -> str:
    to = (event.data or {}).get("to") or "the guest"
    to = ", ".join(to) if isinstance(to, list) else to
    return f"Reply on {_ref(event)} emailed to {to}{_files(event)}"


@renders(TicketEvent.GUEST_REPLIED, label="Guest replied")
def _guest(event) -> str:
    via = {"email": "by email", "portal": "on their account page"}.get(
        (event.data or {}).get("via", ""), ""
    )
    data = event.data or {}
    text = f"Guest replied on {_ref(event)} {via}".strip()
    kept, skipped = data.get("files") or 0, data.get("skipped") or 0
    extras = []
    if kept:
        extras.append(f"{kept} file{'s' if kept != 1 else ''} attached")
    if skipped:
        extras.append(f"{skipped} file{'s' if skipped != 1 else ''} not kept")
    return f"{text} ({', '.join(extras)})" if extras else text


@renders(TicketEvent.LINKED, label="Linked")
def _linked(event) -> str:
    after = event.after or {}
    parts = []
    if "customer" in after:
        parts.append(f"customer {after['customer'] or 'none'}")
    if "order" in after:
        parts.append(f"order {after['order'] or 'none'}")
    return f"{_ref(event)} linked to {' and '.join(parts) or 'nothing'}"


@renders(TicketEvent.TAGGED, label="Tags")
def _tagged(event) -> str:
    tags = part(event, "after").get("tags", [])
    return f"{_ref(event)} tags: {', '.join(tags) if tags else 'none'}"


def _calendar(event) -> str:
    code = (event.data or {}).get("branch")
    return f"branch {code}" if code else "every branch (default)"


def deadline_words(deadlines: dict | None) -> str:
    """What a calendar change did to open tickets' deadlines, in words ("" for events from
    before deadlines followed the calendar)."""
    if not deadlines:
        return ""
    counted, moved = deadlines.get("open") or 0, deadlines.get("moved")
    tickets = f"{counted:,} open ticket{'s' if counted != 1 else ''}"
    if moved is None:
        return f"deadlines of {tickets} being recomputed"
    if not counted:
        return "no open ticket's deadline to move"
    if not moved:
        return f"no deadline of {tickets} moved"
    return f"deadlines of {moved:,} of {tickets} moved"


def _with_deadlines(event, text: str) -> str:
    words = deadline_words((event.data or {}).get("deadlines"))
    return f"{text}; {words}" if words else text


@renders(CalendarEvent.HOURS_CHANGED, label="Business hours changed")
def _hours(event) -> str:
    detail = changes(event.before, event.after)
    text = f"Business hours of {_calendar(event)} changed" + (f": {detail}" if detail else "")
    return _with_deadlines(event, text)


@renders(CalendarEvent.HOLIDAY_ADDED, label="Holiday added")
def _holiday_added(event) -> str:
    after = part(event, "after")
    text = f"Holiday {after.get('name', '')} on {plain(after.get('date', ''))} added to "
    return _with_deadlines(event, text + _calendar(event))


@renders(CalendarEvent.HOLIDAY_REMOVED, label="Holiday removed")
def _holiday_removed(event) -> str:
    before = part(event, "before")
    text = f"Holiday {before.get('name', '')} on {plain(before.get('date', ''))} removed from "
    return _with_deadlines(event, text + _calendar(event))


@renders(CalendarEvent.DEADLINES_MOVED, label="Deadlines recomputed")
def _deadlines_moved(event) -> str:
    data = event.data or {}
    words = deadline_words(data.get("deadlines")) or "deadlines recomputed"
    return f"After the calendar change of {_calendar(event)}: {words}"


@renders(SettingsEvent.SLA_CHANGED, label="SLA target changed")
def _sla_changed(event) -> str:
    data = event.data or {}
    what = f"{data.get('kind_label', 'Tickets')}, {str(data.get('priority_label', '')).lower()}"
    before, after = part(event, "before").get("hours"), part(event, "after").get("hours", "")
    was = f"{before} h → " if before else ""
    return f"SLA target of {what.rstrip(', ')}: {was}{after} business hours"
