"""Staff workspace events, as they read in timelines and the audit log."""

from enum import StrEnum

from caredesk.lib.display import clock, day
from caredesk.lib.events import lines, renders


class PeopleEvent(StrEnum):
    CLOCKED_IN = "attendance.clocked_in"
    CLOCKED_OUT = "attendance.clocked_out"
    SHIFT_CLOSED = "attendance.closed_by_manager"
    OVERTIME_REQUESTED = "overtime.requested"
    OVERTIME_APPROVED = "overtime.approved"
    OVERTIME_REFUSED = "overtime.refused"
    VISIT_CLAIMED = "showroom.visit_claimed"
    VISIT_RELEASED = "showroom.visit_released"
    PAYSLIP_ISSUED = "payslip.issued"
    REFERRAL_CREATED = "referral.created"
    REFERRAL_CHANGED = "referral.changed"
    REFERRAL_ATTRIBUTED = "referral.attributed"
    BRANCH_SET = "staff.branch_set"
    ESCALATION_SAVED = "escalation.saved"
    ESCALATION_REMOVED = "escalation.removed"


def _a(event) -> dict:
    return event.after or {}


lines(
    {
        PeopleEvent.SHIFT_CLOSED: (
            "Shift closed by a manager",
            "Forgotten clock-out of {target_label} closed: {reason}",
        ),
        PeopleEvent.VISIT_RELEASED: ("Showroom visit ended", "Showroom visit ended"),
        PeopleEvent.PAYSLIP_ISSUED: (
            "Payslip issued",
            "Payslip for {after.period} issued, net {after.net|money}",
        ),
        PeopleEvent.REFERRAL_CREATED: (
            "Referral link created",
            "Referral link {after.code} created",
        ),
        PeopleEvent.ESCALATION_SAVED: (
            "Escalation contact saved",
            "Escalate “{after.issue}” to {after.contact}",
        ),
        PeopleEvent.ESCALATION_REMOVED: (
            "Escalation contact removed",
            "Escalation contact “{target_label}” removed",
        ),
    }
)


@renders(PeopleEvent.CLOCKED_IN, label="Clocked in")
def _in(event) -> str:
    return f"Clocked in at {clock_text(_a(event).get('at'))}"


@renders(PeopleEvent.CLOCKED_OUT, label="Clocked out")
def _out(event) -> str:
    return f"Clocked out at {clock_text(_a(event).get('at'))}"


@renders(PeopleEvent.OVERTIME_REQUESTED, label="Overtime requested")
def _ot(event) -> str:
    a = _a(event)
    hours = f" of {a['hours']} h" if a.get("hours") else ""
    on = f" on {day(a['date'])}" if a.get("date") else ""
    return f"Overtime{hours}{on} requested"


@renders(PeopleEvent.OVERTIME_APPROVED, label="Overtime approved")
def _ot_ok(event) -> str:
    return f"Overtime of {event.target_label} approved" + (
        f": {event.reason}" if event.reason else ""
    )


@renders(PeopleEvent.OVERTIME_REFUSED, label="Overtime refused")
def _ot_no(event) -> str:
    return f"Overtime of {event.target_label} refused" + (
        f": {event.reason}" if event.reason else ""
    )


@renders(PeopleEvent.VISIT_CLAIMED, label="Showroom visitor hosted")
def _visit(event) -> str:
    note = _a(event).get("note")
    return "Started hosting a showroom visitor" + (f" ({note})" if note else "")


@renders(PeopleEvent.REFERRAL_CHANGED, label="Referral link changed")
def _ref_changed(event) -> str:
    active = _a(event).get("active")
    return f"Referral link {event.target_label} " + ("reactivated" if active else "deactivated")


@renders(PeopleEvent.REFERRAL_ATTRIBUTED, label="Referral credited")
def _attr(event) -> str:
    a = _a(event)
    what = f"Order {a['order']}" if a.get("order") else f"Customer {a.get('customer', '')}"
    return f"{what} credited to referral link {a.get('code', '')}"


@renders(PeopleEvent.BRANCH_SET, label="Branch assigned")
def _branch(event) -> str:
    return f"{event.target_label} works at {_a(event).get('branch') or 'no branch'}"


def clock_text(value) -> str:
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(value) if isinstance(value, str) else value
    return clock(moment) if moment else "?"
