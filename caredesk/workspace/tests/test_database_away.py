"""A database that is away (here: a connection to a closed port, or an unreadable SQLite
file) is a 503 with Retry-After, never a 500: JSON under /api/, a calm page elsewhere, and
/healthz says 503 too."""

import socket

import pytest
from django.db import connection
from django.test import Client


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database_away(db, csr):
    """Point the connection at a database that cannot be reached for the duration."""
    client = Client(raise_request_exception=False)
    client.force_login(csr)
    saved = dict(connection.settings_dict)
    state = {
        name: getattr(connection, name)
        for name in ("connection", "in_atomic_block", "needs_rollback", "savepoint_ids")
    }
    state["atomic_blocks"] = list(connection.atomic_blocks)
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    else:
        connection.settings_dict.update(NAME="/nonexistent/dir/caredesk.sqlite3")
    connection.connection = None
    connection.in_atomic_block = False
    connection.atomic_blocks = []
    connection.savepoint_ids = []
    try:
        yield client
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        for name, value in state.items():
            setattr(connection, name, value)


def test_api_answers_503_with_retry_after(database_away):
    response = database_away.get("/api/v1/orders", headers={"Authorization": "Bearer cdk_x"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable"


def test_pages_answer_a_calm_503(database_away):
    response = database_away.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"Back in a moment" in response.content


def test_healthz_answers_503(database_away):
    response = database_away.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"]
