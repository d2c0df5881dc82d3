"""Business calendars per branch: services (permission, version, events, bad input), the SLA
deadline of a ticket counted over its branch's calendar, the settings page and the API."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.inbox import services
from caredesk.inbox.models import BusinessHours, Holiday
from caredesk.inbox.services import calendar
from caredesk.inbox.sla import calendar_for
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, NotFound, StaleVersion
from caredesk.lib.events import describe

pytestmark = pytest.mark.django_db

MNL = ZoneInfo("Asia/Manila")
T = dt.time


def _issue(actor, branch, priority="urgent"):
    return services.ticket_create(
        actor=actor,
        kind="issue",
        subject="Till is down",
        body="Since opening",
        source="staff",
        priority=priority,
        branch=branch,
    )


def test_a_branch_calendar_sets_the_deadline_of_its_tickets_only(
    admin, csr, cebu, davao, monkeypatch
):
    # Cebu opens 07:00-11:00 on weekdays; Davao keeps the default Mon-Sat 09:00-18:00.
    calendar.calendar_hours_set(
        actor=admin,
        branch=cebu,
        week={d: [(T(7), T(11))] for d in range(5)},
        expected_version=1,
    )
    monday_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=MNL)
    monkeypatch.setattr(timezone, "now", lambda: monday_10)
    at_cebu, at_davao, nowhere = _issue(csr, cebu), _issue(csr, davao), _issue(csr, None)
    # Urgent: 4 business hours.
    assert at_cebu.due_at == dt.datetime(2026, 12, 1, 10, 0, tzinfo=MNL)  # 1 h Mon, 3 h Tue
    assert at_davao.due_at == dt.datetime(2026, 11, 30, 14, 0, tzinfo=MNL)
    assert nowhere.due_at == at_davao.due_at  # no branch: the default calendar


def test_holidays_of_a_branch_and_of_every_branch(admin, csr, cebu, davao, monkeypatch):
    calendar.calendar_holiday_add(
        actor=admin, branch=cebu, day="2026-12-01", name="Cebu fiesta", expected_version=None
    )
    calendar.calendar_holiday_add(
        actor=admin, branch=None, day=dt.date(2026, 12, 2), name="Company day", expected_version=1
    )
    monday_4pm = dt.datetime(2026, 11, 30, 16, 0, tzinfo=MNL)
    monkeypatch.setattr(timezone, "now", lambda: monday_4pm)
    # Urgent, 4 h: 2 h on Monday, then Cebu skips Tue (its fiesta) and Wed (every branch).
    assert _issue(csr, cebu).due_at == dt.datetime(2026, 12, 3, 11, 0, tzinfo=MNL)
    assert _issue(csr, davao).due_at == dt.datetime(2026, 12, 1, 11, 0, tzinfo=MNL)
    assert calendar_for(davao).holidays == frozenset({dt.date(2026, 12, 2)})
    assert calendar_for(cebu).holidays == frozenset({dt.date(2026, 12, 1), dt.date(2026, 12, 2)})


def test_a_branch_without_hours_of_its_own_uses_the_default_hours(admin, cebu):
    calendar.calendar_hours_set(
        actor=admin, branch=None, week={0: [(T(8), T(12)), (T(13), T(17))]}, expected_version=1
    )
    assert calendar_for(cebu).hours == {0: ((T(8), T(12)), (T(13), T(17)))}
    view = calendar.calendar_view(cebu)
    assert not view.own_hours and view.hours == {0: [(T(8), T(12)), (T(13), T(17))]}
    calendar.calendar_hours_set(
        actor=admin, branch=cebu, week={5: [(T(10), T(14))]}, expected_version=1
    )
    assert calendar_for(cebu).hours == {5: ((T(10), T(14)),)}
    calendar.calendar_hours_set(actor=admin, branch=cebu, week={}, expected_version=2)
    assert calendar_for(cebu).hours == {0: ((T(8), T(12)), (T(13), T(17)))}  # default again
    assert not BusinessHours.objects.filter(branch=cebu).exists()


def test_every_change_is_a_readable_event_and_bumps_the_version(admin, cebu):
    calendar.calendar_hours_set(
        actor=admin, branch=cebu, week={0: [(T(9), T(17))]}, expected_version=1
    )
    calendar.calendar_holiday_add(
        actor=admin, branch=cebu, day="2026-12-08", name="Feast", expected_version=2
    )
    calendar.calendar_holiday_remove(actor=admin, branch=cebu, day="2026-12-08", expected_version=3)
    assert calendar.calendar_view(cebu).version == 4
    events = list(Event.objects.filter(action__startswith="calendar.").order_by("seq"))
    assert [e.action for e in events] == [
        "calendar.hours_changed",
        "calendar.holiday_added",
        "calendar.holiday_removed",
    ]
    texts = [describe(e) for e in events]
    assert texts[0].startswith("Business hours of branch CEB changed")
    assert "Monday 09:00 to 17:00" in texts[0]
    none_open = "no open ticket's deadline to move"
    assert texts[1] == f"Holiday Feast on Tue 8 Dec 2026 added to branch CEB; {none_open}"
    assert texts[2] == f"Holiday Feast on Tue 8 Dec 2026 removed from branch CEB; {none_open}"
    assert all(e.actor_id == admin.pk for e in events)


def test_a_stale_version_is_refused_naming_who_changed_it(admin, cebu):
    calendar.calendar_hours_set(
        actor=admin, branch=cebu, week={0: [(T(9), T(17))]}, expected_version=1
    )
    with pytest.raises(StaleVersion, match="Calendar of CEB was changed by"):
        calendar.calendar_hours_set(
            actor=admin, branch=cebu, week={0: [(T(8), T(17))]}, expected_version=1
        )
    with pytest.raises(StaleVersion):
        calendar.calendar_holiday_add(
            actor=admin, branch=cebu, day="2026-12-08", name="Feast", expected_version=1
        )
    assert BusinessHours.objects.get(branch=cebu).opens == T(9)
    assert not Holiday.objects.exists()


def test_only_administrators_change_calendars(csr, manager, cebu):
    for actor in (csr, manager):
        with pytest.raises(NotAllowed):
            calendar.calendar_hours_set(
                actor=actor, branch=cebu, week={0: [(T(9), T(17))]}, expected_version=None
            )
        with pytest.raises(NotAllowed):
            calendar.calendar_holiday_add(
                actor=actor, branch=None, day="2026-12-25", name="Xmas", expected_version=None
            )
    assert not BusinessHours.objects.exists() and not Holiday.objects.exists()


@pytest.mark.parametrize(
    "week, message",
    [
        ({0: [(T(18), T(9))]}, "Monday: closing must be after opening"),
        ({2: [(T(9), T(13)), (T(12), T(18))]}, "Wednesday: opening periods overlap"),
        ({1: [(T(7), T(8)), (T(9), T(10)), (T(11), T(12)), (T(13), T(14))]}, "at most 3"),
        ({7: [(T(9), T(10))]}, "Weekdays are 0"),
        ({}, "must open at least one day"),
    ],
)
def test_bad_hours_are_refused_and_nothing_changes(admin, week, message):
    with pytest.raises(Invalid, match=message):
        calendar.calendar_hours_set(actor=admin, branch=None, week=week, expected_version=None)
    assert not BusinessHours.objects.exists()
    assert not Event.objects.filter(action__startswith="calendar.").exists()


def test_bad_holidays_are_refused(admin, cebu):
    add = calendar.calendar_holiday_add
    far = dt.date.today().year + 10
    with pytest.raises(Invalid, match="YYYY-MM-DD"):
        add(actor=admin, branch=cebu, day="25/12/2026", name="Xmas", expected_version=None)
    with pytest.raises(Invalid, match="between 2000 and"):
        add(actor=admin, branch=cebu, day=f"{far}-12-25", name="Xmas", expected_version=None)
    with pytest.raises(Invalid, match="name"):
        add(actor=admin, branch=cebu, day="2026-12-25", name="  ", expected_version=None)
    add(actor=admin, branch=cebu, day="2026-12-25", name="Christmas", expected_version=None)
    with pytest.raises(Conflict, match="already a holiday"):
        add(actor=admin, branch=cebu, day="2026-12-25", name="Xmas", expected_version=None)
    add(actor=admin, branch=None, day="2026-12-25", name="Christmas", expected_version=None)
    with pytest.raises(NotFound):
        calendar.calendar_holiday_remove(
            actor=admin, branch=cebu, day="2026-12-26", expected_version=None
        )
    assert Holiday.objects.count() == 2


# --- The settings page -----------------------------------------------------------------------


def test_admin_keeps_a_branch_calendar_on_the_settings_page(
    admin, web_for, cebu, django_assert_max_num_queries
):
    client = web_for(admin)
    response = client.post(
        "/inbox/settings",
        {
            "op": "hours",
            "calendar": "CEB",
            "version": "1",
            "opens_0_0": "08:00",
            "closes_0_0": "12:00",
            "opens_0_1": "13:00",
            "closes_0_1": "17:00",
            "opens_5_0": "09:00",
            "closes_5_0": "12:00",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?calendar=CEB#hours-h")
    assert calendar_for(cebu).hours == {0: ((T(8), T(12)), (T(13), T(17))), 5: ((T(9), T(12)),)}
    client.post(
        "/inbox/settings",
        {
            "op": "holiday_add",
            "calendar": "CEB",
            "version": "2",
            "date": "2026-12-08",
            "name": "Cebu fiesta",
        },
    )
    assert Holiday.objects.get(branch=cebu).name == "Cebu fiesta"
    client.post(
        "/inbox/settings",
        {"op": "holiday_add", "calendar": "", "date": "2026-12-25", "name": "Christmas"},
    )
    with django_assert_max_num_queries(14):
        page = client.get("/inbox/settings?calendar=CEB").content.decode()
    assert 'value="13:00"' in page and "Cebu fiesta" in page
    assert "Also closed on the holidays of every branch: Fri 25 Dec 2026 Christmas" in page
    assert "Last changed" in page
    default = client.get("/inbox/settings").content.decode()
    assert "Christmas" in default and "Cebu fiesta" not in default
    client.post(
        "/inbox/settings",
        {"op": "holiday_remove", "calendar": "CEB", "version": "3", "date": "2026-12-08"},
    )
    assert not Holiday.objects.filter(branch=cebu).exists()
    client.post(
        "/inbox/settings",
        {
            "op": "hours",
            "calendar": "CEB",
            "version": "4",
            "use_default": "1",
            "opens_0_0": "08:00",
            "closes_0_0": "9:00",
        },
    )
    assert not BusinessHours.objects.filter(branch=cebu).exists()


@pytest.mark.parametrize(
    "post, message",
    [
        ({"opens_0_0": "08:00"}, "Monday: give both the opening and the closing time"),
        ({"opens_0_0": "8 am", "closes_0_0": "17:00"}, "give times as HH:MM"),
        ({"opens_3_0": "17:00", "closes_3_0": "08:00"}, "Thursday: closing must be after"),
        ({"opens_0_0": "08:00", "closes_0_0": "17:00", "version": "7"}, "reload"),
    ],
)
def test_bad_hours_on_the_page_say_why_and_change_nothing(admin, web_for, cebu, post, message):
    client = web_for(admin)
    response = client.post(
        "/inbox/settings", {"op": "hours", "calendar": "CEB", "version": "1", **post}, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BusinessHours.objects.exists()


def test_an_unknown_branch_calendar_is_not_found(admin, web_for):
    assert web_for(admin).get("/inbox/settings?calendar=XYZ").status_code == 404


# --- The API ---------------------------------------------------------------------------------


def test_calendar_api_reads_and_changes_hours_with_if_match(api_for, admin, cebu):
    api = api_for(admin)
    got = api.get("/api/v1/calendars/CEB")
    assert got.status_code == 200 and got["ETag"] == '"1"'
    body = got.json()
    assert body["branch"] == "CEB" and body["own_hours"] is False and body["version"] == 1
    assert body["hours"][0] == {"weekday": 0, "day": "Monday", "opens": "09:00", "closes": "18:00"}
    assert body["actions"]["edit"]["allowed"] is True
    week = {"hours": [{"weekday": 6, "opens": "10:00", "closes": "15:00"}]}
    assert api.request("PUT", "/api/v1/calendars/CEB/hours", json=week).status_code == 428
    changed = api.request(
        "PUT", "/api/v1/calendars/CEB/hours", json=week, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["hours"] == [
        {"weekday": 6, "day": "Sunday", "opens": "10:00", "closes": "15:00"}
    ]
    assert changed["ETag"] == '"2"' and changed.json()["own_hours"] is True
    stale = api.request(
        "PUT", "/api/v1/calendars/CEB/hours", json=week, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412


def test_calendar_api_adds_and_removes_holidays(api_for, admin, cebu):
    api = api_for(admin)
    added = api.post(
        "/api/v1/calendars/default/holidays", json={"date": "2026-12-25", "name": "Christmas"}
    )
    assert added.status_code == 201, added.content
    assert added.json()["holidays"] == [
        {"date": "2026-12-25", "name": "Christmas", "every_branch": True}
    ]
    api.post("/api/v1/calendars/ceb/holidays", json={"date": "2026-12-08", "name": "Fiesta"})
    body = api.get("/api/v1/calendars/CEB").json()
    assert [(h["name"], h["every_branch"]) for h in body["holidays"]] == [
        ("Fiesta", False),
        ("Christmas", True),
    ]
    again = api.post("/api/v1/calendars/CEB/holidays", json={"date": "2026-12-08", "name": "x"})
    assert again.status_code == 409
    removed = api.delete("/api/v1/calendars/CEB/holidays/2026-12-08", headers={"If-Match": '"2"'})
    assert removed.status_code == 200, removed.content
    assert [h["name"] for h in removed.json()["holidays"]] == ["Christmas"]
    assert api.delete("/api/v1/calendars/CEB/holidays/2026-12-08").status_code == 404
    assert api.delete("/api/v1/calendars/CEB/holidays/not-a-date").status_code == 400


@pytest.mark.parametrize(
    "path, payload, status",
    [
        ("/api/v1/calendars/XYZ/hours", {"hours": []}, 404),
        ("/api/v1/calendars/default/hours", {"hours": []}, 400),
        (
            "/api/v1/calendars/CEB/hours",
            {"hours": [{"weekday": 7, "opens": "09:00", "closes": "10:00"}]},
            422,
        ),
        (
            "/api/v1/calendars/CEB/hours",
            {"hours": [{"weekday": 1, "opens": "9am", "closes": "10:00"}]},
            422,
        ),
        (
            "/api/v1/calendars/CEB/hours",
            {"hours": [{"weekday": 1, "opens": "11:00", "closes": "10:00"}]},
            400,
        ),
        ("/api/v1/calendars/CEB/hours", {"hours": [], "extra": 1}, 422),
    ],
)
def test_calendar_api_refuses_bad_input(api_for, admin, cebu, path, payload, status):
    response = api_for(admin).request("PUT", path, json=payload, headers={"If-Match": '"1"'})
    assert response.status_code == status, response.content
    assert "detail" in response.json()
    assert not BusinessHours.objects.exists()


def test_csrs_read_calendars_but_do_not_change_them(api_for, csr, cebu):
    api = api_for(csr)
    body = api.get("/api/v1/calendars/CEB").json()
    assert body["actions"]["edit"]["allowed"] is False
    denied = api.post("/api/v1/calendars/CEB/holidays", json={"date": "2026-12-08", "name": "x"})
    assert denied.status_code == 403


# --- Positions and SLA targets -----------------------------------------------------------------


def test_positions_and_sla_targets_go_through_services_with_events(admin, cebu):
    from caredesk.inbox.models import SlaTarget
    from caredesk.inbox.services import settings as inbox_settings

    SlaTarget.objects.filter(kind="issue", priority="low").delete()  # seeded: start without
    position = inbox_settings.position_add(actor=admin, title="  Field   technician ", branch=cebu)
    assert position.title == "Field technician"
    assert not inbox_settings.position_toggle(actor=admin, position=position).active
    changed = inbox_settings.sla_targets_set(
        actor=admin, targets={("complaint", "urgent"): 2, ("issue", "low"): 100}
    )
    assert changed == 2
    assert inbox_settings.sla_targets_set(actor=admin, targets={("complaint", "urgent"): 2}) == 0
    inbox_settings.sla_targets_set(actor=admin, targets={("complaint", "urgent"): 3})
    assert SlaTarget.objects.get(kind="complaint", priority="urgent").hours == 3
    texts = [describe(e) for e in Event.objects.filter(action__startswith="inbox.").order_by("seq")]
    assert texts == [
        "Position Field technician opened at CEB",
        "Position Field technician closed",
        "SLA target of Complaint, urgent: 4 h → 2 business hours",
        "SLA target of Internal issue, low: 100 business hours",
        "SLA target of Complaint, urgent: 2 h → 3 business hours",
    ]


def test_bad_settings_are_refused_and_only_admins_keep_them(admin, csr):
    from caredesk.inbox.models import Position, SlaTarget
    from caredesk.inbox.services import settings as inbox_settings

    with pytest.raises(Invalid, match="title"):
        inbox_settings.position_add(actor=admin, title="   ")
    with pytest.raises(Invalid, match="from 1 to 2000"):
        inbox_settings.sla_targets_set(actor=admin, targets={("complaint", "low"): 0})
    with pytest.raises(Invalid, match="Unknown kind"):
        inbox_settings.sla_targets_set(actor=admin, targets={("refund", "low"): 5})
    with pytest.raises(NotAllowed):
        inbox_settings.position_add(actor=csr, title="Driver")
    seeded = SlaTarget.objects.get(kind="complaint", priority="low").hours
    with pytest.raises(NotAllowed):
        inbox_settings.sla_targets_set(actor=csr, targets={("complaint", "low"): seeded + 1})
    assert not Position.objects.exists()
    assert SlaTarget.objects.get(kind="complaint", priority="low").hours == seeded
    assert not Event.objects.filter(action__startswith="inbox.").exists()


def test_bad_settings_on_the_page_say_why(admin, web_for):
    client = web_for(admin)
    answer = client.post("/inbox/settings", {"op": "sla", "sla_complaint_low": "abc"}, follow=True)
    assert "SLA hours are whole numbers from 1 to 2000." in answer.content.decode()
    answer = client.post("/inbox/settings", {"op": "position_toggle", "id": "x"}, follow=True)
    assert "No such position." in answer.content.decode()
    answer = client.post("/inbox/settings", {"op": "nonsense"}, follow=True)
    assert "Unknown change." in answer.content.decode()
