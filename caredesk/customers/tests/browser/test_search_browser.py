"""Customer search in the browser: S, type-ahead, snapshot; advanced Anders%; leading %."""

import os
import re

import pytest
from playwright.sync_api import expect

from conftest import make_staff

from ..search_fixtures import population

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def login(page, live_server, username="searcher"):
    make_staff(username, "csr")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_press_s_type_a_name_and_open_the_snapshot(page, live_server, screenshot_dir):
    people = population()
    login(page, live_server)
    page.keyboard.press("S")
    expect(page).to_have_url(re.compile(r"/customers/$"))
    box = page.locator("#page-search")
    box.click()
    box.press_sequentially("ander", delay=60)
    rows = page.locator("#search-results table.results tbody tr")
    expect(rows.first).to_be_visible()
    expect(page.locator("#search-results")).to_contain_text("Andersen")
    expect(page.locator("#search-results")).to_contain_text("Anderson")
    expect(page).to_have_url(re.compile(r"q=ander"))
    page.screenshot(path=os.path.join(screenshot_dir, "customers-search-typeahead.png"))
    page.get_by_role("link", name="Kristine Andersen").click()
    expect(page.locator("h1")).to_have_text("Kristine Andersen")
    expect(page).to_have_url(re.compile(people["andersen"].member_id))


def test_top_bar_type_ahead_and_arrow_keys(page, live_server, screenshot_dir):
    population()
    login(page, live_server)
    box = page.locator("#global-search")
    box.press_sequentially("0917 123", delay=60)
    first = page.locator("#global-search-results .instant-results a, #global-search-results a")
    expect(first.first).to_contain_text("Juan Dela Cruz")
    page.screenshot(path=os.path.join(screenshot_dir, "customers-topbar-instant.png"))
    box.press("ArrowDown")
    expect(first.first).to_be_focused()


def test_advanced_search_with_a_wildcard(page, live_server, screenshot_dir):
    population()
    login(page, live_server)
    page.goto(f"{live_server.url}/customers/")
    page.fill("#id_last_name", "Anders%")
    page.check("input[name=exclude_closed]")
    page.locator(".advanced button[type=submit]").click()
    results = page.locator("#search-results")
    expect(results).to_contain_text("2 customers match")
    expect(results).to_contain_text("Kristine Andersen")
    expect(results).to_contain_text("Paolo Anderson")
    expect(results).not_to_contain_text("Ramon Anderson")
    expect(page).to_have_url(re.compile(r"last_name=Anders%25"))
    page.screenshot(path=os.path.join(screenshot_dir, "customers-advanced-anders.png"))


def test_leading_wildcard_in_last_name_shows_the_message(page, live_server, screenshot_dir):
    population()
    login(page, live_server)
    page.goto(f"{live_server.url}/customers/")
    page.fill("#id_last_name", "%son")
    page.locator(".advanced button[type=submit]").click()
    error = page.locator("#id_last_name-error")
    expect(error).to_contain_text("Last name cannot start with %")
    expect(page.locator("#id_last_name")).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=os.path.join(screenshot_dir, "customers-advanced-error.png"))
