"""Browser: a return walks every step. The CSR starts it from the delivered order's Returns
panel (choosing units), the manager approves it (a replacement order is made), the CSR at the
branch records the goods received (the order's total goes down, a credit note follows),
finance records the refund. Each step is on the return's and the order's timeline; the
return pages pass axe-core at 1366x768 and fit 390x844 without sideways scrolling.

Also the quote step of the money journey: the CSR makes a quote and converts it."""

import os

import pytest
from django.contrib.auth.models import Permission

from caredesk.orders import services as order_services
from caredesk.people.models import StaffProfile
from caredesk.workspace.tests.browser.axe import (
    axe_violations,
    format_violations,
    horizontal_overflow,
)
from caredesk.workspace.tests.browser.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, where, screenshot_dir, name):
    """axe-core clean at 1366x768 and at 390x844 (no sideways scroll), a screenshot of each."""
    violations = axe_violations(page)
    assert not violations, format_violations(violations, where=where)
    page.screenshot(path=os.path.join(screenshot_dir, f"returns-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload(wait_until="load")
    assert horizontal_overflow(page) == 0, where
    violations = axe_violations(page)
    assert not violations, format_violations(violations, where=f"{where} (phone)")
    page.screenshot(path=os.path.join(screenshot_dir, f"returns-{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.reload(wait_until="load")


def _delivered(agent, boss, customer, branch):
    from datetime import timedelta

    from django.utils import timezone

    order = order_services.order_create(
        actor=agent,
        customer=customer,
        branch=branch,
        kind="sale",
        lines=[{"sku": "BLADE-10", "quantity": 2}, {"sku": "OIL-1L", "quantity": 3}],
        requested_delivery_on=timezone.localdate() + timedelta(days=2),
    )
    order_services.payment_record(actor=agent, order=order, method="cash", amount="3698.50")
    for to in ("scheduled", "ready", "delivered"):
        order_services.order_transition(actor=boss, order=order, to=to)
    order.refresh_from_db()
    return order


def test_a_return_goes_through_every_step(
    page, browser, live_server, staff_factory, customer, catalog, branch, screenshot_dir
):
    agent = staff_factory("maria", "csr")
    agent.user_permissions.add(Permission.objects.get(codename="record_payment"))
    StaffProfile.objects.create(user=agent, branch=branch)
    boss = staff_factory("ramon", "manager")
    staff_factory("grace", "finance")
    order = _delivered(agent, boss, customer, branch)
    base = live_server.url

    sign_in(page, base, "maria")
    page.goto(f"{base}/orders/{order.number}/")
    page.get_by_role("link", name="Start a return").click()
    page.wait_for_url(f"{base}/orders/{order.number}/returns/new/")
    _check(page, "start a return", screenshot_dir, "new")
    page.get_by_label("Units of Blade set 10 in to return").fill("1")
    page.get_by_label("Why do the goods come back?").fill("One blade set arrived bent")
    page.get_by_label("Ship a replacement once approved").check()
    page.get_by_role("button", name="Request return").click()
    page.wait_for_url(f"{base}/returns/MNL-RMA-000001/")
    page.wait_for_selector("text=Return MNL-RMA-000001 requested.")
    assert page.locator("#return-status").inner_text() == "Requested"
    assert page.locator("#return-credit").inner_text() == "₱1,250.00"
    assert "Returns are approved or rejected by the store manager." in page.inner_text(
        "#return-moves"
    )

    boss_ctx = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    ramon = boss_ctx.new_page()
    sign_in(ramon, base, "ramon")
    ramon.goto(f"{base}/returns/MNL-RMA-000001/")
    _check(ramon, "return page (manager, requested)", screenshot_dir, "requested")
    ramon.get_by_role("button", name="Approve return").click()
    ramon.wait_for_selector("text=Return MNL-RMA-000001 approved.")
    replacement = ramon.locator("#replacement-order").inner_text()
    assert replacement.startswith("MNL-")
    boss_ctx.close()

    page.reload()
    page.get_by_role("button", name="Goods received").click()
    page.wait_for_selector("text=Return MNL-RMA-000001 received.")
    assert page.locator("#return-refund-due").inner_text() == "₱1,250.00"
    page.goto(f"{base}/orders/{order.number}/")
    assert page.get_by_role("link", name="MNL-CN-000001", exact=True).is_visible()
    assert page.locator("#refund-due").inner_text() == "₱1,250.00"
    assert "Received" in page.inner_text("#returns")
    assert "Return MNL-RMA-000001 received" in page.inner_text("main")

    finance = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    grace = finance.new_page()
    sign_in(grace, base, "grace")
    grace.goto(f"{base}/returns/MNL-RMA-000001/")
    _check(grace, "return page (finance, received)", screenshot_dir, "received")
    grace.select_option("#refund-method", "bank_transfer")
    grace.fill("#refund-reference", "BT-20931")
    grace.get_by_role("button", name="Record refund").click()
    grace.wait_for_selector("text=Return MNL-RMA-000001 refunded.")
    assert grace.locator("#return-status").inner_text() == "Refunded"
    assert grace.locator("#return-refund-due").inner_text() == "₱0.00"
    timeline = grace.inner_text("#return-timeline")
    for step in ("requested", "approved", "received", "refunded"):
        assert f"Return MNL-RMA-000001 {step}" in timeline
    assert "Refund of ₱1,250.00 by Bank transfer" in timeline
    _check(grace, "return page (refunded)", screenshot_dir, "refunded")

    grace.goto(f"{base}/returns/?status=refunded")
    assert "MNL-RMA-000001" in grace.inner_text("#returns")
    _check(grace, "returns list", screenshot_dir, "list")
    grace.goto(f"{base}/orders/{order.number}/")
    panel = grace.inner_text("#returns")
    assert "MNL-RMA-000001" in panel and "Refunded" in panel and replacement in panel
    _check(grace, "order page with its returns", screenshot_dir, "order")
    finance.close()


def test_csr_quotes_and_converts_to_a_draft_order(
    page, live_server, staff_factory, customer, catalog, branch, screenshot_dir
):
    staff_factory("maria", "csr")
    base = live_server.url
    sign_in(page, base, "maria")
    page.goto(f"{base}/quotes/new/?customer={customer.member_id}")
    page.fill("#id_sku_1", "BLADE-10")
    page.fill("#id_qty_1", "2")
    page.get_by_role("button", name="Make quote").click()
    page.wait_for_url(f"{base}/quotes/MNL-Q-000001/")
    assert page.locator("#quote-total").inner_text() == "₱2,650.00"
    page.get_by_role("button", name="Convert to draft order").click()
    page.wait_for_selector("text=converted to draft order")
    assert page.locator("h1").inner_text().startswith("MNL-")
    assert "Draft" in page.inner_text(".page-head")
