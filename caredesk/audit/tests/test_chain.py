import pytest
from django.db import DatabaseError, connection, transaction

from caredesk.audit.models import Event
from caredesk.audit.services import event_record, field_changes
from caredesk.audit.verify import chain_verify

pytestmark = pytest.mark.django_db


def _events(n=3, actor=None):
    return [
        event_record(
            actor=actor,
            action="test.happened",
            target=("test.thing", str(i), f"T{i}"),
            before={"qty": i},
            after={"qty": i + 1},
            reason="because",
        )
        for i in range(n)
    ]


def _drop_guard_triggers():
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER audit_event_no_update ON audit_event")
            cur.execute("DROP TRIGGER audit_event_no_delete ON audit_event")
        else:
            cur.execute("DROP TRIGGER audit_event_no_update")


def test_events_form_a_gapless_chain(csr):
    events = _events(3, actor=csr)
    assert [e.seq for e in events] == [events[0].seq, events[0].seq + 1, events[0].seq + 2]
    assert events[1].prev_hash == events[0].hash
    checked, problems = chain_verify()
    assert problems == []
    assert checked == Event.objects.count()


def test_orm_refuses_to_edit_or_delete_events():
    (event,) = _events(1)
    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        Event.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        Event.objects.all().delete()


def test_database_trigger_refuses_update():
    (event,) = _events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_event SET reason = 'x' WHERE id = %s", [event.pk])


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_database_trigger_refuses_delete_on_postgresql():
    (event,) = _events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_event WHERE id = %s", [event.pk])


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("table", ["audit_event", "audit_chainhead"])
def test_database_trigger_refuses_truncate_on_postgresql(table):
    _events(1)
    # The suite allows TRUNCATE for its own flushes (conftest.py); production does not.
    with (
        pytest.raises(DatabaseError, match="cannot be truncated"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fire the pending foreign key checks
        cur.execute("SET LOCAL caredesk.audit_truncate = 'refuse'")
        cur.execute(f"TRUNCATE {table} CASCADE")
    assert Event.objects.count() == 1


def test_verify_finds_an_edited_event():
    events = _events(3)
    _drop_guard_triggers()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_event SET reason = 'nothing to see' WHERE id = %s", [events[1].pk]
        )
    _, problems = chain_verify()
    assert any(p.seq == events[1].seq and "edited" in p.message for p in problems)


def test_verify_finds_a_deleted_event():
    events = _events(3)
    _drop_guard_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_event WHERE id = %s", [events[1].pk])
    _, problems = chain_verify()
    assert any("missing" in p.message for p in problems)


def test_verify_finds_an_inserted_event():
    events = _events(2)
    forged = Event(
        seq=events[-1].seq + 1,
        action="test.forged",
        prev_hash="f" * 64,
        hash="e" * 64,
        actor_label="mallory",
    )
    forged.save()
    _, problems = chain_verify()
    assert any(p.seq == forged.seq for p in problems)
    assert any(p.seq is None and "head" in p.message for p in problems)


def test_verify_finds_events_cut_from_the_end():
    events = _events(3)
    _drop_guard_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_event WHERE id = %s", [events[-1].pk])
    _, problems = chain_verify()
    assert any(p.seq is None for p in problems)


def test_audit_verify_command_fails_on_tampering(capsys):
    from django.core.management import CommandError, call_command

    events = _events(2)
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    _drop_guard_triggers()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_event SET after = %s WHERE id = %s", ['{"qty": 999}', events[0].pk]
        )
    with pytest.raises(CommandError, match="FAILED"):
        call_command("audit", "verify")


def test_field_changes_keeps_only_differences():
    before, after = field_changes({"a": 1, "b": "x"}, {"a": 1, "b": "y"})
    assert before == {"b": "x"} and after == {"b": "y"}


def test_request_context_is_recorded(client, csr):
    client.post(
        "/login/",
        {"username": "csr", "password": "wrong-password"},
        headers={"X-Request-ID": "req-abc-123"},
    )
    event = Event.objects.filter(action="staff.login_failed").latest("seq")
    assert event.request_id == "req-abc-123"
    assert event.ip == "127.0.0.1"
