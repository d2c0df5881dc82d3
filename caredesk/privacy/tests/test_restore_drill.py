"""The restore drill, on the database the suite runs on (SQLite or PostgreSQL): amendments and
payments keep arriving from other connections while `caredesk backup` takes its snapshot; the
archive restores into a new, empty database (by `caredesk restore` in its own process, as an
operator would run it); every write acknowledged before the snapshot began is there, and the
restore's closing `caredesk audit verify` passes."""

import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from caredesk.orders.models import Order
from caredesk.privacy.services.backups import backup_create

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 4


def _writers(orders, csr, finance, stop: threading.Event, acked: list, errors: list):
    from caredesk.lib.errors import StaleVersion
    from caredesk.orders.services import Amendment, order_amend
    from caredesk.orders.services.payments import payment_record

    def run(i: int):
        order = orders[i % len(orders)]
        try:
            while not stop.is_set():
                if i % 2:
                    payment, _ = payment_record(
                        actor=finance, order=order.number, method="cash", amount="1.00"
                    )
                    acked.append(("payment", payment.pk, time.monotonic()))
                else:
                    current = Order.objects.get(pk=order.pk)
                    line = current.lines.get()
                    try:
                        done = order_amend(
                            actor=csr,
                            order=current.number,
                            expected_version=current.version,
                            amendment=Amendment(
                                op="set_quantity", line=line.pk, quantity=line.quantity + 1
                            ),
                            reason="drill",
                        )
                    except StaleVersion:
                        continue
                    acked.append(("amendment", (done.pk, done.version), time.monotonic()))
        except Exception as exc:  # reported by the test, never swallowed
            errors.append(exc)
        finally:
            connection.close()

    return [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]


def _empty_database(tmp_path: Path):
    """(DATABASE_URL of a new empty database of the suite's engine, query function, cleanup)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def query(sql):
            db = sqlite3.connect(path)
            try:
                return db.execute(sql).fetchall()
            finally:
                db.close()

        return f"sqlite:///{path}", query, lambda: None

    import psycopg

    s = connection.settings_dict
    name = f"caredesk_drill_{uuid.uuid4().hex[:8]}"
    admin = {
        "host": s["HOST"] or None,
        "port": s["PORT"] or None,
        "user": s["USER"] or None,
        "password": s["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def query(sql):
        with psycopg.connect(**{**admin, "dbname": name}) as conn:
            return conn.execute(sql).fetchall()

    def drop():
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    return url, query, drop


def test_backup_under_concurrent_writes_restores_every_acknowledged_write(
    make_order, csr, finance, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("uploads/receipt.txt", ContentFile(b"scanned receipt"))
    orders = [make_order(lines=[{"sku": "OIL-1L", "quantity": 1}]) for _ in range(2)]

    stop = threading.Event()
    acked: list = []
    errors: list = []
    threads = _writers(orders, csr, finance, stop, acked, errors)
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 30
        # At least ten acknowledged writes, and both kinds among them (payments bump the
        # order's version, so an amendment may need a few tries to win its race).
        while time.monotonic() < deadline and not errors:
            if len(acked) >= 10 and {kind for kind, _, _ in acked} == {"payment", "amendment"}:
                break
            time.sleep(0.05)
        before_backup = len(acked)
        backup, snap = backup_create(path=tmp_path / "backups")
        time.sleep(0.3)  # writes continue after the snapshot too
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert before_backup >= 10
    kinds = {kind for kind, _, at in acked if at < snap.started_monotonic}
    assert kinds == {"payment", "amendment"}, "both kinds of write ran before the snapshot"
    assert any(at > snap.started_monotonic for _, _, at in acked), "writes ran during it"

    url, query, drop = _empty_database(tmp_path)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "CAREDESK_DEBUG": "true",
            "CAREDESK_VAR_DIR": str(tmp_path / "restored-var"),
            "DJANGO_SETTINGS_MODULE": "caredesk.settings",
        }
        done = subprocess.run(
            [sys.executable, "-m", "caredesk", "restore", backup.path],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "Audit log intact" in done.stdout

        payments = {row[0] for row in query("SELECT id FROM orders_payment")}
        versions = dict(query("SELECT id, version FROM orders_order"))
        for kind, key, at in acked:
            if at >= snap.started_monotonic:
                continue
            if kind == "payment":
                assert key in payments, f"payment {key} acknowledged before the snapshot is lost"
            else:
                order_id, version = key
                assert versions[order_id] >= version, f"amendment to v{version} is lost"
        restored_file = tmp_path / "restored-var" / "media" / "uploads" / "receipt.txt"
        assert restored_file.read_bytes() == b"scanned receipt"
    finally:
        drop()
