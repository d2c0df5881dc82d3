"""In Chromium: the member snapshot at 1366x768, the FRAUD-STOP confirm dialog, and
view-as-customer showing its banner with no working submit."""

import os

import pytest
from django.urls import reverse

from caredesk.audit.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('staff:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")


def test_snapshot_and_view_as_customer(page, live_server, rich_customer, csr, screenshot_dir):
    _sign_in(page, live_server, "csr")
    page.goto(f"{live_server.url}{reverse('customers:snapshot', args=[rich_customer.member_id])}")
    assert page.locator("h1").first.inner_text().startswith("Maria Santos")
    assert page.get_by_text("0917 123 4567").first.is_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "customers-snapshot.png"))

    page.get_by_role("button", name="FRAUD-STOP…").click()
    dialog = page.locator("#fraud-dialog")
    assert dialog.is_visible()
    assert page.locator("#fraud-reason").evaluate("el => el === document.activeElement")
    page.screenshot(path=os.path.join(screenshot_dir, "customers-fraud-dialog.png"))
    page.keyboard.press("Escape")
    assert not dialog.is_visible()

    page.get_by_role("link", name="View as customer").click()
    page.wait_for_url("**/view-as/")
    banner = page.locator("#viewas-banner")
    assert "Viewing as Maria Santos — Csr, read-only" in banner.inner_text()
    # Read-only: no button to press, no field to type in, the customer's orders as they see them.
    assert page.get_by_role("button", name="Save profile").count() == 0
    assert page.locator("#pa-first").is_disabled()
    assert page.get_by_role("heading", name="My orders").is_visible()
    requests = []
    page.on("request", lambda r: requests.append(r.method))
    page.locator("#pa-first").press("Enter")
    page.wait_for_timeout(300)
    assert "POST" not in requests
    assert page.url.endswith("/view-as/")
    page.screenshot(path=os.path.join(screenshot_dir, "customers-view-as.png"), full_page=True)
    assert Event.objects.filter(action="customer.viewed_as").count() == 1


def test_blocklist_add_with_plus_and_edit_form(
    page, live_server, make_customer, csr, screenshot_dir
):
    customer = make_customer()
    _sign_in(page, live_server, "csr")
    page.goto(f"{live_server.url}{reverse('customers:blocklist')}")
    page.get_by_text("+ Block a value").click()
    page.select_option("#id_kind", "ip")
    page.fill("#id_value", "198.51.100.0/24")
    page.fill("#id_reason", "Card testing bot")
    page.get_by_role("button", name="Block", exact=True).click()
    page.wait_for_url("**/customers/blocklist/")
    assert page.get_by_text("198.51.100.0/24").first.is_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "customers-blocklist.png"))

    page.goto(f"{live_server.url}{reverse('customers:edit', args=[customer.member_id])}")
    page.fill("#id_nickname", "Maya")
    page.screenshot(path=os.path.join(screenshot_dir, "customers-edit.png"), full_page=True)
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(f"**{reverse('customers:snapshot', args=[customer.member_id])}")
    assert page.get_by_text("Profile saved.").is_visible()


def test_new_customer_form_errors_then_success(page, live_server, branches, csr, screenshot_dir):
    _sign_in(page, live_server, "csr")
    page.goto(f"{live_server.url}{reverse('customers:new')}")
    page.fill("#id_first_name", "Andres")
    page.fill("#id_last_name", "Andersen")
    page.fill("#id_phone", "0917 12")
    page.get_by_role("button", name="Open account").click()
    error = page.locator(".field-error").first
    assert "not a valid phone number" in error.inner_text()
    assert page.locator("#id_first_name").input_value() == "Andres"
    page.screenshot(path=os.path.join(screenshot_dir, "customers-new-error.png"), full_page=True)
    page.fill("#id_phone", "+63 917 765 4321")
    page.get_by_role("button", name="Open account").click()
    page.wait_for_url("**/customers/M0000001/")
    assert page.get_by_text("Account M0000001 opened.").is_visible()
    assert page.get_by_text("0917 765 4321").first.is_visible()
