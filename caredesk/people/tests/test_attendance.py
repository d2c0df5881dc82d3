from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.people.models import Attendance, OvertimeRequest
from caredesk.people.policy import pay_period

pytestmark = pytest.mark.django_db


def test_clock_in_then_out_once_per_state(api_for, csr):
    api = api_for(csr)
    first = api.post("/api/v1/me/clock-in")
    assert first.status_code == 200, first.content
    assert first.json()["clocked_in"] is True
    assert first.json()["actions"]["clock_in"]["allowed"] is False
    again = api.post("/api/v1/me/clock-in")
    assert again.status_code == 409
    assert "clocked in already" in again.json()["detail"]
    out = api.post("/api/v1/me/clock-out")
    assert out.status_code == 200
    assert out.json()["clocked_in"] is False
    assert api.post("/api/v1/me/clock-out").json()["code"] == "not_clocked_in"
    assert Attendance.objects.filter(user=csr).count() == 1
    actions = list(
        Event.objects.filter(action__startswith="attendance.").order_by("seq").values_list("action")
    )
    assert actions == [("attendance.clocked_in",), ("attendance.clocked_out",)]


def test_manager_closes_a_forgotten_clock_out_with_a_note(web_for, csr, manager):
    shift = Attendance.objects.create(user=csr, clock_in_at=timezone.now() - timedelta(hours=20))
    left = timezone.localtime(shift.clock_in_at + timedelta(hours=9))
    client = web_for(manager)
    page = client.get("/people/team/")
    assert b"over 12 h" in page.content
    refused = client.post(
        f"/people/shifts/{shift.pk}/close/", {"clock_out_at": left.strftime("%Y-%m-%dT%H:%M")}
    )
    assert refused.status_code == 302
    shift.refresh_from_db()
    assert shift.clock_out_at is None
    client.post(
        f"/people/shifts/{shift.pk}/close/",
        {"clock_out_at": left.strftime("%Y-%m-%dT%H:%M"), "note": "Forgot; left at 6pm"},
    )
    shift.refresh_from_db()
    assert shift.closed_by == manager and shift.close_note == "Forgot; left at 6pm"
    assert Decimal("8.98") <= shift.hours <= Decimal("9.00")
    event = Event.objects.get(action="attendance.closed_by_manager")
    assert event.reason == "Forgot; left at 6pm"


def test_csr_cannot_close_someone_elses_shift(web_for, csr, finance):
    shift = Attendance.objects.create(user=finance)
    response = web_for(csr).post(f"/people/shifts/{shift.pk}/close/", {})
    assert response.status_code == 403


def test_overtime_request_and_manager_approval_show_on_the_timesheet(api_for, csr, manager):
    today = timezone.localdate()
    created = api_for(csr).post(
        "/api/v1/me/overtime", json={"date": str(today), "hours": "2.5", "reason": "Inventory"}
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    assert created.json()["actions"]["decide"]["allowed"] is False

    own = api_for(csr).post(f"/api/v1/overtime/{item_id}/decision", json={"approved": True})
    assert own.status_code == 403

    decided = api_for(manager).post(
        f"/api/v1/overtime/{item_id}/decision", json={"approved": True, "note": "Thanks"}
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved"
    twice = api_for(manager).post(
        f"/api/v1/overtime/{item_id}/decision", json={"approved": False, "note": "no"}
    )
    assert twice.status_code == 409

    sheet = api_for(csr).get("/api/v1/me/attendance").json()
    assert sheet["approved_overtime_hours"] == "2.50"
    assert sheet["period_start"] == str(pay_period(today).start)


def test_refusal_needs_a_note(api_for, csr, manager):
    item = OvertimeRequest.objects.create(user=csr, date=timezone.localdate(), hours=1, reason="x")
    response = api_for(manager).post(
        f"/api/v1/overtime/{item.pk}/decision", json={"approved": False}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "note"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"date": "2026-11-30", "hours": "0", "reason": "x"}, "hours"),
        ({"date": "2026-11-30", "hours": "13", "reason": "x"}, "hours"),
        ({"date": "2020-01-01", "hours": "1", "reason": "x"}, "date"),
        ({"date": "2026-11-30", "hours": "1", "reason": "x", "extra": 1}, "extra"),
    ],
)
def test_bad_overtime_is_refused_with_the_field(api_for, csr, body, field):
    body = {**body}
    if body["date"] == "2026-11-30":
        body["date"] = str(timezone.localdate())
    response = api_for(csr).post("/api/v1/me/overtime", json=body)
    assert response.status_code in (400, 422)
    assert field in response.content.decode()


def test_pay_periods_are_half_months():
    from datetime import date

    assert pay_period(date(2026, 2, 20)).end == date(2026, 2, 28)
    assert pay_period(date(2026, 2, 3)).start == date(2026, 2, 1)
    assert pay_period(date(2026, 3, 1)).previous().start == date(2026, 2, 16)


def test_timesheet_page_and_clock_from_the_page(web_for, installer, django_assert_max_num_queries):
    client = web_for(installer)
    client.post("/people/attendance/clock/", {"action": "in"})
    with django_assert_max_num_queries(12):
        page = client.get("/people/attendance/")
    assert page.status_code == 200
    assert b"Clock out" in page.content


def test_attendance_api_reads_a_past_period_and_refuses_a_bad_one(api_for, csr):
    api = api_for(csr)
    current = pay_period(timezone.localdate())
    past = current.previous()
    morning = timezone.make_aware(datetime.combine(past.start, time(9, 0)))
    Attendance.objects.create(
        user=csr, clock_in_at=morning, clock_out_at=morning + timedelta(hours=8)
    )
    sheet = api.get(f"/api/v1/me/attendance?period={past.key}").json()
    assert sheet["period_start"] == past.key and sheet["worked_hours"] == "8.00"
    assert len(sheet["shifts"]) == 1
    assert api.get("/api/v1/me/attendance").json()["shifts"] == []
    for bad in ("2026-11-03", "yesterday"):
        refused = api.get(f"/api/v1/me/attendance?period={bad}")
        assert refused.status_code == 400 and refused.json()["field"] == "period"


def test_manager_closes_a_forgotten_clock_out_through_the_api(api_for, csr, manager, hr):
    shift = Attendance.objects.create(user=csr, clock_in_at=timezone.now() - timedelta(hours=20))
    listed = api_for(manager).get("/api/v1/shifts/open").json()
    assert listed["count"] == 1 and listed["results"][0]["user"] == "csr"
    assert listed["results"][0]["actions"]["close"]["allowed"] is True
    left = timezone.localtime(shift.clock_in_at + timedelta(hours=8))
    path = f"/api/v1/shifts/{shift.pk}/close"
    no_note = api_for(manager).post(path, json={"clock_out_at": left.isoformat(), "note": " "})
    assert no_note.status_code == 400 and no_note.json()["field"] == "note"
    future = api_for(manager).post(
        path,
        json={"clock_out_at": (timezone.now() + timedelta(hours=1)).isoformat(), "note": "x"},
    )
    assert future.status_code == 400 and future.json()["field"] == "clock_out_at"
    assert (
        api_for(csr).post(path, json={"clock_out_at": left.isoformat(), "note": "x"}).status_code
        == 403
    )
    # A time without a zone is read as the workspace's local time.
    closed = api_for(manager).post(
        path, json={"clock_out_at": left.replace(tzinfo=None).isoformat(), "note": "Left at 5"}
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["closed_by_manager"] is True and closed.json()["note"] == "Left at 5"
    assert closed.json()["hours"] == "8.00"
    twice = api_for(hr).post(path, json={"clock_out_at": left.isoformat(), "note": "again"})
    assert twice.status_code == 409 and twice.json()["code"] == "closed"
    sheet = api_for(csr).get("/api/v1/me/attendance").json()
    assert sheet["clocked_in"] is False
