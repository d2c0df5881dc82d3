import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.delivery import services
from caredesk.delivery.models import Run, Stop, StopEvent
from caredesk.orders.models import Order, Status

pytestmark = pytest.mark.django_db


def _events() -> int:
    return Event.objects.count()


def test_manager_creates_run_csr_may_not(api_for, manager, csr, installer, branch, tomorrow):
    body = {"date": str(tomorrow), "branch": "MNL", "vehicle": "TRK-9", "crew": ["installer"]}
    assert api_for(csr).post("/api/v1/runs", json=body).status_code == 403
    r = api_for(manager).post("/api/v1/runs", json=body)
    assert r.status_code == 201, r.content
    data = r.json()
    assert (data["status"], data["stops"], data["version"]) == ("planned", [], 1)
    assert data["crew"] == ["installer"]
    listed = api_for(csr).get(f"/api/v1/runs?date={tomorrow}&branch=MNL").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == data["id"]


def test_unknown_field_is_refused(api_for, manager, branch, tomorrow):
    body = {"date": str(tomorrow), "branch": "MNL", "vehicle": "T", "crew": [], "colour": "red"}
    r = api_for(manager).post("/api/v1/runs", json=body)
    assert r.status_code == 422 and "colour" in r.content.decode()


def test_add_stop_and_refusals_write_nothing(api_for, csr, run, make_ready_order):
    api = api_for(csr)
    order = make_ready_order()
    r = api.post(f"/api/v1/runs/{run.pk}/stops", json={"order": order.number})
    assert r.status_code == 201, r.content
    stop = r.json()
    assert stop["order"] == order.number and stop["sequence"] == 1
    assert stop["amount_to_collect"] == str(order.balance_due)
    assert stop["phone"] and stop["address"]

    before = (_events(), Stop.objects.count(), Run.objects.get().version)
    again = api.post(f"/api/v1/runs/{run.pk}/stops", json={"order": order.number})
    assert again.status_code == 409 and again.json()["code"] == "already_on_run"
    pending = make_ready_order(status=Status.PENDING)
    before = (_events(), Stop.objects.count(), Run.objects.get().version)
    r = api.post(f"/api/v1/runs/{run.pk}/stops", json={"order": pending.number})
    assert r.status_code == 409 and r.json()["code"] == "order_not_ready"
    assert "pending" in r.json()["detail"]
    assert (_events(), Stop.objects.count(), Run.objects.get().version) == before

    other_day = make_ready_order(scheduled=run.date + datetime.timedelta(days=2))
    r = api.post(f"/api/v1/runs/{run.pk}/stops", json={"order": other_day.number})
    assert r.status_code == 409 and r.json()["code"] == "date_mismatch"
    r = api.post(f"/api/v1/runs/{run.pk}/stops", json={"order": other_day.number, "set_date": True})
    assert r.status_code == 201
    assert Order.objects.get(pk=other_day.pk).scheduled_delivery_on == run.date


def test_installer_may_not_plan(api_for, installer, run, make_ready_order):
    order = make_ready_order()
    r = api_for(installer).post(f"/api/v1/runs/{run.pk}/stops", json={"order": order.number})
    assert r.status_code == 403 and not Stop.objects.exists()


def test_sequence_needs_current_version(api_for, csr, run, make_ready_order):
    api = api_for(csr)
    a = services.stop_add(actor=csr, run=run, order=make_ready_order())
    b = services.stop_add(actor=csr, run=run, order=make_ready_order())
    got = api.get(f"/api/v1/runs/{run.pk}")
    etag = got["ETag"]
    assert [s["id"] for s in got.json()["stops"]] == [a.pk, b.pk]
    url = f"/api/v1/runs/{run.pk}/sequence"
    assert api.post(url, json={"stops": [b.pk, a.pk]}).status_code == 428
    r = api.post(url, json={"stops": [b.pk, a.pk]}, headers={"If-Match": etag})
    assert r.status_code == 200 and [s["id"] for s in r.json()["stops"]] == [b.pk, a.pk]
    events = _events()
    stale = api.post(url, json={"stops": [a.pk, b.pk]}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.json()["code"]
    assert list(Stop.objects.order_by("sequence").values_list("pk", flat=True)) == [b.pk, a.pk]
    assert _events() == events


def test_route_suggestion_writes_nothing(api_for, csr, run, make_ready_order):
    for lat, lng in ((14.70, 121.05), (14.60, 120.99), (14.66, 121.02)):
        services.stop_add(actor=csr, run=run, order=make_ready_order(lat=lat, lng=lng))
    api = api_for(csr)
    run.refresh_from_db()
    version, events = run.version, _events()
    r = api.post(f"/api/v1/runs/{run.pk}/route-suggestion")
    assert r.status_code == 200, r.content
    data = r.json()
    assert len(data["stops"]) == 3
    assert data["distance_km_after"] <= data["distance_km_before"]
    run.refresh_from_db()
    assert (run.version, _events()) == (version, events)


def test_stop_events_crew_only_and_replay_safe(
    api_for, csr, installer, manager, run, make_ready_order, staff_factory, a_moment_ago
):
    order = make_ready_order()
    stop = services.stop_add(actor=csr, run=run, order=order)
    url = f"/api/v1/stops/{stop.pk}/events"
    other = api_for(staff_factory("other-installer", "installer"))
    as_csr, crew = api_for(csr), api_for(installer)
    events = _events()
    r = other.post(url, json={"type": "arrived"}, headers={"Idempotency-Key": "x1"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert as_csr.post(url, json={"type": "arrived"}).status_code == 403
    assert (_events(), StopEvent.objects.count()) == (events, 0)

    at = a_moment_ago.isoformat()
    body = {"type": "delivered", "recipient": "Ana Reyes", "at": at}
    first = crew.post(url, json=body, headers={"Idempotency-Key": "dev-1"})
    assert first.status_code == 201, first.content
    events = _events()
    replay = crew.post(url, json=body, headers={"Idempotency-Key": "dev-1"})
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert (_events(), StopEvent.objects.count()) == (events, 1)
    reused = crew.post(
        url, json={"type": "failed", "reason": "not_home"}, headers={"Idempotency-Key": "dev-1"}
    )
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    assert Order.objects.get(pk=order.pk).status == Status.DELIVERED

    # Managers act on any run's stops.
    second = services.stop_add(actor=csr, run=run, order=make_ready_order())
    r = api_for(manager).post(
        f"/api/v1/stops/{second.pk}/events", json={"type": "failed", "reason": "no_access"}
    )
    assert r.status_code == 201 and r.json()["status"] == "failed"


def test_failed_needs_a_listed_reason(api_for, csr, installer, run, make_ready_order):
    stop = services.stop_add(actor=csr, run=run, order=make_ready_order())
    r = api_for(installer).post(
        f"/api/v1/stops/{stop.pk}/events", json={"type": "failed", "reason": "aliens"}
    )
    assert r.status_code == 400 and r.json()["field"] == "reason"
    assert Stop.objects.get(pk=stop.pk).status == "pending"


def test_schedule_exceptions(api_for, csr, installer, run, make_ready_order, tomorrow):
    on_run = make_ready_order()
    services.stop_add(actor=csr, run=run, order=on_run)
    loose = make_ready_order()
    undated = make_ready_order(status=Status.PENDING, scheduled=None)
    late = make_ready_order(scheduled=timezone.localdate() - datetime.timedelta(days=2))
    api = api_for(csr)
    r = api.get("/api/v1/schedule/exceptions?branch=MNL")
    assert r.status_code == 200
    rows = {(x["order"], x["reason"]) for x in r.json()["results"]}
    assert (loose.number, "no_run") in rows
    assert (undated.number, "no_date") in rows
    assert (late.number, "past_requested") in rows
    assert not [x for x in rows if x[0] == on_run.number]
    assert r.json()["count"] == len(r.json()["results"])
    dated = api.get(f"/api/v1/schedule/exceptions?date={tomorrow}&reason=no_run").json()
    assert {x["order"] for x in dated["results"]} == {loose.number}
    assert api.get("/api/v1/schedule/exceptions?reason=bogus").status_code == 400


def test_run_detail_query_count_is_flat(api_for, csr, run, make_ready_order):
    api = api_for(csr)
    services.stop_add(actor=csr, run=run, order=make_ready_order())
    api.get(f"/api/v1/runs/{run.pk}")
    with CaptureQueriesContext(connection) as few:
        api.get(f"/api/v1/runs/{run.pk}")
    for _ in range(4):
        services.stop_add(actor=csr, run=run, order=make_ready_order())
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(f"/api/v1/runs/{run.pk}").json()["stops"]) == 5
    assert len(many) == len(few)


def test_exception_counts_stop_at_the_cap(api_for, csr, make_ready_order, monkeypatch):
    from caredesk.delivery import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    for _ in range(3):
        make_ready_order()
    assert selectors.exception_counts()["no_run"] == 2  # cap + 1: "more than the cap"
    assert selectors.count_label(2) == "1+"
    r = api_for(csr).get("/api/v1/schedule/exceptions?reason=no_run")
    assert r.json()["count"] == 1 and len(r.json()["results"]) == 1


def test_unknown_event_type_is_refused(api_for, csr, installer, run, make_ready_order):
    stop = services.stop_add(actor=csr, run=run, order=make_ready_order())
    r = api_for(installer).post(f"/api/v1/stops/{stop.pk}/events", json={"type": "teleported"})
    assert r.status_code == 422 and not StopEvent.objects.exists()
