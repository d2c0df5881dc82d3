"""A fresh install configured without a shell (issue 14, "Done means"): on a migrated empty
database an operator adds the first administrator with the command line; everything else —
branch, zones, staff, catalog — goes through the API (or the pages); then a CSR opens a
customer with an address in that branch and creates an order."""

import pytest
from django.core.management import call_command
from django.test import Client

from caredesk.comms.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _bearer(username: str, password: str) -> dict:
    response = Client().post(
        "/api/v1/auth/token",
        data={"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _call(client: Client, method: str, path: str, headers: dict, body=None):
    response = getattr(client, method)(
        path, data=body, content_type="application/json", headers=headers
    )
    assert response.status_code in (200, 201), (path, response.status_code, response.content)
    return response.json()


def test_fresh_install_is_configured_without_a_shell(monkeypatch):
    from caredesk.branches.models import Branch
    from caredesk.orders.models import CatalogItem

    assert not Branch.objects.exists() and not CatalogItem.objects.exists()
    monkeypatch.setenv("CAREDESK_PASSWORD", "first-admin-password")
    call_command("staff", "add", "admin", "--role", "admin")

    api = Client()
    admin = _bearer("admin", "first-admin-password")
    _call(
        api,
        "post",
        "/api/v1/branches",
        admin,
        {"code": "BCD", "name": "Bacolod", "city": "Bacolod City", "tax_id": "000-111-222-000"},
    )
    _call(api, "post", "/api/v1/branches/BCD/zones", admin, {"code": "BCD-C", "name": "City"})
    _call(
        api,
        "post",
        "/api/v1/staff",
        admin,
        {"username": "joy", "name": "Joy Reyes", "email": "joy@example.ph", "roles": ["csr"]},
    )
    _call(
        api,
        "post",
        "/api/v1/catalog",
        admin,
        {"sku": "SOFA-3", "name": "Three-seat sofa", "price": "24999.00"},
    )

    # The new CSR sets a password from the emailed link, then works.
    message = OutboundMessage.objects.get(to=["joy@example.ph"])
    link = next(w for w in message.text_body.split() if "/password/" in w)
    path = "/password/" + link.split("/password/", 1)[1]
    browser = Client()
    done = browser.post(
        path, {"new_password1": "joy-own-password-1", "new_password2": "joy-own-password-1"}
    )
    assert done.status_code == 302
    csr = _bearer("joy", "joy-own-password-1")
    customer = _call(
        api,
        "post",
        "/api/v1/customers",
        csr,
        {
            "account_type": "individual",
            "first_name": "Lito",
            "last_name": "Garcia",
            "phone": "09171234567",
            "address": {"line1": "5 Lacson St", "city": "Bacolod City", "branch": "BCD"},
        },
    )
    order = _call(
        api,
        "post",
        "/api/v1/orders",
        csr,
        {
            "customer": customer["member_id"],
            "branch": "BCD",
            "kind": "sale",
            "lines": [{"sku": "SOFA-3", "quantity": 1}],
        },
    )
    assert order["number"].startswith("BCD-")
    assert order["status"] == "draft"
