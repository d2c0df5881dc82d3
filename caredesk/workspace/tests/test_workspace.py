import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_answers_when_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_dashboard_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_dashboard_menu_for_csr_hides_restricted_modules(
    web_for, csr, django_assert_max_num_queries
):
    client = web_for(csr)
    # Session, user, permissions (2), then one query per panel: active orders (2), schedule
    # exception counts, open tickets, my shift, recent actions.
    with django_assert_max_num_queries(10):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-nav="workspace:dashboard"' in html
    assert 'data-nav="audit:log"' not in html
    assert 'data-nav="staff:list"' not in html


def test_static_files_are_served(client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200


def test_demo_is_deterministic_and_idempotent(capsys):
    from django.contrib.auth import get_user_model

    call_command("demo", "--customers", "0")
    out = capsys.readouterr().out
    assert "csr" in out and "caredesk-demo" in out
    users = get_user_model().objects.count()
    call_command("demo", "--if-empty", "--customers", "0")
    assert get_user_model().objects.count() == users
    assert "left as it is" in capsys.readouterr().out


def test_unexpected_api_error_is_json_500(client, monkeypatch, csr, api_for):
    from caredesk.staff import api as staff_api

    def boom(user):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(staff_api, "user_roles", boom)
    response = api_for(csr).get("/api/v1/me")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "kaboom" not in response.content.decode()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_runs_in_wal_mode_with_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
