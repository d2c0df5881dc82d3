"""`caredesk bench orders`: p50/p95 of the order page, the pending grid and an amendment on a
bulk-generated data set (default 1,000,000 customers and 3,000,000 orders).

Generation is idempotent and in chunks: on PostgreSQL with `generate_series` (minutes for the
full size), elsewhere with `bulk_create`, 20,000 rows at a time so memory stays flat. Bench
rows use member IDs `M1xxxxxxxxx` and the branch `BNC`, so they never collide with real or
demo data. Timings go through the whole Django stack in-process (middleware, auth, templates,
queries)."""

import random
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from caredesk.branches.models import Branch
from caredesk.customers.models import Customer
from caredesk.customers.search import customer_search_fields
from caredesk.lib.bench import bench_client, bench_user, measure, report
from caredesk.lib.progress import Progress
from caredesk.orders.models import CatalogItem, Order, OrderLine, Status

BRANCH = "BNC"
MEMBER_BASE = 1_000_000_000
CHUNK = 100_000
AGENTS = 50
STATUSES = ["draft", "pending", "scheduled", "ready", "delivered", "completed", "cancelled"]


def _agents():
    return [bench_user(f"bench-csr-{i:02d}", "csr", first_name=f"Bench{i}") for i in range(AGENTS)]


def _ranges(label: str, have: int, total: int, size: int):
    """The (first, last) numbers, 1-based and inclusive, of each chunk still to write after the
    `have` already written, up to `total`, `size` at a time, with a progress bar."""
    bar = Progress(label, total)
    bar.advance(have)
    while have < total:
        upto = min(have + size, total)
        yield have + 1, upto
        bar.advance(upto - have)
        have = upto
    bar.finish()


def _generate_pg(table_customers: int, table_orders: int, agents, out) -> None:
    branch = Branch.objects.get(code=BRANCH)
    agent_ids = [a.pk for a in agents]
    have = Customer.objects.filter(member_id__startswith="M1").count()
    with connection.cursor() as cur:
        for first, last in _ranges("customers", have, table_customers, CHUNK):
            cur.execute(
                """
                INSERT INTO customers_customer (member_id, account_type, status, closed_reason,
                  first_name, last_name, nickname, company, contact_name, email, phone, branch_id,
                  locale, plan, marketing_email, marketing_sms, share_with_partners,
                  call_forwarding_to, fraud_hold, created_at, updated_at, last_activity_at, version,
                  password, password_stamp, phone_digits, search_name, first_key, last_key,
                  company_key, search_text)
                SELECT member_id, 'individual', 'open', '', first, last, '', '', '', email,
                  '+63' || digits, %s, 'en', 'none', false, false, false, '', false,
                  now(), now(), now(), 1, '', '', digits, lower(last || ' ' || first),
                  lower(first), lower(last), '',
                  lower(member_id || ' ' || first || ' ' || last || ' ' || email || ' ' || digits)
                FROM (
                  SELECT 'M' || (%s + i) AS member_id,
                    (ARRAY['Maria','Jose','Ana','Juan','Liza','Paolo','Grace','Ramon'])[1 + i %% 8]
                      AS first,
                    'Bench' || i AS last, 'bench' || i || '@example.com' AS email,
                    '92' || lpad((i %% 100000000)::text, 8, '0') AS digits
                  FROM generate_series(%s::bigint, %s::bigint) AS i
                ) AS generated
                """,
                [branch.pk, MEMBER_BASE, first, last],
            )
        cur.execute("SELECT min(id), max(id) FROM customers_customer WHERE member_id LIKE 'M1%%'")
        first_customer, last_customer = cur.fetchone()
        span = last_customer - first_customer + 1
        have = Order.objects.filter(branch=branch).count()
        for first, last in _ranges("orders", have, table_orders, CHUNK):
            cur.execute(
                """
                INSERT INTO orders_order (number, branch_id, customer_id, kind, status, version,
                  subtotal, discount_total, tax, delivery_fee, total, paid, balance, line_count,
                  suspended, suspended_reason, cancel_reason_code, cancel_reason, assigned_to_id,
                  tracking_salt, tracking_token_hash, created_by_id, created_at, updated_by_id,
                  updated_at)
                SELECT %s || '-' || lpad(i::text, 7, '0'), %s, %s + (i * 7919) %% %s,
                  CASE WHEN i %% 3 = 0 THEN 'service' ELSE 'sale' END,
                  (%s::text[])[1 + (i * 31) %% 7], 2,
                  2500.00, 0, 283.93, 150.00, 2650.00, 0, 2650.00, 1,
                  false, '', '', '', (%s::bigint[])[1 + i %% %s],
                  '', '', (%s::bigint[])[1 + i %% %s], now() - (i || ' seconds')::interval,
                  (%s::bigint[])[1 + i %% %s], now() - (i || ' seconds')::interval
                FROM generate_series(%s::bigint, %s::bigint) AS i
                """,
                [
                    BRANCH,
                    branch.pk,
                    first_customer,
                    span,
                    STATUSES,
                    agent_ids,
                    len(agent_ids),
                    agent_ids,
                    len(agent_ids),
                    agent_ids,
                    len(agent_ids),
                    first,
                    last,
                ],
            )
            cur.execute(
                """
                INSERT INTO orders_orderline (order_id, position, catalog_item_id, sku, name,
                  quantity, unit_price, discount)
                SELECT o.id, 1, c.id, c.sku, c.name, 2, c.price, 0
                FROM orders_order o CROSS JOIN (SELECT id, sku, name, price FROM orders_catalogitem
                  WHERE sku = 'BNC-ITEM') c
                WHERE o.branch_id = %s AND o.number > %s AND o.number <= %s
                """,
                [branch.pk, f"{BRANCH}-{first - 1:07d}", f"{BRANCH}-{last:07d}"],
            )
    # A live database is vacuumed by autovacuum; do it now so the figures are steady-state.
    with connection.cursor() as cur:
        for table in ("customers_customer", "orders_order", "orders_orderline"):
            cur.execute(f"VACUUM ANALYZE {table}")


ORM_CHUNK = 20_000  # rows built in memory at a time: memory stays flat at any size


def _generate_orm(n_customers: int, n_orders: int, agents, out) -> None:
    branch = Branch.objects.get(code=BRANCH)
    item = CatalogItem.objects.get(sku="BNC-ITEM")
    have = Customer.objects.filter(member_id__startswith="M1").count()
    now = timezone.now()
    for first, last in _ranges("customers", have, n_customers, ORM_CHUNK):
        chunk = [
            Customer(
                member_id=f"M{MEMBER_BASE + i}",
                first_name="Bench",
                last_name=f"Bench{i}",
                branch=branch,
            )
            for i in range(first, last + 1)
        ]
        for customer in chunk:  # bulk_create skips save(): set the search columns here
            for field, value in customer_search_fields(customer).items():
                setattr(customer, field, value)
        with transaction.atomic():
            Customer.objects.bulk_create(chunk, batch_size=2000)
    customers = list(
        Customer.objects.filter(member_id__startswith="M1").values_list("pk", flat=True)
    )
    have = Order.objects.filter(branch=branch).count()
    for first, last in _ranges("orders", have, n_orders, ORM_CHUNK):
        chunk = [
            Order(
                number=f"{BRANCH}-{i:07d}",
                branch=branch,
                customer_id=customers[(i * 7919) % len(customers)],
                kind="service" if i % 3 == 0 else "sale",
                status=STATUSES[(i * 31) % 7],
                version=2,
                subtotal=Decimal("2500.00"),
                tax=Decimal("283.93"),
                delivery_fee=Decimal("150.00"),
                total=Decimal("2650.00"),
                balance=Decimal("2650.00"),
                line_count=1,
                assigned_to=agents[i % len(agents)],
                created_by=agents[i % len(agents)],
                updated_by=agents[i % len(agents)],
                created_at=now - timedelta(seconds=i),  # one second apart, as on PostgreSQL
                updated_at=now - timedelta(seconds=i),
            )
            for i in range(first, last + 1)
        ]
        with transaction.atomic():
            Order.objects.bulk_create(chunk, batch_size=2000)
            numbers = (f"{BRANCH}-{first:07d}", f"{BRANCH}-{last:07d}")
            OrderLine.objects.bulk_create(
                [
                    OrderLine(
                        order_id=pk,
                        position=1,
                        catalog_item=item,
                        sku=item.sku,
                        name=item.name,
                        quantity=2,
                        unit_price=item.price,
                    )
                    for pk in Order.objects.filter(
                        branch=branch, number__range=numbers
                    ).values_list("pk", flat=True)
                ],
                batch_size=2000,
            )


def bench_base() -> list:
    """The bench branch, its catalog item and the bench agents, created when missing. Returns
    the agents."""
    with transaction.atomic():
        Branch.objects.get_or_create(code=BRANCH, defaults={"name": "Bench", "active": True})
        CatalogItem.objects.get_or_create(
            sku="BNC-ITEM", defaults={"name": "Bench item", "price": Decimal("1250.00")}
        )
        return _agents()


def generate(n_customers: int, n_orders: int, agents, out) -> None:
    """The bench customers and orders up to these numbers: set-based on PostgreSQL, else in
    bulk through the ORM."""
    if connection.vendor == "postgresql":
        _generate_pg(n_customers, n_orders, agents, out)
    else:
        _generate_orm(n_customers, n_orders, agents, out)


def dataset(options: dict, out) -> dict:
    """The bench data set (generated when missing): its agents and a few counts."""
    agents = bench_base()
    started = time.monotonic()
    generate(options["customers"], options["orders"], agents, out)
    orders = Order.objects.filter(branch__code=BRANCH).count()
    customers = Customer.objects.filter(member_id__startswith="M1").count()
    out(
        f"data set: {customers:,} bench customers, {orders:,} bench orders "
        f"({connection.vendor}; ready in {time.monotonic() - started:.0f}s)"
    )
    return {"agents": agents, "orders": orders, "customers": customers}


def add_dataset_arguments(parser, *, customers=1_000_000, orders=3_000_000) -> None:
    """The options sizing the bench data set: --customers and --orders."""
    parser.add_argument("--customers", type=int, default=customers)
    parser.add_argument("--orders", type=int, default=orders)


def add_arguments(parser) -> None:
    add_dataset_arguments(parser)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)


def run(options: dict, out=print) -> dict[str, tuple[float, float]]:
    """Generate (if needed) and measure. Returns {name: (p50_ms, p95_ms)}."""
    from caredesk.orders.services import Amendment, order_amend

    samples = options["samples"]
    rng = random.Random(options.get("seed", 1))
    data = dataset(options, out)
    total_orders = data["orders"]
    agent = data["agents"][0]
    client = bench_client(agent)
    secure = not settings.DEBUG and getattr(settings, "SECURE_SSL_REDIRECT", False)

    def number(i: int) -> str:
        return f"{BRANCH}-{i:07d}"

    def detail():
        response = client.get(f"/orders/{number(rng.randint(1, total_orders))}/", secure=secure)
        assert response.status_code == 200, response.status_code

    def grid():
        response = client.get("/orders/pending/", secure=secure)
        assert response.status_code == 200, response.status_code

    def grid_all():
        response = client.get("/orders/pending/?agent=all", secure=secure)
        assert response.status_code == 200, response.status_code

    open_orders = list(
        Order.objects.filter(
            branch__code=BRANCH, status__in=[Status.DRAFT, Status.PENDING, Status.SCHEDULED]
        )
        .order_by("?" if total_orders < 100_000 else "pk")
        .values_list("number", flat=True)[: samples * 2 + 2]
    )

    def amend():
        current = Order.objects.get(number=rng.choice(open_orders))
        line = current.lines.first()
        order_amend(
            actor=agent,
            order=current.number,
            expected_version=current.version,
            amendment=Amendment(op="set_quantity", line=line.pk, quantity=1 + line.quantity % 5),
            reason="bench",
        )

    calls = {
        "order page": detail,
        "pending grid (mine)": grid,
        "pending grid (all agents)": grid_all,
        "amendment": amend,
    }
    results = measure(calls, samples)
    report(results, out, width=28)
    return results
