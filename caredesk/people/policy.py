"""The staff workspace's rules: who may clock in or out, decide overtime, host a visitor,
issue or open a payslip, manage referral links; and the derived figures (pay periods, hours
worked, presence window)."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from caredesk.lib.display import clock
from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import ALLOW, Decision, deny, deny_if, first_refusal, forbid, permitted

# Active in the workspace within this many minutes (and clocked in) = on the floor.
PRESENCE_MINUTES = 5
MAX_OVERTIME_HOURS = Decimal("12")


# --- Pay periods (semi-monthly: 1-15 and 16-end of month) -----------------------------------


@dataclass(frozen=True)
class PayPeriod:
    start: date
    end: date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def label(self) -> str:
        return f"{self.start:%b} {self.start.day}-{self.end.day}, {self.start:%Y}"

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes in the workspace time zone: [start, end + 1 day)."""
        tz = timezone.get_current_timezone()
        begin = datetime.combine(self.start, time.min, tzinfo=tz)
        return begin, datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz)

    def previous(self) -> "PayPeriod":
        return pay_period(self.start - timedelta(days=1))

    def next(self) -> "PayPeriod":
        return pay_period(self.end + timedelta(days=1))


def pay_period(day: date) -> PayPeriod:
    if day.day <= 15:
        return PayPeriod(day.replace(day=1), day.replace(day=15))
    last = calendar.monthrange(day.year, day.month)[1]
    return PayPeriod(day.replace(day=16), day.replace(day=last))


def period_from_key(key: str | None) -> PayPeriod:
    """The period starting on `key` (YYYY-MM-DD), or the current one for anything else."""
    try:
        start = date.fromisoformat(key or "")
    except ValueError:
        return pay_period(timezone.localdate())
    period = pay_period(start)
    return period if period.start == start else pay_period(timezone.localdate())


def shift_hours(shift, *, now: datetime | None = None) -> Decimal:
    """Hours of a shift, to 2 places; an open shift counts until now."""
    end = shift.clock_out_at or now or timezone.now()
    seconds = max((end - shift.clock_in_at).total_seconds(), 0)
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Attendance ------------------------------------------------------------------------------


def may_clock_in(actor, *, open_shift) -> Decision:
    return first_refusal(
        permitted(actor, "attendance", "Your role does not keep attendance here."),
        deny(f"You clocked in already at {clock(open_shift.clock_in_at)}.", code="clocked_in")
        if open_shift
        else ALLOW,
    )


def may_clock_out(actor, *, open_shift) -> Decision:
    return first_refusal(
        permitted(actor, "attendance", "Your role does not keep attendance here."),
        ALLOW if open_shift else deny("You are not clocked in.", code="not_clocked_in"),
    )


def may_close_shift(actor, shift) -> Decision:
    """A manager closes someone else's forgotten clock-out."""
    return first_refusal(
        permitted(actor, "approve_overtime", "Only a manager may close someone's shift."),
        ALLOW if shift.is_open else deny("This shift is closed already.", code="closed"),
        deny_if(
            shift.user_id == actor.pk,
            "Clock out yourself; a manager closes forgotten shifts of others.",
            code="own",
        ),
    )


def may_request_overtime(actor) -> Decision:
    return permitted(actor, "attendance", "Your role does not keep attendance here.")


def may_decide_overtime(actor, request) -> Decision:
    return first_refusal(
        permitted(actor, "approve_overtime", "Only a manager may approve overtime."),
        ALLOW
        if request.status == "pending"
        else deny(f"This request was {request.status} already.", code="decided"),
        deny_if(request.user_id == actor.pk, "Someone else decides your own overtime.", code="own"),
    )


# --- Showroom ---------------------------------------------------------------------------------


def visit_holder_text(visit) -> str:
    name = visit.host.first_name or visit.host.get_username()
    return f"{name} is hosting a visitor (since {clock(visit.started_at)})"


def may_host(actor, *, active_visit) -> Decision:
    return first_refusal(
        permitted(actor, "host_visitor", "Your role does not host showroom visitors."),
        deny(visit_holder_text(active_visit) + ".", code="taken") if active_visit else ALLOW,
    )


def may_release(actor, visit) -> Decision:
    """The host releases their visitor; a manager may release any (a forgotten claim)."""
    if not visit.is_active:
        return deny("This visit has ended already.", code="ended")
    if visit.host_id == actor.pk or has_capability(actor, "approve_overtime"):
        return ALLOW
    return forbid("Only the host or a manager may end this visit.")


# --- Payslips and referrals ---------------------------------------------------------------------


def may_issue_payslip(actor) -> Decision:
    return permitted(actor, "manage_payslips", "Only HR issues payslips.")


def may_view_payslip(actor, payslip) -> bool:
    """Own payslips, or HR. Everyone else is answered "not found", never "forbidden", so a
    guessed id says nothing about whether it exists."""
    if has_capability(actor, "manage_payslips"):
        return True
    return payslip.employee_id == actor.pk and has_capability(actor, "view_own_payslips")


def may_manage_referrals(actor) -> Decision:
    return permitted(actor, "manage_referrals", "Only sales manage referral links.")


def may_manage_escalations(actor) -> Decision:
    return permitted(actor, "manage_staff", "Only an administrator edits escalation contacts.")


# --- Status tones -------------------------------------------------------------------------------

OVERTIME_TONES = {"approved": "ok", "refused": "danger"}  # waiting for approval: warn


def status_tone(obj) -> str:
    """The badge tone (`{{ obj|tone }}`) of an overtime request's status."""
    from caredesk.people.models import OvertimeRequest

    if isinstance(obj, OvertimeRequest):
        return OVERTIME_TONES.get(obj.status, "warn")
    return ""
