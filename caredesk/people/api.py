"""Staff workspace API (SPEC §11): attendance, overtime, presence, showroom visits, payslips,
referral links. Endpoints parse, call the service, answer with the schema."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.errors import Invalid
from caredesk.lib.http import found, known
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import (
    Amount,
    BoundedDecimal,
    Code,
    Price,
    ShortText,
    StrictIn,
    Text,
)
from caredesk.people import policy, selectors, services
from caredesk.people.models import Attendance, OvertimeRequest, ShowroomVisit

router = ApiRouter(tags=["staff workspace"])


# --- Schemas -----------------------------------------------------------------------------------


class ShiftOut(Schema):
    id: int
    clock_in_at: datetime
    clock_out_at: datetime | None
    hours: Decimal
    closed_by_manager: bool
    note: str

    @staticmethod
    def resolve_closed_by_manager(obj):
        return obj.closed_by_id is not None

    @staticmethod
    def resolve_note(obj):
        return obj.close_note


class OvertimeOut(Schema):
    id: int
    user: str
    date: date
    hours: Decimal
    reason: str
    status: str
    decision_note: str
    actions: dict

    @staticmethod
    def resolve_user(obj):
        return obj.user.get_username()

    @staticmethod
    def resolve_actions(obj, context):
        actor = context["request"].user
        return actions_out({"decide": policy.may_decide_overtime(actor, obj)})


class OpenShiftOut(Schema):
    id: int
    user: str
    name: str
    branch: str | None
    clock_in_at: datetime
    hours: Decimal
    actions: dict

    @staticmethod
    def resolve_user(obj):
        return obj.user.get_username()

    @staticmethod
    def resolve_name(obj):
        return obj.user.get_full_name() or obj.user.get_username()

    @staticmethod
    def resolve_branch(obj):
        return obj.branch.code if obj.branch else None

    @staticmethod
    def resolve_actions(obj, context):
        return actions_out({"close": policy.may_close_shift(context["request"].user, obj)})


class ShiftCloseIn(StrictIn):
    clock_out_at: datetime
    note: Text


class AttendanceOut(Schema):
    period_start: date
    period_end: date
    clocked_in: bool
    worked_hours: Decimal
    approved_overtime_hours: Decimal
    shifts: list[ShiftOut]
    overtime: list[OvertimeOut]
    actions: dict


OvertimeHours = BoundedDecimal(
    minimum="0",
    maximum="24",
    places=2,
    exclusive=True,
    pattern=r"24(\.0{1,2})?|(1[0-9]|2[0-3]|[1-9])(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?)",
)


class OvertimeIn(StrictIn):
    date: date
    hours: OvertimeHours
    reason: Text


class DecisionIn(StrictIn):
    approved: bool
    note: Text = ""


class PresenceStaffOut(Schema):
    username: str
    name: str
    since: datetime


class PresenceOut(Schema):
    branch: str
    code: str
    staff: list[PresenceStaffOut]


class VisitOut(Schema):
    id: int
    host: str
    host_name: str
    floor: str
    note: str
    started_at: datetime
    ended_at: datetime | None
    actions: dict

    @staticmethod
    def resolve_host(obj):
        return obj.host.get_username()

    @staticmethod
    def resolve_host_name(obj):
        return obj.host.get_full_name() or obj.host.get_username()

    @staticmethod
    def resolve_actions(obj, context):
        return actions_out({"release": policy.may_release(context["request"].user, obj)})


class VisitIn(StrictIn):
    note: ShortText = ""


class PayslipOut(Schema):
    id: int
    employee: str
    period_start: date
    period_end: date
    gross: Decimal
    deductions: Decimal
    net: Decimal
    overtime_hours: Decimal
    note: str
    pdf_url: str

    @staticmethod
    def resolve_employee(obj):
        return obj.employee.get_username()

    @staticmethod
    def resolve_pdf_url(obj):
        from django.urls import reverse

        return reverse("people:payslip_pdf", kwargs={"payslip_id": obj.pk})


class PayslipIn(StrictIn):
    employee: Code
    period_start: date
    gross: Amount
    deductions: Price = Decimal("0")
    note: ShortText = ""


class ReferralOut(Schema):
    code: str
    label: str
    owner: str
    active: bool
    url: str
    attributed: int

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.get_username()

    @staticmethod
    def resolve_url(obj, context):
        from caredesk.people.referrals import referral_url

        return referral_url(obj)

    @staticmethod
    def resolve_attributed(obj):
        return getattr(obj, "attributed", 0)


class AttributionOut(Schema):
    at: datetime
    customer: str | None
    customer_name: str | None
    order: str | None

    @staticmethod
    def resolve_customer(obj):
        return obj.customer.member_id if obj.customer else None

    @staticmethod
    def resolve_customer_name(obj):
        customer = obj.customer or (obj.order.customer if obj.order else None)
        return customer.display_name if customer else None

    @staticmethod
    def resolve_order(obj):
        return obj.order.number if obj.order else None


class ReferralDetailOut(ReferralOut):
    attributions: list[AttributionOut]

    @staticmethod
    def resolve_attributions(obj):
        return obj.credited


class ReferralIn(StrictIn):
    label: ShortText
    code: Code = ""


# --- Attendance and overtime -------------------------------------------------------------------


def _attendance(request, period_key: str | None = None) -> dict:
    user = request.user
    period = policy.period_from_key(period_key)
    sheet = selectors.timesheet(user, period)
    shift = services.open_shift(user)
    return {
        "period_start": period.start,
        "period_end": period.end,
        "clocked_in": shift is not None,
        "worked_hours": sheet["worked_hours"],
        "approved_overtime_hours": sheet["approved_overtime"],
        "shifts": sheet["shifts"],
        "overtime": sheet["overtime"],
        "actions": actions_out(
            {
                "clock_in": policy.may_clock_in(user, open_shift=shift),
                "clock_out": policy.may_clock_out(user, open_shift=shift),
                "request_overtime": policy.may_request_overtime(user),
            }
        ),
    }


@router.post("/me/clock-in", AttendanceOut, "attendance", "Clock in", errors=(409,))
def clock_in(request):
    services.clock_in(actor=request.user)
    return _attendance(request)


@router.post("/me/clock-out", AttendanceOut, "attendance", "Clock out", errors=(409,))
def clock_out(request):
    services.clock_out(actor=request.user)
    return _attendance(request)


@router.get(
    "/me/attendance",
    AttendanceOut,
    "attendance",
    "Own timesheet for a pay period (default: the current one)",
)
def attendance(request, period: str | None = None):
    if period is not None and policy.period_from_key(period).key != period:
        raise Invalid(
            "Name a pay period by its first day: YYYY-MM-01 or YYYY-MM-16.", field="period"
        )
    return _attendance(request, period)


@router.create("/me/overtime", OvertimeOut, "attendance", "Request overtime", errors=(400,))
def overtime_create(request, payload: OvertimeIn):
    item = services.overtime_request(actor=request.user, **payload.dict())
    return Status(201, item)


@router.page(
    "/overtime", OvertimeOut, "approve_overtime", "Overtime requests waiting for a decision"
)
def overtime_pending(request):
    return selectors.overtime_pending()


@router.post(
    "/overtime/{overtime_id}/decision",
    OvertimeOut,
    "approve_overtime",
    "Approve or refuse an overtime request",
    errors=(400, 404, 409),
)
def overtime_decision(request, overtime_id: int, payload: DecisionIn):
    item = get_object_or_404(OvertimeRequest, pk=overtime_id)
    return services.overtime_decide(
        actor=request.user, item=item, approved=payload.approved, note=payload.note
    )


@router.page(
    "/shifts/open",
    OpenShiftOut,
    "approve_overtime",
    "Everyone clocked in now, oldest first (forgotten clock-outs on top)",
)
def shifts_open(request):
    return selectors.open_shifts()


@router.post(
    "/shifts/{shift_id}/close",
    ShiftOut,
    "approve_overtime",
    "Close someone's forgotten clock-out at the time they left, with a note",
    errors=(400, 404, 409),
)
def shift_close(request, shift_id: int, payload: ShiftCloseIn):
    shift = get_object_or_404(Attendance, pk=shift_id)
    return services.shift_close(
        actor=request.user, shift=shift, clock_out_at=payload.clock_out_at, note=payload.note
    )


# --- Presence and showroom ---------------------------------------------------------------------


@router.page("/presence", PresenceOut, "view_presence", "Who is on the floor now, per branch")
def presence(request):
    return selectors.presence()


@router.page(
    "/showroom/visits", VisitOut, "view_presence", "Showroom visits (active=true: being hosted now)"
)
def visits(request, active: bool | None = None):
    return selectors.visit_list(active=active)


@router.create(
    "/showroom/visits",
    VisitOut,
    "host_visitor",
    "Host the walk-in visitor (409 names who has it)",
    errors=(409,),
)
def visit_claim(request, payload: VisitIn):
    visit = services.visit_claim(actor=request.user, note=payload.note)
    return Status(201, visit)


@router.post(
    "/showroom/visits/{visit_id}/release",
    VisitOut,
    "host_visitor",
    "End a showroom visit",
    errors=(403, 404, 409),
)
def visit_release(request, visit_id: int):
    visit = get_object_or_404(ShowroomVisit.objects.select_related("host"), pk=visit_id)
    return services.visit_release(actor=request.user, visit=visit)


# --- Payslips ----------------------------------------------------------------------------------


@router.page("/me/payslips", PayslipOut, "view_own_payslips", "Own payslips")
def my_payslips(request):
    return selectors.payslips_of(request.user)


@router.get(
    "/payslips/{payslip_id}",
    PayslipOut,
    "view_own_payslips",
    "One payslip (own only; HR: any)",
    errors=(404,),
)
def payslip_detail(request, payslip_id: int):
    return found(selectors.payslip_visible(request.user, payslip_id), "No such payslip.")


@router.create(
    "/payslips", PayslipOut, "manage_payslips", "Issue a payslip (HR)", errors=(400, 409)
)
def payslip_create(request, payload: PayslipIn):
    employee = get_user_model().objects.filter(username=payload.employee).first()
    employee = known(employee, f"No staff member {payload.employee!r}.", field="employee")
    fields = payload.model_dump(exclude={"employee"})
    slip = services.payslip_issue(actor=request.user, employee=employee, **fields)
    return Status(201, slip)


# --- Referral links ------------------------------------------------------------------------------


@router.page(
    "/referrals",
    ReferralOut,
    "view_referrals",
    "Referral links with how many customers and orders each brought",
)
def referrals(request):
    return selectors.referral_list()


@router.create(
    "/referrals",
    ReferralOut,
    "manage_referrals",
    "Create a referral link (sales)",
    errors=(400, 409),
)
def referral_create(request, payload: ReferralIn):
    link = services.referral_create(actor=request.user, label=payload.label, code=payload.code)
    return Status(201, selectors.referral_list().get(pk=link.pk))


@router.get(
    "/referrals/{code}",
    ReferralDetailOut,
    "view_referrals",
    "A referral link and the customers and orders credited to it (newest 100)",
    errors=(404,),
)
def referral_detail(request, code: str):
    link = selectors.referral_list().filter(code=code.strip().upper()).first()
    link = found(link, "No such referral link.")
    link.credited = list(selectors.referral_attributions(link)[:100])
    return link
