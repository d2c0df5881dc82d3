"""A manager answers a customer's privacy requests in the browser: exports their data (the
list updates by itself when the worker is done), then erases it after confirming; the pages
pass axe-core and do not scroll sideways at 1366x768 and 390x844."""

import pytest
from playwright.sync_api import expect

from caredesk.privacy.models import Backup, CustomerExport
from caredesk.privacy.services.exports import export_build
from caredesk.privacy.tests.conftest import PERSONAL
from caredesk.workspace.tests.browser.axe import (
    axe_violations,
    format_violations,
    horizontal_overflow,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(f"{live_server.url}/login/")


def _check(page, where):
    violations = axe_violations(page)
    assert not violations, format_violations(violations, where=where)
    assert horizontal_overflow(page) == 0, where


def test_export_then_erase_in_the_browser(page, live_server, history, manager, admin):
    Backup.objects.create(status=Backup.Status.DONE, path="/srv/backups/a.tar.gz", size=123456)
    _login(page, live_server, "manager")
    url = f"{live_server.url}/customers/{history.member_id}/privacy/"
    page.goto(url)
    page.get_by_role("button", name="Export personal data").click()
    expect(page.get_by_text("Being prepared by the worker")).to_be_visible()
    export_build(CustomerExport.objects.get().pk)  # the worker's turn
    expect(page.get_by_role("link", name="PDF")).to_be_visible(timeout=10_000)
    _check(page, "privacy page, 1366")
    page.set_viewport_size({"width": 390, "height": 844})
    _check(page, "privacy page, 390")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.get_by_label("Reason (the customer's request)").fill("Written request by email")
    page.get_by_role("button", name="Erase personal data permanently").click()
    expect(page.get_by_text("Tick the box to confirm")).to_be_visible()
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Erase personal data permanently").click()
    expect(page.get_by_role("heading", name="Personal data erased")).to_be_visible()
    expect(page.locator("h1")).to_have_text(f"Personal data of Erased customer {history.member_id}")
    assert PERSONAL["last_name"] not in page.content()
    _check(page, "erased customer, 1366")

    page.goto(f"{live_server.url}/privacy/retention/")
    _check(page, "erasure review")
    page.context.clear_cookies()
    _login(page, live_server, "admin")
    page.goto(f"{live_server.url}/backups/")
    expect(page.get_by_text("120.6 KB").first).to_be_visible()
    _check(page, "backups, 1366")
    page.set_viewport_size({"width": 390, "height": 844})
    _check(page, "backups, 390")
    page.goto(f"{live_server.url}/admin/settings/")
    expect(page.get_by_role("row", name="Last backup")).to_contain_text("120.6 KB")
    _check(page, "settings, 390")
