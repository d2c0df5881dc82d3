"""An interrupted bulk load (indexes dropped, never rebuilt) is reported by `caredesk check`
and repaired by the next run (idempotent)."""

import pytest
from django.core import checks
from django.db import connection

from caredesk.customers.search import indexes

pytestmark = pytest.mark.django_db


def _drop(name: str) -> None:
    with connection.cursor() as cursor:
        if name.startswith("cust_fts") or name.startswith("addr_fts"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def test_a_missing_index_is_reported_by_the_system_check_and_repaired():
    assert indexes.missing(connection) == []
    name = "addr_s_text_trgm" if connection.vendor == "postgresql" else "cust_s_email_idx"
    _drop(name)
    assert indexes.missing(connection) == [name]
    found = [m for m in checks.run_checks() if m.id == "caredesk.W001"]
    assert len(found) == 1 and name in found[0].msg
    assert indexes.repair(connection) == [name]
    assert indexes.missing(connection) == []
    assert indexes.repair(connection) == []  # idempotent
    assert not [m for m in checks.run_checks() if m.id == "caredesk.W001"]


def test_an_interrupted_bulk_load_is_finished_by_the_next_bench_run():
    from caredesk.customers.bench import _grow

    indexes.drop_for_bulk_load(connection)
    assert indexes.missing(connection)
    lines = []
    _grow(0, 1, lines.append)
    assert indexes.missing(connection) == []
    assert lines and lines[0].startswith("repaired search indexes")
