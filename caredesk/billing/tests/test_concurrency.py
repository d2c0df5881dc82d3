"""Concurrent confirmations on separate connections (threads) get gapless, unique invoice
numbers per branch. Meant for PostgreSQL (the counter row lock); on SQLite writers queue on
the database lock."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connection

from caredesk.billing.models import Invoice

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def test_parallel_confirmations_get_gapless_invoice_numbers(make_order, finance):
    from caredesk.orders.services import payment_record

    drafts = [make_order() for _ in range(THREADS)]
    make_order(paid="1.00", payer=finance)  # MNL-INV-000001 exists before the race
    close_old_connections()
    barrier = threading.Barrier(THREADS)

    def confirm(i):
        try:
            barrier.wait(timeout=30)
            payment_record(actor=finance, order=drafts[i].number, method="cash", amount="5.00")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(confirm, range(THREADS)))
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"MNL-INV-{n:06d}" for n in range(1, THREADS + 2)]
    assert Invoice.objects.filter(order__in=drafts).count() == THREADS


def test_two_agents_receiving_one_return_credit_the_order_once(delivered_order, csr, manager):
    from caredesk.billing.models import Return
    from caredesk.billing.services import return_create, return_transition
    from caredesk.lib.errors import DomainError

    order = delivered_order()
    line = order.lines.order_by("position").first()
    ret = return_create(
        actor=csr, order=order, lines=[{"line": line.pk, "quantity": 2}], reason="bent"
    )
    return_transition(actor=manager, ret=ret.number, to="approved")
    close_old_connections()
    barrier = threading.Barrier(2)
    outcomes = []

    def receive(_):
        try:
            barrier.wait(timeout=30)
            return_transition(actor=manager, ret=ret.number, to="received")
            outcomes.append("received")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(receive, range(2)))
    assert sorted(outcomes) == ["illegal_transition", "received"]
    order.refresh_from_db()
    assert Return.objects.get().credit == order.refund_due
    assert Invoice.objects.filter(order=order, kind="credit_note").count() == 1
