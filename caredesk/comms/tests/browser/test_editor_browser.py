"""The formatted-text editor on compose, under the real Content-Security-Policy: bold text and
an inserted variable are sent as clean HTML; a refused preview says why in a toast."""

import os

import pytest
from playwright.sync_api import expect

from caredesk.comms.models import OutboundMessage
from conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compose_formatted_text_with_a_variable(
    browser, live_server, customer_factory, screenshot_dir
):
    customer = customer_factory(first_name="Ligaya", last_name="Cruz", email="ligaya@example.ph")
    make_staff("maria", "csr")
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # CSP enforced
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(f"{live_server.url}/login/")

    page.goto(f"{live_server.url}/compose/?customer={customer.member_id}")
    page.get_by_role("radio", name="Formatted").check()
    editor = page.get_by_role("textbox", name="Message")
    expect(editor).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()

    # The free-text template was copied in as formatted text; start from an empty message.
    expect(editor).to_contain_text("If you have any questions")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("Hello ")
    # A refused preview (no subject) is explained in a toast, not silently ignored.
    page.fill("#id_subject", "")
    page.get_by_role("button", name="Preview").click()
    toast = page.locator("#toast-region .toast")
    expect(toast).to_contain_text("A subject is required.")
    page.screenshot(path=os.path.join(screenshot_dir, "comms-editor-toast-1366.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Preview").scroll_into_view_if_needed()
    with page.expect_response("**/compose/preview/"):
        page.get_by_role("button", name="Preview").click()
    expect(toast).to_have_count(1)  # the same message again replaces the one showing
    expect(toast).to_be_in_viewport()
    # Measured in the page in one step: the toast can be replaced between two round trips.
    page.wait_for_function(
        """() => {
            const t = document.querySelector("#toast-region .toast");
            if (!t) return false;
            const r = t.getBoundingClientRect();
            return r.width > 0 && r.left >= 0 && r.right <= 390;
        }""",
        timeout=5000,
    )
    page.screenshot(path=os.path.join(screenshot_dir, "comms-editor-toast-390.png"))
    page.set_viewport_size({"width": 1366, "height": 768})

    page.fill("#id_subject", "Your sharpening")
    editor.click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name="Bold").click()
    expect(page.get_by_role("button", name="Bold")).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("sharp knives")
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type(" are ready, ")
    page.locator(".var-picker summary").click()
    page.screenshot(path=os.path.join(screenshot_dir, "comms-editor-picker-1366.png"))
    page.get_by_role("button", name="First name").click()
    page.keyboard.type("!")
    expect(editor).to_contain_text("{{ customer.first_name }}!")
    page.get_by_role("button", name="Preview").click()
    frame = page.frame_locator("#preview iframe")
    expect(frame.locator("b, strong")).to_have_text("sharp knives")
    expect(frame.locator("body")).to_contain_text("are ready, Ligaya!")

    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.member_id}/activity/")
    message = OutboundMessage.objects.get()
    # Browsers keep typed spaces at the end of a line as &nbsp;; the text part reads plainly.
    assert message.html_body == "<p>Hello&nbsp;<b>sharp knives</b> are ready,&nbsp;Ligaya!<br></p>"
    assert message.text_body == "Hello sharp knives are ready, Ligaya!\n"
    assert not problems, problems  # no CSP violation, no script error
    context.close()
