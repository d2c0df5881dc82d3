"""Sign-in throttling that an attacker cannot turn against staff: strict per (user, client IP)
with growing delays, a looser per-user limit that only slows, one audit row per episode, and
the client IP read from X-Forwarded-For only behind a trusted proxy."""

import json
from datetime import timedelta

import pytest
from django.test import RequestFactory, override_settings

from caredesk.audit.models import Event
from caredesk.lib.middleware import client_ip
from caredesk.staff.models import LoginFailure

pytestmark = pytest.mark.django_db
RIGHT = "correct-horse-battery"


def _token(client, password, ip, **extra):
    return client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "csr", "password": password}),
        content_type="application/json",
        REMOTE_ADDR=ip,
        **extra,
    )


def _age(seconds: int) -> None:
    """Move every recorded failure `seconds` into the past."""
    for failure in LoginFailure.objects.all():
        failure.at -= timedelta(seconds=seconds)
        failure.save(update_fields=["at"])


@override_settings(
    CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP=3, CAREDESK_LOGIN_MAX_FAILURES_PER_USER=50
)
def test_a_stranger_cannot_lock_an_agent_out(client, csr):
    for _ in range(3):
        assert _token(client, "guess", "203.0.113.9").status_code == 401
    refused = _token(client, RIGHT, "203.0.113.9")
    assert refused.status_code == 429 and 25 <= int(refused["Retry-After"]) <= 31
    assert _token(client, RIGHT, "198.51.100.7").status_code == 200


@override_settings(CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP=3)
def test_delays_grow_for_one_user_and_ip_and_always_end(client, csr):
    for _ in range(3):
        _token(client, "guess", "203.0.113.9")
    assert int(_token(client, "guess", "203.0.113.9")["Retry-After"]) <= 31
    _age(31)
    assert _token(client, "guess", "203.0.113.9").status_code == 401  # a fourth failure
    assert 55 <= int(_token(client, "guess", "203.0.113.9")["Retry-After"]) <= 61
    _age(61)
    assert _token(client, RIGHT, "203.0.113.9").status_code == 200


@override_settings(
    CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP=3,
    CAREDESK_LOGIN_MAX_FAILURES_PER_USER=6,
    CAREDESK_LOGIN_SLOWDOWN_SECONDS=5,
)
def test_guessing_from_many_ips_slows_the_user_but_never_locks_them_out(client, csr):
    for i in range(12):
        _token(client, "guess", f"203.0.113.{i + 1}")
    slowed = _token(client, RIGHT, "198.51.100.7")
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) <= 6
    _age(6)
    assert _token(client, RIGHT, "198.51.100.7").status_code == 200


@override_settings(CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP=3)
def test_one_audit_row_per_throttling_episode(client, csr):
    for _ in range(3):
        _token(client, "guess", "203.0.113.9")
    for _ in range(5):
        assert _token(client, "guess", "203.0.113.9").status_code == 429
    throttled = Event.objects.filter(action="staff.login_throttled")
    assert throttled.count() == 1
    assert Event.objects.filter(action="staff.login_failed").count() == 3


@override_settings(CAREDESK_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    rf = RequestFactory()
    behind = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_ip(behind) == "198.51.100.7"  # the right-most hop the proxy saw
    chain = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.3")
    assert client_ip(chain) == "198.51.100.7"
    direct = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(direct) == "203.0.113.5"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(garbage) == "10.0.0.2"


@override_settings(CAREDESK_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_forwarded_for_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.2"


@override_settings(CAREDESK_TRUSTED_PROXIES=["10.0.0.1"], CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP=3)
def test_agents_behind_the_proxy_do_not_share_one_counter(client, csr):
    for _ in range(3):
        _token(client, "guess", "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert (
        _token(client, "guess", "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    )
    assert _token(client, RIGHT, "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"203.0.113.9"}
