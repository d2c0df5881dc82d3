import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from caredesk.audit.models import Event

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(csr):
    assert identify_hasher(csr.password).algorithm == "argon2"


def test_login_and_logout(client, csr):
    response = client.post("/login/", {"username": "csr", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert Event.objects.filter(action="staff.login", actor=csr).exists()
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_bad_login_shows_a_clear_message_and_is_audited(client, csr):
    response = client.post("/login/", {"username": "csr", "password": "nope"})
    assert response.status_code == 400
    assert b"Wrong username or password" in response.content
    assert Event.objects.filter(action="staff.login_failed", target_label="csr").count() == 1


def test_login_next_url_must_be_local(client, csr):
    response = client.post(
        "/login/?next=https://evil.example/",
        {"username": "csr", "password": "correct-horse-battery"},
    )
    assert response["Location"] == "/"


@override_settings(CAREDESK_LOGIN_MAX_FAILURES_PER_USER=3)
def test_repeated_failures_for_one_username_are_throttled(client, csr):
    for _ in range(3):
        assert client.post("/login/", {"username": "csr", "password": "bad"}).status_code == 400
    response = client.post("/login/", {"username": "csr", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert Event.objects.filter(action="staff.login_throttled").exists()


@override_settings(CAREDESK_LOGIN_MAX_FAILURES_PER_IP=4, CAREDESK_LOGIN_MAX_FAILURES_PER_USER=99)
def test_repeated_failures_from_one_ip_are_throttled(client, csr):
    for i in range(4):
        client.post("/login/", {"username": f"guess{i}", "password": "bad"})
    response = client.post("/login/", {"username": "csr", "password": "correct-horse-battery"})
    assert response.status_code == 429


@override_settings(CAREDESK_LOGIN_MAX_FAILURES_PER_USER=2)
def test_api_token_endpoint_is_throttled_too(client, csr):
    for _ in range(2):
        r = client.post(
            "/api/v1/auth/token",
            {"username": "csr", "password": "x"},
            content_type="application/json",
        )
        assert r.status_code == 401 and r.json()["code"] == "bad_credentials"
    r = client.post(
        "/api/v1/auth/token",
        {"username": "csr", "password": "correct-horse-battery"},
        content_type="application/json",
    )
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited"
    assert int(r["Retry-After"]) > 0


def test_login_form_requires_csrf(csr):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "csr", "password": "correct-horse-battery"})
    assert response.status_code == 403


def test_inactive_user_cannot_sign_in(client, csr):
    csr.is_active = False
    csr.save()
    assert (
        client.post("/login/", {"username": "csr", "password": "correct-horse-battery"}).status_code
        == 400
    )
