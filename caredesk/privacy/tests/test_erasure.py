"""Erasure: a manager erases a customer's personal data; search no longer finds them, their
orders keep their totals under "Erased customer M0001234", no erased value is left anywhere in
the database (every column of every table is read), and the audit chain still verifies while
the personal values of the customer's audit events read "erased"."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from caredesk.audit.models import Event, SubjectKey
from caredesk.audit.shredding import ERASED
from caredesk.audit.verify import chain_verify
from caredesk.billing.models import Invoice, Return
from caredesk.orders.models import Order
from caredesk.privacy.models import Erasure
from caredesk.privacy.tests.conftest import FREE_TEXT, PERSONAL

pytestmark = pytest.mark.django_db

REASON = "Written request by email"


def _search(api, **params) -> list[str]:
    response = api.get("/api/v1/customers", data=params)
    assert response.status_code == 200, response.content
    return [hit["member_id"] for hit in response.json()["results"]]


def _database_hits(values: list[str]) -> list[str]:
    """Every (table.column, value) where an erased value still appears, reading all columns
    of all tables (text, JSON and binary alike)."""
    needles = [v.lower() for v in values]
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, cell in zip(columns, row, strict=True):
                    if cell is None:
                        continue
                    if isinstance(cell, bytes | memoryview):
                        text = bytes(cell).decode("utf-8", "replace").lower()
                    else:
                        text = str(cell).lower()
                    hits += [f"{table}.{column}: {n}" for n in needles if n in text]
    return hits


def _fts_terms() -> set[str]:
    """Every term left in SQLite's full-text indexes (their segments, not just their answers):
    the trigrams of what they index."""
    terms: set[str] = set()
    if connection.vendor != "sqlite":
        return terms
    with connection.cursor() as cursor:
        for table in ("customers_search_fts", "customers_address_fts"):
            cursor.execute(
                f"CREATE VIRTUAL TABLE temp.{table}_vocab USING fts5vocab(main, {table}, 'row')"
            )
            cursor.execute(f"SELECT term FROM temp.{table}_vocab")
            terms |= {row[0] for row in cursor.fetchall()}
            cursor.execute(f"DROP TABLE temp.{table}_vocab")
    return terms


def _trigrams(text: str) -> set[str]:
    text = text.lower()
    return {text[i : i + 3] for i in range(len(text) - 2)}


def test_erasure_leaves_no_personal_value_and_keeps_orders(full_history, api_for, manager, csr):
    history = full_history
    search = api_for(csr)
    member_id = history.member_id
    assert _search(search, q=PERSONAL["last_name"]) == [member_id]
    assert _search(search, card_last4="4242", card_last_name=PERSONAL["last_name"]) == [member_id]
    orders = list(Order.objects.filter(customer=history).order_by("pk"))
    figures = [(o.number, o.total, o.paid, o.payments.count()) for o in orders]
    assert len(figures) == 2
    seen_before = Event.objects.filter(target_type="customers.customer", target_id=str(history.pk))
    assert any(e.after and e.after.get("email") == PERSONAL["email"] for e in seen_before)

    leftovers = [v for k, v in PERSONAL.items() if k != "phone"] + [PERSONAL["phone"][3:]]
    leftovers += list(FREE_TEXT.values())
    distinctive = _trigrams("quibuloy") | _trigrams("narra lane")
    if connection.vendor == "sqlite":
        assert distinctive <= _fts_terms()
    before = _database_hits(leftovers)
    assert {hit.split(": ", 1)[1] for hit in before} == {v.lower() for v in leftovers}

    response = api_for(manager).post(
        f"/api/v1/customers/{member_id}/erasure", json={"reason": REASON}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == f"Erased customer {member_id}"
    assert body["email"] == "" and body["phone"] == ""

    for params in (
        {"q": PERSONAL["first_name"]},
        {"q": PERSONAL["last_name"]},
        {"q": PERSONAL["email"]},
        {"q": PERSONAL["phone"]},
        {"q": PERSONAL["other_email"]},
        {"email": PERSONAL["email"]},
        {"phone": PERSONAL["phone"]},
        {"last_name": PERSONAL["last_name"]},
        {"address": "Narra Lane"},
        {"group": FREE_TEXT["group"]},
        {"card_last4": "4242", "card_last_name": PERSONAL["last_name"]},
    ):
        assert _search(search, **params) == [], params

    after = list(Order.objects.filter(customer=history).order_by("pk"))
    assert [(o.number, o.total, o.paid, o.payments.count()) for o in after] == figures
    assert after[0].customer.display_name == f"Erased customer {member_id}"

    assert _database_hits(leftovers) == []
    assert not distinctive & _fts_terms(), "erased names are still in the full-text segments"
    ret = Return.objects.get(customer=history)
    assert ret.reason == "(erased)" and ret.lines.count() == 1
    assert Invoice.objects.filter(customer=history).count() == 2

    checked, problems = chain_verify()
    assert problems == [] and checked > 5
    call_command("audit", "verify")
    events = list(Event.objects.filter(target_type="customers.customer", target_id=str(history.pk)))
    created = next(e for e in events if e.action == "customer.created")
    assert set(created.after.values()) == {ERASED}  # keys kept for renderers, values shredded
    erased = next(e for e in events if e.action == "customer.erased")
    assert erased.reason == REASON and erased.actor == manager
    assert SubjectKey.objects.get(customer_id=history.pk).key is None
    assert Erasure.objects.get(customer=history).approved_by == manager


def test_open_order_blocks_erasure_with_409(history, api_for, manager, make_order):
    make_order(cust=history)  # a draft: still open
    response = api_for(manager).post(
        f"/api/v1/customers/{history.member_id}/erasure", json={"reason": REASON}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "open_order"
    history.refresh_from_db()
    assert history.email == PERSONAL["email"]
    assert not Erasure.objects.exists()


def test_csr_cannot_erase(history, api_for, csr, web_for):
    response = api_for(csr).post(
        f"/api/v1/customers/{history.member_id}/erasure", json={"reason": REASON}
    )
    assert response.status_code == 403
    page = web_for(csr).post(
        f"/customers/{history.member_id}/privacy/erase/", {"reason": REASON, "confirm": "on"}
    )
    assert page.status_code == 403
    history.refresh_from_db()
    assert history.first_name == PERSONAL["first_name"]


def test_erasure_needs_a_reason_and_happens_once(history, api_for, manager):
    api = api_for(manager)
    url = f"/api/v1/customers/{history.member_id}/erasure"
    assert api.post(url, json={"reason": ""}).status_code == 400
    assert api.post(url, json={"reason": REASON, "extra": 1}).status_code == 422
    assert api.post(url, json={"reason": REASON}).status_code == 200
    again = api.post(url, json={"reason": REASON})
    assert again.status_code == 409 and again.json()["code"] == "erased"


def test_erase_page_requires_the_confirmation_box(history, web_for, manager):
    client = web_for(manager)
    url = f"/customers/{history.member_id}/privacy/erase/"
    refused = client.post(url, {"reason": REASON})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    history.refresh_from_db()
    assert history.first_name == PERSONAL["first_name"]
    done = client.post(url, {"reason": REASON, "confirm": "on"})
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "Personal data erased" in page and PERSONAL["first_name"] not in page


def test_audit_values_read_decrypted_until_erasure(history):
    """Stored sealed (no personal value readable in the row), read back in clear."""
    event = Event.objects.filter(action="customer.created", target_id=str(history.pk)).get()
    assert event.after["email"] == PERSONAL["email"]
    assert PERSONAL["email"] not in json.dumps(event.stored_values)
    assert event.target_label.startswith(PERSONAL["first_name"])
