"""The workspace shell in Debian's Chromium: sign in as CSR, the role's menu, keyboard shortcuts."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username, password="correct-horse-battery"):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_csr_signs_in_sees_their_menu_and_uses_shortcuts(page, live_server, csr, screenshot_dir):
    sign_in(page, live_server, "csr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(nav.get_by_role("link", name="Audit log")).to_have_count(0)
    expect(nav.get_by_role("link", name="Staff")).to_have_count(0)

    page.locator("body").click()
    page.keyboard.press("/")
    expect(page.locator("#global-search")).to_be_focused()
    page.keyboard.press("Escape")

    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Focus the search box")
    page.screenshot(path=f"{screenshot_dir}/shell-csr-help.png")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    page.screenshot(path=f"{screenshot_dir}/shell-csr.png", full_page=True)

    response = page.goto(f"{live_server.url}/audit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")


def test_bad_sign_in_shows_the_message(page, live_server, csr):
    sign_in(page, live_server, "csr", password="wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
