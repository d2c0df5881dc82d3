"""`caredesk bench pages`: p50/p95 of the pages a CSR opens all day, on the orders benchmark's
data set (generated when missing), measured through the whole Django stack in-process (Django
test client: middleware, session, auth, queries, templates), signed in as a bench CSR (roles
csr and finance, as in `caredesk bench load`). Target: p95 under 50 ms for each page.

    caredesk bench pages --database-url postgres://postgres@127.0.0.1:5432/caredesk_bench \\
        --customers 100000 --orders 300000 --samples 100
"""

import os
import random
import statistics
import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.lib.bench import bench_client

TARGET_MS = 50.0


def add_arguments(parser) -> None:
    from caredesk.orders import bench as orders_bench

    orders_bench.add_dataset_arguments(parser, customers=100_000, orders=300_000)
    parser.add_argument("--samples", type=int, default=100, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=1)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(options: dict, out=print) -> dict[str, tuple[float, float, int]]:
    """Returns {page: (p50_ms, p95_ms, queries)}."""
    from caredesk.orders import bench as orders_bench
    from caredesk.orders.models import Order

    rng = random.Random(options.get("seed", 1))
    data = orders_bench.dataset(options, out)
    agent = data["agents"][0]
    agent.groups.add(*Group.objects.filter(name__in=["csr", "finance"]))
    orders = list(
        Order.objects.filter(branch__code=orders_bench.BRANCH)
        .order_by("pk")
        .values_list("number", "customer__member_id")[: max(options["samples"] * 5, 50)]
    )
    rng.shuffle(orders)
    client = bench_client(agent)
    secure = not settings.DEBUG and getattr(settings, "SECURE_SSL_REDIRECT", False)

    def pick(i: int) -> tuple[str, str]:
        return orders[i % len(orders)]

    pages = {
        "dashboard": lambda i: "/",
        "customer snapshot": lambda i: f"/customers/{pick(i)[1]}/",
        "order page": lambda i: f"/orders/{pick(i)[0]}/",
        "customer activity": lambda i: f"/customers/{pick(i)[1]}/activity/",
        "pending grid": lambda i: "/orders/pending/",
        "outbox": lambda i: "/outbox/",
        "audit log": lambda i: "/audit/",
        "shell poll (every 4 s)": lambda i: "/people/shell/",
    }
    results = {}
    for name, url in pages.items():
        client.get(url(0), secure=secure, headers=_headers(name))  # warm-up: per-process caches
        with CaptureQueriesContext(connection) as counted:
            client.get(url(0), secure=secure, headers=_headers(name))
        queries = len(counted)  # now: the log is reset by the next request
        took = []
        for i in range(options["samples"]):
            start = time.perf_counter()
            response = client.get(url(i + 1), secure=secure, headers=_headers(name))
            took.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{name}: {url(i + 1)} answered {response.status_code}")
        results[name] = (statistics.median(took), _percentile(took, 0.95), queries)
    out(f"machine load average (1 min, shared with everything else): {os.getloadavg()[0]:.1f}")
    out(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}  target p95 < {TARGET_MS:g} ms")
    for name, (p50, p95, queries) in results.items():
        verdict = "ok" if p95 < TARGET_MS else "over"
        out(f"{name:<24} {p50:>8.1f} {p95:>8.1f} {queries:>8}  {verdict}")
    return results


def _headers(name: str) -> dict:
    return {"HX-Request": "true"} if name.startswith("shell") else {}
