from datetime import date

import pytest

from caredesk.people.models import Payslip

pytestmark = pytest.mark.django_db


def _issue(api, employee="csr", **extra):
    body = {"employee": employee, "period_start": "2026-11-01", "gross": "25000.00"}
    body.update(extra)
    return api.post("/api/v1/payslips", json=body)


def test_hr_issues_and_only_the_employee_and_hr_can_open_it(api_for, web_for, hr, csr, manager):
    created = _issue(api_for(hr), deductions="2500.50")
    assert created.status_code == 201, created.content
    slip = created.json()
    assert slip["net"] == "22499.50"
    assert slip["period_end"] == "2026-11-15"

    assert api_for(csr).get(f"/api/v1/payslips/{slip['id']}").status_code == 200
    assert api_for(csr).get("/api/v1/me/payslips").json()["count"] == 1
    pdf = web_for(csr).get(slip["pdf_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    assert api_for(manager).get(f"/api/v1/payslips/{slip['id']}").status_code == 404
    assert web_for(manager).get(slip["pdf_url"]).status_code == 404
    assert api_for(manager).get("/api/v1/me/payslips").json()["count"] == 0
    assert api_for(hr).get(f"/api/v1/payslips/{slip['id']}").status_code == 200
    assert api_for(csr).get("/api/v1/payslips/999999").status_code == 404


def test_only_hr_issues(api_for, manager):
    assert _issue(api_for(manager)).status_code == 403


@pytest.mark.parametrize(
    "extra, status, field",
    [
        ({"period_start": "2026-11-03"}, 400, "period_start"),
        ({"deductions": "30000"}, 400, "deductions"),
        ({"gross": "-1"}, 422, "gross"),
        ({"employee": "nobody"}, 400, "employee"),
        ({"bonus": "1"}, 422, "bonus"),
    ],
)
def test_bad_payslip_input(api_for, hr, csr, extra, status, field):
    response = _issue(api_for(hr), **extra)
    assert response.status_code == status, response.content
    assert field in response.content.decode()
    assert not Payslip.objects.exists()


def test_one_payslip_per_period(api_for, hr, csr):
    assert _issue(api_for(hr)).status_code == 201
    assert _issue(api_for(hr)).status_code == 409


def test_approved_overtime_is_printed_on_the_payslip(hr, csr):
    from caredesk.people.models import OvertimeRequest
    from caredesk.people.services import payslip_issue

    OvertimeRequest.objects.create(
        user=csr, date=date(2026, 11, 10), hours=3, reason="x", status="approved"
    )
    OvertimeRequest.objects.create(user=csr, date=date(2026, 11, 11), hours=5, reason="y")
    slip = payslip_issue(
        actor=hr, employee=csr, period_start=date(2026, 11, 1), gross="1,000.00", deductions=0
    )
    assert slip.overtime_hours == 3


def test_hr_payslip_page_issues_from_the_form(web_for, hr, csr, django_assert_max_num_queries):
    from caredesk.people.views import _periods

    period = _periods()[1]
    client = web_for(hr)
    response = client.post(
        "/people/payslips/issue/",
        {"employee": "csr", "period_start": period.key, "gross": "20,000", "deductions": "0"},
    )
    assert response.status_code == 302, response.content
    with django_assert_max_num_queries(14):
        page = client.get("/people/payslips/")
    assert b"20,000.00" in page.content
