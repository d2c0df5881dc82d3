"""The staff workspace and administration pages cost the same number of queries with a few
rows as with many (every list has its joins set)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _rows(n: int, *, hr, sales, admin, staff_factory, start: int = 0):
    """n more of everything the pages list: staff, shifts, overtime, payslips, referral
    links and their credits, escalation contacts, branches and zones, visits."""
    from caredesk.branches.models import Branch, Zone
    from caredesk.customers.models import Customer
    from caredesk.people.models import (
        Attendance,
        EscalationContact,
        OvertimeRequest,
        Payslip,
        ReferralAttribution,
        ReferralLink,
        ShowroomVisit,
    )
    from caredesk.people.policy import pay_period

    period = pay_period(timezone.localdate()).previous()
    link = ReferralLink.objects.get_or_create(code="COUNT", owner=sales, label="Counted")[0]
    for i in range(start, start + n):
        person = staff_factory(f"p{i}", "csr", "sales")
        branch = Branch.objects.create(code=f"B{chr(65 + i // 26)}{chr(65 + i % 26)}", name=f"B{i}")
        Zone.objects.create(branch=branch, code=f"Z-{i}", name=f"Zone {i}")
        Attendance.objects.create(user=person, branch=branch)
        OvertimeRequest.objects.create(
            user=person, date=timezone.localdate(), hours=Decimal("1.5"), reason=f"r{i}"
        )
        Payslip.objects.create(
            employee=person,
            period_start=period.start,
            period_end=period.end,
            gross=1000,
            deductions=100,
            net=900,
            issued_by=hr,
        )
        ReferralLink.objects.create(code=f"L{i:03d}", owner=sales, label=f"Link {i}")
        customer = Customer.objects.create(
            member_id=f"M{7000000 + i:07d}", first_name="C", last_name=str(i)
        )
        ReferralAttribution.objects.create(link=link, customer=customer)
        EscalationContact.objects.create(issue=f"Issue {i}", contact="Finance", person=admin)
        ShowroomVisit.objects.create(
            host=person,
            floor=f"F{i}",
            started_at=timezone.now() - timedelta(hours=2),
            ended_at=timezone.now() - timedelta(hours=1),
        )


PAGES = [
    ("manager", "/people/team/"),
    ("manager", "/people/floor/"),
    ("hr", "/people/payslips/"),
    ("sales", "/people/referrals/"),
    ("sales", "/people/referrals/COUNT/"),
    ("admin", "/admin/escalations/"),
    ("admin", "/admin/branches/"),
    ("admin", "/staff/"),
    ("admin", "/staff/p0/"),
]


def test_pages_cost_the_same_with_more_rows(web_for, hr, sales, admin, manager, staff_factory):
    users = {"hr": hr, "sales": sales, "admin": admin, "manager": manager}
    clients = {name: web_for(user) for name, user in users.items()}
    kw = {"hr": hr, "sales": sales, "admin": admin, "staff_factory": staff_factory}

    def measure() -> dict[str, int]:
        counts = {}
        for role, path in PAGES:
            clients[role].get(path)  # warm the session and permission caches
            with CaptureQueriesContext(connection) as queries:
                response = clients[role].get(path)
            assert response.status_code == 200, (path, response.status_code)
            counts[path] = len(queries)
        return counts

    _rows(2, **kw)
    few = measure()
    _rows(8, start=2, **kw)
    many = measure()
    assert many == few
    assert max(few.values()) <= 20, few
