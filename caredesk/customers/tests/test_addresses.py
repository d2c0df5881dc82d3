"""A customer's addresses: one default while there are any, the customer's branch following the
default, branch/zone checks, the last address kept for unfinished orders, audit, the API and
the pages."""

import pytest
from django.urls import reverse

from caredesk.audit.models import Event
from caredesk.branches.models import Branch
from caredesk.customers import selectors
from caredesk.customers.models import Address, Customer
from caredesk.customers.services import (
    address_add,
    address_change,
    address_make_default,
    address_remove,
    address_values,
)
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, NotFound, StaleVersion
from caredesk.orders.models import Order

pytestmark = pytest.mark.django_db

CEBU = {"line1": "8 Osmeña Blvd", "city": "Cebu City", "branch": "CEB", "zone": "CEB-C"}


def _events(customer, action: str):
    return Event.objects.filter(
        target_type="customers.customer", target_id=str(customer.pk), action=action
    )


def _fresh(customer) -> Customer:
    return Customer.objects.get(pk=customer.pk)


def _defaults(customer) -> list[int]:
    return list(Address.objects.filter(customer=customer, is_default=True).values_list("pk"))


def _order(customer, status: str, number: str = "MNL-0001") -> Order:
    return Order.objects.create(
        number=number, branch=Branch.objects.get(code="MNL"), customer=customer, status=status
    )


# --- Services ----------------------------------------------------------------------------------


def test_first_address_is_the_default_and_sets_the_branch(make_customer, csr):
    customer = make_customer(address=None)
    assert _fresh(customer).branch is None
    address = address_add(actor=csr, customer=customer, data=dict(CEBU), expected_version=1)
    assert address.is_default
    current = _fresh(customer)
    assert current.branch.code == "CEB" and current.version == 2
    event = _events(customer, "customer.address_added").get()
    assert event.before == {"address": "", "branch": ""}
    assert event.after == {
        "address": "Home: 8 Osmeña Blvd, Cebu City · CEB · CEB-C",
        "branch": "CEB",
    }
    assert event in selectors.audit_history(current)


def test_address_values_read_back_as_they_were_written(make_customer, csr):
    customer = make_customer(address=None)
    address = address_add(actor=csr, customer=customer, data=dict(CEBU), expected_version=1)
    values = address_values(address)
    assert list(values) == [
        "kind",
        "line1",
        "line2",
        "barangay",
        "city",
        "province",
        "postal_code",
        "branch",
        "zone",
        "latitude",
        "longitude",
    ]
    assert values["kind"] == "home" and values["line1"] == "8 Osmeña Blvd"
    assert (values["branch"], values["zone"]) == ("CEB", "CEB-C")
    assert values["latitude"] is None and values["longitude"] is None
    # Sending them back unchanged changes nothing.
    address_change(actor=csr, customer=customer, address_id=address.pk, changes=values)
    assert _fresh(customer).version == 2


def test_a_later_address_is_not_default_unless_asked(make_customer, csr):
    customer = make_customer()
    first = customer.addresses.get()
    second = address_add(
        actor=csr,
        customer=customer,
        data={**CEBU, "kind": "delivery", "latitude": "10.3", "longitude": 123.9},
    )
    assert not second.is_default and _defaults(customer) == [(first.pk,)]
    assert _fresh(customer).branch.code == "MNL"
    third = address_add(
        actor=csr, customer=customer, data={**CEBU, "line1": "9 Colon St", "is_default": True}
    )
    assert _defaults(customer) == [(third.pk,)]
    assert _fresh(customer).branch.code == "CEB"
    event = _events(customer, "customer.address_added").order_by("-seq").first()
    assert event.before["default_address"].startswith("Home: 12 Mabini St")
    assert event.after["default_address"].startswith("Home: 9 Colon St")
    assert event.after["branch"] == "CEB"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({**CEBU, "line1": ""}, "line1", "Street address (line 1) is required"),
        ({**CEBU, "branch": ""}, "branch", "Choose the branch"),
        ({**CEBU, "branch": "XYZ"}, "branch", "Unknown branch"),
        ({**CEBU, "zone": "MNL-N"}, "zone", "is not a zone of branch CEB"),
        ({**CEBU, "latitude": "91"}, "latitude", "between -90 and 90"),
        ({**CEBU, "longitude": "east"}, "longitude", "between -180 and 180"),
        ({**CEBU, "kind": "castle"}, "kind", "Choose one of"),
        ({**CEBU, "line2": "4111-1111-1111-1111"}, "line2", "card number"),
    ],
)
def test_bad_addresses_are_refused(make_customer, csr, data, field, message):
    customer = make_customer()
    with pytest.raises(Invalid) as refused:
        address_add(actor=csr, customer=customer, data=data)
    assert refused.value.field == field and message in refused.value.detail
    assert customer.addresses.count() == 1 and _fresh(customer).version == 1


def test_change_keeps_the_fields_not_sent(make_customer, csr):
    customer = make_customer()
    address = customer.addresses.get()
    changed = address_change(
        actor=csr,
        customer=customer,
        address_id=address.pk,
        changes={"line2": "Unit 4B", "postal_code": "1100"},
        expected_version=1,
    )
    assert (changed.line1, changed.line2, changed.postal_code) == (
        "12 Mabini St",
        "Unit 4B",
        "1100",
    )
    assert changed.zone.code == "MNL-N"
    event = _events(customer, "customer.address_changed").get()
    assert event.before == {"address": "Home: 12 Mabini St, Quezon City · MNL · MNL-N"}
    assert event.after == {
        "address": "Home: 12 Mabini St, Unit 4B, Quezon City, 1100 · MNL · MNL-N"
    }
    # Nothing new: no event, no version bump.
    address_change(
        actor=csr, customer=customer, address_id=address.pk, changes={"line2": "Unit 4B"}
    )
    assert _events(customer, "customer.address_changed").count() == 1
    assert _fresh(customer).version == 2


def test_moving_the_default_to_another_branch_moves_the_customer(make_customer, csr):
    customer = make_customer()
    address = customer.addresses.get()
    with pytest.raises(Invalid) as refused:
        address_change(
            actor=csr, customer=customer, address_id=address.pk, changes={"branch": "CEB"}
        )
    assert refused.value.field == "zone"
    address_change(
        actor=csr,
        customer=customer,
        address_id=address.pk,
        changes={"branch": "ceb", "zone": "", "latitude": 10.31, "longitude": 123.89},
    )
    current = _fresh(customer)
    assert current.branch.code == "CEB"
    event = _events(customer, "customer.address_changed").get()
    assert event.after["branch"] == "CEB" and event.before["branch"] == "MNL"
    assert event.after["address"].endswith("CEB · 10.310000,123.890000")


def test_change_refuses_unknown_fields_and_other_customers_addresses(make_customer, csr):
    customer = make_customer()
    other = make_customer(email="o@example.ph")
    address = customer.addresses.get()
    with pytest.raises(Invalid) as refused:
        address_change(
            actor=csr, customer=customer, address_id=address.pk, changes={"is_default": False}
        )
    assert "make-default" in refused.value.detail
    with pytest.raises(NotFound):
        address_change(actor=csr, customer=other, address_id=address.pk, changes={"city": "X"})


def test_make_default(make_customer, csr):
    customer = make_customer()
    first = customer.addresses.get()
    second = address_add(actor=csr, customer=customer, data=dict(CEBU))
    address_make_default(actor=csr, customer=customer, address_id=second.pk, expected_version=2)
    assert _defaults(customer) == [(second.pk,)]
    current = _fresh(customer)
    assert current.branch.code == "CEB" and current.version == 3
    event = _events(customer, "customer.address_made_default").get()
    assert event.before["default_address"].startswith("Home: 12 Mabini St")
    assert event.after["default_address"].startswith("Home: 8 Osmeña Blvd")
    # Already the default: nothing happens.
    address_make_default(actor=csr, customer=customer, address_id=second.pk)
    assert _fresh(customer).version == 3
    address_make_default(actor=csr, customer=customer, address_id=first.pk)
    assert _defaults(customer) == [(first.pk,)] and _fresh(customer).branch.code == "MNL"


def test_removing_the_default_promotes_the_oldest_other(make_customer, csr):
    customer = make_customer()
    first = customer.addresses.get()
    second = address_add(actor=csr, customer=customer, data=dict(CEBU))
    address_add(actor=csr, customer=customer, data={**CEBU, "line1": "9 Colon St"})
    address_remove(actor=csr, customer=customer, address_id=first.pk, expected_version=3)
    assert _defaults(customer) == [(second.pk,)]
    assert _fresh(customer).branch.code == "CEB"
    event = _events(customer, "customer.address_removed").get()
    assert event.before["address"].startswith("Home: 12 Mabini St")
    assert event.after["address"] == ""
    assert event.after["default_address"].startswith("Home: 8 Osmeña Blvd")


def test_removing_another_address_keeps_the_default(make_customer, csr):
    customer = make_customer()
    first = customer.addresses.get()
    second = address_add(actor=csr, customer=customer, data=dict(CEBU))
    address_remove(actor=csr, customer=customer, address_id=second.pk)
    assert _defaults(customer) == [(first.pk,)]
    assert set(_events(customer, "customer.address_removed").get().after) == {"address"}


@pytest.mark.parametrize("status", ["draft", "pending", "scheduled", "picked_up", "ready"])
def test_the_last_address_stays_while_an_unfinished_order_needs_it(make_customer, csr, status):
    customer = make_customer()
    _order(customer, status)
    address = customer.addresses.get()
    with pytest.raises(Conflict) as refused:
        address_remove(actor=csr, customer=customer, address_id=address.pk)
    assert refused.value.code == "address_needed" and refused.value.status == 409
    assert "MNL-0001" in refused.value.detail
    assert customer.addresses.count() == 1 and _fresh(customer).version == 1


def test_the_last_address_may_go_when_orders_are_finished(make_customer, csr):
    customer = make_customer()
    for i, status in enumerate(["delivered", "completed", "cancelled"]):
        _order(customer, status, number=f"MNL-000{i + 1}")
    address_remove(actor=csr, customer=customer, address_id=customer.addresses.get().pk)
    assert not customer.addresses.exists()


def test_an_open_order_does_not_keep_one_of_several_addresses(make_customer, csr):
    customer = make_customer()
    _order(customer, "pending")
    first = customer.addresses.get()
    address_add(actor=csr, customer=customer, data=dict(CEBU))
    address_remove(actor=csr, customer=customer, address_id=first.pk)
    assert customer.addresses.count() == 1


def test_stale_version_and_wrong_role(make_customer, csr, sales):
    customer = make_customer()
    address_add(actor=csr, customer=customer, data=dict(CEBU))
    with pytest.raises(StaleVersion):
        address_add(actor=csr, customer=customer, data=dict(CEBU), expected_version=1)
    with pytest.raises(NotAllowed):
        address_add(actor=sales, customer=customer, data=dict(CEBU))
    with pytest.raises(NotAllowed):
        address_remove(actor=sales, customer=customer, address_id=customer.addresses.first().pk)
    assert customer.addresses.count() == 2


# --- API ---------------------------------------------------------------------------------------


def _url(customer, *rest) -> str:
    return "/".join([f"/api/v1/customers/{customer.member_id}/addresses", *map(str, rest)])


def test_api_add_change_make_default_and_remove(make_customer, csr, api_for):
    customer = make_customer()
    client = api_for(csr)
    added = client.post(
        _url(customer), json={**CEBU, "latitude": 10.3157}, headers={"If-Match": "1"}
    )
    assert added.status_code == 201, added.content
    body = added.json()
    new_id = body["created_id"]
    assert added["ETag"] == "2"
    assert [(a["id"], a["is_default"]) for a in body["addresses"]] == [
        (customer.addresses.get(is_default=True).pk, True),
        (new_id, False),
    ]
    changed = client.patch(
        _url(customer, new_id),
        json={"city": "Mandaue", "kind": "business"},
        headers={"If-Match": "2"},
    )
    assert changed.status_code == 200, changed.content
    row = next(a for a in changed.json()["addresses"] if a["id"] == new_id)
    assert (row["city"], row["kind"], row["line1"]) == ("Mandaue", "business", "8 Osmeña Blvd")
    default = client.post(_url(customer, new_id, "make-default"), headers={"If-Match": "3"})
    assert default.status_code == 200
    assert default.json()["addresses"][0]["id"] == new_id  # the default comes first
    assert default.json()["audit_history"][0]["action"] == "customer.address_made_default"
    old = customer.addresses.exclude(pk=new_id).get()
    removed = client.delete(_url(customer, old.pk), headers={"If-Match": "4"})
    assert removed.status_code == 200
    assert [a["id"] for a in removed.json()["addresses"]] == [new_id]


def test_api_bad_input_and_rules(make_customer, csr, api_for):
    customer = make_customer()
    client = api_for(csr)
    address = customer.addresses.get()
    zone = client.post(_url(customer), json={**CEBU, "zone": "MNL-N"}, headers={"If-Match": "1"})
    assert zone.status_code == 400 and zone.json()["field"] == "zone"
    card = client.post(
        _url(customer), json={**CEBU, "line1": "4111111111111111"}, headers={"If-Match": "1"}
    )
    assert card.status_code == 400 and card.json()["code"] == "card_number"
    assert "4111111111111111" not in card.json()["detail"]
    unknown = client.patch(
        _url(customer, address.pk), json={"is_default": True}, headers={"If-Match": "1"}
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "validation_error"
    _order(customer, "pending")
    needed = client.delete(_url(customer, address.pk), headers={"If-Match": "1"})
    assert needed.status_code == 409 and needed.json()["code"] == "address_needed"
    assert "MNL-0001" in needed.json()["detail"]
    missing = client.delete(_url(customer, 999999), headers={"If-Match": "1"})
    assert missing.status_code == 404
    assert customer.addresses.count() == 1


def test_api_if_match_and_role(make_customer, csr, sales, api_for):
    customer = make_customer()
    address = customer.addresses.get()
    assert api_for(csr).post(_url(customer), json=CEBU).status_code == 428
    stale = api_for(csr).post(_url(customer, address.pk, "make-default"), headers={"If-Match": "7"})
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    forbidden = api_for(sales).post(_url(customer), json=CEBU, headers={"If-Match": "1"})
    assert forbidden.status_code == 403
    assert customer.addresses.count() == 1


# --- Pages -------------------------------------------------------------------------------------


def test_snapshot_lists_addresses_with_default_badge_and_actions(make_customer, csr, web_for):
    customer = make_customer()
    second = address_add(actor=csr, customer=customer, data=dict(CEBU))
    html = web_for(csr).get(reverse("customers:snapshot", args=[customer.member_id])).content
    html = html.decode()
    assert "Default</span>" in html and "8 Osmeña Blvd" in html
    assert reverse("customers:address_make_default", args=[customer.member_id, second.pk]) in html
    first = customer.addresses.get(is_default=True)
    assert (
        reverse("customers:address_make_default", args=[customer.member_id, first.pk]) not in html
    )
    assert reverse("customers:address_add", args=[customer.member_id]) in html


def test_address_forms(make_customer, csr, web_for):
    customer = make_customer()
    client = web_for(csr)
    url = reverse("customers:address_add", args=[customer.member_id])
    page = client.get(url)
    assert page.status_code == 200
    assert '<option value="MNL" selected>' in page.content.decode()  # the customer's branch
    bad = client.post(url, {"version": "1", "kind": "home", "line1": "", "branch": "CEB"})
    assert bad.status_code == 400
    assert "Street address (line 1) is required." in bad.content.decode()
    zone = client.post(
        url, {"version": "1", "kind": "home", "line1": "1 A St", "branch": "CEB", "zone": "MNL-N"}
    )
    assert zone.status_code == 400 and "is not a zone of branch CEB" in zone.content.decode()
    ok = client.post(url, {"version": "1", "is_default": "on", **CEBU, "kind": "delivery"})
    assert ok.status_code == 302 and ok["Location"] == f"/customers/{customer.member_id}/"
    added = customer.addresses.get(line1="8 Osmeña Blvd")
    assert added.is_default and added.kind == "delivery"

    edit_url = reverse("customers:address_edit", args=[customer.member_id, added.pk])
    edit = client.get(edit_url).content.decode()
    assert 'value="8 Osmeña Blvd"' in edit and "is_default" not in edit
    saved = client.post(edit_url, {"version": "2", **CEBU, "kind": "delivery", "city": "Mandaue"})
    assert saved.status_code == 302
    added.refresh_from_db()
    assert added.city == "Mandaue"


def test_remove_confirmation_explains_a_refusal(make_customer, csr, web_for):
    customer = make_customer()
    _order(customer, "scheduled")
    address = customer.addresses.get()
    url = reverse("customers:address_remove", args=[customer.member_id, address.pk])
    client = web_for(csr)
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Remove <strong>12 Mabini St" in confirm.content.decode()
    refused = client.post(url, {"version": "1"})
    assert refused.status_code == 409
    assert "order MNL-0001 (scheduled) still needs it" in refused.content.decode()
    Order.objects.update(status="cancelled")
    removed = client.post(url, {"version": "1"}, follow=True)
    assert "Removed 12 Mabini St" in removed.content.decode()
    assert not customer.addresses.exists()


def test_make_default_button(make_customer, csr, web_for):
    customer = make_customer()
    second = address_add(actor=csr, customer=customer, data=dict(CEBU))
    response = web_for(csr).post(
        reverse("customers:address_make_default", args=[customer.member_id, second.pk]),
        {"version": "2"},
        follow=True,
    )
    assert "is now the default address." in response.content.decode()
    assert _defaults(customer) == [(second.pk,)]


def test_the_database_holds_at_most_one_default_address(make_customer):
    from django.db import IntegrityError, transaction

    customer = make_customer()
    assert customer.addresses.filter(is_default=True).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.create(customer=customer, line1="2 Other St", is_default=True)
    Address.objects.create(customer=customer, line1="2 Other St", is_default=False)
    assert customer.addresses.filter(is_default=True).count() == 1
