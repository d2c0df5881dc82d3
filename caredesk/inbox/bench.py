"""`caredesk bench inbox [--tickets N] [--requests R]`: p50/p95 of the staff inbox (the
complaints list, default view and "overdue" filter, a page deep in the list) and of the
tickets API list, on a bulk-generated data set (default 1,000,000 tickets).

Generation is idempotent and in chunks: on PostgreSQL one `INSERT ... SELECT` over
`generate_series` per 100,000 tickets (a few minutes for the full size), elsewhere with
`bulk_create` (for small sizes). Bench tickets have references `BC-000000001`, ... so they never
collide with real ones. Timings go through the whole Django stack in-process (middleware,
auth, templates, queries)."""

import datetime as dt
import random
import statistics
import time

from django.db import connection
from django.test import Client
from django.utils import timezone

from caredesk.inbox.models import NO_DEADLINE, PRIORITY_RANK, Ticket
from caredesk.lib.bench import bench_user
from caredesk.lib.progress import Progress

CHUNK = 20_000
PG_CHUNK = 100_000
KINDS = ["complaint", "complaint", "service", "issue", "career"]
STATUSES = ["new", "open", "waiting", "resolved", "closed", "closed", "closed", "closed"]
PRIORITIES = ["low", "normal", "normal", "normal", "high", "urgent"]


def add_arguments(parser) -> None:
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)


def _agents():
    return [bench_user(f"bench-inbox-{i:02d}", "csr") for i in range(20)]


def _generate(total: int, agents) -> None:
    if connection.vendor == "postgresql":
        _generate_pg(total, agents)
    else:
        _generate_orm(total, agents)


def _generate_pg(total: int, agents) -> None:
    """The same tickets as `_generate_orm` (kind, status and priority cycle with the number,
    two in three assigned), written set-based by the database."""
    have = Ticket.objects.filter(reference__startswith="BC-").count()
    bar = Progress("tickets", total)
    bar.advance(have)
    agent_ids = [a.pk for a in agents]
    ranks = [PRIORITY_RANK[p] for p in PRIORITIES]
    with connection.cursor() as cur:
        while have < total:
            upto = min(have + PG_CHUNK, total)
            cur.execute(
                """
                INSERT INTO inbox_ticket (reference, kind, status, priority, subject, branch_id,
                  assignee_id, customer_id, order_id, position_id, merged_into_id, guest_name,
                  guest_email, guest_phone, locale, tags, follow_up_on, due_at, is_open,
                  queue_at, priority_rank, sla_paused_at, sla_paused_seconds, resolved_at,
                  version, source_ip, created_by_id, created_at, updated_at)
                SELECT 'BC-' || lpad(n::text, 9, '0'), kind, status, priority,
                  'Bench ticket ' || n || ': delivery arrived late', NULL,
                  CASE WHEN i %% 3 <> 0 THEN (%(agents)s::bigint[])[1 + i %% %(n_agents)s] END,
                  NULL, NULL, NULL, NULL, 'Bench Guest', 'guest' || i || '@example.com', '',
                  'en', '[]'::jsonb, NULL, due, status IN ('new', 'open', 'waiting'),
                  coalesce(due, %(no_deadline)s), rank, NULL, 0, NULL, 1, NULL, NULL,
                  created, created
                FROM (
                  SELECT i, i + 1 AS n, kind, status, priority, rank, created,
                    CASE WHEN status = 'waiting' THEN NULL
                      ELSE created + ((4 + (i * 31) %% 77) || ' hours')::interval END AS due
                  FROM (
                    SELECT i,
                      (%(kinds)s::text[])[1 + i %% %(n_kinds)s] AS kind,
                      (%(statuses)s::text[])[1 + i %% %(n_statuses)s] AS status,
                      (%(priorities)s::text[])[1 + i %% %(n_priorities)s] AS priority,
                      (%(ranks)s::int[])[1 + i %% %(n_priorities)s] AS rank,
                      now() - (((i * 7919) %% 525600) || ' minutes')::interval AS created
                    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i
                  ) AS picked
                ) AS generated
                """,
                {
                    "agents": agent_ids,
                    "n_agents": len(agent_ids),
                    "kinds": KINDS,
                    "n_kinds": len(KINDS),
                    "statuses": STATUSES,
                    "n_statuses": len(STATUSES),
                    "priorities": PRIORITIES,
                    "ranks": ranks,
                    "n_priorities": len(PRIORITIES),
                    "no_deadline": NO_DEADLINE,
                    "first": have,
                    "last": upto - 1,
                },
            )
            bar.advance(upto - have)
            have = upto
    bar.finish()
    # A live database is vacuumed by autovacuum; do it now so the figures are steady-state
    # (inside a transaction, as in the tests, VACUUM cannot run: statistics only).
    with connection.cursor() as cur:
        cur.execute(
            "ANALYZE inbox_ticket" if connection.in_atomic_block else "VACUUM ANALYZE inbox_ticket"
        )


def _generate_orm(total: int, agents) -> None:
    have = Ticket.objects.filter(reference__startswith="BC-").count()
    bar = Progress("tickets", total)
    bar.advance(have)
    rng = random.Random(have)
    now = timezone.now()
    while have < total:
        upto = min(have + CHUNK, total)
        rows = []
        for i in range(have, upto):
            status = STATUSES[i % len(STATUSES)]
            created = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            due = None if status == "waiting" else created + dt.timedelta(hours=rng.randint(4, 80))
            ticket = Ticket(
                reference=f"BC-{i + 1:09d}",
                kind=KINDS[i % len(KINDS)],
                status=status,
                priority=PRIORITIES[i % len(PRIORITIES)],
                subject=f"Bench ticket {i + 1}: delivery arrived late",
                assignee=agents[i % len(agents)] if i % 3 else None,
                guest_name="Bench Guest",
                guest_email=f"guest{i}@example.com",
                due_at=due,
                created_at=created,
                updated_at=created,
            )
            ticket.queue_fields()
            rows.append(ticket)
        Ticket.objects.bulk_create(rows, batch_size=2000)
        bar.advance(upto - have)
        have = upto
    bar.finish()


def _time(client: Client, url: str, n: int, **kw) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, **kw)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def run(*, out, options) -> None:
    agents = _agents()
    _generate(options["tickets"], agents)
    from caredesk.staff.services import token_issue

    agent = agents[1]
    web = Client()
    web.force_login(agent)
    api = Client(headers={"Authorization": f"Bearer {token_issue(user=agent)}"})
    n = options["requests"]
    total = Ticket.objects.count()
    out(f"inbox bench: {total:,} tickets, {n} requests each (p50 / p95 in ms)")
    cases = [
        ("complaints inbox (open, due first)", web, "/inbox/complaints"),
        ("service inbox", web, "/inbox/service"),
        ("issues inbox", web, "/inbox/issues"),
        ("complaints inbox, overdue only", web, "/inbox/complaints?overdue=1"),
        ("complaints inbox, sorted by priority", web, "/inbox/complaints?sort=priority"),
        ("complaints inbox, page 40", web, "/inbox/complaints?page=40"),
        ("assigned to me", web, "/inbox/mine"),
        ("assigned to me, overdue only", web, "/inbox/mine?overdue=1"),
        ("API /tickets?kind=complaint", api, "/api/v1/tickets?kind=complaint&limit=50"),
    ]
    for label, client, url in cases:
        client.get(url)  # warm
        p50, p95 = _time(client, url, n)
        out(f"  {label:<40} p50 {p50:7.1f}   p95 {p95:7.1f}")
