"""Staff workspace events, as they read in timelines and the audit log."""

from enum import StrEnum

from caredesk.lib.display import clock
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
        PeopleEvent.CLOCKED_IN: ("Clocked in", "Clocked in at {at}"),
        PeopleEvent.CLOCKED_OUT: ("Clocked out", "Clocked out at {at}"),
        PeopleEvent.OVERTIME_REQUESTED: (
            "Overtime requested",
            "Overtime[ of {after.hours} h][ on {after.date|day}] requested",
        ),
        PeopleEvent.OVERTIME_APPROVED: (
            "Overtime approved",
            "Overtime of {target_label} approved[: {reason}]",
        ),
        PeopleEvent.OVERTIME_REFUSED: (
            "Overtime refused",
            "Overtime of {target_label} refused[: {reason}]",
        ),
        PeopleEvent.VISIT_CLAIMED: (
            "Showroom visitor hosted",
            "Started hosting a showroom visitor[ ({after.note})]",
        ),
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
    },
    at=lambda event: clock_text(_a(event).get("at")),
)


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
