"""Search rules (SPEC §2 "Search"), the same on SQLite and PostgreSQL."""

import pytest

from caredesk.customers.models import Address, ContactPoint, Customer
from caredesk.customers.search import backends as search_backends
from caredesk.customers.search import (
    criteria_clean,
    customer_search_fields,
    customers_instant,
    customers_search,
    phone_digits,
    search_keys_refresh,
)
from caredesk.customers.search.fields import SEARCH_KEY_FIELDS
from caredesk.lib.errors import Invalid

from .search_fixtures import make_customer, population

pytestmark = pytest.mark.django_db

API = "/api/v1/customers"


@pytest.fixture
def people():
    return population()


def names(customers) -> list[str]:
    return [c.last_name for c in customers]


def member_ids(customers) -> list[str]:
    return [c.member_id for c in customers]


def search(**raw):
    return customers_search(criteria=criteria_clean(raw)).customers


# --- instant ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["0917 123 4567", "+63 917 123 4567", "639171234567", "0917-123-4567", "9171234567"]
)
def test_instant_finds_a_phone_typed_in_any_format(people, typed):
    assert member_ids(customers_instant(q=typed))[0] == people["juan"].member_id


def test_phone_digits_are_the_national_number():
    assert {phone_digits(t) for t in ["0917 123 4567", "+63 917-123-4567", "639171234567"]} == {
        "9171234567"
    }
    assert phone_digits("0917-12") == "91712"


def test_instant_finds_member_id_with_or_without_zeros(people):
    number = people["maria"].member_id
    assert member_ids(customers_instant(q=number))[0] == number
    short = "m" + number.lstrip("M").lstrip("0")
    assert member_ids(customers_instant(q=short))[0] == number


def test_instant_padded_member_id_prefix_while_typing(people):
    found = member_ids(customers_instant(q="M00000"))
    assert set(found) >= {people["juan"].member_id, people["shop"].member_id}


def test_instant_exact_email_ranks_first(people):
    found = customers_instant(q="ana@santos.ph")
    assert member_ids(found)[0] == people["santos"].member_id


def test_instant_ranks_prefix_before_fragment(people):
    # "Delos Santos" sorts before "Santos" by name, but "Santos" starts with the term.
    found = names(customers_instant(q="santos"))
    assert found.index("Santos") < found.index("Delos Santos")


def test_instant_finds_email_fragment_and_nickname(people):
    assert people["juan"].member_id in member_ids(customers_instant(q="delacruz"))
    assert people["juan"].member_id in member_ids(customers_instant(q="jun"))


def test_instant_email_fragment_with_punctuation(people):
    assert member_ids(customers_instant(q="n.delacruz@exa")) == [people["juan"].member_id]
    assert member_ids(search(email="n.delacruz@exa")) == [people["juan"].member_id]
    assert search(email="n_delacruz") == []


def test_instant_finds_business_and_contact(people):
    assert member_ids(customers_instant(q="golden hard")) == [people["shop"].member_id]
    assert people["shop"].member_id in member_ids(customers_instant(q="nestor lim"))


def test_instant_ignores_diacritics(people):
    assert people["pena"].member_id in member_ids(customers_instant(q="pena"))


def test_instant_one_or_two_letters_use_prefixes(people):
    assert set(names(customers_instant(q="an"))) >= {"Anderson", "Andersen", "Santos"}


def test_instant_ordering_is_stable(people):
    first = member_ids(customers_instant(q="and"))
    assert first == member_ids(customers_instant(q="and"))
    assert len(first) == len(set(first))


def _fragment_queries(q: str, limit: int = 15) -> tuple[list[str], list[str]]:
    """(member IDs found, SQL run) for a type-ahead query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        found = member_ids(customers_instant(q=q, limit=limit))
    return found, [query["sql"] for query in ctx.captured_queries]


def test_a_common_fragment_is_found_by_the_walk_alone(people):
    """The fragment "ders" is in enough of the first customers for three results: the walk
    over them answers, sorted by name, and the trigram look-up (anywhere) never runs."""
    found, sql = _fragment_queries("ders", limit=3)
    assert found == [people[k].member_id for k in ("andersen", "anderson", "closed")]
    assert not [s for s in sql if "customers_customer c" in s], sql


def test_a_rare_fragment_past_the_walk_comes_from_the_trigram_index(people, monkeypatch):
    """Only a few customers are walked; a match after them is still found, through the index,
    and sorted by name with the walk's."""
    monkeypatch.setattr(search_backends, "FRAGMENT_WALK", 3)  # juan, maria, anderson
    late = make_customer(first_name="Zandro", last_name="Abderson", email="z@x.ph")
    found, sql = _fragment_queries("derso")
    assert found == [late.member_id, people["anderson"].member_id, people["closed"].member_id]
    assert [s for s in sql if "customers_customer c" in s], sql


@pytest.fixture
def in_every_shard():
    """Two customers per shard of the text index, all with "quillfeather" in their email."""
    from caredesk.customers.search.indexes import TEXT_SHARDS

    made = [
        make_customer(first_name="Kim", last_name=f"Lee {n}", email=f"quillfeather{n}@x.ph")
        for n in range(2 * TEXT_SHARDS)
    ]
    assert {c.pk % TEXT_SHARDS for c in made} == set(range(TEXT_SHARDS))
    return made


def test_the_trigram_look_up_reads_every_shard(in_every_shard, monkeypatch):
    """Past the walk, a fragment's matches are gathered from every shard of the text index,
    and the advanced search's email criterion finds them in every shard too."""
    monkeypatch.setattr(search_backends, "FRAGMENT_WALK", 0)
    everyone = sorted(c.member_id for c in in_every_shard)
    assert sorted(member_ids(customers_instant(q="illfeath", limit=50))) == everyone
    assert sorted(member_ids(search(email="illfeath"))) == everyone


def test_postgresql_look_ups_use_the_shards_of_the_text_index(db):
    """The shard conditions the queries write are the ones the partial indexes were built
    with, so the planner can use them: the type-ahead's look-up and the ORed one of the
    advanced search each name every shard's index in their plan (plain scans off, as a
    handful of rows would otherwise be read without an index)."""
    from django.db import connection

    from caredesk.customers.search.indexes import TEXT_SHARDS

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    backend = search_backends.backend()
    _, cond, ored = backend.text_contains(["quill"])
    for sql, params in [
        backend.candidates(["quill"], 100),
        (f"SELECT c.id FROM customers_customer c WHERE {cond}", ored),
    ]:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        for k in range(TEXT_SHARDS):
            assert f"cust_s_text_trgm_{k} " in plan, plan


def test_instant_order_number_extension_point(people, monkeypatch):
    monkeypatch.setattr(
        search_backends,
        "INSTANT_EXACT_LOOKUPS",
        [lambda q: [people["shop"].id] if q == "MNL-0042" else []],
    )
    assert member_ids(customers_instant(q="MNL-0042"))[0] == people["shop"].member_id


# --- advanced --------------------------------------------------------------------------------


def test_trailing_wildcard_finds_anderson_and_andersen(people):
    assert sorted(names(search(last_name="Anders%"))) == ["Andersen", "Anderson", "Anderson"]


def test_wildcard_inside_a_term(people):
    assert names(search(last_name="An%sen")) == ["Andersen"]


def test_without_wildcard_the_whole_name_must_match_in_any_case(people):
    assert search(last_name="Anders") == []
    assert names(search(last_name="andersen")) == ["Andersen"]


@pytest.mark.parametrize(
    "field", ["last_name", "first_name", "email", "group", "member_id", "phone", "company"]
)
def test_leading_wildcard_is_refused_outside_the_address(field):
    with pytest.raises(Invalid) as exc:
        criteria_clean({field: "%ers", "account_types": ["business"]})
    assert exc.value.code == "leading_wildcard"
    assert exc.value.field == field


def test_address_may_start_with_a_wildcard(people):
    found = search(address="%street%")
    assert sorted(member_ids(found)) == sorted(
        [people["juan"].member_id, people["maria"].member_id]
    )
    assert member_ids(search(address="%katipunan%")) == [people["shop"].member_id]


def test_company_needs_an_account_type(people):
    with pytest.raises(Invalid) as exc:
        criteria_clean({"company": "Golden Hardware"})
    assert exc.value.code == "company_needs_account_type"
    assert member_ids(search(company="golden%", account_types=["business"])) == [
        people["shop"].member_id
    ]
    assert search(company="golden%", account_types=["individual"]) == []


def test_billing_needs_last4_and_the_holder_name_is_case_sensitive(people):
    with pytest.raises(Invalid) as exc:
        criteria_clean({"card_last_name": "Dela Cruz"})
    assert exc.value.code == "card_last4_required"
    assert member_ids(search(card_last4="4242")) == [people["juan"].member_id]
    assert member_ids(search(card_last4="4242", card_last_name="Dela Cruz")) == [
        people["juan"].member_id
    ]
    assert search(card_last4="4242", card_last_name="dela cruz") == []
    assert member_ids(search(card_last4="1111", card_last_name="ANDER%")) == [
        people["anderson"].member_id
    ]
    assert search(card_last4="1111", card_last_name="Ander%") == []


def test_a_full_card_number_is_refused(people):
    with pytest.raises(Invalid) as exc:
        criteria_clean({"card_last4": "4242 4242 4242 4242"})
    assert exc.value.code == "card_number_refused"
    assert "4242 4242" not in exc.value.detail


def test_exclude_closed_accounts(people):
    assert len(search(last_name="Anderson")) == 2
    assert member_ids(search(last_name="Anderson", exclude_closed=True)) == [
        people["anderson"].member_id
    ]


def test_member_id_shows_related_accounts(people):
    page = customers_search(criteria=criteria_clean({"member_id": people["juan"].member_id}))
    by_id = {c.member_id: c.related for c in page.customers}
    assert by_id == {people["juan"].member_id: False, people["maria"].member_id: True}


def test_group_name_and_phone_digits(people):
    assert len(search(group="dela cruz household")) == 2
    assert len(search(group="Dela%")) == 2
    assert member_ids(search(phone="0917-123-4567")) == [people["juan"].member_id]
    assert member_ids(search(phone="+63 917%")) == [people["juan"].member_id]


def test_email_is_a_partial_match(people):
    assert sorted(names(search(email="mail.ph"))) == ["Andersen", "Anderson"]
    assert member_ids(search(email="juan.dela%")) == [people["juan"].member_id]


def test_criteria_are_combined_with_and(people):
    assert names(search(last_name="Anders%", first_name="Kristine")) == ["Andersen"]
    assert search(last_name="Anders%", address="%street%") == []


def test_sort_by_last_activity_and_paging(people):
    from datetime import timedelta

    from django.utils import timezone

    for n, key in enumerate(["anderson", "andersen", "closed"]):
        Customer.objects.filter(pk=people[key].pk).update(
            last_activity_at=timezone.now() - timedelta(days=n)
        )
    criteria = criteria_clean({"last_name": "Anders%"})
    page = customers_search(criteria=criteria, sort="-activity", limit=2)
    assert member_ids(page.customers) == [
        people["anderson"].member_id,
        people["andersen"].member_id,
    ]
    assert page.count == 3 and page.has_next
    second = customers_search(criteria=criteria, sort="-activity", limit=2, page=2)
    assert member_ids(second.customers) == [people["closed"].member_id]


def test_count_is_capped(people, monkeypatch):
    monkeypatch.setattr(search_backends, "CAP", 2)
    page = customers_search(criteria=criteria_clean({"last_name": "Anders%"}))
    assert page.count == 2 and page.capped


# --- keeping the index in sync -----------------------------------------------------------


def test_search_follows_updates_and_deletes(people):
    juan = people["juan"]
    juan.first_name, juan.nickname, juan.email = "Gabriel", "", "gab@example.ph"
    juan.save()
    assert juan.member_id not in member_ids(customers_instant(q="juan"))
    assert juan.member_id in member_ids(customers_instant(q="gabri"))
    assert juan.member_id in member_ids(customers_instant(q="abrie"))
    juan.delete()
    assert customers_instant(q="abrie") == []


def test_save_with_update_fields_keeps_search_columns(people):
    shop = people["shop"]
    shop.company = "Silver Trading"
    shop.save(update_fields=["company"])
    shop.refresh_from_db()
    assert shop.search_name == "silver trading"
    assert member_ids(customers_instant(q="lver trad")) == [shop.member_id]


def test_address_search_follows_address_changes(people):
    address = Address.objects.get(customer=people["andersen"])
    address.line1 = "5 Roxas Boulevard"
    address.save()
    assert member_ids(search(address="%boulevard%")) == [people["andersen"].member_id]
    assert search(address="%rizal road%") == []
    address.delete()
    assert search(address="%boulevard%") == []


def test_search_fields_function_matches_the_row(people):
    c = Customer.objects.get(pk=people["shop"].pk)
    assert {k: getattr(c, k) for k in SEARCH_KEY_FIELDS} == customer_search_fields(c)


# --- accents and additional contact points ---------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        {"last_name": "Pena"},
        {"last_name": "PEÑA"},
        {"last_name": "peñ%"},
        {"first_name": "lorna", "last_name": "Pen%"},
    ],
)
def test_advanced_names_ignore_accents_and_case(people, raw):
    assert member_ids(search(**raw)) == [people["pena"].member_id]


def test_advanced_company_ignores_accents(people):
    shop = make_customer(account_type="business", company="Panaderia Niño")
    found = search(company="panaderia nino", account_types=["business"])
    assert member_ids(found) == [shop.member_id]
    assert member_ids(search(company="PANADERÍA%", account_types=["business"])) == [shop.member_id]


def _add_contacts(customer, *contacts):
    for kind, value in contacts:
        ContactPoint.objects.create(customer=customer, kind=kind, value=value)
    search_keys_refresh(customer)


def test_additional_phone_and_email_are_found_exactly_and_by_fragment(people):
    santos = people["santos"]
    _add_contacts(santos, ("phone", "+639285550101"), ("email", "ana.work@office.ph"))
    for typed in ["0928 555 0101", "+63 928-555-0101", "639285550101"]:
        assert member_ids(customers_instant(q=typed))[0] == santos.member_id
    assert member_ids(customers_instant(q="ana.work@office.ph"))[0] == santos.member_id
    assert santos.member_id in member_ids(customers_instant(q="work@offi"))
    # the row says why it is listed when the primary phone/email does not
    found = customers_instant(q="0928-555-0101")[0]
    assert found.matched_contact == "0928 555 0101"
    assert customers_instant(q="work@office.ph")[0].matched_contact == "ana.work@office.ph"
    assert customers_instant(q="ana@santos.ph")[0].matched_contact == ""


def test_advanced_email_and_phone_include_additional_contacts(people):
    santos = people["santos"]
    _add_contacts(santos, ("phone", "+639285550101"), ("email", "ana.work@office.ph"))
    assert member_ids(search(phone="0928 555 0101")) == [santos.member_id]
    assert member_ids(search(phone="0928555%")) == [santos.member_id]
    assert member_ids(search(email="work@office")) == [santos.member_id]
    assert member_ids(search(email="an")) == [santos.member_id]  # short: a prefix
    # the primary ones still work, and a contact of someone else does not leak in
    assert member_ids(search(phone="0917 123 4567")) == [people["juan"].member_id]
    assert member_ids(search(email="ana@santos")) == [santos.member_id]


def test_removed_contact_is_no_longer_found(people):
    santos = people["santos"]
    _add_contacts(santos, ("email", "ana.work@office.ph"))
    ContactPoint.objects.filter(customer=santos).delete()
    search_keys_refresh(santos)
    assert search(email="work@office") == []
    assert santos.member_id not in member_ids(customers_instant(q="ana.work@office.ph"))


def test_saving_the_customer_keeps_contact_values_searchable(people):
    santos = people["santos"]
    _add_contacts(santos, ("email", "ana.work@office.ph"))
    santos.refresh_from_db()
    santos.first_name = "Anabelle"
    santos.save()
    assert member_ids(search(email="work@office")) == [santos.member_id]


def test_new_customer_is_found_at_once():
    created = make_customer(first_name="Imelda", last_name="Zamora", phone="+639051112233")
    assert member_ids(customers_instant(q="0905 111 2233")) == [created.member_id]
    assert member_ids(customers_instant(q="zamor")) == [created.member_id]


def test_search_sync_survives_a_table_rebuild_by_a_migration():
    """SQLite remakes a table for many schema changes, dropping its triggers; the
    post-migrate check puts them back and refills the FTS index."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL alters tables in place")

    from caredesk.customers.search.indexes import SQLITE_TRIGGER_NAMES, ensure_after_migrate

    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER {name}")
    assert ensure_after_migrate(connection) is True
    assert ensure_after_migrate(connection) is False
    added = make_customer(first_name="Teodoro", last_name="Quisumbing", email="tq@example.ph")
    assert member_ids(customers_instant(q="quisumb")) == [added.member_id]
