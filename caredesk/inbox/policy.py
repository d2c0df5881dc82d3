"""Who may do what to which ticket now, and why not; the SLA badge (SPEC §5).

Careers are seen only by holders of `work_careers` (HR, managers); the other kinds by holders
of `work_inbox`. Services `enforce` these decisions; pages show only what they allow; the API
returns them as `actions`.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from caredesk.inbox.models import Kind, Status, Ticket
from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import ALLOW, Decision, actions_out, deny, first_refusal, forbid

# status -> statuses it may move to (by staff; a guest's reply reopens, see `reopen_on_reply`).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.OPEN, Status.WAITING, Status.RESOLVED, Status.CLOSED),
    Status.OPEN: (Status.WAITING, Status.RESOLVED, Status.CLOSED),
    Status.WAITING: (Status.OPEN, Status.RESOLVED, Status.CLOSED),
    Status.RESOLVED: (Status.OPEN, Status.CLOSED),
    Status.CLOSED: (Status.OPEN,),
}
OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)


def capability_for_kind(kind: str) -> str:
    return "work_careers" if kind == Kind.CAREER else "work_inbox"


def kinds_visible(user) -> list[str]:
    """The kinds whose tickets `user` may see."""
    return [k for k in Kind.values if has_capability(user, capability_for_kind(k))]


def may_work_inbox(user) -> bool:
    return bool(kinds_visible(user))


def may_view(user, ticket: Ticket) -> Decision:
    if has_capability(user, capability_for_kind(ticket.kind)):
        return ALLOW
    return forbid("Your role does not work this inbox.")


def may_file(user, kind: str) -> Decision:
    """Staff filing a ticket themselves (e.g. an internal issue)."""
    if kind not in Kind.values:
        return deny("Unknown kind of ticket.", code="invalid")
    if has_capability(user, capability_for_kind(kind)):
        return ALLOW
    return forbid("Your role does not work this inbox.")


def may_manage_inbox_settings(user) -> Decision:
    """Opening hours, holidays, SLA targets and open positions are administration."""
    if has_capability(user, "manage_staff"):
        return ALLOW
    return forbid("Only an administrator may change business hours and holidays.")


def _not_merged(ticket: Ticket) -> Decision:
    if ticket.merged_into_id:
        return deny("This ticket was merged into another; work that one.", code="merged")
    return ALLOW


def may_change_status(user, ticket: Ticket, to: str) -> Decision:
    if to == ticket.status:
        return ALLOW
    if to not in TRANSITIONS.get(ticket.status, ()):
        return deny(
            f"A {ticket.get_status_display().lower()} ticket cannot become "
            f"{Status(to).label.lower() if to in Status.values else to}.",
            code="illegal_transition",
        )
    return first_refusal(may_view(user, ticket), _not_merged(ticket))


def may_edit(user, ticket: Ticket) -> Decision:
    """Assign, prioritise, set a follow-up date, tag, link."""
    return first_refusal(may_view(user, ticket), _not_merged(ticket))


def may_assign_to(user, ticket: Ticket, assignee) -> Decision:
    decision = may_edit(user, ticket)
    if not decision or assignee is None:
        return decision
    if not assignee.is_active or not has_capability(assignee, capability_for_kind(ticket.kind)):
        return deny(f"{assignee.get_username()} does not work this inbox.", code="invalid")
    return ALLOW


def may_reply(user, ticket: Ticket) -> Decision:
    """Email the guest from the ticket."""
    decision = may_edit(user, ticket)
    if not decision:
        return decision
    if not ticket.guest_email and not (ticket.customer_id and ticket.customer.email):
        return deny("No email address for this guest: add an internal note instead.")
    return ALLOW


def may_note(user, ticket: Ticket) -> Decision:
    return may_view(user, ticket)


def may_merge(user, ticket: Ticket, into: Ticket | None = None) -> Decision:
    decision = may_edit(user, ticket)
    if not decision or into is None:
        return decision
    if into.pk == ticket.pk:
        return deny("A ticket cannot be merged into itself.", code="invalid")
    if into.kind != ticket.kind:
        return deny("Merge only tickets of the same inbox.", code="invalid")
    return first_refusal(may_view(user, into), _not_merged(into))


def reopen_on_reply(ticket: Ticket) -> bool:
    """A guest's reply reopens a ticket that waits on them, is resolved or closed."""
    return ticket.status in (Status.WAITING, Status.RESOLVED, Status.CLOSED)


def actions(user, ticket: Ticket) -> dict[str, Decision]:
    return {
        "assign": may_edit(user, ticket),
        "reply": may_reply(user, ticket),
        "note": may_note(user, ticket),
        "merge": may_merge(user, ticket),
        **{f"to_{s}": may_change_status(user, ticket, s) for s in TRANSITIONS[ticket.status]},
    }


def actions_for_api(user, ticket: Ticket) -> dict:
    return actions_out(actions(user, ticket))


# --- SLA badge -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaBadge:
    text: str  # "due in 2 h", "overdue 3 h", "paused", "met"
    tone: str  # "ok" | "warn" | "danger" | "" (text always says it; colour only repeats it)


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} d"


def sla_badge(ticket: Ticket, *, now: dt.datetime | None = None) -> SlaBadge:
    now = now or timezone.now()
    if ticket.status == Status.WAITING:
        return SlaBadge("paused, waiting on customer", "")
    if ticket.status in (Status.RESOLVED, Status.CLOSED) or ticket.due_at is None:
        return SlaBadge("no deadline", "")
    if ticket.due_at <= now:
        return SlaBadge(f"overdue {_span(now - ticket.due_at)}", "danger")
    left = ticket.due_at - now
    return SlaBadge(f"due in {_span(left)}", "warn" if left <= dt.timedelta(hours=4) else "ok")


def is_overdue(ticket: Ticket, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return ticket.status in OPEN_STATUSES and ticket.due_at is not None and ticket.due_at <= now
