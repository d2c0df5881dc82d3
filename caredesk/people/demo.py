"""Demo staff workspace: every demo staff member works at a branch; two weeks of attendance
(history rows written directly, as an import would), overtime requests (some decided by the
manager), last period's payslips issued by HR, sales referral links with credited customers,
the escalation contacts of seed 000, and one visitor being hosted in the showroom."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from caredesk.branches.models import Branch
from caredesk.people import services
from caredesk.people.models import (
    Attendance,
    EscalationContact,
    OvertimeRequest,
    ReferralLink,
    ShowroomVisit,
    StaffProfile,
)
from caredesk.people.policy import pay_period

ESCALATIONS = [
    ("Refunds / ledger", "Finance"),
    ("Run creation / fleet", "Store manager / Gov Ops"),
    ("Commission disputes", "Finance / Gov Ops"),
    ("Stock allocation", "Warehouse / manager"),
]
SALARY = {
    "csr": "18000.00",
    "csr2": "18000.00",
    "sales": "20000.00",
    "finance": "24000.00",
    "manager": "32000.00",
    "installer": "16000.00",
    "hr": "24000.00",
    "admin": "35000.00",
}


def build(*, out, options) -> None:
    User = get_user_model()
    staff = {u.username: u for u in User.objects.filter(username__in=SALARY)}
    if len(staff) < len(SALARY) or Attendance.objects.exists():
        out("people: demo staff workspace already present (or no demo staff)")
        return
    rng = options["rng"]
    manila = Branch.objects.filter(code="MNL").first()
    for user in staff.values():
        StaffProfile.objects.update_or_create(
            user=user, defaults={"branch": manila, "last_seen_at": timezone.now()}
        )
    admin, manager, hr = staff["admin"], staff["manager"], staff["hr"]

    # Attendance: weekdays of the last two weeks, 8-9 hours from about 8:30.
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    rows = []
    for back in range(14, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() == 6:
            continue
        for user in staff.values():
            start = datetime.combine(day, time(8, rng.randrange(15, 50)), tzinfo=tz)
            hours = timedelta(hours=8, minutes=rng.randrange(0, 75))
            rows.append(
                Attendance(user=user, branch=manila, clock_in_at=start, clock_out_at=start + hours)
            )
    Attendance.objects.bulk_create(rows)
    # Today: most of the floor is clocked in; the installer forgot to clock out yesterday.
    for name in ("csr", "csr2", "sales", "manager", "finance", "hr"):
        services.clock_in(actor=staff[name])
    forgotten = Attendance.objects.filter(user=staff["installer"]).order_by("-clock_in_at").first()
    Attendance.objects.filter(pk=forgotten.pk).update(clock_out_at=None)

    # Overtime: approved, refused, waiting.
    def ask(name, days_ago, hours, reason):
        return services.overtime_request(
            actor=staff[name],
            date=today - timedelta(days=days_ago),
            hours=Decimal(hours),
            reason=reason,
        )

    services.overtime_decide(
        actor=manager, item=ask("csr", 3, "2", "Month-end order backlog"), approved=True, note=""
    )
    services.overtime_decide(
        actor=manager,
        item=ask("installer", 4, "3.5", "Late delivery run to Parañaque"),
        approved=True,
        note="Thanks for finishing the run",
    )
    services.overtime_decide(
        actor=manager,
        item=ask("sales", 5, "1", "Showroom stayed open"),
        approved=False,
        note="Covered by the roster",
    )
    ask("csr2", 1, "1.5", "Complaint inbox backlog")
    ask("finance", 2, "2", "Payment reconciliation")
    count_pending = OvertimeRequest.objects.filter(status="pending").count()

    # Payslips for the previous pay period.
    period = pay_period(today).previous()
    for name, gross in SALARY.items():
        gross = Decimal(gross)
        services.payslip_issue(
            actor=hr,
            employee=staff[name],
            period_start=period.start,
            gross=gross,
            deductions=(gross * Decimal("0.0925")).quantize(Decimal("0.01")),
            note="SSS, PhilHealth, Pag-IBIG and withholding tax",
        )

    # Referral links with a few credited customers.
    from caredesk.customers.models import Customer

    links = [
        services.referral_create(actor=staff["sales"], label="Facebook page", code="FB-MNL"),
        services.referral_create(actor=staff["sales"], label="SM Megamall booth", code="MEGA"),
    ]
    customers = list(Customer.objects.order_by("pk")[:6])
    for index, customer in enumerate(customers):
        services.referral_attribute(
            actor=staff["csr"], code=links[index % 2].code, customer=customer
        )

    # Escalation contacts (seed 000).
    if not EscalationContact.objects.exists():
        for position, (issue, contact) in enumerate(ESCALATIONS):
            services.escalation_save(actor=admin, issue=issue, contact=contact, position=position)

    # The showroom: one visit earlier today, one visitor being hosted now.
    earlier = services.visit_claim(actor=staff["sales"], note="Family, dining sets")
    services.visit_release(actor=staff["sales"], visit=earlier)
    ShowroomVisit.objects.filter(pk=earlier.pk).update(
        started_at=timezone.now() - timedelta(hours=2),
        ended_at=timezone.now() - timedelta(hours=1, minutes=20),
    )
    services.visit_claim(actor=staff["csr2"], note="Couple looking at sofas")
    out(
        f"people: {len(rows)} past shifts, {len(staff) - 2} clocked in, "
        f"{count_pending} overtime requests waiting, {len(SALARY)} payslips for "
        f"{period.label}, {ReferralLink.objects.count()} referral links, "
        f"{len(ESCALATIONS)} escalation contacts, 1 showroom visitor hosted"
    )
