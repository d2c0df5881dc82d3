"""A fresh install configured without a shell (issue 14, "Done means"): on a migrated empty
database an operator adds the first administrator with the command line; everything else —
branch, zones, staff, catalog — goes through the API (or the pages); then a CSR opens a
customer with an address in that branch and creates an order."""

import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command
from django.test import Client

from caredesk.branches.tests.test_admin import BRANCH
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


def test_fresh_install_is_configured_through_the_pages(monkeypatch):
    """The same with the browser pages only: Administration for branch, zone, staff and
    catalog; then the CSR opens the customer and the order on their pages."""
    from caredesk.customers.models import Customer
    from caredesk.orders.models import Order

    monkeypatch.setenv("CAREDESK_PASSWORD", "first-admin-password")
    call_command("staff", "add", "admin", "--role", "admin")
    admin = Client()
    assert admin.login(username="admin", password="first-admin-password")

    def post(client, path, data):
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.content.decode()[:3000])
        return response

    post(
        admin,
        "/admin/branches/",
        {**BRANCH, "active": "on"},
    )
    post(
        admin, "/admin/branches/ILO/", {"action": "zone", "zone-code": "ILO-C", "zone-name": "City"}
    )
    post(
        admin,
        "/staff/",
        {
            "username": "joy",
            "first_name": "Joy",
            "last_name": "Reyes",
            "password": "joy-own-password-1",
            "roles": ["csr"],
        },
    )
    post(
        admin,
        "/orders/catalog/",
        {"sku": "SOFA-3", "name": "Sofa", "price": "24,999.00", "active": "on"},
    )

    csr = Client()
    assert csr.login(username="joy", password="joy-own-password-1")
    post(
        csr,
        "/customers/new/",
        {
            "account_type": "individual",
            "first_name": "Lito",
            "last_name": "Garcia",
            "phone": "09171234567",
            "locale": "en",
            "address_line1": "5 Lacson St",
            "address_city": "Iloilo City",
            "address_branch": "ILO",
            "address_zone": "ILO-C",
        },
    )
    customer = Customer.objects.get(first_name="Lito")
    address = customer.addresses.get()
    assert address.zone.code == "ILO-C" and address.branch.code == "ILO"
    post(
        csr,
        "/orders/new/",
        {
            "customer": customer.member_id,
            "branch": "ILO",
            "kind": "sale",
            "qty_SOFA-3": 1,
            "step": "confirm",
        },
    )
    order = Order.objects.get(customer=customer)
    assert order.number.startswith("ILO-") and order.status == "draft"
    assert order.created_by.username == "joy"


# --- The same, as an operator does it: the installed command and a running server --------------


def _command() -> list[str]:
    """The `caredesk` command `pip install .` puts beside the interpreter."""
    from pathlib import Path

    script = Path(sys.executable).with_name("caredesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "caredesk"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Http:
    """A small HTTP client with cookies (a browser's session) and JSON helpers."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def send(self, method: str, path: str, *, body=None, form=None, headers=None):
        data, all_headers = None, dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 of the test)
            self.base + path, data=data, method=method, headers=all_headers
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def json(self, method: str, path: str, token: str, body=None, expect=(200, 201)):
        status, content = self.send(
            method, path, body=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert status in expect, (method, path, status, content[:500])
        return json.loads(content)


def test_fresh_install_with_the_installed_command_and_a_running_server(tmp_path):
    """An empty SQLite database: `caredesk migrate`, `caredesk staff add admin --role admin`,
    `caredesk runserver`; then only HTTP — the API for branch, zone, staff and catalog, the
    emailed set-password page for the new CSR, and the CSR's customer and order."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY")
    }
    env.update(
        CAREDESK_DEBUG="1",
        CAREDESK_VAR_DIR=str(tmp_path),
        CAREDESK_PUBLIC_URL=base,
        CAREDESK_PASSWORD="first-admin-password",
    )

    def run(*args):
        done = subprocess.run(
            [*_command(), *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
        return done.stdout

    run("migrate", "--no-input")
    assert "Created staff user admin" in run("staff", "add", "admin", "--role", "admin")
    server = subprocess.Popen(
        [*_command(), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        web = Http(base)
        for _ in range(120):
            try:
                if web.send("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("caredesk runserver did not answer /healthz")

        status, content = web.send(
            "POST",
            "/api/v1/auth/token",
            body={"username": "admin", "password": "first-admin-password"},
        )
        assert status == 200, content
        admin = json.loads(content)["token"]
        assert web.json("GET", "/api/v1/branches", admin)["count"] == 0
        web.json(
            "POST",
            "/api/v1/branches",
            admin,
            {
                "code": "DVO",
                "name": "Davao",
                "city": "Davao City",
                "address": "7 J.P. Laurel Ave",
                "tax_id": "000-222-333-000",
                "tax_name": "Caredesk Davao Inc.",
                "business_hours": "Mon-Sat 9:00-18:00",
                "depot_latitude": "7.070000",
                "depot_longitude": "125.610000",
            },
        )
        web.json(
            "POST", "/api/v1/branches/DVO/zones", admin, {"code": "DVO-P", "name": "Poblacion"}
        )
        web.json(
            "POST",
            "/api/v1/staff",
            admin,
            {"username": "joy", "name": "Joy Reyes", "email": "joy@example.ph", "roles": ["csr"]},
        )
        web.json(
            "POST",
            "/api/v1/catalog",
            admin,
            {"sku": "BED-Q", "name": "Queen bed", "price": "18999.00"},
        )

        # The set-password link is in the outbox the server wrote (email is not connected).
        with sqlite3.connect(tmp_path / "caredesk.sqlite3") as db:
            (text_body,) = db.execute(
                "SELECT text_body FROM comms_outboundmessage WHERE \"to\" LIKE '%joy@example.ph%'"
            ).fetchone()
        link = next(w for w in text_body.split() if "/password/" in w)
        assert link.startswith(base)
        joy_web = Http(base)
        status, page = joy_web.send("GET", link.removeprefix(base))
        assert status == 200, page[:500]
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _ = joy_web.send(
            "POST",
            link.removeprefix(base),
            form={
                "csrfmiddlewaretoken": csrf,
                "new_password1": "joy-own-password-1",
                "new_password2": "joy-own-password-1",
            },
            headers={"Referer": base + link.removeprefix(base)},
        )
        assert status == 200  # followed the redirect to the sign-in page
        status, content = web.send(
            "POST",
            "/api/v1/auth/token",
            body={"username": "joy", "password": "joy-own-password-1"},
        )
        assert status == 200, content
        joy = json.loads(content)["token"]
        customer = web.json(
            "POST",
            "/api/v1/customers",
            joy,
            {
                "first_name": "Lito",
                "last_name": "Garcia",
                "phone": "09171234567",
                "address": {"line1": "5 Roxas Ave", "city": "Davao City", "branch": "DVO"},
            },
        )
        order = web.json(
            "POST",
            "/api/v1/orders",
            joy,
            {
                "customer": customer["member_id"],
                "branch": "DVO",
                "kind": "sale",
                "lines": [{"sku": "BED-Q", "quantity": 1}],
            },
        )
        assert order["number"].startswith("DVO-") and order["status"] == "draft"
        assert [line["sku"] for line in order["lines"]] == ["BED-Q"]
        refused = web.send(
            "POST",
            "/api/v1/branches",
            body={"code": "XX", "name": "x"},
            headers={"Authorization": f"Bearer {joy}"},
        )
        assert refused[0] == 403
    finally:
        server.terminate()
        server.wait(timeout=30)
