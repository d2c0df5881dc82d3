"""Staff workspace writes: each checks its policy, writes, records its typed event and
queues its side effects in one transaction."""

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from caredesk.audit.services import created_with_event, event_record
from caredesk.lib.errors import Conflict, Invalid
from caredesk.lib.policy import enforce
from caredesk.people import policy
from caredesk.people.events import PeopleEvent
from caredesk.people.models import (
    Attendance,
    EscalationContact,
    OvertimeRequest,
    OvertimeStatus,
    Payslip,
    ReferralAttribution,
    ReferralLink,
    ShowroomVisit,
    StaffProfile,
)

SEEN_EVERY = timedelta(seconds=60)


# --- Presence ----------------------------------------------------------------------------------


def profile_for(user) -> StaffProfile:
    profile, _ = StaffProfile.objects.get_or_create(user=user)
    return profile


def presence_touch(user, *, now=None) -> None:
    """Note that `user` is active in the workspace (at most one write a minute)."""
    now = now or timezone.now()
    updated = (
        StaffProfile.objects.filter(user=user)
        .exclude(last_seen_at__gt=now - SEEN_EVERY)
        .update(last_seen_at=now)
    )
    if not updated and not StaffProfile.objects.filter(user=user).exists():
        StaffProfile.objects.get_or_create(user=user, defaults={"last_seen_at": now})


def staff_branch_set(*, actor, user, branch) -> StaffProfile:
    """Where `user` works: their presence and showroom floor are that branch's."""
    from caredesk.staff.policy import may_manage_staff

    enforce(may_manage_staff(actor))
    with transaction.atomic():
        profile = profile_for(user)
        before = profile.branch.code if profile.branch else None
        after = branch.code if branch else None
        if before == after:
            return profile
        profile.branch = branch
        profile.save(update_fields=["branch"])
        event_record(
            actor=actor,
            action=PeopleEvent.BRANCH_SET,
            target=("auth.user", str(user.pk), user.get_username()),
            before={"branch": before},
            after={"branch": after},
        )
    return profile


def showroom_floor(user) -> tuple[str, str]:
    """The showroom floor `user` works on: (its key, how it reads in a chat alert)."""
    profile = StaffProfile.objects.filter(user=user).select_related("branch").first()
    if profile and profile.branch:
        return profile.branch.code, f"Showroom {profile.branch.name}"
    return "main", "Showroom"


# --- Attendance --------------------------------------------------------------------------------


def open_shift(user) -> Attendance | None:
    return Attendance.objects.filter(user=user, clock_out_at__isnull=True).first()


def clock_in(*, actor) -> Attendance:
    """Start a shift. Clocking in twice is refused (the database keeps one open shift)."""
    with transaction.atomic():
        enforce(policy.may_clock_in(actor, open_shift=open_shift(actor)))
        profile = profile_for(actor)
        now = timezone.now()
        try:
            with transaction.atomic():
                shift = Attendance.objects.create(
                    user=actor, branch_id=profile.branch_id, clock_in_at=now
                )
        except IntegrityError:
            raise Conflict("You clocked in already.", code="clocked_in") from None
        StaffProfile.objects.filter(pk=profile.pk).update(last_seen_at=now)
        event_record(actor=actor, action=PeopleEvent.CLOCKED_IN, target=shift, after={"at": now})
    return shift


def clock_out(*, actor) -> Attendance:
    with transaction.atomic():
        shift = (
            Attendance.objects.select_for_update()
            .filter(user=actor, clock_out_at__isnull=True)
            .first()
        )
        enforce(policy.may_clock_out(actor, open_shift=shift))
        shift.clock_out_at = timezone.now()
        shift.save(update_fields=["clock_out_at"])
        event_record(
            actor=actor,
            action=PeopleEvent.CLOCKED_OUT,
            target=shift,
            after={"at": shift.clock_out_at, "hours": shift.hours},
        )
    return shift


def shift_close(*, actor, shift: Attendance, clock_out_at, note: str) -> Attendance:
    """A manager closes a forgotten clock-out at the time the person really left."""
    note = (note or "").strip()
    if not note:
        raise Invalid("Say why the shift is closed this way.", field="note")
    if timezone.is_naive(clock_out_at):  # a wall-clock time, read in the workspace's zone
        clock_out_at = timezone.make_aware(clock_out_at)
    with transaction.atomic():
        shift = Attendance.objects.select_for_update().select_related("user").get(pk=shift.pk)
        enforce(policy.may_close_shift(actor, shift))
        if clock_out_at < shift.clock_in_at or clock_out_at > timezone.now():
            raise Invalid(
                "The clock-out time is between the clock-in and now.", field="clock_out_at"
            )
        shift.clock_out_at = clock_out_at
        shift.closed_by = actor
        shift.close_note = note[:500]
        shift.save(update_fields=["clock_out_at", "closed_by", "close_note"])
        event_record(
            actor=actor,
            action=PeopleEvent.SHIFT_CLOSED,
            target=(
                "auth.user",
                str(shift.user_id),
                shift.user.get_full_name() or shift.user.get_username(),
            ),
            after={"at": clock_out_at, "shift": shift.pk},
            reason=note,
        )
    return shift


# --- Overtime ----------------------------------------------------------------------------------


def overtime_request(*, actor, date: date, hours, reason: str) -> OvertimeRequest:
    enforce(policy.may_request_overtime(actor))
    hours = Decimal(str(hours))
    reason = (reason or "").strip()
    if not Decimal("0.25") <= hours <= policy.MAX_OVERTIME_HOURS:
        raise Invalid(
            f"Overtime is between 0.25 and {policy.MAX_OVERTIME_HOURS} hours a day.",
            field="hours",
        )
    if hours.as_tuple().exponent < -2:
        raise Invalid("Use at most 2 decimal places.", field="hours")
    if not reason:
        raise Invalid("Say what the overtime was for.", field="reason")
    today = timezone.localdate()
    if date > today + timedelta(days=31) or date < today - timedelta(days=62):
        raise Invalid("Request overtime for a day within the last two months.", field="date")
    with transaction.atomic():
        item = OvertimeRequest.objects.create(
            user=actor, date=date, hours=hours, reason=reason[:500]
        )
        event_record(
            actor=actor,
            action=PeopleEvent.OVERTIME_REQUESTED,
            target=item,
            after={"date": date, "hours": hours, "reason": item.reason},
        )
    return item


def overtime_decide(*, actor, item: OvertimeRequest, approved: bool, note: str) -> OvertimeRequest:
    """Approve or refuse once; a refusal needs a note."""
    note = (note or "").strip()
    if not approved and not note:
        raise Invalid("Say why the overtime is refused.", field="note")
    with transaction.atomic():
        item = OvertimeRequest.objects.select_for_update().select_related("user").get(pk=item.pk)
        enforce(policy.may_decide_overtime(actor, item))
        item.status = OvertimeStatus.APPROVED if approved else OvertimeStatus.REFUSED
        item.decided_by = actor
        item.decided_at = timezone.now()
        item.decision_note = note[:500]
        item.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        event_record(
            actor=actor,
            action=PeopleEvent.OVERTIME_APPROVED if approved else PeopleEvent.OVERTIME_REFUSED,
            target=item,
            before={"status": "pending"},
            after={"status": item.status, "user": item.user.get_username()},
            reason=note,
        )
    return item


# --- Showroom ----------------------------------------------------------------------------------


def active_visit(floor: str | None = None) -> ShowroomVisit | None:
    qs = ShowroomVisit.objects.filter(ended_at__isnull=True).select_related("host")
    if floor:
        qs = qs.filter(floor=floor)
    return qs.first()


def visit_claim(*, actor, note: str = "") -> ShowroomVisit:
    """Host the walk-in visitor of the actor's showroom floor. When someone else has just
    claimed it, the refusal names them (the database admits one active visit per floor)."""
    from caredesk.comms.services import chat_alert

    note = (note or "").strip()[:200]
    floor, floor_label = showroom_floor(actor)
    with transaction.atomic():
        enforce(policy.may_host(actor, active_visit=active_visit(floor)))
        try:
            with transaction.atomic():
                visit = ShowroomVisit.objects.create(host=actor, floor=floor, note=note)
        except IntegrityError:
            holder = active_visit(floor)
            text = policy.visit_holder_text(holder) if holder else "Someone is hosting"
            raise Conflict(text + ".", code="taken") from None
        event_record(
            actor=actor, action=PeopleEvent.VISIT_CLAIMED, target=visit, after={"note": note}
        )
        name = actor.get_full_name() or actor.get_username()
        chat_alert(
            event_type="showroom_visit",
            text=f"{floor_label}: {name} is hosting a visitor" + (f" — {note}" if note else ""),
        )
    return visit


def visit_release(*, actor, visit: ShowroomVisit) -> ShowroomVisit:
    with transaction.atomic():
        visit = ShowroomVisit.objects.select_for_update().get(pk=visit.pk)
        enforce(policy.may_release(actor, visit))
        visit.ended_at = timezone.now()
        visit.released_by = actor
        visit.save(update_fields=["ended_at", "released_by"])
        event_record(actor=actor, action=PeopleEvent.VISIT_RELEASED, target=visit)
    return visit


# --- Payslips ----------------------------------------------------------------------------------


def payslip_issue(
    *, actor, employee, period_start: date, gross, deductions, note: str = ""
) -> Payslip:
    """Issue `employee`'s payslip for the pay period starting on `period_start`. Net is
    gross - deductions; approved overtime of the period is printed on it. One per period."""
    from caredesk.lib.display import parse_money

    enforce(policy.may_issue_payslip(actor))
    period = policy.pay_period(period_start)
    if period.start != period_start:
        raise Invalid("A pay period starts on the 1st or the 16th.", field="period_start")
    gross = _amount(gross, "gross", parse_money)
    deductions = _amount(deductions, "deductions", parse_money, allow_zero=True)
    if deductions > gross:
        raise Invalid("Deductions cannot exceed the gross pay.", field="deductions")
    if not employee.is_active:
        raise Invalid("This person's account is deactivated.", field="employee")
    from caredesk.people.selectors import approved_overtime_hours

    with transaction.atomic():
        if Payslip.objects.filter(employee=employee, period_start=period.start).exists():
            raise Conflict(
                f"{employee.get_username()} has a payslip for {period.label} already.",
                code="duplicate",
                field="employee",
            )
        try:
            with transaction.atomic():
                slip = Payslip.objects.create(
                    employee=employee,
                    period_start=period.start,
                    period_end=period.end,
                    gross=gross,
                    deductions=deductions,
                    net=gross - deductions,
                    overtime_hours=approved_overtime_hours(employee, period),
                    note=(note or "").strip()[:300],
                    issued_by=actor,
                )
        except IntegrityError:
            raise Conflict("This payslip was issued already.", code="duplicate") from None
        event_record(
            actor=actor,
            action=PeopleEvent.PAYSLIP_ISSUED,
            target=("people.payslip", str(slip.pk), f"{employee.get_username()} {period.label}"),
            after={"employee": employee.get_username(), "period": period.label, "net": slip.net},
        )
    return slip


def _amount(value, field: str, parse, *, allow_zero: bool = False) -> Decimal:
    amount = value if isinstance(value, Decimal) else parse(str(value), field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise Invalid("Enter an amount above zero.", field=field)
    if amount > Decimal("9999999999.99") or amount.as_tuple().exponent < -2:
        raise Invalid("Enter an amount like 25,000.00.", field=field)
    return amount


# --- Referral links ----------------------------------------------------------------------------

REFERRAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def referral_create(*, actor, label: str, code: str = "") -> ReferralLink:
    """A new referral link owned by the actor (sales). Without a code one is generated."""
    enforce(policy.may_manage_referrals(actor))
    label = (label or "").strip()
    if not label:
        raise Invalid("Say where this link is used, e.g. Facebook page.", field="label")
    code = (code or "").strip().upper()
    if code and not (3 <= len(code) <= 24 and code.replace("-", "").isalnum()):
        raise Invalid("A code is 3-24 letters, digits and dashes.", field="code")
    if not code:
        code = "".join(secrets.choice(REFERRAL_ALPHABET) for _ in range(8))
    return created_with_event(
        ReferralLink,
        actor=actor,
        action=PeopleEvent.REFERRAL_CREATED,
        after=lambda link: {"code": code, "label": link.label},
        taken=Conflict(f"Code {code} is taken.", code="duplicate", field="code"),
        code=code,
        owner=actor,
        label=label[:120],
    )


def referral_set_active(*, actor, link: ReferralLink, active: bool) -> ReferralLink:
    enforce(policy.may_manage_referrals(actor))
    with transaction.atomic():
        if link.active == active:
            return link
        link.active = active
        link.save(update_fields=["active"])
        event_record(
            actor=actor,
            action=PeopleEvent.REFERRAL_CHANGED,
            target=link,
            before={"active": not active},
            after={"active": active},
        )
    return link


def referral_attribute(
    *, actor, code: str, customer=None, order=None
) -> ReferralAttribution | None:
    """Credit a new customer or order to the active referral link `code`; an unknown or
    inactive code, or one already credited, is ignored (a referral never blocks a sale)."""
    link = ReferralLink.objects.filter(code=(code or "").strip().upper(), active=True).first()
    if link is None or (customer is None and order is None):
        return None
    with transaction.atomic():
        if customer is not None and ReferralAttribution.objects.filter(customer=customer).exists():
            return None
        if order is not None and ReferralAttribution.objects.filter(order=order).exists():
            return None
        item = ReferralAttribution.objects.create(link=link, customer=customer, order=order)
        event_record(
            actor=actor,
            action=PeopleEvent.REFERRAL_ATTRIBUTED,
            target=link,
            after={
                "code": link.code,
                "customer": getattr(customer, "member_id", None),
                "order": getattr(order, "number", None),
            },
        )
    return item


# --- Escalation contacts -----------------------------------------------------------------------


def escalation_save(
    *, actor, issue: str, contact: str, person=None, position: int = 0
) -> EscalationContact:
    enforce(policy.may_manage_escalations(actor))
    issue, contact = (issue or "").strip(), (contact or "").strip()
    if not issue:
        raise Invalid("Name the kind of issue.", field="issue")
    if not contact:
        raise Invalid("Name the team or person.", field="contact")
    with transaction.atomic():
        item, _ = EscalationContact.objects.update_or_create(
            issue=issue[:120],
            defaults={"contact": contact[:200], "person": person, "position": position},
        )
        event_record(
            actor=actor,
            action=PeopleEvent.ESCALATION_SAVED,
            target=item,
            after={"issue": item.issue, "contact": item.contact},
        )
    return item


def escalation_remove(*, actor, item: EscalationContact) -> None:
    enforce(policy.may_manage_escalations(actor))
    with transaction.atomic():
        event_record(actor=actor, action=PeopleEvent.ESCALATION_REMOVED, target=item)
        item.delete()
