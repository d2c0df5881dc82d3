"""Demo customers: deterministic, varied, with correct search columns."""

import random
from collections import Counter

import pytest
from django.core.management import call_command

from caredesk.branches import demo as branches_demo
from caredesk.customers import demo
from caredesk.customers.models import Address, Card, ContactPoint, Customer, LoginDevice
from caredesk.customers.search import criteria_clean, customer_search_fields, customers_search

pytestmark = pytest.mark.django_db

FIELDS = [
    "account_type",
    "status",
    "first_name",
    "last_name",
    "nickname",
    "company",
    "email",
    "phone",
    "search_name",
    "phone_digits",
]


def _snapshot() -> list[tuple]:
    # a customer's addresses in a fixed order: PostgreSQL returns a join's rows in any order
    rows = Customer.objects.order_by("id", "addresses__line1").values_list(
        *FIELDS, "addresses__line1"
    )
    return list(rows)


def test_same_seed_gives_the_same_customers():
    branches_demo.build(out=lambda *_: None, options={})
    demo.customers_generate(count=150, rng=random.Random(7))
    first = _snapshot()
    Customer.objects.all().delete()
    demo.customers_generate(count=150, rng=random.Random(7))
    assert _snapshot() == first
    Customer.objects.all().delete()
    demo.customers_generate(count=150, rng=random.Random(8))
    assert _snapshot() != first


def test_demo_customers_are_varied_and_searchable():
    out = []
    call_command_demo = {"customers": 400, "rng": random.Random(1)}
    branches_demo.build(out=out.append, options={})
    demo.build(out=out.append, options=call_command_demo)
    assert Customer.objects.count() == 400
    types = Counter(Customer.objects.values_list("account_type", flat=True))
    assert set(types) == {"individual", "business", "reseller", "call_shop"}
    assert Customer.objects.filter(status="closed").exclude(closed_reason="").exists()
    assert Customer.objects.filter(group__isnull=False).exists()
    assert Card.objects.exclude(holder_last_name="").exists()
    assert LoginDevice.objects.exists()
    assert Address.objects.filter(zone__isnull=False, latitude__isnull=False).count() >= 400
    assert Customer.objects.filter(phone__startswith="+639").count() > 300
    assert ContactPoint.objects.filter(kind="phone", label__gt="").count() > 20
    assert ContactPoint.objects.filter(kind="email").exists()
    with_contacts = Customer.objects.filter(contacts__isnull=False).distinct()[:20]
    for customer in [*Customer.objects.all()[:50], *with_contacts]:
        expected = customer_search_fields(customer)
        assert {k: getattr(customer, k) for k in expected} == expected
    someone = Customer.objects.exclude(email="").first()
    found = customers_search(criteria=criteria_clean({"email": someone.email}))
    assert someone.member_id in [c.member_id for c in found.customers]
    assert any("customers: 400" in line for line in out)


def test_bulk_load_rebuilds_the_search_indexes(monkeypatch):
    monkeypatch.setattr(demo, "BULK_LOAD_FROM", 50)
    branches_demo.build(out=lambda *_: None, options={})
    demo.customers_generate(count=120, rng=random.Random(3))
    sample = Customer.objects.exclude(phone="").order_by("id")[60]
    from caredesk.customers.search import customers_instant

    assert sample.member_id in [c.member_id for c in customers_instant(q=sample.phone)]
    extra = ContactPoint.objects.filter(kind="phone").order_by("id").first()
    found_by_extra = customers_instant(q=extra.value.replace("+63", "0"))
    assert extra.customer.member_id in [c.member_id for c in found_by_extra]
    street = Address.objects.filter(customer=sample).first().line1.split()[-2]
    found = customers_search(criteria=criteria_clean({"address": f"%{street}%"}), limit=100)
    assert found.count >= 1


def test_demo_command_accepts_the_customer_count():
    call_command("demo", "--customers", "30", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Customer.objects.count() == 30
