"""Browser: N -> wizard -> order -> amend quantity -> total changes -> payment -> pending;
then two agents amend the same order and the second sees the conflict with its input kept."""

import datetime
import os

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from caredesk.customers.models import Address
from caredesk.orders.models import Order, PickupWindow
from caredesk.orders.tracking import token_for
from caredesk.workspace.tests.browser.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, screenshot_dir, name):
    page.screenshot(path=os.path.join(screenshot_dir, f"orders-{name}.png"), full_page=True)


def test_wizard_amend_pay_and_conflict(
    page, browser, live_server, staff_factory, customer, catalog, part, zone, screenshot_dir
):
    agent = staff_factory("maria", "csr")
    agent.user_permissions.add(Permission.objects.get(codename="record_payment"))
    staff_factory("joy", "csr")
    Address.objects.create(customer=customer, line1="12 Mabini St", zone=zone, branch=zone.branch)
    PickupWindow.objects.create(
        zone=zone,
        date=timezone.localdate() + datetime.timedelta(days=2),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=3,
    )
    base = live_server.url
    sign_in(page, base, "maria")

    page.keyboard.press("n")
    page.wait_for_url(f"{base}/orders/new/")
    page.locator("#page-search").press_sequentially(customer.last_name[:4], delay=30)
    page.get_by_role("link", name="Choose").click()  # results came while typing, no Enter
    page.fill("#qty-BLADE-10", "2")
    _shot(page, screenshot_dir, "wizard-items")
    page.get_by_role("button", name="Next: window").click()
    requested = timezone.localdate() + datetime.timedelta(days=3)
    page.fill("#requested", requested.isoformat())
    page.locator("input[name=window]").nth(1).check()
    _shot(page, screenshot_dir, "wizard-window")
    page.get_by_role("button", name="Next: confirm").click()
    page.get_by_role("button", name="Create draft order").click()
    page.wait_for_url(f"{base}/orders/MNL-0001/")
    assert page.locator("#order-total").inner_text() == "₱2,650.00"
    assert Order.objects.get().requested_delivery_on == requested

    line = Order.objects.get().lines.get()
    page.select_option("#id_op", "set_quantity")
    # The amend form shows only the fields of the chosen change.
    assert page.locator("#id_quantity").is_visible() and not page.locator("#id_sku").is_visible()
    page.select_option("#id_line", str(line.pk))
    page.fill("#id_quantity", "3")
    page.fill("#id_reason", "customer wants a spare")
    page.get_by_role("button", name="Preview").click()
    assert "₱3,900.00" in page.locator("#amend-preview").inner_text()
    _shot(page, screenshot_dir, "amend-preview")
    page.get_by_role("button", name="Confirm amendment").click()
    page.wait_for_selector("text=Order amended.")
    assert page.locator("#order-total").inner_text() == "₱3,900.00"

    page.select_option("#id_method", "cash")
    page.fill("#id_amount", "1,000")
    page.get_by_role("button", name="Record payment").click()
    page.wait_for_selector("text=Payment of ₱1,000.00 recorded.")
    assert page.locator('.status-path [aria-current="step"]').inner_text() == "Pending"
    assert page.locator("#order-balance").inner_text() == "₱2,900.00"
    _shot(page, screenshot_dir, "order-pending")

    # Two agents on one order: both open it, Maria saves first, Joy's save is refused.
    other = browser.new_context(viewport={"width": 1366, "height": 768})
    joy = other.new_page()
    sign_in(joy, base, "joy")
    joy.goto(f"{base}/orders/MNL-0001/")
    page.goto(f"{base}/orders/MNL-0001/")
    for p, qty in ((page, "4"), (joy, "9")):
        p.select_option("#id_op", "set_quantity")
        p.select_option("#id_line", str(line.pk))
        p.fill("#id_quantity", qty)
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Confirm amendment").click()
    page.wait_for_selector("text=Order amended.")
    joy.get_by_role("button", name="Preview").click()
    joy.wait_for_selector(".stale")
    assert "was changed by Maria at" in joy.locator(".stale").inner_text()
    assert joy.locator("#id_quantity").input_value() == "9"
    assert joy.locator("#order-total").inner_text() == "₱5,150.00"
    _shot(joy, screenshot_dir, "conflict")
    other.close()
    assert Order.objects.get().lines.get().quantity == 4

    page.goto(f"{base}/")
    assert "Active orders" in page.locator("main").inner_text()
    _shot(page, screenshot_dir, "dashboard")
    page.goto(f"{base}/orders/?status=active")
    _shot(page, screenshot_dir, "list")

    # The guest opens the tracking link: the token is traded for a cookie and leaves the URL.
    order = Order.objects.get()
    guest = browser.new_context(viewport={"width": 390, "height": 844})
    phone = guest.new_page()
    phone.goto(f"{base}/track/{order.number}?t={token_for(order)}")
    assert phone.url == f"{base}/track/{order.number}"
    assert "Pending factory shipment" in phone.locator("main").inner_text()
    _shot(phone, screenshot_dir, "tracking")
    guest.close()


def test_cancel_asks_first_in_a_dialog(page, live_server, manager, make_order):
    order = make_order()
    Order.objects.filter(pk=order.pk).update(status="pending")
    base = live_server.url
    sign_in(page, base, "manager")
    page.goto(f"{base}/orders/{order.number}/")
    code = page.locator("#move-form [name=reason_code]")
    assert not code.is_visible()  # the cancel fields show only when cancelling
    page.select_option("#move-to", "cancelled")
    code.select_option("customer_request")
    page.locator("#move-form [name=reason]").fill("Changed their mind")
    page.get_by_role("button", name="Change status").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    assert f"Cancel order {order.number}?" in dialog.inner_text()
    dialog.get_by_role("button", name="No, go back").click()
    order.refresh_from_db()
    assert order.status == "pending"
    page.get_by_role("button", name="Change status").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, go ahead").click()
    page.wait_for_selector("text=Order is now cancelled.")
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_void_from_the_pending_grid_names_and_voids_the_row_clicked(
    page, live_server, csr, make_order
):
    first, second = make_order(), make_order(lines=[{"sku": "BLADE-10", "quantity": 3}])
    base = live_server.url
    sign_in(page, base, "csr")
    page.goto(f"{base}/orders/pending/")
    dialog = page.locator("#void-dialog")
    page.get_by_role("button", name=f"Void {second.number}").click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text(f"Void the call for {second.number}?")
    assert "(1 line, ₱3,900.00) is discarded" in dialog.inner_text()
    dialog.get_by_role("button", name="Keep the order").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name=f"Void {first.number}").click()
    expect(dialog.get_by_role("heading")).to_have_text(f"Void the call for {first.number}?")
    dialog.get_by_role("button", name="Void call").click()
    page.wait_for_selector(f"text=Call {first.number} voided.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled" and first.cancel_reason_code == "call_voided"
    assert second.status == "draft"
