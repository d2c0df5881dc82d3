import pytest

from caredesk.audit.models import Event
from caredesk.comms.models import OutboundMessage
from caredesk.staff.models import ApiToken

pytestmark = pytest.mark.django_db


def test_admin_adds_staff_by_api_and_a_set_password_link_is_emailed(api_for, admin, client):
    response = api_for(admin).post(
        "/api/v1/staff",
        json={
            "username": "rhea",
            "name": "Rhea Santos",
            "email": "rhea@example.ph",
            "roles": ["csr"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["roles"] == ["csr"] and response.json()["name"] == "Rhea Santos"
    message = OutboundMessage.objects.get(to=["rhea@example.ph"])
    assert message.is_confidential
    link = next(w for w in message.text_body.split() if "/password/" in w)
    path = link.split("127.0.0.1:8000", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200
    done = client.post(
        path, {"new_password1": "a-long-new-password", "new_password2": "a-long-new-password"}
    )
    assert done.status_code == 302
    assert client.login(username="rhea", password="a-long-new-password")
    assert client.get(path).status_code == 400  # used once
    assert Event.objects.filter(action="staff.password_set").exists()


def test_staff_api_input_errors(api_for, admin):
    api = api_for(admin)
    assert api.post("/api/v1/staff", json={"username": "x", "roles": ["csr"]}).status_code == 400
    bad_role = api.post(
        "/api/v1/staff", json={"username": "x", "email": "x@example.ph", "roles": ["boss"]}
    )
    assert bad_role.status_code == 400 and "Unknown role" in bad_role.json()["detail"]
    extra = api.post(
        "/api/v1/staff",
        json={"username": "x", "email": "x@example.ph", "roles": ["csr"], "is_superuser": True},
    )
    assert extra.status_code == 422


def test_patch_roles_and_deactivate(api_for, admin, csr):
    token_api = api_for(csr)
    api = api_for(admin)
    changed = api.patch("/api/v1/staff/csr", json={"roles": ["csr", "sales"]})
    assert changed.status_code == 200 and changed.json()["roles"] == ["csr", "sales"]
    off = api.patch("/api/v1/staff/csr", json={"active": False})
    assert off.json()["active"] is False
    assert token_api.get("/api/v1/me").status_code == 401
    assert api.patch("/api/v1/staff/nobody", json={"active": False}).status_code == 404
    own = api.patch("/api/v1/staff/admin", json={"active": False})
    assert own.status_code == 400


def test_staff_list_is_paginated_with_actions(
    api_for, admin, csr, staff_factory, django_assert_max_num_queries
):
    for n in range(6):
        staff_factory(f"extra{n}", "sales", "finance")
    api = api_for(admin)
    with django_assert_max_num_queries(7):
        body = api.get("/api/v1/staff").json()
    assert body["count"] == 8
    row = next(r for r in body["results"] if r["username"] == "csr")
    assert row["actions"]["revoke_tokens"]["allowed"] is False


def test_admin_revokes_tokens_and_sends_reset_from_the_page(web_for, api_for, admin, csr):
    csr.email = "csr@example.ph"
    csr.save()
    csr_api = api_for(csr)
    client = web_for(admin)
    page = client.get("/staff/csr/")
    assert b"Revoke all API tokens" in page.content
    client.post("/staff/csr/", {"action": "revoke_tokens"})
    assert not ApiToken.objects.filter(user=csr, revoked_at__isnull=True).exists()
    assert csr_api.get("/api/v1/me").status_code == 401
    client.post("/staff/csr/", {"action": "reset_password"})
    assert OutboundMessage.objects.filter(to=["csr@example.ph"]).count() == 1
    assert Event.objects.filter(action="staff.tokens_revoked").exists()
    history = client.get("/staff/csr/").content.decode()
    assert "Set-password link emailed to" in history


def test_settings_page_shows_configuration_without_secrets(web_for, admin, settings, csr):
    settings.TELEGRAM_BOT_TOKEN = "123:very-secret-token"
    settings.TELEGRAM_CHAT_ID = "-100"
    settings.CAREDESK_EMAIL_RETENTION_DAYS = 45
    settings.EMAIL_HOST = "smtp.example.ph"
    settings.EMAIL_HOST_PASSWORD = "smtp-password-never-shown"
    page = web_for(admin).get("/admin/settings/").content.decode()
    assert "VAT rate" in page and "12%" in page and "PHP" in page
    assert "sent through smtp.example.ph" in page and ">connected<" in page
    assert "45 days" in page and "₱150.00" in page
    assert "showroom visitors, FRAUD-STOP hits" in page and "showroom_visit" not in page
    assert "SQLite" in page or "PostgreSQL" in page
    for secret in ("very-secret-token", settings.SECRET_KEY, "smtp-password-never-shown"):
        assert secret not in page
    assert web_for(csr).get("/admin/settings/").status_code == 403
    assert web_for(admin).post("/admin/settings/").status_code == 405  # read-only


def test_staff_page_opens_unbound(web_for, admin, csr):
    page = web_for(admin).get("/staff/csr/")
    assert page.status_code == 200
    assert b"errorlist" not in page.content


def test_admin_sets_where_staff_work(web_for, admin, csr):
    from caredesk.branches.models import Branch
    from caredesk.people.models import StaffProfile

    Branch.objects.create(code="CEB", name="Cebu")
    client = web_for(admin)
    client.post("/staff/csr/", {"action": "branch", "branch": "CEB"})
    assert StaffProfile.objects.get(user=csr).branch.code == "CEB"
    assert 'value="CEB" selected' in client.get("/staff/csr/").content.decode()
    assert Event.objects.filter(action="staff.branch_set").exists()


def test_admin_emails_a_password_link_and_revokes_tokens_through_the_api(api_for, admin, csr):
    csr_api = api_for(csr)
    api = api_for(admin)
    no_email = api.post("/api/v1/staff/csr/password-link")
    assert no_email.status_code == 409 and no_email.json()["code"] == "no_email"
    csr.email = "csr@example.ph"
    csr.save()
    sent = api.post("/api/v1/staff/csr/password-link")
    assert sent.status_code == 202, sent.content
    assert sent.json()["username"] == "csr"
    message = OutboundMessage.objects.get(to=["csr@example.ph"])
    assert "/password/" in message.text_body and "/password/" not in sent.content.decode()

    assert csr_api.get("/api/v1/me").status_code == 200
    revoked = api.post("/api/v1/staff/csr/tokens/revoke")
    assert revoked.status_code == 200 and revoked.json() == {"revoked": 1}
    assert csr_api.get("/api/v1/me").status_code == 401
    again = api.post("/api/v1/staff/csr/tokens/revoke")
    assert again.status_code == 409 and again.json()["code"] == "no_tokens"
    assert api.post("/api/v1/staff/nobody/tokens/revoke").status_code == 404
    assert api_for(csr).post("/api/v1/staff/admin/tokens/revoke").status_code == 403
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"staff.password_reset_sent", "staff.tokens_revoked"} <= actions
