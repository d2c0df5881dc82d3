"""Fixtures of the privacy tests: the orders app's catalog and orders, and one customer with a
history in every app (profile, contacts, address, card, orders with a payment, an email, a
note, audited changes)."""

import pytest

from caredesk.orders.tests.conftest import (  # noqa: F401 - fixtures
    branch,
    catalog,
    customer,
    make_customer,
    make_order,
)

PERSONAL = {
    "first_name": "Ximena",
    "last_name": "Quibuloy",
    "email": "ximena.quibuloy@example.ph",
    "phone": "+639171234567",
    "other_email": "xq.office@example.ph",
    "line1": "77 Narra Lane",
    "note": "Asked about the Zulueta warranty",
    "email_body": "Dear Ximena, your blade is ready",
}


@pytest.fixture
def history(db, api_for, csr, finance, make_order, catalog, branch, settings, tmp_path):  # noqa: F811
    """A customer with everything Caredesk can hold about them; their one order is closed."""
    from caredesk.customers.models import Customer
    from caredesk.orders.models import Order
    from caredesk.orders.services.payments import payment_record

    settings.MEDIA_ROOT = tmp_path / "media"
    api = api_for(csr)
    created = api.post(
        "/api/v1/customers",
        json={
            "first_name": PERSONAL["first_name"],
            "last_name": PERSONAL["last_name"],
            "email": PERSONAL["email"],
            "phone": PERSONAL["phone"],
            "address": {"line1": PERSONAL["line1"], "city": "Makati", "branch": branch.code},
            "cards": [
                {
                    "brand": "visa",
                    "last4": "4242",
                    "exp_month": 12,
                    "exp_year": 2030,
                    "holder_last_name": PERSONAL["last_name"],
                }
            ],
        },
    )
    assert created.status_code == 201, created.content
    member_id = created.json()["member_id"]
    customer = Customer.objects.get(member_id=member_id)  # noqa: F811
    assert (
        api.post(
            f"/api/v1/customers/{member_id}/contacts",
            json={"kind": "email", "value": PERSONAL["other_email"], "label": "work"},
            headers={"If-Match": str(customer.version)},
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"/api/v1/customers/{member_id}/notes",
            json={
                "subject": "Phone call",
                "body": PERSONAL["note"],
                "activity_code": "email",
                "result_code": "satisfied",
            },
        ).status_code
        == 201
    )
    emailed = api.post(
        f"/api/v1/customers/{member_id}/emails",
        json={
            "template_code": "free_text",
            "subject": "Your blade",
            "body": PERSONAL["email_body"],
        },
    )
    assert emailed.status_code in (200, 201), emailed.content
    order = make_order(cust=customer, lines=[{"sku": "OIL-1L", "quantity": 2}])
    payment_record(
        actor=finance, order=order.number, method="card", amount="100.00", card_last4="4242"
    )
    Order.objects.filter(pk=order.pk).update(status="completed")
    customer.refresh_from_db()
    return customer
