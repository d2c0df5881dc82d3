"""Ticket event types and how each reads on the ticket timeline and the customer's history."""

from enum import StrEnum

from caredesk.lib.events import lines, renders


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


def _ref(event) -> str:
    return (event.data or {}).get("reference") or (event.target_label or "").split(" ", 1)[0]


def _after(event, key, default=""):
    return (event.after or {}).get(key, default)


def _before(event, key, default=""):
    return (event.before or {}).get(key, default)


@renders(TicketEvent.CREATED, label="Ticket filed")
def _created(event) -> str:
    data = event.data or {}
    via = {"web": "on the website", "api": "through the API", "staff": "by staff"}.get(
        data.get("source", ""), ""
    )
    kind = data.get("kind_label", "Ticket")
    return f"{kind} {_ref(event)} filed {via}".strip() + f": {_after(event, 'subject')}"


@renders(TicketEvent.STATUS_CHANGED, label="Ticket status")
def _status(event) -> str:
    text = f"{_ref(event)}: {_before(event, 'status_label', '?')} → {_after(event, 'status_label')}"
    return f"{text} ({event.reason})" if event.reason else text


@renders(TicketEvent.ASSIGNED, label="Ticket assigned")
def _assigned(event) -> str:
    who = _after(event, "assignee") or "nobody"
    return f"{_ref(event)} assigned to {who}"


@renders(TicketEvent.FOLLOW_UP_SET, label="Follow-up date")
def _follow_up(event) -> str:
    from caredesk.lib.display import day

    when = _after(event, "follow_up_on")
    if not when:
        return f"{_ref(event)}: follow-up date cleared"
    import datetime as dt

    return f"{_ref(event)}: follow up on {day(dt.date.fromisoformat(when))}"


def _files(event) -> str:
    """ " (2 files attached)" when the message carried files, else nothing."""
    kept = (event.data or {}).get("files") or 0
    return f" ({kept} file{'s' if kept != 1 else ''} attached)" if kept else ""


lines(
    {
        TicketEvent.PRIORITY_CHANGED: (
            "Ticket priority",
            "{ref} priority {before.priority} → {after.priority}",
        ),
        TicketEvent.NOTE_ADDED: ("Internal note", "Internal note on {ref}{files}"),
        "ticket.erased": ("Personal data erased", "Personal data on {ref} erased"),
    },
    ref=_ref,
    files=_files,
)


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


@renders(TicketEvent.MERGED, label="Merged")
def _merged(event) -> str:
    return f"{_ref(event)} merged into {(event.data or {}).get('into', 'another ticket')}"


@renders(TicketEvent.ABSORBED, label="Duplicate merged in")
def _absorbed(event) -> str:
    return f"{(event.data or {}).get('from', 'A duplicate')} merged into {_ref(event)}"


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
    tags = _after(event, "tags", [])
    return f"{_ref(event)} tags: {', '.join(tags) if tags else 'none'}"


class CalendarEvent(StrEnum):
    """Changes to a branch's (or the default) business calendar, as the audit log reads."""

    HOURS_CHANGED = "calendar.hours_changed"
    HOLIDAY_ADDED = "calendar.holiday_added"
    HOLIDAY_REMOVED = "calendar.holiday_removed"
    DEADLINES_MOVED = "calendar.deadlines_moved"


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
    from caredesk.lib.events import changes

    detail = changes(event.before, event.after)
    text = f"Business hours of {_calendar(event)} changed" + (f": {detail}" if detail else "")
    return _with_deadlines(event, text)


@renders(CalendarEvent.HOLIDAY_ADDED, label="Holiday added")
def _holiday_added(event) -> str:
    from caredesk.lib.events import plain

    text = f"Holiday {_after(event, 'name')} on {plain(_after(event, 'date'))} added to "
    return _with_deadlines(event, text + _calendar(event))


@renders(CalendarEvent.HOLIDAY_REMOVED, label="Holiday removed")
def _holiday_removed(event) -> str:
    from caredesk.lib.events import plain

    text = f"Holiday {_before(event, 'name')} on {plain(_before(event, 'date'))} removed from "
    return _with_deadlines(event, text + _calendar(event))


@renders(CalendarEvent.DEADLINES_MOVED, label="Deadlines recomputed")
def _deadlines_moved(event) -> str:
    data = event.data or {}
    words = deadline_words(data.get("deadlines")) or "deadlines recomputed"
    return f"After the calendar change of {_calendar(event)}: {words}"


class SettingsEvent(StrEnum):
    """Open positions and SLA targets kept on Inbox settings."""

    POSITION_ADDED = "inbox.position_added"
    POSITION_CHANGED = "inbox.position_changed"
    SLA_CHANGED = "inbox.sla_changed"


lines(
    {
        SettingsEvent.POSITION_ADDED: (
            "Position added",
            "Position {after.title} opened[ at {after.branch}]",
        ),
    }
)


@renders(SettingsEvent.POSITION_CHANGED, label="Position changed")
def _position_changed(event) -> str:
    state = "reopened" if _after(event, "active") else "closed"
    return f"Position {event.target_label} {state}"


@renders(SettingsEvent.SLA_CHANGED, label="SLA target changed")
def _sla_changed(event) -> str:
    data = event.data or {}
    what = f"{data.get('kind_label', 'Tickets')}, {str(data.get('priority_label', '')).lower()}"
    before = _before(event, "hours", None)
    was = f"{before} h → " if before else ""
    return f"SLA target of {what.rstrip(', ')}: {was}{_after(event, 'hours')} business hours"
