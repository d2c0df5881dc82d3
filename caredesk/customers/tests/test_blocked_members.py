"""Blocked members (privacy): a CSR blocks and unblocks members at the customer's request."""

import pytest
from django.urls import reverse

from caredesk.audit.models import Event
from caredesk.customers.models import BlockedMember, Customer
from caredesk.customers.services import member_block, member_unblock
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, NotFound, StaleVersion

pytestmark = pytest.mark.django_db


def _version(customer) -> int:
    return Customer.objects.values_list("version", flat=True).get(pk=customer.pk)


def test_block_and_unblock_are_audited(make_customer, csr):
    customer = make_customer()
    other = make_customer(email="other@example.ph", phone="0918 000 1111")
    start = _version(customer)
    short = "m" + other.member_id.lstrip("M").lstrip("0")
    member_block(actor=csr, customer=customer, member_id=short, expected_version=start)
    assert BlockedMember.objects.filter(customer=customer, blocked=other).exists()
    assert Event.objects.get(action="customer.member_blocked").after == {
        "blocked_member": other.member_id
    }
    member_unblock(actor=csr, customer=customer, member_id=other.member_id)
    assert not BlockedMember.objects.exists() and _version(customer) == start + 2


def test_block_refusals(make_customer, csr, sales):
    customer = make_customer()
    other = make_customer(email="other@example.ph", phone="0918 000 1111")
    with pytest.raises(Invalid):
        member_block(actor=csr, customer=customer, member_id="hello")
    with pytest.raises(NotFound):
        member_block(actor=csr, customer=customer, member_id="M0999999")
    with pytest.raises(Invalid):
        member_block(actor=csr, customer=customer, member_id=customer.member_id)
    member_block(actor=csr, customer=customer, member_id=other.member_id)
    with pytest.raises(Conflict) as twice:
        member_block(actor=csr, customer=customer, member_id=other.member_id)
    assert twice.value.code == "already_blocked"
    with pytest.raises(StaleVersion):
        member_unblock(actor=csr, customer=customer, member_id=other.member_id, expected_version=1)
    with pytest.raises(NotAllowed):
        member_unblock(actor=sales, customer=customer, member_id=other.member_id)
    member_unblock(actor=csr, customer=customer, member_id=other.member_id)
    with pytest.raises(NotFound):
        member_unblock(actor=csr, customer=customer, member_id=other.member_id)


def test_api(make_customer, csr, api_for):
    customer = make_customer()
    other = make_customer(email="other@example.ph", phone="0918 000 1111")
    api = api_for(csr)
    url = f"/api/v1/customers/{customer.member_id}/blocked-members"
    version = _version(customer)
    assert api.post(url, json={"member_id": other.member_id}).status_code == 428
    r = api.post(url, json={"member_id": other.member_id}, headers={"If-Match": str(version)})
    assert r.status_code == 201 and r.json()["blocked_members"] == [other.member_id]
    r = api.post(url, json={"member_id": "nope"}, headers={"If-Match": str(version + 1)})
    assert r.status_code == 400 and r.json()["field"] == "member_id"
    r = api.delete(f"{url}/{other.member_id}", headers={"If-Match": str(version + 1)})
    assert r.status_code == 200 and r.json()["blocked_members"] == []


def test_snapshot_form(make_customer, csr, web_for):
    customer = make_customer()
    other = make_customer(email="other@example.ph", phone="0918 000 1111")
    client = web_for(csr)
    snapshot = reverse("customers:snapshot", args=[customer.member_id])
    assert 'id="block-member-id"' in client.get(snapshot).content.decode()
    url = reverse("customers:member_block", args=[customer.member_id])
    r = client.post(url, {"version": _version(customer), "member_id": other.member_id}, follow=True)
    html = r.content.decode()
    assert f"{other.member_id} is blocked for this customer." in html
    assert reverse("customers:member_unblock", args=[customer.member_id, other.member_id]) in html
    r = client.post(url, {"version": _version(customer), "member_id": "M0999999"}, follow=True)
    assert "No member M0999999." in r.content.decode()
    unblock = reverse("customers:member_unblock", args=[customer.member_id, other.member_id])
    r = client.post(unblock, {"version": _version(customer)}, follow=True)
    assert f"{other.member_id} is no longer blocked." in r.content.decode()
    assert not BlockedMember.objects.exists()
