import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from caredesk.branches.models import Branch, Zone
from caredesk.customers.models import Customer, RegisteredPart
from caredesk.orders.models import CatalogItem

_member = itertools.count(1)


@pytest.fixture
def branch(db):
    return Branch.objects.get_or_create(code="MNL", defaults={"name": "Manila"})[0]


@pytest.fixture
def zone(branch):
    return Zone.objects.get_or_create(code="MNL-N", defaults={"branch": branch, "name": "QC"})[0]


@pytest.fixture
def make_customer(db, branch):
    def build(**kw):
        n = next(_member)
        defaults = {
            "member_id": f"M{9000000 + n:07d}",
            "first_name": "Maria",
            "last_name": f"Santos{n}",
            "phone": f"+6391712{n:05d}",
            "branch": branch,
        }
        defaults.update(kw)
        return Customer.objects.create(**defaults)

    return build


@pytest.fixture
def customer(make_customer):
    return make_customer()


@pytest.fixture
def catalog(db):
    items = {
        "BLADE-10": ("Blade set 10 in", Decimal("1250.00")),
        "MOWER-X": ("Mower X200", Decimal("18999.00")),
        "OIL-1L": ("Engine oil 1 L", Decimal("349.50")),
        "SVC-STD": ("Standard service", Decimal("800.00")),
    }
    return {
        sku: CatalogItem.objects.create(sku=sku, name=name, price=price)
        for sku, (name, price) in items.items()
    }


@pytest.fixture
def part(customer):
    return RegisteredPart.objects.create(
        customer=customer, part_type="Blade set", serial="BS-001", wear_level=40
    )


@pytest.fixture
def make_order(branch, customer, catalog, csr):
    from caredesk.orders.services import order_create

    def build(kind="sale", lines=None, actor=None, cust=None, **kw):
        kw.setdefault("requested_delivery_on", timezone.localdate() + datetime.timedelta(days=7))
        return order_create(
            actor=actor or csr,
            customer=cust or customer,
            branch=branch,
            kind=kind,
            lines=lines or [{"sku": "BLADE-10", "quantity": 2}],
            **kw,
        )

    return build
