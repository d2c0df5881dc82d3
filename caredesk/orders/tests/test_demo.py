import random

import pytest

from caredesk.orders import demo
from caredesk.orders.models import CatalogItem, Order, PickupWindow

pytestmark = pytest.mark.django_db


def test_demo_without_customers_builds_catalog_only(zone, capsys):
    lines = []
    demo.build(out=lines.append, options={"rng": random.Random(1), "customers": 0})
    assert CatalogItem.objects.count() == len(demo.CATALOG)
    assert PickupWindow.objects.filter(zone=zone).exists()
    assert Order.objects.count() == 0
    assert "orders" in lines[0]


def test_demo_orders_over_existing_customers(make_customer, csr, finance, manager, zone):
    for _ in range(12):
        make_customer()
    lines = []
    demo.build(out=lines.append, options={"rng": random.Random(7), "customers": 12})
    orders = Order.objects.all()
    assert orders.count() == 12
    assert len({o.status for o in orders}) >= 3
    for order in orders:
        assert order.balance == order.total - order.paid
