"""`caredesk demo` fills every inbox at every status; `caredesk bench inbox` runs end to end."""

import random

import pytest

from caredesk.inbox.models import Ticket


@pytest.mark.django_db
def test_demo_fills_each_inbox_at_every_status():
    from caredesk.inbox import demo
    from caredesk.staff import demo as staff_demo

    lines = []
    options = {"rng": random.Random(1)}
    staff_demo.build(out=lines.append, options=options)
    demo.build(out=lines.append, options=options)
    for kind in ("complaint", "career", "issue"):
        statuses = set(Ticket.objects.filter(kind=kind).values_list("status", flat=True))
        assert statuses == {"new", "open", "waiting", "resolved", "closed"}, kind
    demo.build(out=lines.append, options=options)  # idempotent
    assert "left as they are" in lines[-1]


@pytest.mark.django_db
def test_bench_runs_on_a_small_data_set():
    from caredesk.inbox import bench

    lines = []
    bench.run(out=lines.append, options={"tickets": 40, "requests": 2})
    assert Ticket.objects.count() == 40
    # Set-based on PostgreSQL, bulk_create elsewhere: the same derived queue fields either way.
    from caredesk.inbox.models import NO_DEADLINE, OPEN_STATUSES, PRIORITY_RANK

    for ticket in Ticket.objects.all():
        assert ticket.is_open == (ticket.status in OPEN_STATUSES)
        assert ticket.queue_at == (ticket.due_at or NO_DEADLINE)
        assert ticket.priority_rank == PRIORITY_RANK[ticket.priority]
        assert (ticket.due_at is None) == (ticket.status == "waiting")
    assert set(Ticket.objects.values_list("kind", flat=True)) == set(bench.KINDS)
    assert any("p95" in line for line in lines[1:])


@pytest.mark.django_db
def test_demo_gives_cebu_a_calendar_of_its_own():
    import datetime as dt

    from caredesk.branches.models import Branch
    from caredesk.inbox import demo
    from caredesk.inbox.sla import calendar_for

    cebu = Branch.objects.create(code="CEB", name="Cebu")
    manila = Branch.objects.create(code="MNL", name="Manila")
    demo.build(out=lambda line: None, options={"rng": random.Random(1)})
    demo.build(out=lambda line: None, options={"rng": random.Random(1)})  # idempotent
    assert calendar_for(cebu).hours[6] == ((dt.time(10), dt.time(20)),)
    assert 6 not in calendar_for(manila).hours  # the default: closed on Sundays
    assert len(calendar_for(cebu).holidays - calendar_for(manila).holidays) == 2  # Sinulog
