"""Where a load run's CPU goes: the processor time of the web server, of PostgreSQL and of the
load generator, read from Linux's /proc, and the whole machine's, between two moments.

A process tree's time is its live processes' own time plus what they collected from children
they have already reaped (gunicorn's master reaps recycled workers, PostgreSQL's postmaster its
ended backends), so a process that ends inside the window still counts. Where /proc is missing
(not Linux) every figure is absent rather than wrong.
"""

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Stat:
    pid: int
    ppid: int
    comm: str
    seconds: float  # own user + system time, plus that of reaped children


def read_stat(pid: int) -> Stat | None:
    """One process's /proc/PID/stat, or None once it has gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ..." where comm may hold spaces and parentheses
    head, _, rest = raw.rpartition(")")
    fields = rest.split()
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return Stat(int(head.split(" (", 1)[0]), int(fields[1]), head.split(" (", 1)[1], ticks / TICKS)


def all_stats() -> list[Stat]:
    stats = []
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if entry.name.isdigit() and (stat := read_stat(int(entry.name))):
            stats.append(stat)
    return stats


def tree_seconds(roots: set[int], stats: list[Stat]) -> float:
    """CPU seconds of the processes `roots` and all their descendants."""
    children: dict[int, list[Stat]] = {}
    for stat in stats:
        children.setdefault(stat.ppid, []).append(stat)
    by_pid = {stat.pid: stat for stat in stats}
    total, pending, seen = 0.0, [by_pid[p] for p in roots if p in by_pid], set()
    while pending:
        stat = pending.pop()
        if stat.pid in seen:
            continue
        seen.add(stat.pid)
        total += stat.seconds
        pending.extend(children.get(stat.pid, ()))
    return total


def postmasters(stats: list[Stat]) -> set[int]:
    """PostgreSQL servers on this machine: `postgres` processes whose parent is not one."""
    names = {stat.pid: stat.comm for stat in stats}
    return {s.pid for s in stats if s.comm == "postgres" and names.get(s.ppid) != "postgres"}


def machine_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of every core since boot, from /proc/stat."""
    try:
        line = (PROC / "stat").read_text().splitlines()[0]
    except OSError:
        return 0.0, 0.0
    values = [int(v) for v in line.split()[1:9]]  # user nice system idle iowait irq softirq steal
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICKS, sum(values) / TICKS


@dataclass(frozen=True)
class Reading:
    server: float
    database: float
    generator: float
    busy: float
    total: float


def read(server_pid: int, with_database: bool) -> Reading:
    """CPU seconds so far: the server's process tree, the PostgreSQL clusters' (when the data
    is in PostgreSQL), this process's and the machine's."""
    stats = all_stats()
    times = os.times()
    busy, total = machine_seconds()
    return Reading(
        server=tree_seconds({server_pid}, stats),
        database=tree_seconds(postmasters(stats), stats) if with_database else 0.0,
        generator=times.user + times.system,
        busy=busy,
        total=total,
    )


def per_request(before: Reading, after: Reading, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per answered request for each part, the rest of the machine (the
    kernel's network work, anything else running), and the share of the cores kept busy."""
    if requests <= 0 or after.total <= before.total:
        return {}
    parts = {
        "server": after.server - before.server,
        "database": after.database - before.database,
        "generator": after.generator - before.generator,
    }
    busy = after.busy - before.busy
    figures = {name: 1000 * seconds / requests for name, seconds in parts.items()}
    figures["rest"] = max(0.0, 1000 * (busy - sum(parts.values())) / requests)
    figures["busy"] = busy / (after.total - before.total)
    return figures


def describe(figures: dict[str, float]) -> str:
    if not figures:
        return "CPU per request: not measured (no /proc)"
    total = sum(figures[k] for k in ("server", "database", "generator", "rest"))
    most = (os.cpu_count() or 1) * 1000 / total if total else 0.0
    return (
        f"CPU per request: {total:.1f} ms = web server {figures['server']:.1f}"
        f" + PostgreSQL {figures['database']:.1f} + load generator {figures['generator']:.1f}"
        f" + rest of the machine {figures['rest']:.1f}; cores busy {figures['busy']:.0%},"
        f" so at most {most:.0f} req/s of this mix"
    )
