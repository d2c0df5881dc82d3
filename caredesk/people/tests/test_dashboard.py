import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role, expected",
    [
        ("hr", ["My shift", "Attendance and overtime", "Payslips"]),
        ("finance", ["My shift", "Payments to record"]),
        ("installer", ["My shift"]),
        ("sales", ["My shift", "My referral links"]),
        ("manager", ["My shift", "Attendance and overtime"]),
    ],
)
def test_each_role_home_shows_its_work(
    web_for, staff_factory, role, expected, django_assert_max_num_queries
):
    client = web_for(staff_factory(f"home-{role}", role))
    with django_assert_max_num_queries(30):
        page = client.get("/").content.decode()
    for title in expected:
        assert title in page, title


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
