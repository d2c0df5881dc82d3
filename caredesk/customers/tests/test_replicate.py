"""Set-based growth (PostgreSQL): replicas are whole customers whose search columns equal
what `customer_search_fields` computes, with member IDs, phones and card numbers of their own."""

import io
import random

import pytest
from django.core.management import call_command
from django.db import connection

from caredesk.branches import demo as branches_demo
from caredesk.customers.demo import customers_generate
from caredesk.customers.ids import member_id_format
from caredesk.customers.models import Address, Card, Customer, MemberIdCounter
from caredesk.customers.replicate import customers_replicate
from caredesk.customers.search import customers_instant
from caredesk.customers.search.fields import SEARCH_KEY_FIELDS, customer_search_fields

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="set-based growth is PostgreSQL's"
    ),
]


@pytest.fixture
def pool():
    branches_demo.build(out=lambda *_: None, options={})
    customers_generate(count=60, rng=random.Random(7))
    return list(Customer.objects.order_by("pk"))


def test_replicas_carry_the_search_columns_the_one_computation_gives(pool):
    assert customers_replicate(count=500, pool=len(pool)) == 500

    replicas = list(Customer.objects.order_by("pk")[len(pool) :])
    assert len(replicas) == 500
    for replica in replicas:
        expected = customer_search_fields(replica, contacts=[])
        assert {name: getattr(replica, name) for name in SEARCH_KEY_FIELDS} == expected
    # Member IDs continue the counter, in the one format, and the counter moved past them.
    numbers = [int(r.member_id[1:]) for r in replicas]
    assert [r.member_id for r in replicas] == [member_id_format(n) for n in numbers]
    assert numbers == list(range(numbers[0], numbers[0] + 500))
    assert MemberIdCounter.objects.get().last == numbers[-1]
    # Each replica has its own phone number and keeps its template's name and branch.
    phones = [r.phone for r in replicas if r.phone]
    assert len(set(phones)) > 0.95 * len(phones)
    template = pool[(replicas[0].pk) % len(pool)]
    assert (replicas[0].last_name, replicas[0].branch_id) == (
        template.last_name,
        template.branch_id,
    )


def test_replicas_get_their_templates_addresses_and_cards_of_their_own(pool):
    customers_replicate(count=120, pool=len(pool))
    by_template = {c.pk: c for c in pool}
    replicas = Customer.objects.order_by("pk")[len(pool) :]
    pool_ids = [c.pk for c in pool]
    for replica in replicas:
        template = by_template[pool_ids[replica.pk % len(pool)]]
        mine = list(Address.objects.filter(customer=replica).values_list("line1", "zone_id"))
        theirs = list(Address.objects.filter(customer=template).values_list("line1", "zone_id"))
        assert sorted(mine) == sorted(theirs)
        assert Card.objects.filter(customer=replica).count() == template.cards.count()
    # Card numbers are drawn anew, not copied.
    template_last4 = set(Card.objects.filter(customer__in=pool).values_list("last4", flat=True))
    replica_last4 = set(Card.objects.exclude(customer__in=pool).values_list("last4", flat=True))
    assert replica_last4 - template_last4


def test_member_ids_past_seven_digits_are_not_cut(pool):
    MemberIdCounter.objects.filter(pk=1).update(last=9_999_998)
    customers_replicate(count=3, pool=len(pool))
    assert list(Customer.objects.order_by("-pk").values_list("member_id", flat=True)[:3]) == [
        "M10000001",
        "M10000000",
        "M9999999",
    ]


def test_search_benchmark_grows_by_copies_past_the_pool():
    out = io.StringIO()
    call_command(
        "bench",
        "search",
        "--current-database",
        "--customers",
        "400",
        "--sizes",
        "150,400",
        "--pool",
        "150",
        "--iterations",
        "3",
        "--naive-iterations",
        "1",
        stdout=out,
    )
    text = out.getvalue()
    assert Customer.objects.count() == 400
    assert "copied set-based from the first 150: 250" in text
    assert "p95 ms by size" in text and "database on disk" in text
    # A copy is found by its own member ID, its phone in another format and its email,
    # through the indexes the load built again.
    copy = Customer.objects.order_by("-pk").exclude(phone="").exclude(email="").first()
    digits = copy.phone_digits
    for q in [copy.member_id.lower(), f"0{digits[:3]}-{digits[3:6]}-{digits[6:]}", copy.email]:
        assert copy.pk in [c.pk for c in customers_instant(q=q, limit=50)], q
