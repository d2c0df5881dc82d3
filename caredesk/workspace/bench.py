"""`caredesk bench load`: a CSR day under Locust against `caredesk serve`, and the fault run.

It builds (or reuses) the orders benchmark's data set, starts `caredesk serve` (gunicorn, DEBUG
off, `--workers N`) on a free port of 127.0.0.1 against the same database, and drives it with
Locust used as a library (headless, `FastHttpUser`). Each simulated agent, signed in as one of
the bench CSRs (roles csr and finance: they take payments), works one order after another:

    instant search while typing (3 keystrokes of the customer's last name), the customer's
    snapshot, the order page, an amendment through the API with If-Match (the version the order
    page showed), a payment with an Idempotency-Key, an activity note, the dashboard, the
    customer's activity page, the pending grid

with a think time (default 5-10 s) between steps; the open page's htmx poll of the shell
(every 4 s) runs beside it (`--no-poll` to leave it out). For each step of agents (`--steps
100,200,400`, each measured for `--step-seconds` after its ramp-up) it prints req/s, p50, p95,
p99 and errors, then the largest number of agents held with p95 under `--p95-target` (300 ms)
and no errors.

`--fault` (an explicit flag; PostgreSQL on this machine only) runs `--fault-agents` agents,
restarts the PostgreSQL cluster serving the database mid-run (`pg_ctlcluster
--skip-systemctl-redirect <version> <cluster> restart`, the cluster found by the database's
port) and prints the failed requests during the restart and in the `--recovery-seconds` after
it (target: only 503 during, none after).

Every run ends by checking each acknowledged write (amendments, payments and notes answered
2xx): the row is in the database and its audit event (same X-Request-ID) is in the audit log.

    caredesk bench load --database-url postgres://postgres@127.0.0.1:5432/caredesk_bench \\
        --customers 100000 --orders 300000 --steps 100,200,400
    caredesk bench load --database-url ... --fault --fault-agents 100
"""

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.db import connection

WRITE_ACTIONS = {
    "amendment": "order.amended",
    "payment": "order.payment_recorded",
    "note": "note.added",
}


def add_arguments(parser) -> None:
    from caredesk.orders import bench as orders_bench

    orders_bench.add_dataset_arguments(parser, customers=100_000, orders=300_000)
    parser.add_argument("--steps", default="100,200,400", help="agents per step")
    parser.add_argument("--step-seconds", type=float, default=60.0, help="measured per step")
    parser.add_argument("--ramp-seconds", type=float, default=15.0, help="to reach each step")
    parser.add_argument("--think", default="5,10", help="think time range in seconds, MIN,MAX")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes (2 or more)")
    parser.add_argument(
        "--poll",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="each agent's open page polls the shell every 4 s, as the browser does",
    )
    parser.add_argument("--p95-target", type=float, default=300.0)
    parser.add_argument("--fault", action="store_true", help="restart PostgreSQL mid-run")
    parser.add_argument("--fault-agents", type=int, default=100)
    parser.add_argument("--fault-warmup", type=float, default=20.0)
    parser.add_argument("--recovery-seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)


# --- Data set and sign-in ---------------------------------------------------------------------


def session_for(user) -> str:
    """A signed-in session for `user`, as the sign-in page would leave it (no password)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def work_items(n: int, seed: int) -> list[dict]:
    """Open bench orders (draft, pending, scheduled, not suspended) with their first line and
    their customer, for the agents to work on."""
    from caredesk.orders import bench as orders_bench
    from caredesk.orders.models import OrderLine, Status

    rows = list(
        OrderLine.objects.filter(
            order__branch__code=orders_bench.BRANCH,
            order__status__in=[Status.DRAFT, Status.PENDING, Status.SCHEDULED],
            order__suspended=False,
            position=1,
        )
        .order_by("order_id")
        .values("pk", "order__number", "order__customer__member_id", "order__customer__last_name")[
            : n * 4
        ]
    )
    random.Random(seed).shuffle(rows)
    return [
        {
            "line": r["pk"],
            "number": r["order__number"],
            "member_id": r["order__customer__member_id"],
            "last_name": r["order__customer__last_name"],
        }
        for r in rows[:n]
    ]


def note_codes() -> tuple[str, str]:
    from caredesk.comms.models import ActivityCode

    def first(kind):
        code = ActivityCode.objects.filter(kind=kind, active=True).order_by("position").first()
        if code is None:
            raise RuntimeError(f"No active {kind} code: run the migrations.")
        return code.code

    return first(ActivityCode.Kind.ACTIVITY), first(ActivityCode.Kind.RESULT)


# --- The server ------------------------------------------------------------------------------


def database_url() -> str:
    """The URL of the database this process uses, for the server it starts."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    if os.environ.get("DATABASE_URL") and s["NAME"] in os.environ["DATABASE_URL"]:
        return os.environ["DATABASE_URL"]
    from urllib.parse import quote

    auth = quote(s["USER"] or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def serve(workers: int, out) -> Server:
    """`caredesk serve` on a free port against this database; returns once /healthz is 200."""
    port = free_port()
    log = Path(settings.VAR_DIR) / "bench" / "load-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "caredesk.settings_test"
        ),
        "CAREDESK_DEBUG": "false",
        "CAREDESK_SSL_REDIRECT": "false",
        "CAREDESK_SECURE_COOKIES": "false",
        "CAREDESK_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    argv = [sys.executable, "-m", "caredesk", "serve", "--bind", f"127.0.0.1:{port}"]
    argv += ["--workers", str(workers), "--no-collectstatic"]
    with open(log, "wb") as sink:
        process = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"caredesk serve exited ({process.returncode}):\n{server.tail()}")
        try:
            with urllib.request.urlopen(f"{server.base}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    out(f"server: caredesk serve, {workers} gunicorn workers, {server.base}")
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"caredesk serve did not answer /healthz:\n{server.tail()}")


# --- PostgreSQL restart ----------------------------------------------------------------------


def local_cluster() -> tuple[str, str]:
    """(version, cluster) of the local PostgreSQL cluster serving this database, found by its
    port in `pg_lsclusters`. Refuses anything but a database on this machine."""
    if connection.vendor != "postgresql":
        raise RuntimeError("--fault restarts PostgreSQL: run it against a PostgreSQL database.")
    host = connection.settings_dict.get("HOST") or "localhost"
    if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
        raise RuntimeError(f"--fault restarts only a local cluster, not one on {host}.")
    port = str(connection.settings_dict.get("PORT") or 5432)
    try:
        listing = subprocess.run(
            ["pg_lsclusters", "--no-header"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"pg_lsclusters is not available: {exc}") from exc
    for row in listing.splitlines():
        parts = row.split()
        if len(parts) >= 3 and parts[2] == port:
            return parts[0], parts[1]
    raise RuntimeError(f"No local PostgreSQL cluster listens on port {port}.")


# --- Verification ----------------------------------------------------------------------------


def verify_writes(writes: list[dict]) -> dict[str, tuple[int, int]]:
    """For each kind: (acknowledged, found in the database with its audit event)."""
    from caredesk.audit.models import Event
    from caredesk.comms.models import ActivityNote
    from caredesk.orders.models import Order, Payment

    result = {}
    for kind, action in WRITE_ACTIONS.items():
        acked = [w for w in writes if w["kind"] == kind]
        audited = set(
            Event.objects.filter(
                action=action, request_id__in=[rid for w in acked for rid in w["rids"]]
            ).values_list("request_id", flat=True)
        )
        if kind == "amendment":
            versions = dict(
                Order.objects.filter(number__in={w["number"] for w in acked}).values_list(
                    "number", "version"
                )
            )
            present = {
                i for i, w in enumerate(acked) if versions.get(w["number"], 0) >= w["version"]
            }
        elif kind == "payment":
            rows = set(
                Payment.objects.filter(pk__in=[w["id"] for w in acked]).values_list(
                    "pk", "idempotency_key"
                )
            )
            present = {i for i, w in enumerate(acked) if (w["id"], w["key"]) in rows}
        else:
            ids = set(
                ActivityNote.objects.filter(pk__in=[w["id"] for w in acked]).values_list(
                    "pk", flat=True
                )
            )
            present = {i for i, w in enumerate(acked) if w["id"] in ids}
        good = sum(
            1 for i, w in enumerate(acked) if i in present and audited.intersection(w["rids"])
        )
        result[kind] = (len(acked), good)
    return result


# --- Running ---------------------------------------------------------------------------------


def run(options: dict, out=print) -> dict:
    """Run the steps (or the fault run); returns the figures it printed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    steps = sorted({int(s) for s in str(options["steps"]).split(",") if s.strip()})
    think = tuple(float(x) for x in str(options["think"]).split(","))
    if len(think) != 2 or think[0] < 0 or think[1] < think[0]:
        raise ValueError("--think is MIN,MAX seconds")
    if options["workers"] < 2:
        raise ValueError("--workers must be 2 or more")
    fault = bool(options.get("fault"))
    cluster = local_cluster() if fault else None
    from caredesk.orders import bench as orders_bench

    data = orders_bench.dataset(options, out)
    agents = data["agents"]
    # A CSR who also takes payments at the counter: the csr and finance roles.
    roles = list(Group.objects.filter(name__in=["csr", "finance"]))
    for agent in agents:
        agent.groups.add(*roles)
    most = options["fault_agents"] if fault else max(steps)
    users = get_user_model().objects.filter(pk__in=[a.pk for a in agents])
    sessions = [session_for(u) for u in users for _ in range(max(1, most // len(agents) + 1))]
    pool = list(work_items(max(most * 4, 50), options.get("seed", 1)))
    if len(pool) < most:
        raise RuntimeError(f"only {len(pool)} open bench orders for {most} agents: add --orders")
    codes = note_codes()
    connection.close()  # the server and Locust take over; checks reconnect afterwards

    server = serve(options["workers"], out)
    try:
        result = drive(
            {
                **options,
                "steps": steps,
                "think": list(think),
                "cluster": list(cluster) if cluster else None,
                "base": server.base,
                "server_pid": server.process.pid,
                "postgres": database_url().startswith("postgres"),
                "server_log": str(server.log),
                "sessions": sessions,
                "pool": pool,
                "codes": list(codes),
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
            },
            out,
        )
    finally:
        server.stop()
        for key in sessions:  # the bench's sign-ins end with the run
            import_module(settings.SESSION_ENGINE).SessionStore(session_key=key).delete()
    figures = result["figures"]
    checked = verify_writes(result["writes"])
    lost = 0
    for kind, (acked, good) in checked.items():
        lost += acked - good
        out(f"acknowledged {kind}s: {acked}, present and audited: {good}")
    out("every acknowledged write is present and audited" if not lost else f"LOST: {lost}")
    figures["writes"] = checked
    if lost or (fault and not (figures["during_only_503"] and figures["none_after"])):
        from django.core.management.base import CommandError

        raise CommandError("the run failed its checks (see above)")
    return figures


def drive(config: dict, out) -> dict:
    """Run `caredesk.workspace.loadgen` (Locust) with `config`, passing its lines through."""
    with tempfile.TemporaryDirectory(prefix="caredesk-load-") as tmp:
        config_path, result_path = Path(tmp) / "config.json", Path(tmp) / "result.json"
        config_path.write_text(json.dumps(config))
        process = subprocess.Popen(
            [sys.executable, "-m", "caredesk.workspace.loadgen", config_path, result_path],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = []
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if not line.startswith("[20"):  # Locust's own log lines
                out(line.rstrip("\n"))
        process.wait()
        if process.returncode != 0 or not result_path.exists():
            raise RuntimeError("the load generator failed:\n" + "\n".join(lines[-30:]))
        return json.loads(result_path.read_text())
