import pytest
from django.core.exceptions import ImproperlyConfigured

from caredesk.lib.env import env_bool, env_int, env_list


def test_env_bool_is_strict(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_env_int_is_strict(monkeypatch):
    monkeypatch.setenv("X_NUM", "12")
    assert env_int("X_NUM", 1) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)


def test_env_list(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(
        CAREDESK_DEBUG="false",
        CAREDESK_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="caredesk.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "caredesk", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_security_settings(settings):
    from django.conf import settings as live

    assert live.DEBUG is False
    assert live.SESSION_COOKIE_HTTPONLY is True
    assert live.X_FRAME_OPTIONS == "DENY"
    assert "argon2" in live.PASSWORD_HASHERS[0].lower()


@pytest.mark.django_db
def test_postgresql_sessions_compile_no_query_plans():
    """JIT compilation is off on PostgreSQL connections: on short queries it cost more than the
    scans (15 ms for a 5 ms trigram look-up at 10M customers)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
