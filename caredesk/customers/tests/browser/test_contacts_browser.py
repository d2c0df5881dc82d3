"""In Chromium at 1366x768: a CSR adds a second phone from the member snapshot, sees it listed
and makes it the primary phone; the address and confirmation pages, with a refusal shown."""

import os
import re

import pytest
from django.urls import reverse

from caredesk.audit.models import Event
from caredesk.customers.models import Customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('staff:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")


def test_csr_adds_a_second_phone_and_makes_it_primary(
    page, live_server, make_customer, csr, screenshot_dir
):
    customer = make_customer()
    snapshot_url = f"{live_server.url}{reverse('customers:snapshot', args=[customer.member_id])}"
    _sign_in(page, live_server, "csr")
    page.goto(snapshot_url)
    contact = page.locator("#contact")
    contact.get_by_role("link", name="+ Phone").click()
    page.wait_for_url("**/contacts/new/?kind=phone")
    assert page.locator("#id_kind").input_value() == "phone"

    page.fill("#id_value", "0918 55")
    page.get_by_role("button", name="Add", exact=True).click()
    error = page.locator(".field-error").first
    assert "not a valid phone number" in error.inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "customers-contact-add-error.png"))

    page.fill("#id_value", "0918 555 1234")
    page.fill("#id_label", "mobile 2")
    page.screenshot(path=os.path.join(screenshot_dir, "customers-contact-add.png"))
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url(snapshot_url)
    assert page.get_by_text("Added 0918 555 1234 (mobile 2).").is_visible()
    assert contact.get_by_role("link", name="0918 555 1234").is_visible()
    assert "mobile 2" in contact.inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "customers-snapshot-contacts.png"))

    with page.expect_navigation():
        contact.get_by_role("button", name=re.compile(r"^Make primary phone")).click()
    assert page.get_by_text("0918 555 1234 (mobile 2) is now the primary phone.").is_visible()
    primary = contact.locator("dd").first
    assert "0918 555 1234" in primary.inner_text() and "Primary" in primary.inner_text()
    assert contact.get_by_role("link", name="0917 123 4567").is_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "customers-snapshot-made-primary.png"))
    assert Customer.objects.get(pk=customer.pk).phone == "+639185551234"
    assert Event.objects.filter(action="customer.contact_made_primary").count() == 1

    contact.get_by_role("link", name=re.compile(r"^Edit phone")).click()
    page.wait_for_url("**/edit/")
    assert page.locator("#id_kind").count() == 0
    assert page.locator("#id_value").input_value() == "0917 123 4567"
    page.screenshot(path=os.path.join(screenshot_dir, "customers-contact-edit.png"))
    page.goto(snapshot_url)
    contact.get_by_role("link", name=re.compile(r"^Remove phone")).click()
    page.wait_for_url("**/remove/")
    page.screenshot(path=os.path.join(screenshot_dir, "customers-contact-remove.png"))
    page.get_by_role("button", name="Remove phone").click()
    page.wait_for_url(snapshot_url)
    assert page.get_by_text("Removed 0917 123 4567.").is_visible()


def test_csr_adds_an_address_and_cannot_remove_the_last_one_of_an_open_order(
    page, live_server, make_customer, csr, screenshot_dir
):
    from caredesk.branches.models import Branch
    from caredesk.orders.models import Order

    customer = make_customer()
    Order.objects.create(
        number="MNL-0001", branch=Branch.objects.get(code="MNL"), customer=customer
    )
    snapshot_url = f"{live_server.url}{reverse('customers:snapshot', args=[customer.member_id])}"
    _sign_in(page, live_server, "csr")
    page.goto(snapshot_url)
    addresses = page.locator("#addresses")
    addresses.get_by_role("link", name="+ Address").click()
    page.wait_for_url("**/addresses/new/")
    page.select_option("#id_kind", "delivery")
    page.fill("#id_line1", "8 Osmeña Blvd")
    page.fill("#id_city", "Cebu City")
    page.select_option("#id_branch", "CEB")
    page.select_option("#id_zone", "MNL-N")
    page.get_by_role("button", name="Add address").click()
    assert "is not a zone of branch CEB" in page.locator(".field-error").first.inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "customers-address-add-error.png"))
    page.select_option("#id_zone", "CEB-C")
    page.fill("#id_latitude", "10.2966")
    page.fill("#id_longitude", "123.9020")
    page.get_by_role("button", name="Add address").click()
    page.wait_for_url(snapshot_url)
    assert "8 Osmeña Blvd" in addresses.inner_text()
    addresses.scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(screenshot_dir, "customers-snapshot-addresses.png"))

    addresses.get_by_role("link", name=re.compile(r"^Edit address 8 Osmeña")).click()
    page.wait_for_url("**/edit/")
    assert page.locator("#id_line1").input_value() == "8 Osmeña Blvd"
    page.screenshot(path=os.path.join(screenshot_dir, "customers-address-edit.png"))
    page.goto(snapshot_url)
    addresses.get_by_role("link", name=re.compile(r"^Remove address 8 Osmeña")).click()
    page.get_by_role("button", name="Remove address").click()
    page.wait_for_url(snapshot_url)
    addresses.get_by_role("link", name=re.compile(r"^Remove address 12 Mabini")).click()
    page.get_by_role("button", name="Remove address").click()
    alert = page.get_by_role("alert")
    assert "order MNL-0001 (draft) still needs it" in alert.inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "customers-address-remove-refused.png"))
    assert customer.addresses.count() == 1
