"""Pickup/delivery windows: the page every agent reads, and capacity/removal by managers."""

import datetime

import pytest
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.orders.models import PickupWindow

pytestmark = pytest.mark.django_db


def _window(zone, days=2, hour=9, capacity=3, booked=0):
    return PickupWindow.objects.create(
        zone=zone,
        date=timezone.localdate() + datetime.timedelta(days=days),
        starts_at=datetime.time(hour),
        ends_at=datetime.time(hour + 3),
        capacity=capacity,
        booked=booked,
    )


def test_page_lists_coming_windows_read_only_for_csr(
    web_for, csr, zone, django_assert_max_num_queries
):
    _window(zone, days=-1)  # past: not listed by default
    soon = _window(zone, days=1, booked=3)
    later = _window(zone, days=4, hour=13)
    client = web_for(csr)
    client.get("/orders/windows/")
    with django_assert_max_num_queries(20) as few:
        html = client.get("/orders/windows/").content.decode()
    for days in range(5, 10):
        _window(zone, days=days)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/orders/windows/")
    assert html.index(soon.date.strftime("%-d %b")) < html.index(later.date.strftime("%-d %b"))
    assert "Full" in html and "3 free" in html
    assert "Open a window" not in html and 'name="capacity"' not in html
    free = client.get("/orders/windows/?free=1").content.decode()
    assert soon.date.strftime("%a %-d %b %Y") not in free
    assert client.post("/orders/windows/", {}).status_code == 403
    assert client.post(f"/orders/windows/{later.pk}/", {"capacity": 5}).status_code == 403


def test_manager_opens_a_window_and_bad_input_is_shown(web_for, manager, zone):
    client = web_for(manager)
    day = timezone.localdate() + datetime.timedelta(days=3)
    form = {"zone": zone.code, "date": day, "starts_at": "09:00", "ends_at": "12:00"}
    r = client.post("/orders/windows/", {**form, "capacity": 2})
    assert r.status_code == 302
    window = PickupWindow.objects.get()
    assert (window.capacity, window.starts_at) == (2, datetime.time(9))
    assert Event.objects.filter(action="pickup_window.created").count() == 1
    r = client.post("/orders/windows/", {**form, "ends_at": "08:00", "capacity": 2})
    assert r.status_code == 400 and "must end after it starts" in r.content.decode()
    r = client.post("/orders/windows/", {**form, "capacity": 2})
    assert r.status_code == 400 and "already has a window" in r.content.decode()
    r = client.post("/orders/windows/", {**form, "capacity": 99})
    assert r.status_code == 400
    assert PickupWindow.objects.count() == 1


def test_capacity_never_below_booked_and_booked_windows_stay(web_for, manager, zone):
    window = _window(zone, booked=2, capacity=3)
    client = web_for(manager)
    url = f"/orders/windows/{window.pk}/"
    r = client.post(url, {"capacity": 1, "action": "capacity"}, follow=True)
    assert "2 orders already hold this window" in r.content.decode()
    r = client.post(url, {"action": "remove"}, follow=True)
    assert "cannot be removed" in r.content.decode()
    client.post(url, {"capacity": 6, "action": "capacity"})
    window.refresh_from_db()
    assert window.capacity == 6
    event = Event.objects.get(action="pickup_window.capacity_changed")
    assert (event.before, event.after) == ({"capacity": 3}, {"capacity": 6})
    unused = _window(zone, hour=14)
    client.post(f"/orders/windows/{unused.pk}/", {"action": "remove"})
    assert not PickupWindow.objects.filter(pk=unused.pk).exists()
    assert Event.objects.filter(action="pickup_window.removed").count() == 1


def test_api_changes_capacity_and_removes(api_for, manager, csr, zone):
    manager_api, csr_api = api_for(manager), api_for(csr)
    window = _window(zone, booked=1, capacity=3)
    url = f"/api/v1/pickup-windows/{window.pk}"
    assert csr_api.patch(url, json={"capacity": 5}).status_code == 403
    r = manager_api.patch(url, json={"capacity": 0})
    assert r.status_code == 422 and r.json()["field"] == "capacity"
    r = manager_api.patch(url, json={"capacity": "many"})
    assert r.status_code == 422
    r = manager_api.patch(url, json={"capacity": 4})
    assert r.status_code == 200 and r.json()["free"] == 3
    r = manager_api.delete(url)
    assert r.status_code == 409 and r.json()["code"] == "window_booked"
    unused = _window(zone, hour=15)
    assert manager_api.delete(f"/api/v1/pickup-windows/{unused.pk}").status_code == 204
    assert manager_api.delete(f"/api/v1/pickup-windows/{unused.pk}").status_code == 404
