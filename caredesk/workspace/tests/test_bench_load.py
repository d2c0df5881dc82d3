"""`caredesk bench load` at a tiny size: it serves the test database with `caredesk serve`,
drives it with Locust for a few seconds, prints the step table and finds every acknowledged
write in the database with its audit event."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from caredesk.workspace import bench

ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s["USER"] or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_load_run_prints_steps_and_checks_acknowledged_writes(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "caredesk.settings_test",
        "CAREDESK_VAR_DIR": str(tmp_path),
    }
    args = ["--current-database", "--customers", "20", "--orders", "60", "--steps", "2,3"]
    args += ["--step-seconds", "4", "--ramp-seconds", "1", "--think", "0.05,0.2", "--workers", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "caredesk", "bench", "load", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "server: caredesk serve, 2 gunicorn workers" in output
    header = r"agents\s+req/s\s+p50 ms\s+p95 ms\s+p99 ms\s+requests\s+errors\s+load"
    assert re.search(header, output)
    row = r"^\s+([23])\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+)\s+(\d+)\s+[\d.]+$"
    rows = re.findall(row, output, re.M)
    assert [agents for agents, _, _ in rows] == ["2", "3"], output[-3000:]
    assert all(int(requests) > 0 and errors == "0" for _, requests, errors in rows), output
    cpu_line = r"CPU per request: [\d.]+ ms = web server [\d.]+ \+ PostgreSQL [\d.]+ \+ load"
    assert len(re.findall(cpu_line, output)) == 2, output[-3000:]
    assert re.search(r"^held: (\d+ concurrent agents|no step)", output, re.M)
    amended = re.search(r"acknowledged amendments: (\d+), present and audited: (\d+)", output)
    assert amended and int(amended[1]) > 0 and amended[1] == amended[2], output[-3000:]
    assert "every acknowledged write is present and audited" in output


@pytest.mark.django_db
def test_the_fault_run_restarts_only_a_local_postgresql(monkeypatch):
    if connection.vendor != "postgresql":
        with pytest.raises(RuntimeError, match="PostgreSQL database"):
            bench.local_cluster()
        return
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.example.com")
    with pytest.raises(RuntimeError, match="only a local cluster"):
        bench.local_cluster()


def test_percentiles_and_failure_kinds():
    from caredesk.workspace import loadgen

    samples = [loadgen.Sample(i, "page", float(i), 200, "") for i in range(1, 101)]
    samples.append(loadgen.Sample(101, "page", 5.0, 503, "HTTP 503"))
    figures = loadgen.summarise(samples, 10.0)
    assert figures["requests"] == 101 and figures["errors"] == 1
    assert figures["p95"] == 95.0 and figures["p99"] == 99.0
    assert loadgen.failure_kinds(samples) == "1 x HTTP 503"
