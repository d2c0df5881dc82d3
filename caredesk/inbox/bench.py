"""`caredesk bench inbox [--tickets N] [--requests R]`: p50/p95 of the staff inbox (the
complaints list, default view and "overdue" filter, a page deep in the list) and of the
tickets API list, on a bulk-generated data set (default 1,000,000 tickets).

Generation is idempotent and in chunks (`bulk_create`); bench tickets have references
`BC-000000001`, ... so they never collide with real ones. Timings go through the whole Django
stack in-process (middleware, auth, templates, queries)."""

import datetime as dt
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from caredesk.inbox.models import Ticket
from caredesk.lib.progress import Progress

CHUNK = 20_000
KINDS = ["complaint", "complaint", "service", "issue", "career"]
STATUSES = ["new", "open", "waiting", "resolved", "closed", "closed", "closed", "closed"]
PRIORITIES = ["low", "normal", "normal", "normal", "high", "urgent"]


def add_arguments(parser) -> None:
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)


def _agents():
    User = get_user_model()
    csr = Group.objects.get(name="csr")
    users = []
    for i in range(20):
        user, created = User.objects.get_or_create(
            username=f"bench-inbox-{i:02d}", defaults={"is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(csr)
        users.append(user)
    return users


def _generate(total: int, agents) -> None:
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
        ("complaints inbox, overdue only", web, "/inbox/complaints?overdue=1"),
        ("complaints inbox, sorted by priority", web, "/inbox/complaints?sort=priority"),
        ("complaints inbox, page 40", web, "/inbox/complaints?page=40"),
        ("assigned to me", web, "/inbox/mine"),
        ("API /tickets?kind=complaint", api, "/api/v1/tickets?kind=complaint&limit=50"),
    ]
    for label, client, url in cases:
        client.get(url)  # warm
        p50, p95 = _time(client, url, n)
        out(f"  {label:<40} p50 {p50:7.1f}   p95 {p95:7.1f}")
