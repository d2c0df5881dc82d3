"""A customer's cards on file: add (never a full number, no duplicates, FRAUD-STOP), remove;
the service, the API and the pages."""

import pytest
from django.urls import reverse

from caredesk.audit.models import Event
from caredesk.customers.models import Card, Customer
from caredesk.customers.services import blocklist_add, card_add, card_remove
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, NotFound, StaleVersion

pytestmark = pytest.mark.django_db

FULL = "4111 1111 1111 1111"
VISA = {"brand": "visa", "last4": "1881", "exp_month": 3, "exp_year": 2031}


def _events(customer, action):
    return Event.objects.filter(
        target_type="customers.customer", target_id=str(customer.pk), action=action
    )


def _version(customer) -> int:
    return Customer.objects.values_list("version", flat=True).get(pk=customer.pk)


def test_add_and_remove_record_the_change_and_bump_the_version(make_customer, csr):
    customer = make_customer()
    start = _version(customer)
    card = card_add(
        actor=csr,
        customer=customer,
        data={**VISA, "exp_year": "31", "holder_last_name": "Dela  Cruz"},
        expected_version=start,
    )
    assert (card.brand, card.last4, card.exp_year, card.holder_last_name) == (
        "visa",
        "1881",
        2031,
        "Dela Cruz",
    )
    assert _version(customer) == start + 1
    event = _events(customer, "customer.card_added").get()
    assert event.after == {"card": "visa 1881 03/2031 Dela Cruz"}
    card_remove(actor=csr, customer=customer, card_id=card.pk, expected_version=start + 1)
    assert not Card.objects.filter(pk=card.pk).exists()
    assert _events(customer, "customer.card_removed").get().before == {
        "card": "visa 1881 03/2031 Dela Cruz"
    }


@pytest.mark.parametrize(
    "data, field",
    [
        ({**VISA, "last4": FULL}, "card.last4"),
        ({**VISA, "holder_last_name": f"Cruz {FULL}"}, "card.holder_last_name"),
        ({**VISA, "number": "4111111111111111"}, "card.number"),
        ({**VISA, "last4": "42"}, "card.last4"),
        ({**VISA, "exp_month": 13}, "card.exp_month"),
        ({**VISA, "brand": "diners-club"}, "card.brand"),
    ],
)
def test_bad_cards_are_refused_and_nothing_is_stored(make_customer, csr, data, field):
    customer = make_customer()
    before = Card.objects.count()
    with pytest.raises(Invalid) as refused:
        card_add(actor=csr, customer=customer, data=data)
    assert refused.value.field == field
    assert Card.objects.count() == before
    assert not _events(customer, "customer.card_added").exists()


def test_duplicate_blocked_stale_and_role(make_customer, csr, sales):
    customer = make_customer()
    card_add(actor=csr, customer=customer, data=VISA)
    with pytest.raises(Conflict) as duplicate:
        card_add(actor=csr, customer=customer, data=VISA)
    assert duplicate.value.code == "duplicate_card"
    blocklist_add(actor=csr, kind="card", value="mastercard 5555 01/2030 Reyes")
    blocked = {"brand": "mastercard", "last4": "5555", "exp_month": 1, "exp_year": 2030}
    with pytest.raises(Conflict) as refused:
        card_add(actor=csr, customer=customer, data={**blocked, "holder_last_name": "Reyes"})
    assert refused.value.code == "blocked"
    assert _events(customer, "safety.blocked_attempt").exists()
    with pytest.raises(StaleVersion):
        card_add(actor=csr, customer=customer, data={**VISA, "last4": "1111"}, expected_version=1)
    with pytest.raises(NotAllowed):
        card_add(actor=sales, customer=customer, data={**VISA, "last4": "1111"})
    with pytest.raises(NotFound):
        card_remove(actor=csr, customer=customer, card_id=999999)


def test_api_add_and_remove(make_customer, csr, api_for):
    customer = make_customer()
    api = api_for(csr)
    url = f"/api/v1/customers/{customer.member_id}/cards"
    version = _version(customer)
    assert api.post(url, json=VISA).status_code == 428
    assert api.post(url, json=VISA, headers={"If-Match": str(version - 1)}).status_code == 412
    r = api.post(url, json={**VISA, "pan": FULL}, headers={"If-Match": str(version)})
    assert r.status_code == 400 and r.json()["code"] == "card_number"
    assert FULL.replace(" ", "") not in r.content.decode().replace(" ", "")
    r = api.post(url, json=VISA, headers={"If-Match": str(version)})
    assert r.status_code == 201, r.content
    body = r.json()
    card = Card.objects.get(customer=customer, last4="1881")
    assert body["created_id"] == card.pk and r["ETag"] == str(version + 1)
    assert {"id": card.pk, "brand": "visa", "last4": "1881"} in [
        {k: c[k] for k in ("id", "brand", "last4")} for c in body["cards"]
    ]
    r = api.post(url, json=VISA, headers={"If-Match": str(version + 1)})
    assert r.status_code == 409 and r.json()["code"] == "duplicate_card"
    r = api.delete(f"{url}/{card.pk}", headers={"If-Match": str(version + 1)})
    assert r.status_code == 200 and all(c["id"] != card.pk for c in r.json()["cards"])


def test_pages_add_refuse_and_remove(make_customer, csr, sales, web_for):
    customer = make_customer()
    client = web_for(csr)
    snapshot = client.get(reverse("customers:snapshot", args=[customer.member_id])).content
    add_url = reverse("customers:card_add", args=[customer.member_id])
    assert add_url in snapshot.decode()
    form = {"version": _version(customer), "brand": "visa", "exp_month": "3", "exp_year": "2031"}
    r = client.post(add_url, {**form, "last4": FULL})
    html = r.content.decode()
    assert r.status_code == 400 and "Never enter a full card number" in html
    assert "4111" not in html  # the typed number is never echoed
    r = client.post(add_url, {**form, "last4": "42"})
    assert r.status_code == 400 and "last 4 digits" in r.content.decode()
    r = client.post(add_url, {**form, "last4": "1881"})
    assert r.status_code == 302
    card = Card.objects.get(customer=customer, last4="1881")
    remove_url = reverse("customers:card_remove", args=[customer.member_id, card.pk])
    assert "Remove card" in client.get(remove_url).content.decode()
    r = client.post(remove_url, {"version": _version(customer)})
    assert r.status_code == 302 and not Card.objects.filter(pk=card.pk).exists()
    assert web_for(sales).get(add_url).status_code == 403
