"""The staff workspace (SPEC §8): who is on the floor, showroom hosting, attendance, overtime,
payslips, referral links, and the escalation contacts CSRs read on order and ticket pages."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caredesk.lib.display import day, when
from caredesk.lib.models import MONEY, staff_member

USER = settings.AUTH_USER_MODEL


def one_open_row(per: str, *, until: str, name: str) -> models.UniqueConstraint:
    """At most one row per `per` that is still open (its `until` time not yet set)."""
    return models.UniqueConstraint(
        fields=[per], condition=Q(**{f"{until}__isnull": True}), name=name
    )


def _name(user) -> str:
    """How a staff member is named in labels (audit targets, timelines)."""
    return user.get_full_name() or user.get_username()


class StaffProfile(models.Model):
    """Where a staff member works and when they were last active in the workspace (presence)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="staff_profile")
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["last_seen_at"], name="people_profile_seen_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.branch_id or '-'}"


class Attendance(models.Model):
    """One shift: clocked in, and (later) clocked out. At most one open shift per person is
    guaranteed by the database. A forgotten clock-out is closed by a manager with a note."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="attendance")
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clock_in_at = models.DateTimeField(default=timezone.now)
    clock_out_at = models.DateTimeField(null=True, blank=True)
    closed_by = staff_member()
    close_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-clock_in_at"]
        constraints = [
            one_open_row("user", until="clock_out_at", name="people_one_open_shift"),
            models.CheckConstraint(
                condition=Q(clock_out_at__isnull=True)
                | Q(clock_out_at__gte=models.F("clock_in_at")),
                name="people_shift_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-clock_in_at"], name="people_att_user_idx"),
            models.Index(
                fields=["clock_in_at"],
                name="people_att_open_idx",
                condition=Q(clock_out_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Shift of {_name(self.user)} from {when(self.clock_in_at)}"

    @property
    def is_open(self) -> bool:
        return self.clock_out_at is None

    @property
    def hours(self):
        from caredesk.people.policy import shift_hours

        return shift_hours(self)


class OvertimeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class OvertimeRequest(models.Model):
    """Extra hours a staff member asks to be paid for; a manager approves or refuses it with a
    note, once."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="overtime_requests")
    date = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2, validators=[MinValueValidator(0)])
    reason = models.CharField(max_length=500)
    status = models.CharField(
        max_length=8, choices=OvertimeStatus.choices, default=OvertimeStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = staff_member()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="people_ot_status_idx"),
            models.Index(fields=["user", "date"], name="people_ot_user_idx"),
        ]

    def __str__(self) -> str:
        hours = Decimal(str(self.hours)).normalize()
        return f"{_name(self.user)}, {day(self.date)}, {hours:f} h"


class ShowroomVisit(models.Model):
    """A walk-in visitor hosted by a staff member. One visitor at a time per showroom floor
    (the branch): the database refuses a second active visit, so two people claiming at once
    cannot both win."""

    host = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="showroom_visits")
    floor = models.CharField(max_length=12, default="main")
    note = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    released_by = staff_member()

    class Meta:
        ordering = ["-started_at"]
        constraints = [one_open_row("floor", until="ended_at", name="people_one_visit_per_floor")]
        indexes = [models.Index(fields=["-started_at"], name="people_visit_started_idx")]

    def __str__(self) -> str:
        return f"Visitor hosted by {_name(self.host)} from {when(self.started_at)}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Payslip(models.Model):
    """A pay period's payslip, issued by HR; read-only once issued. Net = gross - deductions
    (checked by the database). One per person and period."""

    employee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="payslips")
    period_start = models.DateField()
    period_end = models.DateField()
    gross = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    deductions = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    net = models.DecimalField(**MONEY)
    overtime_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    note = models.CharField(max_length=300, blank=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "employee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period_start"], name="people_one_payslip_per_period"
            ),
            models.CheckConstraint(
                condition=Q(net=models.F("gross") - models.F("deductions")),
                name="people_payslip_net",
            ),
        ]
        indexes = [models.Index(fields=["period_start"], name="people_payslip_period_idx")]

    def __str__(self) -> str:
        return f"Payslip {self.employee} {self.period_start:%Y-%m-%d}"

    @property
    def period(self):
        from caredesk.people.policy import pay_period

        return pay_period(self.period_start)


class ReferralLink(models.Model):
    """A sales-owned referral code; customers and orders created through its link are
    attributed to it."""

    code = models.CharField(max_length=24, unique=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="referral_links")
    label = models.CharField(max_length=120)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="people_ref_owner_idx")]

    def __str__(self) -> str:
        return self.code


class ReferralAttribution(models.Model):
    """A customer or an order credited to a referral link (at most once each)."""

    link = models.ForeignKey(ReferralLink, on_delete=models.PROTECT, related_name="attributions")
    customer = models.OneToOneField(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["link", "-at"], name="people_attr_link_idx")]

    def __str__(self) -> str:
        return f"{self.link_id}: {self.customer_id or ''} {self.order_id or ''}"


class EscalationContact(models.Model):
    """Who a CSR escalates an issue type to (seed 000: refunds/ledger -> Finance, ...)."""

    issue = models.CharField(max_length=120, unique=True)
    contact = models.CharField(max_length=200, help_text="Team or person, e.g. Finance.")
    person = staff_member(on_delete=models.SET_NULL)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "issue"]

    def __str__(self) -> str:
        return f"{self.issue} -> {self.contact}"
