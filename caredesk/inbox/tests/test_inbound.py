"""Guests' emailed replies with files: a raw RFC 822 multipart message posted to the inbound
endpoint keeps the accepted files on the thread (downloads only) and notes the refused ones."""

from email.message import EmailMessage

import pytest
from django.test import Client

from caredesk.audit.models import Event
from caredesk.inbox import services
from caredesk.inbox.models import Attachment, Message

from .conftest import HTML_AS_PDF, PDF, PNG

pytestmark = pytest.mark.django_db

SECRET = {"Authorization": "Bearer inbound-test-secret"}


@pytest.fixture
def ticket():
    return services.complaint_file(
        name="Ben", email="ben@example.ph", phone="", message="Broken fan", ip="203.0.113.9"
    )


def _raw(ticket, files, *, body="Here are the photos.\n\n> old quoted text", msg_id="<m1@x.ph>"):
    message = EmailMessage()
    message["From"] = "Ben <ben@example.ph>"
    message["To"] = "care@example.com"
    message["Subject"] = f"Re: [{ticket.reference}] Broken fan"
    message["Message-ID"] = msg_id
    message.set_content(body)
    for name, data, maintype, subtype in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def _post(raw):
    return Client().post(
        "/api/v1/inbound/email", data=raw, content_type="message/rfc822", headers=SECRET
    )


def test_accepted_files_are_kept_on_the_guest_message_and_downloaded_only(ticket, web_for, csr):
    raw = _raw(
        ticket,
        [
            ("receipt.pdf", PDF, "application", "pdf"),
            ("fan.png", PNG, "image", "png"),
        ],
    )
    assert b"multipart/mixed" in raw and b"Content-Transfer-Encoding: base64" in raw
    response = _post(raw)
    assert response.status_code == 201, response.content
    message = Message.objects.get(email_message_id="<m1@x.ph>")
    assert message.body == "Here are the photos."
    files = {a.name: a for a in message.attachments.all()}
    assert set(files) == {"receipt.pdf", "fan.png"}
    assert files["receipt.pdf"].content_type == "application/pdf"
    assert files["fan.png"].size == len(PNG)
    assert files["fan.png"].file.name.startswith("tickets/")
    assert "." not in files["fan.png"].file.name.rsplit("/", 1)[-1]  # random name, no extension
    assert not Message.objects.filter(ticket=ticket, visibility="internal").exists()
    event = Event.objects.filter(action="ticket.guest_replied").latest("pk")
    from caredesk.lib.events import describe

    assert describe(event).endswith("by email (2 files attached)")

    page = web_for(csr).get(f"/tickets/{ticket.reference}")
    assert b"receipt.pdf" in page.content and b"fan.png" in page.content
    download = web_for(csr).get(f"/attachments/{files['receipt.pdf'].pk}")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_a_disguised_page_and_a_program_are_refused_with_a_note_on_the_ticket(ticket, web_for, csr):
    raw = _raw(
        ticket,
        [
            ("invoice.pdf", HTML_AS_PDF, "application", "pdf"),  # a web page named .pdf
            ("update.exe", b"MZ\x90\x00" + b"\x00" * 60, "application", "octet-stream"),
            ("page.html", b"<html><script>x()</script></html>", "text", "html"),
            ("ok.pdf", PDF, "application", "pdf"),
        ],
    )
    assert _post(raw).status_code == 201
    reply = Message.objects.get(email_message_id="<m1@x.ph>")
    assert [a.name for a in reply.attachments.all()] == ["ok.pdf"]
    note = Message.objects.get(ticket=ticket, visibility="internal")
    assert note.author_id is None and note.author_label == "Caredesk"
    assert "Not kept from the guest's message (3)" in note.body
    for name in ("invoice.pdf", "update.exe", "page.html"):
        assert name in note.body
    assert "not an accepted file" in note.body
    assert Attachment.objects.filter(ticket=ticket).count() == 1
    page = web_for(csr).get(f"/tickets/{ticket.reference}")
    assert b"Not kept from the guest" in page.content
    assert b"<script>x()" not in page.content


def test_too_large_and_too_many_files_are_not_kept(ticket, settings):
    settings.CAREDESK_UPLOAD_MAX_BYTES = 1024
    big = PDF + b"0" * 2048
    files = [("big.pdf", big, "application", "pdf")] + [
        (f"photo{i}.png", PNG, "image", "png") for i in range(6)
    ]
    message = services.inbound_email_receive(_raw(ticket, files))
    assert message.attachments.count() == 5
    note = Message.objects.get(ticket=ticket, visibility="internal").body
    assert "- big.pdf is too large: at most 1 KB." in note
    assert "photo5.png: at most 5 files are kept per message." in note


def test_an_inline_image_without_a_name_is_kept_and_an_email_of_files_only_is_threaded(ticket):
    message = EmailMessage()
    message["From"] = "ben@example.ph"
    message["Subject"] = f"[{ticket.reference}]"
    message["Message-ID"] = "<m2@x.ph>"
    message.set_content("")
    message.add_attachment(PNG, maintype="image", subtype="png", disposition="inline")
    stored = services.inbound_email_receive(bytes(message))
    assert stored.body == "(files only)"
    (attachment,) = stored.attachments.all()
    assert attachment.name == "attachment.png" and attachment.content_type == "image/png"


def test_the_same_message_twice_keeps_its_files_once(ticket):
    raw = _raw(ticket, [("receipt.pdf", PDF, "application", "pdf")])
    services.inbound_email_receive(raw)
    services.inbound_email_receive(raw)
    assert Attachment.objects.filter(ticket=ticket).count() == 1


def test_a_message_over_the_request_limit_is_refused(ticket, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    raw = _raw(ticket, [("big.pdf", PDF + b"0" * 4096, "application", "pdf")])
    from caredesk.lib.errors import Invalid

    with pytest.raises(Invalid, match="at most"):
        services.inbound_email_receive(raw)
    assert not Attachment.objects.exists()
