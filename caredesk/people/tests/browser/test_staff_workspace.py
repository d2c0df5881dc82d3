"""The staff workspace in Chromium: the showroom banner reaches another signed-in browser
without a reload; clock in/out and an overtime approval; a payslip only its employee (and HR)
can open; every staff workspace and administration screen passes axe at both sizes and does
not scroll sideways."""

import re

import pytest
from playwright.sync_api import expect

from caredesk.workspace.tests.browser.axe import (
    axe_violations,
    format_violations,
    horizontal_overflow,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")


def test_showroom_banner_reaches_another_browser_without_reload(
    browser, browser_context_args, live_server, csr, sales, screenshot_dir
):
    host_ctx = browser.new_context(**browser_context_args)
    other_ctx = browser.new_context(**browser_context_args)
    host, other = host_ctx.new_page(), other_ctx.new_page()
    sign_in(host, live_server, "csr")
    sign_in(other, live_server, "sales")
    banner = other.locator(".showroom-banner")
    expect(banner).to_have_count(0)
    other.goto(f"{live_server.url}/people/attendance/")
    navigations = []
    other.on("framenavigated", lambda frame: navigations.append(frame.url))

    host.goto(f"{live_server.url}/people/floor/")
    host.get_by_label("Visitor note").fill("Couple, sofas")
    host.get_by_role("button", name="Host the visitor").click()
    expect(host.locator(".flash")).to_contain_text("You are hosting the visitor")

    expect(banner).to_contain_text(
        re.compile(r"Csr is hosting a visitor \(since \d{2}:\d{2}\)"), timeout=10_000
    )
    colour = banner.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(255, 228, 92)", colour  # the yellow banner
    other.screenshot(path=f"{screenshot_dir}/people-banner.png")

    # The second one to claim sees who has it.
    other.goto(f"{live_server.url}/people/floor/")
    expect(other.get_by_role("button", name="Host the visitor")).to_have_count(0)
    expect(other.get_by_role("main")).to_contain_text("Csr is hosting a visitor")
    navigations.clear()

    host.get_by_role("button", name="Release visitor").click()
    expect(other.locator(".showroom-banner")).to_have_count(0, timeout=10_000)
    assert navigations == [], "the banner went away without a reload"
    host_ctx.close()
    other_ctx.close()


def test_clock_in_out_and_overtime_approval(
    browser, browser_context_args, live_server, csr, manager, screenshot_dir
):
    staff_ctx = browser.new_context(**browser_context_args)
    boss_ctx = browser.new_context(**browser_context_args)
    page, boss = staff_ctx.new_page(), boss_ctx.new_page()
    sign_in(page, live_server, "csr")
    page.get_by_role("button", name="Clock in").click()
    expect(page.get_by_role("main")).to_contain_text("Clocked in since")
    expect(page.get_by_role("button", name="Clock in")).to_have_count(0)

    page.goto(f"{live_server.url}/people/attendance/")
    page.get_by_label("Hours").fill("2.5")
    page.get_by_label("Reason").fill("Month-end backlog")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".flash")).to_contain_text("Overtime request sent")
    page.get_by_role("button", name="Clock out").click()
    expect(page.locator(".flash")).to_contain_text("Clocked out after")

    sign_in(boss, live_server, "manager")
    boss.goto(f"{live_server.url}/people/team/")
    row = boss.get_by_role("row").filter(has_text="Month-end backlog")
    row.get_by_label("Note").fill("Thanks")
    row.get_by_role("button", name="Approve").click()
    expect(boss.locator(".flash")).to_contain_text("approved")
    boss.screenshot(path=f"{screenshot_dir}/people-team.png", full_page=True)

    page.goto(f"{live_server.url}/people/attendance/")
    for _ in range(3):  # the manager's approval, committed by the server thread, then a reload
        if page.locator("#approved-overtime").inner_text().strip() == "2.50":
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator("#approved-overtime")).to_have_text("2.50")
    expect(page.get_by_role("main")).to_contain_text("Approved")
    page.screenshot(path=f"{screenshot_dir}/people-attendance.png", full_page=True)
    staff_ctx.close()
    boss_ctx.close()


def test_payslip_opens_for_its_employee_only(
    browser, browser_context_args, live_server, hr, csr, manager, staff_factory
):
    hr_ctx = browser.new_context(**browser_context_args)
    page = hr_ctx.new_page()
    sign_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/people/payslips/")
    page.get_by_label("Employee").select_option("csr")
    page.get_by_label("Pay period").select_option(index=1)
    page.get_by_label("Gross").fill("25,000.00")
    page.get_by_label("Deductions").fill("2,312.50")
    page.get_by_role("button", name="Issue payslip").click()
    expect(page.locator(".flash")).to_contain_text("Payslip issued")
    expect(page.get_by_role("main")).to_contain_text("₱22,687.50")
    hr_ctx.close()

    from caredesk.people.models import Payslip

    slip = Payslip.objects.get()
    pdf_url = f"{live_server.url}/people/payslips/{slip.pk}.pdf"

    csr_ctx = browser.new_context(**browser_context_args)
    mine = csr_ctx.new_page()
    sign_in(mine, live_server, "csr")
    mine.goto(f"{live_server.url}/people/payslips/")
    link = mine.get_by_role("link", name=re.compile("Open PDF"))
    expect(link).to_have_count(1)
    response = csr_ctx.request.get(pdf_url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    csr_ctx.close()

    staff_factory("colleague", "csr")
    for username in ("manager", "colleague"):  # a manager, and another CSR
        other_ctx = browser.new_context(**browser_context_args)
        other = other_ctx.new_page()
        sign_in(other, live_server, username)
        assert other.goto(pdf_url).status == 404
        api = f"{live_server.url}/api/v1/payslips"
        assert other_ctx.request.get(f"{api}/{slip.pk}").status == 404
        assert other_ctx.request.get(f"{api}/{slip.pk + 1}").status == 404
        assert other.goto(f"{live_server.url}/people/payslips/{slip.pk + 1}.pdf").status == 404
        other.goto(f"{live_server.url}/people/payslips/")
        expect(other.get_by_role("main")).to_contain_text("No payslip issued to you yet")
        expect(other.get_by_role("main")).not_to_contain_text("22,687.50")
        other_ctx.close()


SCREENS = [
    ("admin", "/"),
    ("hr", "/"),
    ("finance", "/"),
    ("installer", "/"),
    ("admin", "/people/floor/"),
    ("admin", "/people/attendance/"),
    ("admin", "/people/team/"),
    ("admin", "/people/payslips/"),
    ("admin", "/people/referrals/"),
    ("admin", "/people/referrals/MEGA/"),
    ("admin", "/admin/escalations/"),
    ("admin", "/admin/branches/"),
    ("admin", "/admin/branches/MNL/"),
    ("admin", "/staff/"),
    ("admin", "/staff/csr/"),
    ("admin", "/admin/settings/"),
    ("admin", "/orders/catalog/"),
]


def test_staff_workspace_screens_pass_axe_at_both_sizes(
    browser, browser_context_args, live_server, screenshot_dir
):
    import io

    from django.core.management import call_command

    call_command("demo", customers=4, seed=20261123, stdout=io.StringIO())
    failures = []
    for size_name, viewport in (("laptop", {"width": 1366, "height": 768}), ("phone", PHONE)):
        contexts = {}
        for username, path in SCREENS:
            if username not in contexts:
                ctx = browser.new_context(**{**browser_context_args, "viewport": viewport})
                page = ctx.new_page()
                page.goto(f"{live_server.url}/login/")
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill("caredesk-demo")
                page.get_by_role("button", name="Sign in").click()
                contexts[username] = (ctx, page)
            page = contexts[username][1]
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path, response.status)
            expect(page.locator(".showroom-banner")).to_contain_text("hosting a visitor")
            name = f"people-{size_name}-{username}{path.strip('/').replace('/', '-') or '-home'}"
            page.screenshot(path=f"{screenshot_dir}/{name}.png", full_page=True)
            violations = axe_violations(page)
            if violations:
                failures.append(format_violations(violations, where=f"{path} ({size_name})"))
            overflow = horizontal_overflow(page)
            if overflow:
                failures.append(f"{path} ({size_name}) scrolls sideways by {overflow}px")
        for ctx, _ in contexts.values():
            ctx.close()
    assert not failures, "\n".join(failures)
