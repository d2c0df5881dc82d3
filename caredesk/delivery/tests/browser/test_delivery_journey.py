"""Browser: the store manager creates a run, a CSR adds two ready orders, drags one above the
other, accepts a suggested route and gets the route sheet PDF with the stops in order; the
installer, on a 390x844 phone, marks one delivered and one failed; the order pages and the
schedule exceptions show it; the map draws numbered markers with no tile server reachable.
Each screen is checked with axe-core (WCAG 2.2 AA) and for sideways scrolling."""

import os

import pytest
from django.utils import timezone

from caredesk.customers.values import phone_local
from caredesk.delivery.models import Run, Stop
from caredesk.delivery.tests.test_views import _pdf_text
from caredesk.orders.models import Order
from caredesk.workspace.tests.browser.axe import (
    axe_violations,
    format_violations,
    horizontal_overflow,
)
from caredesk.workspace.tests.browser.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, screenshot_dir, name):
    """Screenshot, no sideways scroll, no axe violation."""
    page.screenshot(path=os.path.join(screenshot_dir, f"delivery-{name}.png"), full_page=False)
    assert horizontal_overflow(page) == 0, f"{name} scrolls sideways"
    violations = axe_violations(page)
    assert not violations, format_violations(violations, where=name)


def _drag(page, source, target):
    """Drag `source` (a handle) onto the top half of `target`, with pointer moves in steps."""
    s, t = source.bounding_box(), target.bounding_box()
    page.mouse.move(s["x"] + s["width"] / 2, s["y"] + s["height"] / 2)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(s["x"] + 10, s["y"] + (t["y"] + 6 - s["y"]) * i / 10)
        page.wait_for_timeout(30)
    page.mouse.up()


def test_run_journey(
    browser, live_server, manager, csr, installer, make_ready_order, screenshot_dir, settings
):
    settings.CAREDESK_MAP_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing answers there
    today = timezone.localdate()
    near = make_ready_order(scheduled=today, lat=14.60, lng=120.99)
    far = make_ready_order(scheduled=today, lat=14.72, lng=121.06)
    base = live_server.url

    # The store manager creates today's run with the installer as crew.
    wide = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = wide.new_page()
    sign_in(page, base, "manager")
    page.goto(f"{base}/delivery/?branch=MNL")
    page.fill("input[name=vehicle]", "MNL-TRK-07")
    page.get_by_label(installer.get_full_name() or "Installer").check()
    page.get_by_role("button", name="Create run").click()
    page.wait_for_url(f"{base}/delivery/runs/*/")
    run = Run.objects.get()
    assert list(run.crew.all()) == [installer]
    wide.close()

    # A CSR adds two ready orders, drags the second above the first.
    wide = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = wide.new_page()
    sign_in(page, base, "csr")
    page.goto(f"{base}/delivery/runs/{run.pk}/")
    for order in (far, near):
        page.fill("input[name=order]", order.number)
        page.get_by_role("button", name="Add to run").click()
        page.wait_for_selector(f"text={order.number} added as stop")
    stop_far, stop_near = Stop.objects.get(order=far), Stop.objects.get(order=near)
    assert (stop_far.sequence, stop_near.sequence) == (1, 2)
    _check(page, screenshot_dir, "run-1366")
    with page.expect_navigation():
        _drag(
            page,
            page.locator(f"#stop-{stop_near.pk} .dl-handle"),
            page.locator(f"#stop-{stop_far.pk}"),
        )
    assert Stop.objects.get(pk=stop_near.pk).sequence == 1

    # Suggest a route, see the distances, accept it.
    page.get_by_role("button", name="Suggest route").click()
    suggestion = page.locator("#suggestion")
    assert " km" in suggestion.inner_text()
    proposed = [t.split()[0] for t in suggestion.locator("ol li").all_inner_texts()]
    assert sorted(proposed) == sorted([near.number, far.number])
    page.get_by_role("button", name="Accept suggested route").click()
    page.wait_for_selector("text=Suggested route applied")
    ordered = list(Stop.objects.filter(run=run).order_by("sequence").select_related("order"))
    assert [s.order.number for s in ordered] == proposed
    first_order, second_order = ordered[0].order, ordered[1].order

    # The route sheet PDF lists the stops in that order.
    pdf = page.request.get(f"{base}/runs/{run.pk}/route-sheet.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.body())
    assert -1 < text.find(first_order.number) < text.find(second_order.number)
    wide.close()

    # The installer on a phone: one delivered, one failed.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, bypass_csp=True
    )
    page = phone.new_page()
    sign_in(page, base, "installer")
    assert page.get_by_role("heading", name="My runs today").is_visible()
    page.get_by_role("link", name="Open my runs").click()
    _check(page, screenshot_dir, "my-runs-390")
    first = page.locator(f"#stop-{ordered[0].pk}")
    call = first.get_by_role("link", name=f"Call {phone_local(ordered[0].phone)}")
    assert call.is_visible() and call.get_attribute("href") == f"tel:{ordered[0].phone}"
    first.get_by_label("Received by").fill("Ana Reyes")
    first.get_by_role("button", name="Delivered").click()
    page.wait_for_selector("text=Done: recorded.")
    second = page.locator(f"#stop-{ordered[1].pk}")
    second.locator("summary", has_text="Could not deliver").click()
    second.get_by_label("Reason").select_option("not_home")
    second.get_by_role("button", name="Failed").click()
    page.wait_for_selector("text=Failed stop recorded.")
    page.screenshot(path=os.path.join(screenshot_dir, "delivery-my-runs-390-after.png"))
    phone.close()
    near, far = Order.objects.get(pk=first_order.pk), Order.objects.get(pk=second_order.pk)
    assert near.status == "delivered" and near.updated_by == installer
    assert far.status == "ready"

    # The order pages and the exceptions show it; the map draws without tiles.
    wide = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = wide.new_page()
    sign_in(page, base, "csr")
    page.goto(f"{base}/orders/{near.number}/")
    assert "received by Ana Reyes" in page.locator("#delivery-panel").inner_text()
    page.goto(f"{base}/orders/{far.number}/")
    assert "Customer not home" in page.locator("#delivery-panel").inner_text()
    page.goto(f"{base}/delivery/exceptions/?branch=MNL")
    row = page.locator("#exceptions tr", has_text=far.number)
    assert "Last stop failed: Customer not home" in row.inner_text()
    _check(page, screenshot_dir, "exceptions-1366")
    page.goto(f"{base}/delivery/map/?branch=MNL")
    page.wait_for_selector(".dl-marker")
    assert page.locator(".dl-marker").all_inner_texts() == ["1", "2"]
    assert page.locator("path.leaflet-interactive").count() == 1  # the run's route line
    _check(page, screenshot_dir, "map-1366")
    page.goto(f"{base}/delivery/?branch=MNL")
    _check(page, screenshot_dir, "schedule-1366")
    wide.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = phone.new_page()
    sign_in(page, base, "manager")
    for name, path in (
        ("schedule-390", "/delivery/?branch=MNL"),
        ("run-390", f"/delivery/runs/{run.pk}/"),
        ("map-390", "/delivery/map/?branch=MNL"),
        ("exceptions-390", "/delivery/exceptions/"),
    ):
        page.goto(base + path)
        _check(page, screenshot_dir, name)
    phone.close()
    assert Order.objects.get(pk=far.pk).scheduled_delivery_on == today
