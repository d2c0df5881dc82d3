"""Delivery fixtures: a branch with a depot, customers with coordinates, ready orders, a run
with an installer crew."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from caredesk.branches.models import Branch
from caredesk.customers.models import Address, Customer
from caredesk.orders.models import CatalogItem, Order, Status

_n = itertools.count(1)


@pytest.fixture
def branch(db):
    branch, _ = Branch.objects.get_or_create(code="MNL", defaults={"name": "Manila"})
    branch.depot_latitude, branch.depot_longitude = Decimal("14.599500"), Decimal("120.984200")
    branch.save()
    return branch


@pytest.fixture
def catalog(db):
    return CatalogItem.objects.create(sku="BLADE-10", name="Blade set", price=Decimal("1250.00"))


@pytest.fixture
def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def a_moment_ago():
    """A few minutes ago, but never before today's local midnight, so an event recorded "earlier
    today" does not fall on yesterday when the suite runs just after midnight."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(minutes=10), midnight)


@pytest.fixture
def make_ready_order(branch, catalog, csr, tomorrow):
    """An order in `status` (ready by default), customer with a geocoded default address."""
    from caredesk.orders.services import order_create

    def build(status=Status.READY, kind="sale", scheduled=tomorrow, lat=None, lng=None, **kw):
        n = next(_n)
        customer = Customer.objects.create(
            member_id=f"M{8000000 + n:07d}",
            first_name="Ana",
            last_name=f"Reyes{n}",
            phone=f"+6391755{n:05d}",
            branch=branch,
        )
        Address.objects.create(
            customer=customer,
            line1=f"{n} Mabini St",
            city="Manila",
            branch=branch,
            latitude=Decimal(str(lat if lat is not None else 14.55 + n / 500)),
            longitude=Decimal(str(lng if lng is not None else 121.0 + (n % 3) / 300)),
        )
        order = order_create(
            actor=csr,
            customer=customer,
            branch=branch,
            kind=kind,
            lines=[{"sku": "BLADE-10", "quantity": 1}],
            **kw,
        )
        Order.objects.filter(pk=order.pk).update(
            status=status, scheduled_delivery_on=scheduled, requested_delivery_on=scheduled
        )
        order.refresh_from_db()
        return order

    return build


@pytest.fixture
def run(manager, installer, branch, tomorrow):
    from caredesk.delivery.services import run_create

    return run_create(
        actor=manager, date=tomorrow, branch=branch, vehicle="TRK-01", crew=[installer]
    )
