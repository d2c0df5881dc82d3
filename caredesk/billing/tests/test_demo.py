import random

import pytest

from caredesk.billing import demo
from caredesk.billing.models import Invoice, Quote, Refund, Return
from caredesk.orders import demo as orders_demo

pytestmark = pytest.mark.django_db


def test_demo_money_over_the_demo_orders(make_customer, csr, finance, manager, installer, zone):
    for _ in range(30):
        make_customer()
    options = {"rng": random.Random(3), "customers": 30}
    orders_demo.build(out=lambda line: None, options=options)
    lines = []
    demo.build(out=lines.append, options=options)
    assert Invoice.objects.filter(kind="invoice").exists()
    assert Invoice.objects.filter(kind="credit_note").exists()
    assert Refund.objects.exists() and Quote.objects.filter(status="converted").exists()
    for order in {inv.order for inv in Invoice.objects.select_related("order")}:
        assert sum(i.total for i in order.invoices.all()) == order.total
    assert "quotes" in lines[0] and "returns" in lines[0]
    statuses = set(Return.objects.values_list("status", flat=True))
    assert {"requested", "approved", "received", "rejected", "cancelled"} <= statuses
    assert statuses & {"refunded", "closed"}
    assert Return.objects.filter(replacement_order__isnull=False).exists()
    again = []
    demo.build(out=again.append, options=options)  # idempotent
    assert "kept" in again[0]
