"""Staff workspace pages: my attendance and overtime, the team's approvals, the floor
(presence and showroom), payslips, referral links, escalation contacts, and the shell
fragment every page polls (showroom banner and who is on the floor)."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.lib.display import day
from caredesk.lib.errors import DomainError
from caredesk.lib.forms import form_submit
from caredesk.lib.pages import service_told
from caredesk.lib.permissions import capability_required, has_capability
from caredesk.people import forms, policy, selectors, services
from caredesk.people.models import Attendance, EscalationContact, OvertimeRequest, ShowroomVisit
from caredesk.people.referrals import referral_url, remember


def _back(request, default: str):
    from caredesk.lib.http import safe_next

    return redirect(safe_next(request, request.POST.get("next")) or default)


# --- Shell fragment ------------------------------------------------------------------------------


@capability_required("view_presence")
@require_GET
@never_cache
def shell(request):
    """The showroom banner and the floor count, polled by every workspace page (htmx)."""
    services.presence_touch(request.user)
    visits = list(selectors.active_visits())
    context = {
        "visits": [
            {
                "visit": v,
                "text": policy.visit_holder_text(v),
                "mine": v.host_id == request.user.pk,
                "release": policy.may_release(request.user, v),
            }
            for v in visits
        ],
        "on_floor": selectors.presence_count(),
    }
    return render(request, "people/_shell.html", context)


# --- Attendance and overtime ---------------------------------------------------------------------


@capability_required("attendance")
@require_GET
def attendance(request):
    """Own timesheet for a pay period, clock in/out, overtime requests."""
    period = policy.period_from_key(request.GET.get("period"))
    form = forms.OvertimeForm(initial={"date": timezone.localdate()})
    return _attendance_page(request, period, form)


def _attendance_page(request, period, overtime_form, status: int = 200):
    shift = services.open_shift(request.user)
    context = {
        "sheet": selectors.timesheet(request.user, period),
        "open_shift": shift,
        "clock_in": policy.may_clock_in(request.user, open_shift=shift),
        "clock_out": policy.may_clock_out(request.user, open_shift=shift),
        "overtime_form": overtime_form,
        "current": period.start == policy.pay_period(timezone.localdate()).start,
    }
    return render(request, "people/attendance.html", context, status=status)


@capability_required("attendance")
@require_POST
def clock(request):
    try:
        if request.POST.get("action") == "out":
            shift = services.clock_out(actor=request.user)
            messages.success(request, f"Clocked out after {shift.hours} hours.")
        else:
            services.clock_in(actor=request.user)
            messages.success(request, "Clocked in. Have a good shift.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return _back(request, "people:attendance")


@capability_required("attendance")
@require_POST
def overtime_request(request):
    form = forms.OvertimeForm(request.POST)
    if form_submit(form, lambda data: services.overtime_request(actor=request.user, **data)):
        messages.success(request, "Overtime request sent to your manager.")
        return redirect("people:attendance")
    return _attendance_page(request, policy.pay_period(timezone.localdate()), form, status=400)


@capability_required("approve_overtime")
@require_GET
def team(request):
    """A manager's queue: overtime waiting for a decision and shifts still open."""
    now = timezone.now()
    shifts = list(selectors.open_shifts()[:100])
    context = {
        "pending": [
            {"item": o, "decide": policy.may_decide_overtime(request.user, o)}
            for o in selectors.overtime_pending()[:100]
        ],
        "shifts": [
            {
                "shift": s,
                "close": policy.may_close_shift(request.user, s),
                "forgotten": now - s.clock_in_at > timedelta(hours=12),
            }
            for s in shifts
        ],
        "decision_form": forms.DecisionForm(),
        "close_form": forms.ShiftCloseForm(),
    }
    return render(request, "people/team.html", context)


@capability_required("approve_overtime")
@require_POST
def overtime_decide(request, overtime_id: int):
    item = get_object_or_404(OvertimeRequest.objects.select_related("user"), pk=overtime_id)
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    approved = request.POST.get("decision") == "approve"
    who = item.user.get_full_name() or item.user.get_username()  # joined above
    verdict = "approved" if approved else "refused"
    service_told(
        request,
        lambda: services.overtime_decide(
            actor=request.user, item=item, approved=approved, note=form.cleaned_data.get("note")
        ),
        f"Overtime of {who} on {day(item.date)} {verdict}.",
    )
    return redirect("people:team")


@capability_required("approve_overtime")
@require_POST
def shift_close(request, shift_id: int):
    shift = get_object_or_404(Attendance, pk=shift_id)
    form = forms.ShiftCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the time the person left and a note.")
        return redirect("people:team")
    service_told(
        request,
        lambda: services.shift_close(actor=request.user, shift=shift, **form.cleaned_data),
        "Shift closed.",
    )
    return redirect("people:team")


# --- The floor: presence and showroom ------------------------------------------------------------


@capability_required("view_presence")
@require_GET
def floor(request):
    visits = list(selectors.active_visits())
    floor, _ = services.showroom_floor(request.user)
    context = {
        "presence": selectors.presence(),
        "visits": [{"visit": v, "release": policy.may_release(request.user, v)} for v in visits],
        "host": policy.may_host(
            request.user,
            active_visit=next((v for v in visits if v.floor == floor), None),
        )
        if has_capability(request.user, "host_visitor")
        else None,
        "visit_form": forms.VisitForm(),
        "recent": list(selectors.visit_list(active=False)[:10]),
    }
    return render(request, "people/floor.html", context)


@capability_required("host_visitor")
@require_POST
def visit_claim(request):
    form = forms.VisitForm(request.POST)
    form.is_valid()
    service_told(
        request,
        lambda: services.visit_claim(actor=request.user, note=form.cleaned_data.get("note", "")),
        "You are hosting the visitor. Release when they leave.",
    )
    return _back(request, "people:floor")


@capability_required("host_visitor")
@require_POST
def visit_release(request, visit_id: int):
    visit = get_object_or_404(ShowroomVisit, pk=visit_id)
    service_told(
        request,
        lambda: services.visit_release(actor=request.user, visit=visit),
        "Showroom visit ended.",
    )
    return _back(request, "people:floor")


# --- Payslips ------------------------------------------------------------------------------------


def _periods():
    current = policy.pay_period(timezone.localdate())
    periods = [current]
    for _ in range(5):
        periods.append(periods[-1].previous())
    return periods


@capability_required("view_own_payslips")
@require_GET
def payslips(request):
    """Own payslips; HR also sees everyone's and issues new ones."""
    hr = has_capability(request.user, "manage_payslips")
    context = {
        "mine": list(selectors.payslips_of(request.user)[:24]),
        "hr": hr,
    }
    if hr:
        context["page"] = Paginator(selectors.payslip_list(), 25).get_page(request.GET.get("page"))
        context["form"] = forms.PayslipForm(periods=_periods())
    return render(request, "people/payslips.html", context)


@capability_required("manage_payslips")
@require_POST
def payslip_issue(request):
    from datetime import date

    form = forms.PayslipForm(request.POST, periods=_periods())
    slip = form_submit(
        form,
        lambda d: services.payslip_issue(
            actor=request.user,
            employee=d["employee"],
            period_start=date.fromisoformat(d["period_start"]),
            gross=d["gross"],
            deductions=d["deductions"] or 0,
            note=d["note"],
        ),
    )
    if slip:
        employee = slip.employee.get_full_name() or slip.employee
        messages.success(request, f"Payslip issued to {employee}.")
        return redirect("people:payslips")
    context = {
        "mine": list(selectors.payslips_of(request.user)[:24]),
        "hr": True,
        "page": Paginator(selectors.payslip_list(), 25).get_page(1),
        "form": form,
    }
    return render(request, "people/payslips.html", context, status=400)


@capability_required("view_own_payslips")
@require_GET
def payslip_pdf(request, payslip_id: int):
    """The payslip as PDF: its employee or HR; anyone else gets 404 (never a hint)."""
    from caredesk.people.pdf import payslip_pdf as render_pdf

    slip = selectors.payslip_visible(request.user, payslip_id)
    if slip is None:
        raise Http404("No such payslip.")
    response = HttpResponse(render_pdf(slip), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="payslip-{slip.period_start}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Referral links ------------------------------------------------------------------------------


@capability_required("view_referrals")
@require_http_methods(["GET", "POST"])
def referrals(request):
    can_manage = policy.may_manage_referrals(request.user)
    form = forms.ReferralForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_manage:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        link = form_submit(form, lambda data: services.referral_create(actor=request.user, **data))
        if link:
            messages.success(request, f"Referral link {link.code} created.")
            return redirect("people:referral", code=link.code)
        status = 400
    page = Paginator(selectors.referral_list(), 25).get_page(request.GET.get("page"))
    for link in page:
        link.url = referral_url(link)
    context = {"page": page, "form": form, "can_manage": can_manage}
    return render(request, "people/referrals.html", context, status=status)


@capability_required("view_referrals")
@require_http_methods(["GET", "POST"])
def referral(request, code: str):
    link = get_object_or_404(selectors.referral_list(), code=code)
    can_manage = policy.may_manage_referrals(request.user)
    if request.method == "POST":
        if not can_manage:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        services.referral_set_active(
            actor=request.user, link=link, active=request.POST.get("active") == "1"
        )
        messages.success(request, "Referral link updated.")
        return redirect("people:referral", code=link.code)
    context = {
        "link": link,
        "url": referral_url(link),
        "can_manage": can_manage,
        "attributions": list(selectors.referral_attributions(link)[:100]),
    }
    return render(request, "people/referral.html", context)


@require_GET
def referral_follow(request, code: str):
    """`/r/<code>`: remember the referral and continue to open the customer's account (staff)
    or sign in first."""
    remember(request, code)
    return redirect("customers:new")


# --- Escalation contacts -------------------------------------------------------------------------


@capability_required("manage_staff")
@require_http_methods(["GET", "POST"])
def escalations(request):
    form = forms.EscalationForm(request.POST or None)
    status = 200
    remove = request.POST.get("remove", "") if request.method == "POST" else ""
    if remove:
        item = get_object_or_404(EscalationContact, pk=remove if remove.isdigit() else None)
        services.escalation_remove(actor=request.user, item=item)
        messages.success(request, f"“{item.issue}” removed.")
        return redirect("people:escalations")
    if request.method == "POST":
        if form_submit(form, lambda data: services.escalation_save(actor=request.user, **data)):
            messages.success(request, "Escalation contact saved.")
            return redirect("people:escalations")
        status = 400
    context = {"contacts": selectors.escalation_contacts(), "form": form}
    return render(request, "people/escalations.html", context, status=status)
