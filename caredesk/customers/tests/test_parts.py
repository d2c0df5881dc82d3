"""Registered parts on the customer: register, change, retire; service, API and pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.customers.models import Customer, RegisteredPart
from caredesk.customers.services import part_change, part_register
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, NotFound, StaleVersion

pytestmark = pytest.mark.django_db

BLADES = {"part_type": "Blade set", "serial": "BS-900", "wear_level": 10}


def _version(customer) -> int:
    return Customer.objects.values_list("version", flat=True).get(pk=customer.pk)


def test_register_then_change_and_retire_are_audited_per_part(make_customer, csr):
    customer = make_customer()
    start = _version(customer)
    part = part_register(actor=csr, customer=customer, data=BLADES, expected_version=start)
    assert (part.status, part.wear_level, _version(customer)) == ("active", 10, start + 1)
    registered = Event.objects.get(action="customer.part_registered")
    assert registered.after["Blade set #BS-900: wear level"] == 10
    part_change(actor=csr, customer=customer, part_id=part.pk, changes={"wear_level": "35%"})
    changed = Event.objects.get(action="customer.part_changed")
    assert changed.before == {"Blade set #BS-900: wear level": 10}
    assert changed.after == {"Blade set #BS-900: wear level": 35}
    part_change(actor=csr, customer=customer, part_id=part.pk, changes={"status": "retired"})
    part.refresh_from_db()
    assert part.status == "retired" and _version(customer) == start + 3
    # nothing changed: no event, no version bump
    part_change(actor=csr, customer=customer, part_id=part.pk, changes={"wear_level": 35})
    assert _version(customer) == start + 3


@pytest.mark.parametrize(
    "data, field",
    [
        ({**BLADES, "serial": ""}, "serial"),
        ({**BLADES, "part_type": " "}, "part_type"),
        ({**BLADES, "wear_level": 120}, "wear_level"),
        ({**BLADES, "wear_level": "lots"}, "wear_level"),
        ({**BLADES, "last_service_on": "tomorrow"}, "last_service_on"),
        ({**BLADES, "serial": "4111 1111 1111 1111"}, "serial"),
        ({**BLADES, "owner": "x"}, "owner"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(make_customer, csr, data, field):
    customer = make_customer()
    with pytest.raises(Invalid) as refused:
        part_register(actor=csr, customer=customer, data=data)
    assert refused.value.field == field
    assert not RegisteredPart.objects.filter(customer=customer).exists()


def test_rules_duplicate_future_in_service_stale_and_role(make_customer, csr, sales):
    customer = make_customer()
    part = part_register(actor=csr, customer=customer, data=BLADES)
    with pytest.raises(Conflict) as duplicate:
        part_register(actor=csr, customer=customer, data=BLADES)
    assert duplicate.value.code == "duplicate_serial"
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    with pytest.raises(Invalid):
        part_change(
            actor=csr, customer=customer, part_id=part.pk, changes={"last_service_on": future}
        )
    with pytest.raises(Invalid):
        part_change(actor=csr, customer=customer, part_id=part.pk, changes={"status": "in_service"})
    # "in service" with no order holding the part (data from before orders moved parts)
    RegisteredPart.objects.filter(pk=part.pk).update(status="in_service")
    part_change(actor=csr, customer=customer, part_id=part.pk, changes={"status": "active"})
    part.refresh_from_db()
    assert part.status == "active"
    with pytest.raises(StaleVersion):
        part_change(
            actor=csr,
            customer=customer,
            part_id=part.pk,
            changes={"wear_level": 5},
            expected_version=1,
        )
    with pytest.raises(NotAllowed):
        part_register(actor=sales, customer=customer, data={**BLADES, "serial": "X"})
    with pytest.raises(NotFound):
        part_change(actor=csr, customer=customer, part_id=999999, changes={"wear_level": 1})


def test_api_register_and_change(make_customer, csr, api_for):
    customer = make_customer()
    api = api_for(csr)
    url = f"/api/v1/customers/{customer.member_id}/parts"
    version = _version(customer)
    assert api.post(url, json=BLADES).status_code == 428
    r = api.post(url, json={**BLADES, "wear_level": 101}, headers={"If-Match": str(version)})
    assert r.status_code == 400 and r.json()["field"] == "wear_level"
    r = api.post(url, json=BLADES, headers={"If-Match": str(version)})
    assert r.status_code == 201, r.content
    part_id = r.json()["created_id"]
    assert any(p["id"] == part_id and p["serial"] == "BS-900" for p in r.json()["parts"])
    r = api.patch(
        f"{url}/{part_id}", json={"status": "retired"}, headers={"If-Match": str(version + 1)}
    )
    assert r.status_code == 200
    assert RegisteredPart.objects.get(pk=part_id).status == "retired"
    r = api.patch(f"{url}/{part_id}", json={"colour": "red"}, headers={"If-Match": "1"})
    assert r.status_code == 422


def test_pages_register_and_edit(make_customer, csr, sales, web_for):
    customer = make_customer()
    client = web_for(csr)
    snapshot = client.get(reverse("customers:snapshot", args=[customer.member_id]))
    add_url = reverse("customers:part_add", args=[customer.member_id])
    assert add_url in snapshot.content.decode()
    form = {"version": _version(customer), **BLADES}
    r = client.post(add_url, {**form, "wear_level": 150})
    assert r.status_code == 400
    r = client.post(add_url, form)
    assert r.status_code == 302
    part = RegisteredPart.objects.get(customer=customer, serial="BS-900")
    edit_url = reverse("customers:part_edit", args=[customer.member_id, part.pk])
    assert 'name="status"' in client.get(edit_url).content.decode()
    r = client.post(edit_url, {**form, "version": _version(customer), "status": "retired"})
    assert r.status_code == 302
    part.refresh_from_db()
    assert part.status == "retired"
    r = client.post(edit_url, {**form, "version": 1, "wear_level": 50})
    assert r.status_code == 412 and "Saving again applies your input" in r.content.decode()
    assert web_for(sales).get(add_url).status_code == 403
