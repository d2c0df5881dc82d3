import pytest

from caredesk.audit.models import Event
from caredesk.staff.models import ApiToken

pytestmark = pytest.mark.django_db


def test_admin_adds_staff_from_the_page(web_for, admin):
    from django.contrib.auth import get_user_model

    client = web_for(admin)
    response = client.post(
        "/staff/",
        {
            "username": "rhea",
            "first_name": "Rhea",
            "last_name": "Santos",
            "password": "a-long-enough-secret",
            "roles": ["csr", "sales"],
        },
    )
    assert response.status_code == 302
    rhea = get_user_model().objects.get(username="rhea")
    assert sorted(g.name for g in rhea.groups.all()) == ["csr", "sales"]
    assert rhea.check_password("a-long-enough-secret") and rhea.is_active
    event = Event.objects.get(action="staff.created", target_label="rhea")
    assert event.actor_label and event.after == {"username": "rhea", "roles": ["csr", "sales"]}
    listing = client.get("/staff/").content.decode()
    # Roles read as their names, not their codes; dates in the one format.
    assert "Customer service</span>" in listing and "Sales</span>" in listing
    assert ">csr</span>" not in listing and "Never" in listing
    history = client.get("/staff/rhea/").content.decode()
    assert "Staff account rhea created (Customer service, Sales)" in history


def test_admin_adds_staff_without_a_password_and_a_link_is_emailed(web_for, admin):
    from django.contrib.auth import get_user_model

    from caredesk.comms.models import OutboundMessage

    response = web_for(admin).post(
        "/staff/", {"username": "mila", "email": "mila@example.ph", "roles": ["hr"]}
    )
    assert response.status_code == 302
    mila = get_user_model().objects.get(username="mila")
    assert not mila.has_usable_password()
    message = OutboundMessage.objects.get(to=["mila@example.ph"])
    assert "/password/" in message.text_body and "Your username is mila" in message.text_body
    assert Event.objects.filter(action="staff.password_reset_sent", target_label="mila").exists()


def test_weak_password_is_a_form_error(web_for, admin):
    response = web_for(admin).post(
        "/staff/", {"username": "rhea", "password": "short", "roles": ["csr"]}
    )
    assert response.status_code == 400
    assert b"too short" in response.content


def test_admin_changes_roles_and_deactivates_with_audit(web_for, admin, csr, api_for):
    api = api_for(csr)
    response = web_for(admin).post("/staff/csr/", {"roles": ["csr", "finance"]})
    assert response.status_code == 302
    csr.refresh_from_db()
    assert csr.is_active is False
    assert sorted(g.name for g in csr.groups.all()) == ["csr", "finance"]
    event = Event.objects.get(action="staff.updated")
    assert event.before == {"roles": ["csr"], "is_active": True}
    assert event.after == {"roles": ["csr", "finance"], "is_active": False}
    assert not ApiToken.objects.filter(user=csr, revoked_at__isnull=True).exists()
    assert api.get("/api/v1/me").status_code == 401


def test_admin_cannot_lock_themselves_out(web_for, admin):
    response = web_for(admin).post("/staff/admin/", {"roles": ["csr"], "is_active": "on"})
    assert response.status_code == 400
    assert b"cannot remove your own administrator access" in response.content


def test_staff_pages_are_forbidden_to_manager(web_for, manager):
    assert web_for(manager).get("/staff/admin/").status_code == 403
