"""Several processes writing at once: the web server and the worker share one database.

On SQLite this proves WAL + busy timeout + BEGIN IMMEDIATE: no "database is locked". On both
databases it proves the audit chain stays gapless and intact under concurrent writers.
"""

import os
import subprocess
import sys
import textwrap
import threading

import pytest
from django.db import connection

from caredesk.audit.models import Event
from caredesk.audit.services import event_record
from caredesk.audit.verify import chain_verify

WRITER = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.settings_test")
    import django
    django.setup()
    from django.db import transaction
    from caredesk.audit.services import event_record
    from caredesk.branches.models import Branch
    name = sys.argv[1]
    for i in range(int(sys.argv[2])):
        with transaction.atomic():
            Branch.objects.update_or_create(code="CON", defaults={"name": f"{name}-{i}"})
            event_record(actor=None, action="test.concurrent", target=("t.t", name, name))
    print("ok", name)
    """
)


def test_sqlite_processes_write_side_by_side_without_locking_errors(tmp_path):
    db_file = tmp_path / "concurrent.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "CAREDESK_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "caredesk.settings_test",
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "caredesk",
            "migrate",
            "-v0",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), f"w{i}", "150"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    results = [w.communicate(timeout=180) for w in writers]
    for w, (_out, err) in zip(writers, results, strict=True):
        assert w.returncode == 0, err[-2000:]
        assert "database is locked" not in err
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "caredesk",
            "audit",
            "verify",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "events verified" in check.stdout
    import sqlite3

    with sqlite3.connect(db_file) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        count = raw.execute(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'test.concurrent'"
        ).fetchone()[0]
    assert count == 450


@pytest.mark.django_db(transaction=True)
def test_audit_chain_stays_gapless_with_concurrent_threads():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite concurrency is proven with processes above")
    errors = []

    def work(name):
        from django.db import connections, transaction

        try:
            for _ in range(40):
                with transaction.atomic():
                    event_record(actor=None, action="test.thread", target=("t.t", name, name))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"t{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Event.objects.filter(action="test.thread").count() == 240
    _checked, problems = chain_verify()
    assert problems == []
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
