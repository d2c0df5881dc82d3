import random

import pytest
from django.core.management import call_command

from caredesk.people.models import (
    Attendance,
    EscalationContact,
    OvertimeRequest,
    Payslip,
    ReferralAttribution,
    ShowroomVisit,
)

pytestmark = pytest.mark.django_db


def test_demo_staff_workspace_is_alive_and_idempotent():
    from caredesk.branches import demo as branches_demo
    from caredesk.people import demo
    from caredesk.staff import demo as staff_demo

    lines = []
    options = {"rng": random.Random(3), "customers": 0}
    branches_demo.build(out=lines.append, options=options)
    staff_demo.build(out=lines.append, options=options)
    demo.build(out=lines.append, options=options)
    assert Attendance.objects.filter(clock_out_at__isnull=True).count() == 7
    assert OvertimeRequest.objects.filter(status="pending").count() == 2
    assert Payslip.objects.count() == 8
    assert EscalationContact.objects.count() == 4
    assert ShowroomVisit.objects.filter(ended_at__isnull=True).count() == 1
    assert ReferralAttribution.objects.count() == 0
    demo.build(out=lines.append, options=options)
    assert Payslip.objects.count() == 8
    assert "people:" in lines[-2]


def test_demo_command_runs_with_customers():
    import io

    call_command("demo", customers=8, stdout=io.StringIO())
    assert ReferralAttribution.objects.count() == 6
