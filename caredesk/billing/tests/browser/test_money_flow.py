"""Browser: a CSR confirms an order by recording its payment -> the invoice is on the order ->
its page and PDF show the right total; the CSR amends the order down -> a credit note; finance
refunds the refund due from the order page and sees it in the payment manager. The money
pages pass axe-core and fit 390 px."""

import os

import pytest
from django.contrib.auth.models import Permission

from caredesk.orders import services as order_services
from caredesk.workspace.tests.browser.axe import (
    axe_violations,
    format_violations,
    horizontal_overflow,
)
from caredesk.workspace.tests.browser.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, where, screenshot_dir, name):
    violations = axe_violations(page)
    assert not violations, format_violations(violations, where=where)
    page.screenshot(path=os.path.join(screenshot_dir, f"money-{name}.png"), full_page=True)


def test_invoice_credit_note_refund_and_payment_manager(
    page, browser, live_server, staff_factory, customer, catalog, branch, screenshot_dir
):
    agent = staff_factory("maria", "csr")
    agent.user_permissions.add(Permission.objects.get(codename="record_payment"))
    staff_factory("grace", "finance")
    customer.email = "maria.santos@example.ph"
    customer.save()
    order = order_services.order_create(
        actor=agent,
        customer=customer,
        branch=branch,
        kind="sale",
        lines=[{"sku": "BLADE-10", "quantity": 2}],
    )
    base = live_server.url
    sign_in(page, base, "maria")
    page.goto(f"{base}/orders/{order.number}/")
    page.select_option("#id_method", "cash")
    page.fill("#id_amount", "2650.00")
    page.get_by_role("button", name="Record payment").click()
    page.wait_for_selector("text=Payment of ₱2,650.00 recorded.")

    page.get_by_role("link", name="MNL-INV-000001", exact=True).click()
    page.wait_for_url(f"{base}/invoices/MNL-INV-000001/")
    assert page.locator("#invoice-total").inner_text() == "₱2,650.00"
    _check(page, "invoice page", screenshot_dir, "invoice")
    pdf = page.request.get(f"{base}/invoices/MNL-INV-000001.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert b"PHP 2,650.00" in pdf.body()
    page.get_by_role("button", name="Email invoice").click()
    page.wait_for_selector("text=queued to maria.santos@example.ph")

    page.goto(f"{base}/orders/{order.number}/")
    page.select_option("#id_op", "set_quantity")
    page.select_option("#id_line", str(order.lines.get().pk))
    page.fill("#id_quantity", "1")
    page.fill("#id_reason", "one set is enough")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Confirm amendment").click()
    page.wait_for_selector("text=Order amended.")
    assert page.get_by_role("link", name="MNL-CN-000001", exact=True).is_visible()
    assert page.locator("#refund-due").inner_text() == "₱1,250.00"

    finance = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    grace = finance.new_page()
    sign_in(grace, base, "grace")
    grace.goto(f"{base}/orders/{order.number}/")
    assert grace.locator("#id_refund-amount").input_value() == "1250.00"
    grace.fill("#id_refund-reason", "order amended down")
    grace.get_by_role("button", name="Record refund").click()
    grace.wait_for_selector("text=Refund of ₱1,250.00 recorded.")
    assert grace.locator("#refund-due").inner_text() == "₱0.00"
    _check(grace, "order page (finance)", screenshot_dir, "order-refunded")

    grace.goto(f"{base}/payments/")
    movements = grace.locator("#movements").inner_text()
    assert "Refund" in movements and "\u2212₱1,250.00" in movements
    assert "₱1,400.00" in grace.locator("#drawer-methods").inner_text()  # 2650 in - 1250 out
    _check(grace, "payment manager", screenshot_dir, "payments")
    grace.set_viewport_size({"width": 390, "height": 844})
    assert horizontal_overflow(grace) == 0
    grace.goto(f"{base}/invoices/MNL-CN-000001/")
    assert horizontal_overflow(grace) == 0
    assert grace.locator("#invoice-total").inner_text() == "-₱1,250.00"
    finance.close()
