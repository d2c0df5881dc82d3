"""Browser: a guest files a complaint and gets a reference and an email; a CSR assigns it to
herself and replies (the email arrives through a real SMTP server); the guest's emailed reply
comes back through the inbound endpoint and reopens it; a delivered order's tracking page
files a service request; a job application with a PDF CV reaches HR and not a CSR; the guest
signs in with a code from the file SMS backend and sees their orders. Screens are checked
with axe-core and for sideways scroll at 1366x768 and 390x844, and saved as screenshots."""

import datetime as dt
import os
import re
import urllib.request
from email.message import EmailMessage

import pytest

from caredesk.comms import outbox
from caredesk.comms.tests.conftest import smtp_server  # noqa: F401 (fixture)
from caredesk.inbox.models import Ticket
from caredesk.inbox.tests.conftest import HTML_AS_PDF, PDF, PNG
from caredesk.orders.tracking import token_for
from caredesk.workspace.tests.browser.axe import (
    axe_violations,
    format_violations,
    horizontal_overflow,
    overflowing_elements,
)
from caredesk.workspace.tests.browser.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)


def _check(page, shots, name):
    """axe-core and no sideways scroll at both sizes; a screenshot of each."""
    for width, height in ((1366, 768), PHONE):
        page.set_viewport_size({"width": width, "height": height})
        violations = axe_violations(page)
        assert not violations, format_violations(violations, where=f"{name} {width}")
        assert horizontal_overflow(page) <= 0, (
            f"{name} scrolls sideways at {width}: {overflowing_elements(page)}"
        )
        page.screenshot(path=os.path.join(shots, f"inbox-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def test_guest_complaint_to_reply_and_back(
    page,
    browser,
    browser_context_args,
    live_server,
    staff_factory,
    make_customer,
    make_order,
    position,
    smtp_server,  # noqa: F811 (the fixture imported above)
    screenshot_dir,
    settings,
):
    staff_factory("maria", "csr")
    staff_factory("liza", "hr")
    base = live_server.url

    # 1. The guest files a complaint and gets a reference and an email.
    page.goto(f"{base}/complaints")
    _check(page, screenshot_dir, "complaint-form")
    page.fill("#id_name", "Ana Cruz")
    page.fill("#id_email", "ana@example.ph")
    page.fill("#id_message", "The blade set arrived bent.\nPlease replace it.")
    page.get_by_role("button", name="Send complaint").click()
    page.get_by_text("Your reference is").wait_for()
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"C-\d{6}", reference)
    _check(page, screenshot_dir, "complaint-done")
    assert outbox.outbox_sweep() >= 1
    assert smtp_server.sink.wait_for(1)
    ack = smtp_server.sink.received[0]
    assert reference in ack["Subject"] and ack["To"] == "ana@example.ph"

    # 2. The CSR sees it in the inbox, assigns it to herself and replies.
    staff = browser.new_page(**browser_context_args)
    sign_in(staff, base, "maria")
    staff.goto(f"{base}/inbox/complaints")
    staff.get_by_role("link", name=reference).wait_for()
    _check(staff, screenshot_dir, "complaints-list")
    staff.get_by_role("link", name=reference).click()
    staff.get_by_role("button", name="Assign to me").click()
    staff.get_by_text(f"{reference} updated.").wait_for()
    staff.fill("#id_body", "We are sending a replacement set tomorrow.")
    staff.get_by_role("button", name="Send").click()
    staff.get_by_text("Reply queued").wait_for()
    assert "Waiting on customer" in staff.content()
    _check(staff, screenshot_dir, "ticket")
    outbox.outbox_sweep()
    assert smtp_server.sink.wait_for(2)
    reply = smtp_server.sink.received[1]
    assert "replacement set" in reply.get_body(("plain",)).get_content()

    # 3. The guest's emailed answer comes back through the inbound endpoint and reopens it.
    # Her reply carries a photo of the receipt (kept) and a web page named .pdf (not kept).
    answer_email = EmailMessage()
    answer_email["From"] = "Ana Cruz <ana@example.ph>"
    answer_email["To"] = "care@caredesk.localhost"
    answer_email["Subject"] = f"Re: {reply['Subject']}"
    answer_email["Message-ID"] = "<ana-1@example.ph>"
    answer_email["In-Reply-To"] = reply["Message-ID"]
    answer_email.set_content(
        "Thank you! I am home after 3 PM.\n\nOn Mon, Caredesk wrote:\n"
        "> We are sending a replacement set tomorrow.\n"
    )
    answer_email.add_attachment(
        PDF,
        maintype="application",
        subtype="pdf",
        filename="official-receipt-2026-11-30-blade-set.pdf",
    )
    answer_email.add_attachment(
        HTML_AS_PDF, maintype="application", subtype="pdf", filename="warranty.pdf"
    )
    raw = bytes(answer_email)
    request = urllib.request.Request(  # noqa: S310 (the live test server)
        f"{base}/api/v1/inbound/email",
        data=raw,
        method="POST",
        headers={"Authorization": "Bearer inbound-test-secret", "Content-Type": "message/rfc822"},
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 (the live test server)
        assert answer.status == 201
    staff.reload()
    assert "I am home after 3 PM" in staff.content()
    assert Ticket.objects.get(reference=reference).status == "open"
    staff.get_by_role("link", name="official-receipt-2026-11-30-blade-set.pdf").wait_for()
    assert "warranty.pdf is not an accepted file" in staff.content()
    _check(staff, screenshot_dir, "ticket-with-files")

    # 4. A delivered order's tracking page files a service request.
    customer = make_customer(phone="+639171112222", email="rosa@example.ph")
    order = make_order(customer, status="delivered")
    page.goto(f"{base}/track/{order.number}?t={token_for(order)}")
    page.get_by_role("link", name="Request service").click()
    _check(page, screenshot_dir, "service-form")
    page.fill("#id_message", "The motor rattles at high speed.")
    page.get_by_role("button", name="Send request").click()
    page.get_by_text("Your reference is").wait_for()
    service = Ticket.objects.get(kind="service")
    assert service.order == order and service.reference in page.content()

    # 5. A job application with a PDF CV reaches HR and not a CSR.
    page.goto(f"{base}/careers/apply")
    page.select_option("#id_position", str(position.pk))
    page.fill("#id_name", "Jo Tan")
    page.fill("#id_email", "jo@example.ph")
    page.set_input_files("#id_cv", {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": PDF})
    _check(page, screenshot_dir, "careers-form")
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("Your reference is").wait_for()
    career = Ticket.objects.get(kind="career")
    assert staff.goto(f"{base}/inbox/careers").status == 403
    assert staff.goto(f"{base}/tickets/{career.reference}").status == 403
    hr = browser.new_page(**browser_context_args)
    sign_in(hr, base, "liza")
    hr.goto(f"{base}/inbox/careers")
    hr.get_by_role("link", name=career.reference).click()
    assert "cv.pdf" in hr.content()

    # 6. The guest signs in with the code from the file SMS backend and sees their orders.
    guest = browser.new_page(**browser_context_args)
    guest.goto(f"{base}/account/login")
    _check(guest, screenshot_dir, "login")
    guest.fill("#id_phone", "0917 111 2222")
    guest.get_by_role("button", name="Send me a code").click()
    guest.get_by_label("6-digit code").wait_for()
    (sms,) = list(settings.CAREDESK_SMS_DIR.glob("*.txt"))
    code = re.search(r"\b(\d{6})\b", sms.read_text()).group(1)
    guest.fill("#id_code", code)
    guest.get_by_role("button", name="Sign in").click()
    guest.wait_for_url(f"{base}/account/orders")
    assert order.number in guest.content() and service.reference in guest.content()
    _check(guest, screenshot_dir, "account-orders")
    # The guest answers with a photo; a web page dressed as a PDF refuses the reply, words kept.
    box = guest.locator(f"form[action='/account/tickets/{service.reference}/reply']")
    box.get_by_label("Your reply").fill("Here is the noise")
    files = box.get_by_label(re.compile("Photos or PDF"))
    files.set_input_files([{"name": "noise.png", "mimeType": "image/png", "buffer": PNG}])
    box.get_by_role("button", name="Send reply").click()
    guest.get_by_text(f"Your reply on {service.reference} was sent.").wait_for()
    guest.get_by_role("link", name="noise.png").wait_for()
    box.get_by_label("Your reply").fill("And the invoice")
    fake = {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": HTML_AS_PDF}
    box.get_by_label(re.compile("Photos or PDF")).set_input_files([fake])
    box.get_by_role("button", name="Send reply").click()
    guest.get_by_text("invoice.pdf is not an accepted file").wait_for()
    assert box.get_by_label("Your reply").input_value() == "And the invoice"
    _check(guest, screenshot_dir, "account-reply-refused")
    staff.goto(f"{base}/tickets/{service.reference}")
    staff.get_by_role("link", name="noise.png").wait_for()

    # 7. The CSR's dashboard lists the open tickets; an administrator keeps the settings.
    staff.goto(f"{base}/")
    staff.get_by_role("heading", name=re.compile("Open issues")).wait_for()
    assert service.reference in staff.content()
    staff_factory("ana", "admin")
    admin = browser.new_page(**browser_context_args)
    sign_in(admin, base, "ana")
    admin.goto(f"{base}/inbox/settings")
    _check(admin, screenshot_dir, "settings")


def test_admin_keeps_a_branch_calendar(page, live_server, staff_factory, branch, screenshot_dir):
    """Inbox settings: choose a branch's calendar, give it split hours, add and remove a
    holiday; the page reads well at both sizes."""
    from caredesk.inbox.sla import calendar_for

    staff_factory("ana", "admin")
    base = live_server.url
    sign_in(page, base, "ana")
    page.goto(f"{base}/inbox/settings")
    page.get_by_label("Calendar").select_option("MNL")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"calendar=MNL"))
    page.get_by_label("Monday opens", exact=True).fill("08:00")
    page.get_by_label("Monday closes", exact=True).fill("12:00")
    page.get_by_label("Monday, second period, opens").fill("13:00")
    page.get_by_label("Monday, second period, closes").fill("17:00")
    page.get_by_role("button", name=re.compile("Save as MNL.s own hours")).click()
    page.get_by_text("Business hours saved").wait_for()
    page.get_by_label("Date").fill("2026-12-08")
    page.get_by_label("Name").fill("Feast of the Immaculate Conception")
    page.get_by_role("button", name="Add holiday").click()
    page.get_by_text("Feast of the Immaculate Conception added.").wait_for()
    _check(page, screenshot_dir, "settings-branch-calendar")
    cal = calendar_for(branch)
    assert len(cal.hours[0]) == 2 and len(cal.holidays) == 1
    page.get_by_role("button", name=re.compile("Remove Feast")).click()
    page.get_by_text("Holiday removed.").wait_for()
    assert not calendar_for(branch).holidays
    page.get_by_role("button", name="Use the default hours instead").click()
    page.get_by_text("Manila uses the default hours").wait_for()
    assert calendar_for(branch).hours[0] == ((dt.time(9), dt.time(18)),)


def test_long_words_wrap_on_the_ticket_page_and_the_inbox_at_phone_width(
    page, live_server, staff_factory, screenshot_dir
):
    """A subject, an address, a link and a file name with no place to break stay inside the
    screen at 390 px: nothing scrolls sideways."""
    from caredesk.inbox import services
    from caredesk.inbox.services.inbound import inbound_email_receive

    staff_factory("maria", "csr")
    long_word = "Replacement" + "x" * 90
    ticket = services.complaint_file(
        name="Ana " + "Cruz" * 20,
        email="ana.maria.concepcion.dela.cruz.santos.reyes@subdomain.example-company.ph",
        phone="",
        message=f"See https://example.ph/{'a' * 120} and {long_word}",
        ip="203.0.113.77",
    )
    email = EmailMessage()
    email["From"] = ticket.guest_email
    email["Subject"] = f"[{ticket.reference}] {long_word}"
    email["Message-ID"] = "<long-1@example.ph>"
    email.set_content(long_word)
    email.add_attachment(
        PDF, maintype="application", subtype="pdf", filename=f"{'receipt' * 15}.pdf"
    )
    email.add_attachment(
        HTML_AS_PDF, maintype="text", subtype="html", filename=f"{'page' * 30}.html"
    )
    inbound_email_receive(bytes(email))
    base = live_server.url
    sign_in(page, base, "maria")
    page.goto(f"{base}/tickets/{ticket.reference}")
    _check(page, screenshot_dir, "ticket-long-words")
    page.goto(f"{base}/inbox/complaints")
    _check(page, screenshot_dir, "complaints-long-words")
