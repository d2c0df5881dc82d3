import pytest

from caredesk.audit.services import event_record

pytestmark = pytest.mark.django_db


def test_audit_log_lists_events_for_manager(web_for, manager, django_assert_max_num_queries):
    for i in range(60):
        event_record(actor=manager, action="test.thing", target=("t.t", str(i), f"Thing {i}"))
    client = web_for(manager)
    with django_assert_max_num_queries(8):
        response = client.get("/audit/")
    assert response.status_code == 200
    assert b"Thing 59" in response.content
    assert b"Older events" in response.content
    older = client.get("/audit/", {"before": 20})
    assert b"Thing 5<" not in older.content or b"Thing 18" in older.content


def test_audit_log_is_forbidden_to_csr(web_for, csr):
    assert web_for(csr).get("/audit/").status_code == 403


def test_audit_api_pages_newest_first(api_for, manager):
    for i in range(5):
        event_record(actor=manager, action="test.page", target=("t.t", str(i), f"P{i}"))
    response = api_for(manager).get("/api/v1/audit/events?action=test.page&limit=2")
    body = response.json()
    assert response.status_code == 200
    assert [e["target_label"] for e in body["results"]] == ["P4", "P3"]
    more = api_for(manager).get(
        f"/api/v1/audit/events?action=test.page&limit=2&before_seq={body['next_before_seq']}"
    )
    assert [e["target_label"] for e in more.json()["results"]] == ["P2", "P1"]
