import pytest

from caredesk.audit.models import Event
from caredesk.branches.models import Branch, Zone

pytestmark = pytest.mark.django_db

BRANCH = {
    "code": "ILO",
    "name": "Iloilo",
    "city": "Iloilo City",
    "address": "12 Diversion Rd",
    "tax_id": "123-456-789-000",
    "tax_name": "Caredesk Iloilo Inc.",
    "business_hours": "Mon-Sat 9:00-18:00",
    "depot_latitude": "10.720150",
    "depot_longitude": "122.562108",
}


def test_admin_creates_branch_and_zone_through_the_api(api_for, admin, csr):
    api = api_for(admin)
    created = api.post("/api/v1/branches", json=BRANCH)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["tax_id"] == "123-456-789-000" and body["zones"] == []
    assert body["actions"]["add_zone"]["allowed"] is True
    zone = api.post("/api/v1/branches/ILO/zones", json={"code": "ilo-c", "name": "City proper"})
    assert zone.status_code == 201
    assert zone.json() == {"code": "ILO-C", "name": "City proper"}
    listed = api_for(csr).get("/api/v1/branches").json()
    assert listed["count"] == 1 and listed["results"][0]["zones"][0]["code"] == "ILO-C"
    assert listed["results"][0]["actions"]["edit"]["allowed"] is False
    assert {"branch.created", "zone.created"} <= set(Event.objects.values_list("action", flat=True))


@pytest.mark.parametrize(
    "change, status, field",
    [
        ({"code": "I1"}, 400, "code"),
        ({"depot_latitude": "95"}, 422, "depot_latitude"),
        ({"name": ""}, 400, "name"),
        ({"vat": "12"}, 422, "vat"),
        ({"name": "A\x00"}, 400, "name"),  # refused by the input guard: control_character
    ],
)
def test_bad_branch_input_is_refused(api_for, admin, change, status, field):
    response = api_for(admin).post("/api/v1/branches", json={**BRANCH, **change})
    assert response.status_code == status, response.content
    assert field in response.content.decode()
    assert not Branch.objects.exists()


def test_duplicate_branch_and_zone_are_conflicts(api_for, admin):
    api = api_for(admin)
    api.post("/api/v1/branches", json=BRANCH)
    assert api.post("/api/v1/branches", json=BRANCH).status_code == 409
    api.post("/api/v1/branches/ILO/zones", json={"code": "ILO-C", "name": "x"})
    again = api.post("/api/v1/branches/ILO/zones", json={"code": "ILO-C", "name": "y"})
    assert again.status_code == 409
    assert (
        api.post("/api/v1/branches/XXX/zones", json={"code": "Z", "name": "z"}).status_code == 404
    )


def test_manager_may_not_create_branches(api_for, manager):
    assert api_for(manager).post("/api/v1/branches", json=BRANCH).status_code == 403


def test_branch_pages_add_edit_and_zone(web_for, admin, django_assert_max_num_queries):
    client = web_for(admin)
    response = client.post("/admin/branches/", {**BRANCH, "active": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        "/admin/branches/ILO/",
        {**BRANCH, "code": "CHANGED", "business_hours": "Daily 8-20", "active": "on"},
    )
    assert response.status_code == 302
    branch = Branch.objects.get()
    assert branch.code == "ILO" and branch.business_hours == "Daily 8-20"
    event = Event.objects.get(action="branch.updated")
    assert event.after == {"business_hours": "Daily 8-20"}
    client.post(
        "/admin/branches/ILO/", {"action": "zone", "zone-code": "ILO-N", "zone-name": "North"}
    )
    assert Zone.objects.get().branch == branch
    renamed = client.post(
        "/admin/branches/ILO/", {"action": "zone_rename", "zone": "ILO-N", "name": "North side"}
    )
    assert renamed.status_code == 302
    assert Zone.objects.get().name == "North side"
    assert Event.objects.get(action="zone.updated").after == {"name": "North side"}
    empty = client.post("/admin/branches/ILO/", {"action": "zone_rename", "zone": "ILO-N"})
    assert empty.status_code == 302 and Zone.objects.get().name == "North side"
    other = client.post("/admin/branches/ILO/", {"action": "zone_rename", "zone": "NOPE"})
    assert other.status_code == 404
    bad = client.post(
        "/admin/branches/ILO/", {"action": "zone", "zone-code": "bad code!", "zone-name": "x"}
    )
    assert bad.status_code == 400 and b"zone code" in bad.content
    with django_assert_max_num_queries(8):
        page = client.get("/admin/branches/")
    assert b"ILO" in page.content


def test_admin_changes_a_branch_and_renames_a_zone_through_the_api(api_for, admin, csr):
    api = api_for(admin)
    api.post("/api/v1/branches", json=BRANCH)
    api.post("/api/v1/branches/ILO/zones", json={"code": "ILO-C", "name": "City"})
    changed = api.patch(
        "/api/v1/branches/ilo",
        json={"business_hours": "Daily 8:00-20:00", "depot_latitude": "10.7", "active": False},
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["business_hours"] == "Daily 8:00-20:00" and body["active"] is False
    assert body["depot_latitude"] == "10.700000" and body["name"] == "Iloilo"
    event = Event.objects.get(action="branch.updated")
    assert set(event.after) == {"business_hours", "depot_latitude", "active"}
    cleared = api.patch("/api/v1/branches/ILO", json={"depot_latitude": None})
    assert cleared.json()["depot_latitude"] is None
    assert api.patch("/api/v1/branches/ILO", json={"name": ""}).status_code == 400
    assert api.patch("/api/v1/branches/ILO", json={"code": "XYZ"}).status_code == 422
    assert api.patch("/api/v1/branches/NOPE", json={"name": "x"}).status_code == 404
    assert api_for(csr).patch("/api/v1/branches/ILO", json={"name": "x"}).status_code == 403

    zone = api.patch("/api/v1/branches/ILO/zones/ilo-c", json={"name": "City proper"})
    assert zone.status_code == 200 and zone.json() == {"code": "ILO-C", "name": "City proper"}
    assert Event.objects.get(action="zone.updated").before == {"name": "City"}
    missing = api.patch("/api/v1/branches/ILO/zones/CEB-C", json={"name": "x"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert Branch.objects.get().code == "ILO"
