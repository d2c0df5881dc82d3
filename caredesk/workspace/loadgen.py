"""The load generator of `caredesk bench load`, in a process of its own: Locust patches the
standard library with gevent when imported, so it runs apart from the Django process that
prepared the data set and started the server, and speaks to it only over HTTP.

    python -m caredesk.workspace.loadgen CONFIG.json RESULT.json

Importing this module patches nothing (its figures are tested on their own); `main` does.

CONFIG (written by `caredesk.workspace.bench`): the server's address, the signed-in sessions,
the orders to work on, the scenario's options. RESULT: the figures and every acknowledged write
(with the X-Request-IDs sent), which the bench then looks up in the database.
"""

import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter, deque
from dataclasses import dataclass, field

import gevent

from caredesk.workspace import cpu

STEP_HEADER = (
    f"{'agents':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
    f"{'requests':>9} {'errors':>7} {'load':>6}"
)
POLL_SECONDS = 4.0
KEYSTROKE_SECONDS = (0.15, 0.4)


def out(line: str = "") -> None:
    print(line, flush=True)


def restart_cluster(version: str, cluster: str) -> float:
    """Restart the cluster (fast shutdown: open connections are cut); returns the seconds taken."""
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


# --- Recording -------------------------------------------------------------------------------


@dataclass
class Sample:
    at: float
    name: str
    ms: float
    status: int
    error: str


@dataclass
class Record:
    samples: list[Sample] = field(default_factory=list)
    writes: list[dict] = field(default_factory=list)

    def window(self, start: float, end: float) -> list[Sample]:
        return [s for s in self.samples if start <= s.at < end]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(samples: list[Sample], seconds: float) -> dict:
    times = [s.ms for s in samples]
    return {
        "rps": len(samples) / seconds if seconds > 0 else 0.0,
        "p50": statistics.median(times) if times else 0.0,
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "requests": len(samples),
        "errors": sum(1 for s in samples if s.error),
    }


def failure_kinds(samples: list[Sample]) -> str:
    counts = Counter(s.error for s in samples if s.error)
    return ", ".join(f"{n} x {kind}" for kind, n in counts.most_common()) or "none"


# --- The agents ------------------------------------------------------------------------------


def agent_class(*, config: dict, pool: deque, record: Record, rng: random.Random):
    """The Locust user: one CSR working orders from `pool`."""
    from locust import FastHttpUser, task

    base, sessions, codes = config["base"], config["sessions"], config["codes"]
    think, poll = tuple(config["think"]), config["poll"]
    session_cookie, csrf_cookie = config["session_cookie"], config["csrf_cookie"]

    csrf = secrets.token_hex(16)  # 32 characters: Django accepts it as the cookie's secret
    counter = iter(range(10**9))
    activity_code, result_code = codes
    version_re = re.compile(rb'name="version" value="(\d+)"')

    class Agent(FastHttpUser):
        host = base
        wait_time = staticmethod(lambda: 0)  # think times are inside the task

        def on_start(self):
            n = next(counter)
            self.n = n
            self.headers = {
                "Cookie": f"{session_cookie}={sessions[n % len(sessions)]}; {csrf_cookie}={csrf}",
            }
            self.api = {**self.headers, "X-CSRFToken": csrf, "Content-Type": "application/json"}
            self.poller = gevent.spawn(self._poll) if poll else None

        def on_stop(self):
            if self.poller is not None:
                self.poller.kill(block=False)

        def _poll(self):
            gevent.sleep(rng.uniform(0, POLL_SECONDS))
            while True:
                self.get("/people/shell/", "shell poll", htmx=True)
                gevent.sleep(POLL_SECONDS)

        def _think(self):
            gevent.sleep(rng.uniform(*think))

        def _rid(self, kind: str) -> str:
            return f"bench-{kind}-{self.n}-{secrets.token_hex(6)}"

        def get(self, path: str, name: str, htmx: bool = False):
            headers = {**self.headers, "X-Request-ID": self._rid("get")}
            if htmx:
                headers["HX-Request"] = "true"
            with self.client.get(
                path, headers=headers, name=name, allow_redirects=False, catch_response=True
            ) as r:
                if r.status_code != 200:
                    r.failure(f"HTTP {r.status_code}")
                return r

        def post(self, path: str, name: str, body: dict, extra: dict, kind: str):
            rid = self._rid(kind)
            headers = {**self.api, **extra, "X-Request-ID": rid}
            with self.client.post(
                path, json=body, headers=headers, name=name, catch_response=True
            ) as r:
                if r.status_code not in (200, 201):
                    r.failure(f"HTTP {r.status_code}")
                return r, rid

        @task
        def day(self):
            item = pool.popleft()
            try:
                self._work(item)
            finally:
                pool.append(item)

        def _work(self, item):
            typed = item["last_name"]
            for cut in (2, 1, 0):  # three keystrokes, the last one the whole name
                self.get(f"/customers/instant/?q={typed[: len(typed) - cut]}", "instant", True)
                gevent.sleep(rng.uniform(*KEYSTROKE_SECONDS))
            self._think()
            self.get(f"/customers/{item['member_id']}/", "snapshot")
            self._think()
            page = self.get(f"/orders/{item['number']}/", "order page")
            found = version_re.search(page.content or b"") if page.status_code == 200 else None
            self._think()
            if found:
                version = int(found.group(1))
                r, rid = self.post(
                    f"/api/v1/orders/{item['number']}/amendments",
                    "amend (If-Match)",
                    {
                        "op": "set_quantity",
                        "line": item["line"],
                        "quantity": rng.randint(1, 4),
                        "reason": "Customer asked on the phone",
                    },
                    {"If-Match": f'"{version}"'},
                    "amend",
                )
                if r.status_code == 200:
                    record.writes.append(
                        {
                            "kind": "amendment",
                            "rids": [rid],
                            "number": item["number"],
                            "version": int(r.json()["version"]),
                        }
                    )
                self._think()
            key = f"bench-{secrets.token_hex(12)}"
            rids = []
            for _attempt in range(3):  # a 503 is retried with the same key, as a client would
                r, rid = self.post(
                    f"/api/v1/orders/{item['number']}/payments",
                    "payment (Idempotency-Key)",
                    {"amount": 100.0, "method": "cash"},
                    {"Idempotency-Key": key},
                    "pay",
                )
                rids.append(rid)
                if r.status_code != 503:
                    break
                gevent.sleep(float(r.headers.get("Retry-After") or 1))
            if r.status_code in (200, 201):
                record.writes.append(
                    {"kind": "payment", "rids": rids, "key": key, "id": int(r.json()["id"])}
                )
            self._think()
            r, rid = self.post(
                f"/api/v1/customers/{item['member_id']}/notes",
                "note",
                {
                    "subject": "Called about the order",
                    "body": "Quantity confirmed, payment taken.",
                    "activity_code": activity_code,
                    "result_code": result_code,
                    "order_number": item["number"],
                },
                {},
                "note",
            )
            if r.status_code == 201:
                record.writes.append({"kind": "note", "rids": [rid], "id": int(r.json()["id"])})
            self._think()
            self.get("/", "dashboard")
            self._think()
            self.get(f"/customers/{item['member_id']}/activity/", "activity page")
            self._think()
            self.get("/orders/pending/", "pending grid")
            self._think()

    return Agent


# --- Running -----------------------------------------------------------------------------


def _ramp(runner, agents: int, seconds: float) -> None:
    runner.start(agents, spawn_rate=max(1.0, agents / max(seconds, 0.1)))
    deadline = time.monotonic() + seconds + 30
    while runner.user_count < agents and time.monotonic() < deadline:
        gevent.sleep(0.2)


def _steps_run(runner, record: Record, options: dict) -> dict:
    steps = options["steps"]
    with_database = options["postgres"]
    rows = []
    out(STEP_HEADER)
    for agents in steps:
        _ramp(runner, agents, options["ramp_seconds"])
        gevent.sleep(min(5.0, options["ramp_seconds"]))  # the last ones started: settle
        start, cpu_before = time.monotonic(), cpu.read(options["server_pid"], with_database)
        gevent.sleep(options["step_seconds"])
        end, cpu_after = time.monotonic(), cpu.read(options["server_pid"], with_database)
        row = {"agents": agents, **summarise(record.window(start, end), end - start)}
        row["cpu"] = cpu.per_request(cpu_before, cpu_after, row["requests"])
        rows.append(row)
        row["load"] = os.getloadavg()[0]  # the machine's, shared with everything else on it
        out(
            f"{agents:>7} {row['rps']:>7.1f} {row['p50']:>8.1f} {row['p95']:>8.1f} "
            f"{row['p99']:>8.1f} {row['requests']:>9} {row['errors']:>7} {row['load']:>6.1f}"
        )
        out(f"        {cpu.describe(row['cpu'])}")
        if row["errors"]:
            out(f"        errors: {failure_kinds(record.window(start, end))}")
    held = [
        r["agents"]
        for r in rows
        if r["p95"] < options["p95_target"] and not r["errors"] and r["requests"]
    ]
    best = max(held) if held else 0
    out(
        f"held: {best} concurrent agents with p95 under {options['p95_target']:g} ms and no errors"
        if best
        else f"held: no step had p95 under {options['p95_target']:g} ms without errors"
    )
    per_page = _per_page(record.window(start, end))
    out(f"per request at {steps[-1]} agents (p50 / p95 ms): {per_page}")
    if any(s.status >= 500 and s.status != 503 for s in record.samples):
        out(f"server errors: see {options['server_log']}")
    return {"steps": rows, "held": best}


def _per_page(samples: list[Sample]) -> str:
    names: dict[str, list[float]] = {}
    for s in samples:
        names.setdefault(s.name, []).append(s.ms)
    return "; ".join(
        f"{name} {statistics.median(v):.0f} / {percentile(v, 0.95):.0f}"
        for name, v in sorted(names.items())
    )


def _fault_run(runner, record: Record, options: dict) -> dict:
    cluster, base = options["cluster"], options["base"]
    agents = options["fault_agents"]
    _ramp(runner, agents, options["ramp_seconds"])
    gevent.sleep(options["fault_warmup"])
    before_start = time.monotonic() - options["fault_warmup"]
    out(f"restarting PostgreSQL cluster {cluster[0]}/{cluster[1]} under {agents} agents")
    down = time.monotonic()
    took = restart_cluster(*cluster)  # subprocess is gevent's here: the agents keep working
    up = time.monotonic()
    # Recovered when the application answers again (its first successful database round trip).
    while time.monotonic() - up < 60:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        gevent.sleep(0.1)
    recovered = time.monotonic()
    gevent.sleep(options["recovery_seconds"])
    end = time.monotonic()
    runner.stop()
    phases = {
        "before": record.window(before_start, down),
        "during": record.window(down, recovered),
        "after": record.window(recovered, end),
    }
    out(
        f"restart took {took:.1f} s; the application answered again "
        f"{recovered - down:.1f} s after the restart began"
    )
    out(f"{'phase':<8} {'requests':>9} {'failed':>7}  failures")
    figures = {}
    for phase, samples in phases.items():
        failed = [s for s in samples if s.error]
        figures[phase] = {"requests": len(samples), "failed": len(failed)}
        label = phase if phase != "after" else f"after {options['recovery_seconds']:g}s"
        out(f"{label:<8} {len(samples):>9} {len(failed):>7}  {failure_kinds(samples)}")
    during_ok = all(s.status == 503 for s in phases["during"] if s.error)
    after_ok = not any(s.error for s in phases["after"])
    out(
        f"target: only 503 during ({'met' if during_ok else 'NOT met'}), "
        f"none after ({'met' if after_ok else 'NOT met'})"
    )
    if not (during_ok and after_ok):
        out(f"server log: {options['server_log']}")
    figures.update({"during_only_503": during_ok, "none_after": after_ok})
    return figures


def main(config_path: str, result_path: str) -> None:
    from gevent import monkey

    monkey.patch_all()  # what importing Locust does; first, in this process of its own
    with open(config_path) as f:
        config = json.load(f)
    from locust.env import Environment

    rng = random.Random(config["seed"])
    record = Record()
    pool = deque(config["pool"])
    agent = agent_class(config=config, pool=pool, record=record, rng=rng)
    env = Environment(user_classes=[agent], host=config["base"])

    def on_request(name, response_time, exception, response=None, **kw):
        status = getattr(response, "status_code", 0) or 0
        error = ""
        if exception is not None:
            error = f"HTTP {status}" if status else exception.__class__.__name__
        record.samples.append(Sample(time.monotonic(), name, response_time, status, error))

    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    think = config["think"]
    out(
        f"scenario: think {think[0]:g}-{think[1]:g} s, shell poll "
        f"{'every 4 s' if config['poll'] else 'off'}"
    )
    try:
        figures = _fault_run(runner, record, config) if config["fault"] else None
        if figures is None:
            figures = _steps_run(runner, record, config)
    finally:
        runner.quit()
    with open(result_path, "w") as f:
        json.dump({"figures": figures, "writes": record.writes}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
