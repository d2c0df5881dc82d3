"""Reads for the staff workspace, with their joins set."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from caredesk.people.models import (
    Attendance,
    EscalationContact,
    OvertimeRequest,
    OvertimeStatus,
    Payslip,
    ReferralAttribution,
    ReferralLink,
    ShowroomVisit,
)
from caredesk.people.policy import PRESENCE_MINUTES, PayPeriod, shift_hours


def _on_floor(now) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        clock_out_at__isnull=True,
        user__staff_profile__last_seen_at__gte=now - timedelta(minutes=PRESENCE_MINUTES),
        user__is_active=True,
    )


def presence_count(*, now=None) -> int:
    """How many are on the floor now (the shell's figure, polled by every open page: a count,
    not the list, so its cost does not grow with the staff)."""
    return _on_floor(now or timezone.now()).count()


def presence(*, now=None) -> list[dict]:
    """Who is on the floor now, per branch: clocked in and active in the workspace within the
    last PRESENCE_MINUTES. One query."""
    now = now or timezone.now()
    shifts = (
        _on_floor(now)
        .select_related("user", "branch")
        .order_by("branch__code", "user__first_name", "user__username")
    )
    groups: dict[str, dict] = {}
    for shift in shifts:
        key = shift.branch.code if shift.branch else ""
        group = groups.setdefault(
            key,
            {
                "branch": shift.branch.name if shift.branch else "No branch",
                "code": key,
                "staff": [],
            },
        )
        group["staff"].append(
            {
                "username": shift.user.get_username(),
                "name": shift.user.get_full_name() or shift.user.get_username(),
                "since": shift.clock_in_at,
            }
        )
    return list(groups.values())


def active_visits() -> QuerySet[ShowroomVisit]:
    return ShowroomVisit.objects.filter(ended_at__isnull=True).select_related("host")


def visit_list(*, active: bool | None = None) -> QuerySet[ShowroomVisit]:
    qs = ShowroomVisit.objects.select_related("host").order_by("-started_at")
    if active is not None:
        qs = qs.filter(ended_at__isnull=active)
    return qs


def shifts_in(user, period: PayPeriod) -> QuerySet[Attendance]:
    begin, end = period.bounds()
    return (
        Attendance.objects.filter(user=user, clock_in_at__gte=begin, clock_in_at__lt=end)
        .select_related("closed_by")
        .order_by("clock_in_at")
    )


def overtime_in(user, period: PayPeriod) -> QuerySet[OvertimeRequest]:
    return (
        OvertimeRequest.objects.filter(user=user, date__gte=period.start, date__lte=period.end)
        .select_related("decided_by")
        .order_by("date", "created_at")
    )


def approved_overtime_hours(user, period: PayPeriod) -> Decimal:
    total = (
        overtime_in(user, period)
        .filter(status=OvertimeStatus.APPROVED)
        .aggregate(total=Sum("hours"))["total"]
    )
    return total or Decimal("0.00")


def timesheet(user, period: PayPeriod) -> dict:
    """The person's shifts, overtime requests and totals for a pay period (two queries)."""
    shifts = list(shifts_in(user, period))
    overtime = list(overtime_in(user, period))
    worked = sum((shift_hours(s) for s in shifts), Decimal("0.00"))
    approved = sum(
        (o.hours for o in overtime if o.status == OvertimeStatus.APPROVED), Decimal("0.00")
    )
    return {
        "period": period,
        "shifts": shifts,
        "overtime": overtime,
        "worked_hours": worked,
        "approved_overtime": approved,
        "days": len({timezone.localtime(s.clock_in_at).date() for s in shifts}),
    }


def open_shifts() -> QuerySet[Attendance]:
    """Everyone clocked in now, oldest first (forgotten clock-outs sort to the top)."""
    return (
        Attendance.objects.filter(clock_out_at__isnull=True)
        .select_related("user", "branch")
        .order_by("clock_in_at")
    )


def overtime_pending() -> QuerySet[OvertimeRequest]:
    return (
        OvertimeRequest.objects.filter(status=OvertimeStatus.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def payslips_of(user) -> QuerySet[Payslip]:
    return (
        Payslip.objects.filter(employee=user).select_related("employee").order_by("-period_start")
    )


def payslip_list() -> QuerySet[Payslip]:
    return Payslip.objects.select_related("employee", "issued_by").order_by(
        "-period_start", "employee__username"
    )


def payslip_visible(user, pk) -> Payslip | None:
    """The payslip with id `pk` if `user` may open it (own, or HR), else None."""
    from caredesk.people.policy import may_view_payslip

    slip = payslip_list().filter(pk=pk).first() if str(pk).isdigit() else None
    if slip is None or not may_view_payslip(user, slip):
        return None
    return slip


def referral_list() -> QuerySet[ReferralLink]:
    return (
        ReferralLink.objects.select_related("owner")
        .annotate(attributed=Count("attributions"))
        .order_by("-created_at")
    )


def referral_attributions(link: ReferralLink) -> QuerySet[ReferralAttribution]:
    return link.attributions.select_related("customer", "order__customer").order_by("-at")


def escalation_contacts() -> list[EscalationContact]:
    return list(EscalationContact.objects.select_related("person").order_by("position", "issue"))
