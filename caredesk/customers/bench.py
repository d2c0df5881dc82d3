"""`caredesk bench search`: customer search latency at 10k / 100k / 1M / 10M customers.

For each size it builds (or reuses) the demo data set, then times full requests through the
app (Django test Client, signed-in CSR, real URLs: the type-ahead `customers:instant` and the
Customers page `customers:search`) for instant search (name fragment, email fragment, phone in
another format, member ID) and advanced search (`Anders%`, billing last 4 + holder last name,
address `%street%`). In the same run it times the naive way a stock Django admin changelist
searches (`icontains` OR-ed over the same fields, related ones joined, newest 100 + COUNT) and
prints the ratio.

    caredesk bench search --customers 1000000 --sizes 10000,100000,1000000
    caredesk bench search --customers 10000000 --sizes 1000000,10000000 --naive-iterations 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caredesk_bench caredesk bench search ...

Up to `--pool` customers (100k) are drawn by the demo generator; on PostgreSQL the rest are
copied from them inside the database (set-based, a quarter million per statement), so 10M
builds in minutes with flat memory. The database's size on disk and this process's peak memory
are printed at each size, and at the end the p95 of every query at every size side by side.
"""

import random
import resource
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from caredesk.customers.models import IDENTITY_FIELDS, Card, Customer
from caredesk.lib.progress import Progress

TARGETS_MS = {"instant": {"postgresql": 25, "sqlite": 40}, "advanced": 50}
NAIVE_FIELDS = ["member_id", *IDENTITY_FIELDS]
NAIVE_RELATED = ["addresses__line1", "addresses__city", "cards__last4", "cards__holder_last_name"]


def add_arguments(parser) -> None:
    parser.add_argument("--customers", type=int, default=1_000_000, help="largest size")
    parser.add_argument(
        "--sizes", default="", help="comma-separated sizes to measure (default: --customers)"
    )
    parser.add_argument("--iterations", type=int, default=40, help="timed requests per query")
    parser.add_argument("--naive-iterations", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--build-only", action="store_true", help="build the data set to --customers and stop"
    )
    parser.add_argument(
        "--pool",
        type=int,
        default=100_000,
        help="customers the generator draws; on PostgreSQL the rest are set-based copies of them",
    )


def _sizes(options) -> list[int]:
    raw = [s for s in str(options.get("sizes") or "").split(",") if s.strip()]
    sizes = sorted({int(s.replace("_", "")) for s in raw} | {int(options["customers"])})
    return [s for s in sizes if 0 < s <= int(options["customers"])]


def _ensure_base(out) -> Client:
    from caredesk.branches import demo as branches_demo

    branches_demo.build(out=lambda *_: None, options={})
    User = get_user_model()
    user, made = User.objects.get_or_create(username="bench-csr", defaults={"is_staff": True})
    if made:
        user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name="csr"))
    client = Client()
    client.force_login(user)
    return client


def _grow(size: int, options, out) -> None:
    """Grow the table to `size` customers: the generator draws them one by one up to
    `--pool`; on PostgreSQL the rest are copied from those inside the database
    (`replicate.customers_replicate`, set-based), elsewhere the generator draws them all."""
    from django.db import connection

    from caredesk.customers.demo import customers_generate
    from caredesk.customers.replicate import customers_replicate
    from caredesk.customers.search import indexes

    # A previous run interrupted while re-creating the indexes left data without them.
    repaired = indexes.repair(connection)
    if repaired:
        out(f"repaired search indexes a previous run left missing: {', '.join(repaired)}")
    have = Customer.objects.count()
    if have >= size:
        return
    out(f"building the data set: {have:,} -> {size:,} customers")
    started = time.perf_counter()
    pool = options["pool"] if connection.vendor == "postgresql" else size
    drawn = max(0, min(size, pool) - have)
    if drawn:
        progress = Progress("customers", drawn)
        rng = random.Random(f"{options['seed']}:{have}")
        customers_generate(count=drawn, rng=rng, progress=progress)
        progress.finish()
        out(f"  drawn by the generator: {drawn:,}")
    copied = size - have - drawn
    if copied:
        progress = Progress("copies", copied)
        customers_replicate(count=copied, pool=pool, progress=progress)
        progress.finish()
        out(f"  copied set-based from the first {pool:,}: {copied:,}")
    out(f"  built in {time.perf_counter() - started:.1f}s")


def _footprint() -> str:
    """The database's size on disk and this process's peak memory, for the report."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            disk = cursor.fetchone()[0]
    else:
        name = Path(str(connection.settings_dict["NAME"]))
        disk = sum(p.stat().st_size for p in name.parent.glob(name.name + "*") if p.is_file())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return f"database on disk {disk / 2**30:.2f} GiB, peak memory of this process {peak:,.0f} MiB"


def _samples(rng: random.Random, count: int) -> list[Customer]:
    bounds = Customer.objects.order_by("id").values_list("id", flat=True)
    low, high = bounds.first(), bounds.last()
    ids = [rng.randint(low, high) for _ in range(count * 3)]
    found = list(Customer.objects.filter(id__in=ids).exclude(email="").exclude(phone=""))
    rng.shuffle(found)
    return found[:count] or list(Customer.objects.all()[:count])


def _name_fragment(c: Customer) -> str:
    word = max([*c.last_name.split(), *c.first_name.split()], key=len)
    return word[1:5] if len(word) >= 5 else word


def _phone_other_format(c: Customer, n: int) -> str:
    digits = c.phone.removeprefix("+63")
    if n % 2:
        return f"0{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return f"63 {digits[:3]} {digits[3:6]} {digits[6:]}"


# What the browser sends: the type-ahead and the advanced form are htmx requests.
HTMX = {
    "instant": {"HX-Request": "true", "HX-Target": "global-search-results"},
    "advanced": {"HX-Request": "true", "HX-Target": "search-area"},
}


def _queries(samples: list[Customer], cards: list[Card]):
    """(label, kind, [url params...], [naive term(s)...]) for every timed query."""
    instant = reverse("customers:instant")
    page = reverse("customers:search")
    return [
        (
            "instant: name fragment",
            "instant",
            [(instant, {"q": _name_fragment(c)}) for c in samples],
            [[_name_fragment(c)] for c in samples],
        ),
        (
            "instant: email fragment",
            "instant",
            [(instant, {"q": c.email.split("@")[0][2:8]}) for c in samples],
            [[c.email.split("@")[0][2:8]] for c in samples],
        ),
        (
            "instant: phone, other format",
            "instant",
            [(instant, {"q": _phone_other_format(c, n)}) for n, c in enumerate(samples)],
            [[_phone_other_format(c, n)] for n, c in enumerate(samples)],
        ),
        (
            "instant: member ID",
            "instant",
            [(instant, {"q": "m" + c.member_id.lstrip("M").lstrip("0")}) for c in samples],
            [["m" + c.member_id.lstrip("M").lstrip("0")] for c in samples],
        ),
        (
            "advanced: last name Anders%",
            "advanced",
            [(page, {"last_name": "Anders%"})],
            [["Anders"]],
        ),
        (
            "advanced: card last 4 + name",
            "advanced",
            [(page, {"card_last4": k.last4, "card_last_name": k.holder_last_name}) for k in cards],
            [[k.last4, k.holder_last_name] for k in cards],
        ),
        ("advanced: address %street%", "advanced", [(page, {"address": "%street%"})], [["street"]]),
    ]


def _naive(terms: list[str]) -> float:
    """A stock admin changelist search: every word must match one of the search fields
    (icontains, related fields joined, DISTINCT), newest 100 shown, and the COUNT."""
    qs = Customer.objects.all()
    for term in terms:
        cond = Q()
        for name in [*NAIVE_FIELDS, *NAIVE_RELATED]:
            cond |= Q(**{f"{name}__icontains": term})
        qs = qs.filter(cond)
    qs = qs.distinct()
    started = time.perf_counter()
    list(qs.order_by("-pk")[:100])
    qs.count()
    return (time.perf_counter() - started) * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]


def measure(client: Client, *, size: int, options, out) -> dict:
    rng = random.Random(f"{options['seed']}:samples:{size}")
    samples = _samples(rng, max(5, min(40, options["iterations"])))
    cards = list(Card.objects.filter(customer__in=samples[:10]).exclude(holder_last_name="")[:10])
    vendor = connection.vendor
    out(f"\n{size:,} customers ({vendor})")
    out(f"  {'query':<32}{'median ms':>10}{'p95 ms':>9}{'naive ms':>11}{'ratio':>8}  target")
    summary = {}
    for label, kind, requests, naive_terms in _queries(samples, cards):
        if not requests:
            continue
        headers = HTMX[kind]
        for url, params in requests[:3]:  # warm up caches and the plan
            client.get(url, params, headers=headers)
        timings = []
        for n in range(options["iterations"]):
            url, params = requests[n % len(requests)]
            started = time.perf_counter()
            response = client.get(url, params, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url}?{urlencode(params)} -> {response.status_code}")
        naive = [
            _naive(naive_terms[n % len(naive_terms)])
            for n in range(max(1, options["naive_iterations"]))
        ]
        median, p95, naive_median = (
            statistics.median(timings),
            _p95(timings),
            statistics.median(naive),
        )
        target = TARGETS_MS[kind][vendor] if kind == "instant" else TARGETS_MS[kind]
        ok = "ok" if p95 < target else "OVER"
        out(
            f"  {label:<32}{median:>10.1f}{p95:>9.1f}{naive_median:>11.1f}"
            f"{naive_median / median:>7.0f}x  p95<{target} {ok}"
        )
        summary[label] = {"median": median, "p95": p95, "naive": naive_median}
    instant_p95 = max(v["p95"] for k, v in summary.items() if k.startswith("instant"))
    advanced_p95 = max(v["p95"] for k, v in summary.items() if k.startswith("advanced"))
    worst_ratio = min(v["naive"] / v["median"] for v in summary.values())
    out(
        f"  latency at {size:,}: instant p95 <= {instant_p95:.1f} ms, advanced p95 <= "
        f"{advanced_p95:.1f} ms, at least {worst_ratio:.0f}x faster than naive"
    )
    return summary


def run(*, out, options) -> dict:
    """Build/reuse the data set for each size and print the latency table; returns the
    figures by size (for tests and scripts)."""
    client = _ensure_base(out)
    results, disks = {}, {}
    if options["build_only"]:
        _grow(options["customers"], options, out)
        out(f"  {_footprint()}")
        return results
    for size in _sizes(options):
        have = Customer.objects.count()
        if have > size:
            out(f"\n{size:,} customers: skipped (the database already holds {have:,})")
            continue
        _grow(size, options, out)
        disks[size] = _footprint()
        out(f"  {disks[size]}")
        results[size] = measure(client, size=size, options=options, out=out)
    if results:
        _side_by_side(results, disks, out)
    return results


def _side_by_side(results: dict, disks: dict, out) -> None:
    """p95 of every query at every size in one table, so growth shows at a glance."""
    sizes = list(results)
    out("\np95 ms by size (full request through the app), and the slowest against naive:")
    out(f"  {'query':<32}" + "".join(f"{size:>14,}" for size in sizes))
    for label in results[sizes[0]]:
        cells = [results[size].get(label, {}).get("p95") for size in sizes]
        out(f"  {label:<32}" + "".join(f"{c:>14.1f}" if c else f"{'':>14}" for c in cells))
    ratios = [min(v["naive"] / v["median"] for v in results[size].values()) for size in sizes]
    out(f"  {'slowest vs naive':<32}" + "".join(f"{r:>13.0f}x" for r in ratios))
    for size in sizes:
        out(f"  {size:,}: {disks[size]}")
