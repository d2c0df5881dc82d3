"""Compose from a customer with a template, preview, send, see it in the activity history,
and add a note with codes, in Chromium."""

import os

import pytest
from playwright.sync_api import expect

from caredesk.comms.models import ActivityNote, OutboundMessage
from conftest import make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_compose_preview_send_then_history_and_note(
    page, live_server, customer_factory, screenshot_dir
):
    customer = customer_factory(
        first_name="Ligaya", last_name="Cruz", email="ligaya@example.ph", locale="fil"
    )
    make_staff("maria", "csr")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(f"{live_server.url}/login/")

    page.goto(f"{live_server.url}/compose/?customer={customer.member_id}")
    page.select_option("#copy-template", "password_reset")
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#id_subject")).to_have_value(
        "I-reset ang inyong password sa {{ business.name }}"
    )
    expect(page.get_by_label("Send to ligaya@example.ph")).to_be_checked()
    # Free text to finish the message: switch to our own words on top of the template.
    page.fill(
        "#id_body",
        "Hi {{ customer.first_name }},\n\nNarito po ang update sa inyong "
        "account {{ customer.member_id }}.\n\nSalamat po,\n{{ sender.name }}",
    )
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("I-reset ang inyong password sa Caredesk")
    expect(preview).to_contain_text("Hi Ligaya,")
    expect(preview).to_contain_text(f"account {customer.member_id}")
    expect(preview).to_contain_text("Maria")
    page.screenshot(path=os.path.join(screenshot_dir, "comms-compose-preview.png"))
    preview_text = preview.locator("pre").inner_text()

    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.member_id}/activity/")
    expect(page.locator(".flash")).to_contain_text("Email queued")
    message = OutboundMessage.objects.get()
    assert message.text_body.strip() == preview_text.strip()
    entry = page.locator(".comms-entry.comms-email").first
    expect(entry).to_contain_text("I-reset ang inyong password sa Caredesk")
    expect(entry).to_contain_text("Queued")
    entry.locator("summary").click()
    expect(entry.locator("pre")).to_contain_text("Narito po ang update")

    page.fill("#id_subject", "Called about the reset email")
    page.select_option("#id_activity_code", "call_out")
    page.select_option("#id_result_code", "left_message")
    page.fill("#id_body", "Left a voicemail to check the inbox.")
    page.get_by_role("button", name="Add note").click()
    # Added in place: a toast confirms it, the list refreshes, the page is not reloaded.
    toast = page.locator("#toast-region .toast")
    expect(toast).to_contain_text("Note added")
    expect(page.locator("#toast-region")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#toast-region")).to_have_attribute("role", "status")
    expect(page.locator(".flash")).not_to_contain_text("Note added")
    expect(page.locator("#id_subject")).to_have_value("")
    note = page.locator(".comms-entry.comms-note").first
    expect(note).to_contain_text("Called about the reset email")
    expect(note).to_contain_text("Call out")
    expect(note).to_contain_text("Left Message")
    assert ActivityNote.objects.get().result_code.code == "left_message"

    page.get_by_label("Notes and calls").check()
    expect(page.locator(".comms-entry.comms-email")).to_have_count(0)
    expect(page.locator(".comms-entry.comms-note")).to_have_count(1)
    page.get_by_role("radio", name="All", exact=True).check()
    expect(page.locator(".comms-entry.comms-email")).to_have_count(1)
    page.screenshot(path=os.path.join(screenshot_dir, "comms-history.png"))
