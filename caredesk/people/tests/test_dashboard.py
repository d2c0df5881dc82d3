"""Each role's home page shows its work, never an empty dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role, expected",
    [
        ("csr", ["My shift"]),
        ("hr", ["My shift", "Attendance and overtime", "Payslips"]),
        ("finance", ["My shift", "Payments to record"]),
        ("installer", ["My shift", "My runs today"]),
        ("sales", ["My shift", "My referral links"]),
        ("manager", ["My shift", "Attendance and overtime"]),
        ("admin", ["My shift", "Attendance and overtime", "Payslips", "Payments to record"]),
    ],
)
def test_each_role_home_shows_its_work(
    web_for, staff_factory, role, expected, django_assert_max_num_queries
):
    client = web_for(staff_factory(f"home-{role}", role))
    with django_assert_max_num_queries(40):
        page = client.get("/").content.decode()
    for title in expected:
        assert f">{title}</h2>" in page, title


def test_installer_home_lists_todays_runs_and_stops(web_for, installer, manager):
    from caredesk.branches.models import Branch
    from caredesk.delivery.models import Run, Stop
    from caredesk.orders.models import Order
    from caredesk.orders.tests.samples import sample_order_number

    order = Order.objects.select_related("customer").get(number=sample_order_number())
    run = Run.objects.create(
        date=timezone.localdate(),
        branch=Branch.objects.get(code=order.number.split("-")[0]),
        vehicle="TRK-07",
        created_by=manager,
    )
    run.crew.add(installer)
    Stop.objects.create(run=run, order=order, sequence=1)
    tomorrow = Run.objects.create(
        date=timezone.localdate() + timedelta(days=1),
        branch=run.branch,
        vehicle="TRK-99",
        created_by=manager,
    )
    tomorrow.crew.add(installer)
    page = web_for(installer).get("/").content.decode()
    assert "TRK-07" in page and order.customer.display_name in page
    assert "TRK-99" not in page


def test_hr_home_counts_payslips_and_lists_overtime_to_decide(web_for, hr, csr):
    from caredesk.people.models import OvertimeRequest, Payslip
    from caredesk.people.policy import pay_period

    OvertimeRequest.objects.create(
        user=csr, date=timezone.localdate(), hours="1.50", reason="Stock count"
    )
    period = pay_period(timezone.localdate()).previous()
    Payslip.objects.create(
        employee=csr,
        period_start=period.start,
        period_end=period.end,
        gross="1000.00",
        deductions="0.00",
        net="1000.00",
        issued_by=hr,
    )
    page = web_for(hr).get("/").content.decode()
    assert "Csr: 1.50 h on" in page
    assert f"{period.label}: <strong>1</strong> of" in page


def test_finance_sees_crew_reports_to_record(web_for, finance, installer):
    from caredesk.orders.models import Order, Payment, PaymentStatus
    from caredesk.orders.tests.samples import sample_order_number

    order = Order.objects.get(number=sample_order_number())
    Payment.objects.create(
        order=order,
        method="cash",
        amount="500.00",
        status=PaymentStatus.REPORTED,
        reported_by=installer,
    )
    page = web_for(finance).get("/").content.decode()
    assert order.number in page and "₱500.00" in page
