"""Staff workspace events, as they read in timelines and the audit log."""

from enum import StrEnum

from caredesk.lib.display import clock
from caredesk.lib.events import either, lines, part, renders


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


def clock_text(value) -> str:
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(value) if isinstance(value, str) else value
    return clock(moment) if moment else "?"


lines(
    {
        PeopleEvent.CLOCKED_IN: ("Clocked in", "Clocked in at {after.at|clock}"),
        PeopleEvent.CLOCKED_OUT: ("Clocked out", "Clocked out at {after.at|clock}"),
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
        PeopleEvent.REFERRAL_CHANGED: (
            "Referral link changed",
            "Referral link {target_label} {state}",
        ),
        PeopleEvent.BRANCH_SET: (
            "Branch assigned",
            "{target_label} works at {after.branch or no branch}",
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
    filters={"clock": clock_text},
    state=either("after.active", "reactivated", "deactivated"),
)


@renders(PeopleEvent.REFERRAL_ATTRIBUTED, label="Referral credited")
def _attr(event) -> str:
    a = part(event, "after")
    what = f"Order {a['order']}" if a.get("order") else f"Customer {a.get('customer', '')}"
    return f"{what} credited to referral link {a.get('code', '')}"
