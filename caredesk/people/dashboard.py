"""Each role's work on the dashboard (SPEC §8, issue 14): my shift for everyone who keeps
attendance; overtime and open shifts for managers and HR; payslips for HR; crew payment
reports to record for finance; referral links for sales. Every panel is a few bounded,
index-backed queries."""

from django.utils import timezone

from caredesk.lib.permissions import has_capability
from caredesk.people import policy, selectors, services

ROWS = 5


def _my_shift(request) -> dict:
    user = request.user
    shift = services.open_shift(user)
    return {
        "template": "people/_panel_shift.html",
        "open_shift": shift,
        "clock_in": policy.may_clock_in(user, open_shift=shift),
        "clock_out": policy.may_clock_out(user, open_shift=shift),
        "payslips": has_capability(user, "view_own_payslips"),
    }


def _team(request) -> dict:
    pending = list(selectors.overtime_pending()[: ROWS + 1])
    shifts = list(selectors.open_shifts()[: ROWS + 1])
    return {
        "template": "people/_panel_team.html",
        "pending": pending[:ROWS],
        "more_pending": len(pending) > ROWS,
        "shifts": shifts[:ROWS],
        "more_shifts": len(shifts) > ROWS,
    }


def _payslips(request) -> dict:
    from django.contrib.auth import get_user_model

    period = policy.pay_period(timezone.localdate()).previous()
    issued = selectors.payslip_list().filter(period_start=period.start).count()
    staff = get_user_model().objects.filter(is_active=True).count()
    return {
        "template": "people/_panel_payslips.html",
        "period": period,
        "issued": issued,
        "staff": staff,
    }


def _payments_to_record(request) -> dict:
    from caredesk.orders.models import Payment, PaymentStatus

    reported = list(
        Payment.objects.filter(status=PaymentStatus.REPORTED)
        .select_related("order", "reported_by")
        .order_by("received_at")[: ROWS + 1]
    )
    return {
        "template": "people/_panel_payments.html",
        "reported": reported[:ROWS],
        "more": len(reported) > ROWS,
    }


def _referrals(request) -> dict:
    links = list(selectors.referral_list().filter(owner=request.user)[:ROWS])
    return {"template": "people/_panel_referrals.html", "links": links}


def panels(request) -> list[dict]:
    user = request.user
    out = []
    if has_capability(user, "attendance"):
        out.append(_my_shift(request))
    if has_capability(user, "approve_overtime"):
        out.append(_team(request))
    if has_capability(user, "manage_payslips"):
        out.append(_payslips(request))
    if has_capability(user, "record_payment"):
        out.append(_payments_to_record(request))
    if has_capability(user, "manage_referrals"):
        out.append(_referrals(request))
    return out
