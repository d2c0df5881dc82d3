"""The Content-Security-Policy in a real browser: every main page sends it, none logs a
violation (no inline script or style left in a template, htmx injects no style), and a script
injected into a page does not run."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from caredesk.customers.models import Customer
from caredesk.orders.models import Order
from caredesk.staff.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


def test_pages_send_a_strict_policy_and_log_no_violation(browser, live_server, transactional_db):
    call_command("demo", customers=12, seed=7, stdout=io.StringIO())
    customer = Customer.objects.filter(orders__isnull=False).order_by("member_id").first()
    order = Order.objects.order_by("pk").first()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    violations = _watch(page)

    response = page.goto(live_server.url + reverse("staff:login"))
    policy = response.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    page.fill("#id_username", "manager")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + reverse("workspace:dashboard"))
    pages = [
        reverse("workspace:dashboard"),
        reverse("customers:search") + "?q=a",
        reverse("customers:snapshot", args=[customer.member_id]),
        reverse("orders:list"),
        reverse("orders:pending"),
        reverse("orders:new"),
        reverse("orders:detail", args=[order.number]),
        reverse("orders:windows"),
        reverse("orders:catalog"),
        reverse("comms:outbox"),
        reverse("customers:blocklist"),
        reverse("audit:log"),
    ]
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        assert "no-store" in response.headers["cache-control"], path
        page.wait_for_load_state("networkidle")
    # The instant search (htmx) swaps its results in without injecting a style.
    page.goto(live_server.url + reverse("workspace:dashboard"))
    page.fill("#global-search", customer.last_name)
    page.wait_for_selector("#global-search-results a")
    assert not violations, violations

    page.evaluate(
        """() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = true'; document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.__injected") is None
    assert any("Content Security Policy" in v for v in violations)
    context.close()
