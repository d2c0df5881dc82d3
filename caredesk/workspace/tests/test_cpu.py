"""The load run's CPU accounting: /proc parsing, process trees with reaped children, and the
per-request split."""

import os
import time

import pytest

from caredesk.workspace import cpu


def _stat(tmp_path, pid, ppid, comm, utime, stime, cutime=0, cstime=0):
    folder = tmp_path / str(pid)
    folder.mkdir()
    # fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt
    # cmajflt utime stime cutime cstime ...
    rest = f"S {ppid} 1 1 0 -1 0 0 0 0 0 {utime} {stime} {cutime} {cstime} 20 0 1 0"
    (folder / "stat").write_text(f"{pid} ({comm}) {rest}\n")


@pytest.fixture
def fake_proc(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu, "PROC", tmp_path)
    monkeypatch.setattr(cpu, "TICKS", 100)
    return tmp_path


def test_a_process_name_with_spaces_and_parentheses_is_read_whole(fake_proc):
    _stat(fake_proc, 7, 1, "gunicorn: worker (caredesk)", 150, 50, cutime=100)
    stat = cpu.read_stat(7)
    assert stat == cpu.Stat(7, 1, "gunicorn: worker (caredesk)", 3.0)
    assert cpu.read_stat(8) is None  # gone


def test_a_tree_counts_its_descendants_and_what_they_reaped_but_nothing_else(fake_proc):
    _stat(fake_proc, 10, 1, "python", 100, 0, cutime=400)  # reaped a recycled worker
    _stat(fake_proc, 11, 10, "python", 200, 0)
    _stat(fake_proc, 12, 11, "python", 50, 50)
    _stat(fake_proc, 20, 1, "postgres", 10, 0, cutime=90)
    _stat(fake_proc, 21, 20, "postgres", 300, 0)
    _stat(fake_proc, 30, 1, "chromium", 999, 0)
    stats = cpu.all_stats()
    assert cpu.tree_seconds({10}, stats) == pytest.approx(8.0)
    assert cpu.postmasters(stats) == {20}
    assert cpu.tree_seconds(cpu.postmasters(stats), stats) == pytest.approx(4.0)


def test_per_request_splits_the_machines_busy_time_and_says_so():
    before = cpu.Reading(server=1.0, database=0.5, generator=0.2, busy=10.0, total=40.0)
    after = cpu.Reading(server=3.0, database=1.5, generator=0.4, busy=14.0, total=48.0)
    figures = cpu.per_request(before, after, 100)
    assert figures["server"] == pytest.approx(20.0)
    assert figures["database"] == pytest.approx(10.0)
    assert figures["generator"] == pytest.approx(2.0)
    assert figures["rest"] == pytest.approx(8.0)  # 4 s busy, 3.2 s of it accounted for
    assert figures["busy"] == pytest.approx(0.5)
    line = cpu.describe(figures)
    assert line.startswith("CPU per request: 40.0 ms = web server 20.0 + PostgreSQL 10.0")
    assert "cores busy 50%" in line
    assert cpu.per_request(before, after, 0) == {}
    assert "not measured" in cpu.describe({})


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="Linux /proc")
def test_this_process_time_is_seen_growing():
    before = cpu.read(os.getpid(), with_database=False)
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    after = cpu.read(os.getpid(), with_database=False)
    assert after.server - before.server >= 0.2
    assert after.generator - before.generator >= 0.2
    assert after.busy > before.busy and after.total > before.total
