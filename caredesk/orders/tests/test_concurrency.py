"""Concurrency: parallel writers on separate database connections (threads). Meant for
PostgreSQL (row locks); also run on SQLite, where writers queue on the database lock."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connection

from caredesk.audit.models import Event
from caredesk.lib.errors import Conflict, StaleVersion
from caredesk.orders.models import Order, Payment, PickupWindow

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _run(worker, n):
    barrier = threading.Barrier(n)

    def wrapped(i):
        try:
            barrier.wait(timeout=30)
            return worker(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(wrapped, range(n)))


def test_parallel_creations_get_unique_gapless_numbers(make_order):
    make_order()  # MNL-0001 exists before the race
    close_old_connections()

    def create(_):
        return make_order().number

    numbers = _run(create, THREADS * 2)
    expected = {f"MNL-{n:04d}" for n in range(2, THREADS * 2 + 2)}
    assert set(numbers) == expected
    assert Order.objects.count() == THREADS * 2 + 1


def test_concurrent_amendments_lose_nothing_and_versions_are_gapless(make_order, csr):
    from caredesk.orders.services import Amendment, order_amend

    order = make_order(lines=[{"sku": "OIL-1L", "quantity": 1}])
    line_id = order.lines.get().pk
    per_thread = 5

    def amend(_):
        done = stale = 0
        while done < per_thread:
            current = Order.objects.get(pk=order.pk)
            qty = current.lines.get().quantity
            try:
                order_amend(
                    actor=csr,
                    order=current.number,
                    expected_version=current.version,
                    amendment=Amendment(op="set_quantity", line=line_id, quantity=qty + 1),
                    reason="race",
                )
                done += 1
            except StaleVersion:
                stale += 1
        return stale

    stale_counts = _run(amend, THREADS)
    order.refresh_from_db()
    total = THREADS * per_thread
    assert order.lines.get().quantity == 1 + total  # no lost update
    assert order.version == 1 + total
    versions = [
        e.data["version"]
        for e in Event.objects.filter(target_type="orders.order", target_id=str(order.pk)).order_by(
            "seq"
        )
    ]
    assert versions == list(range(1, total + 2))  # gapless, one event per version
    assert sum(stale_counts) >= 0


def test_concurrent_replays_of_one_idempotency_key_record_one_payment(make_order, finance):
    from caredesk.orders.services import payment_record

    order = make_order()

    def pay(_):
        payment, replayed = payment_record(
            actor=finance,
            order=order.number,
            method="cash",
            amount="250.00",
            idempotency_key="same-key",
        )
        return payment.pk, payment.response, replayed

    results = _run(pay, THREADS)
    assert len({pk for pk, _, _ in results}) == 1
    assert len({json.dumps(r) for _, r, _ in results}) == 1
    assert sum(1 for *_, replayed in results if not replayed) == 1
    assert Payment.objects.filter(order=order).count() == 1
    order.refresh_from_db()
    assert str(order.paid) == "250.00"


def test_two_agents_cannot_take_the_last_place_in_a_window(make_order, zone):
    import datetime

    from django.utils import timezone

    window = PickupWindow.objects.create(
        zone=zone,
        date=timezone.localdate() + datetime.timedelta(days=2),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=1,
    )

    def book(_):
        try:
            return make_order(window_id=window.pk).number
        except Conflict:
            return None

    results = _run(book, THREADS)
    assert sum(1 for r in results if r) == 1
    window.refresh_from_db()
    assert window.booked == 1
    assert Order.objects.filter(window=window).count() == 1
