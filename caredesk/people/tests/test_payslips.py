from datetime import date

import pytest

from caredesk.people.models import Payslip

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    """The text drawn on a PDF page: its (zlib-compressed) content streams, decompressed."""
    import re
    import zlib

    parts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            parts.append(stream.decode("latin-1"))
    return "".join(parts)


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


@pytest.mark.parametrize("viewer_role", ["csr", "manager", "sales", "finance", "installer"])
def test_nobody_else_opens_a_payslip_by_page_api_or_guessed_id(
    api_for, web_for, hr, staff_factory, viewer_role
):
    """The employee's colleague (whatever the role, a CSR or a manager included) is answered
    "not found" for the payslip and for a guessed id alike, and never sees it listed."""
    employee = staff_factory("lena", "csr")
    viewer = staff_factory(f"other-{viewer_role}", viewer_role)
    slip = _issue(api_for(hr), employee="lena", gross="31234.00").json()
    guessed = slip["id"] + 1
    api, web = api_for(viewer), web_for(viewer)
    for path in (f"/api/v1/payslips/{slip['id']}", f"/api/v1/payslips/{guessed}"):
        answer = api.get(path)
        assert answer.status_code == 404, path
        assert answer.json() == {"detail": "No such payslip.", "code": "not_found"}
    for path in (slip["pdf_url"], f"/people/payslips/{guessed}.pdf"):
        assert web.get(path).status_code == 404, path
    assert api.get("/api/v1/me/payslips").json() == {"count": 0, "results": []}
    listing = web.get("/people/payslips/").content.decode()
    assert "31,234.00" not in listing and "No payslip issued to you yet" in listing
    assert web.post("/people/payslips/issue/", {"employee": "lena"}).status_code == 403
    assert web_for(employee).get(slip["pdf_url"]).status_code == 200
    assert web_for(hr).get(slip["pdf_url"]).status_code == 200


def test_payslip_pdf_prints_the_figures(api_for, web_for, hr, csr):
    slip = _issue(api_for(hr), deductions="1250.00").json()
    pdf = web_for(csr).get(slip["pdf_url"])
    assert {"private", "no-store"} <= set(pdf["Cache-Control"].split(", "))
    assert 'filename="payslip-2026-11-01.pdf"' in pdf["Content-Disposition"]
    text = _pdf_text(pdf.content)
    assert "PHP 25,000.00" in text and "PHP 1,250.00" in text and "PHP 23,750.00" in text
    assert r"Csr \(csr\)" in text and "Nov 2026" in text  # parentheses escaped in PDF text


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
