"""Fixtures for customer tests: branches with zones, and customers opened through the service
(so they carry their audit events) or built directly for bulk shapes."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from caredesk.branches.models import Branch, Zone
from caredesk.customers.models import (
    BlockedMember,
    Card,
    ContactPoint,
    Customer,
    LoginDevice,
    RegisteredPart,
)
from caredesk.customers.services import customer_create


@pytest.fixture
def branches(db):
    mnl = Branch.objects.create(code="MNL", name="Manila", city="Manila")
    ceb = Branch.objects.create(code="CEB", name="Cebu", city="Cebu City")
    Zone.objects.create(branch=mnl, code="MNL-N", name="Quezon City")
    Zone.objects.create(branch=ceb, code="CEB-C", name="Cebu City")
    return {"MNL": mnl, "CEB": ceb}


def customer_data(**overrides) -> dict:
    data = {
        "account_type": "individual",
        "first_name": "Maria",
        "last_name": "Santos",
        "nickname": "Mia",
        "email": "maria.santos@example.ph",
        "phone": "0917 123 4567",
        "locale": "en",
        "group": "Santos household",
        "address": {
            "line1": "12 Mabini St",
            "city": "Quezon City",
            "branch": "MNL",
            "zone": "MNL-N",
        },
        "cards": [
            {
                "brand": "visa",
                "last4": "4242",
                "exp_month": 3,
                "exp_year": 2029,
                "holder_last_name": "Santos",
            }
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_customer(branches, csr):
    """make_customer(**overrides) -> Customer opened by the csr through customer_create."""

    def build(**overrides) -> Customer:
        return customer_create(actor=csr, data=customer_data(**overrides))

    return build


@pytest.fixture
def rich_customer(make_customer):
    """A customer with every snapshot section filled: related accounts, parts, logins, blocks."""
    customer = make_customer()
    group = customer.group
    others = [
        Customer.objects.create(
            member_id=f"M09000{i:02d}", first_name=f"Kin{i}", last_name="Santos", group=group
        )
        for i in range(3)
    ]
    ContactPoint.objects.create(
        customer=customer, kind="phone", value="+639189990000", label="Work"
    )
    ContactPoint.objects.create(customer=customer, kind="email", value="maria@work.ph")
    BlockedMember.objects.create(customer=customer, blocked=others[0])
    BlockedMember.objects.create(customer=customer, blocked=others[1])
    now = timezone.now()
    for i in range(5):
        LoginDevice.objects.create(
            customer=customer,
            device=f"Android phone {i}",
            ip=f"203.0.113.{10 + i}",
            at=now - timedelta(days=i),
        )
    LoginDevice.objects.create(
        customer=customer, device="Laptop", ip="2001:db8::7", at=now - timedelta(days=9)
    )
    for i in range(4):
        RegisteredPart.objects.create(
            customer=customer,
            part_type="Blade set",
            serial=f"BS-{i:04d}",
            wear_level=10 * i,
            last_service_on=date(2026, 1, 1 + i),
        )
    Card.objects.create(
        customer=customer,
        brand="mastercard",
        last4="5100",
        exp_month=11,
        exp_year=2027,
        holder_last_name="Santos",
    )
    return customer
