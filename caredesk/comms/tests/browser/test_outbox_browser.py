"""The outbox shows each message as the customer sees it; templates refuse bad source."""

import os

import pytest
from playwright.sync_api import expect

from caredesk.comms.outbox import deliver_one
from caredesk.comms.services import chat_alert, email_send_template
from conftest import make_staff

from ..conftest import ORDER_CONTEXT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(f"{live_server.url}/login/")


def test_outbox_message_and_template_edit(
    page, live_server, customer_factory, screenshot_dir, settings, tmp_path
):
    settings.EMAIL_HOST = ""
    settings.CAREDESK_OUTBOX_DIR = tmp_path
    customer = customer_factory(
        first_name="Ramon", last_name="Garcia", email="ramon@example.ph", locale="fil"
    )
    sent = email_send_template(
        actor=None,
        customer=customer,
        template_code="order_confirmation",
        context=ORDER_CONTEXT,
        regarding="SO-2026-00042",
    )
    deliver_one(sent.pk)
    email_send_template(actor=None, customer=customer, template_code="free_text", context={})
    chat_alert(event_type="showroom_visit", text="Walk-in at CEB showroom: Ramon Garcia")
    make_staff("ramon", "manager")
    login(page, live_server, "ramon")

    page.goto(f"{live_server.url}/outbox/")
    rows = page.locator("table.grid.sticky tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table.grid.sticky")).to_contain_text("Sent")
    expect(page.locator("table.grid.sticky")).to_contain_text("Chat · showroom_visit")
    page.screenshot(path=os.path.join(screenshot_dir, "comms-outbox.png"))

    page.get_by_role("link", name="Kumpirmado na ang order SO-2026-00042 - Caredesk").click()
    frame = page.frame_locator("iframe.comms-frame")
    expect(frame.locator("body")).to_contain_text("Maraming salamat sa inyong order")
    expect(frame.locator("body")).to_contain_text("₱680.00")
    page.screenshot(path=os.path.join(screenshot_dir, "comms-outbox-message.png"))

    page.goto(f"{live_server.url}/email-templates/")
    page.get_by_role("link", name="Edit Free text (Filipino)").click()
    page.fill("#id_text_body", "Hi {{ customer.first_name }}, {{ customer.password }}")
    page.get_by_role("button", name="Save template").click()
    expect(page.locator(".field-error")).to_contain_text("Unknown variable: customer.password")
    page.screenshot(path=os.path.join(screenshot_dir, "comms-template-error.png"))

    page.goto(f"{live_server.url}/activity-codes/")
    page.select_option("#id_kind", "result")
    page.fill("#id_code", "callback")
    page.fill("#id_label", "Call back later")
    page.get_by_role("button", name="Add code").click()
    expect(page.locator(".flash")).to_contain_text("Code added: Call back later")
    expect(page.locator("#main table.grid.sticky")).to_contain_text("callback")
    # Renaming a code saves its row in place and confirms with a toast.
    page.get_by_label("Label of callback").fill("Call back tomorrow")
    page.get_by_label("Label of callback").press("Enter")
    expect(page.locator("#toast-region .toast")).to_contain_text("Code saved: Call back tomorrow.")
    expect(page.get_by_label("Label of callback")).to_have_value("Call back tomorrow")
    page.screenshot(path=os.path.join(screenshot_dir, "comms-codes.png"))
