"""A signed-in guest's replies with files on the account page: kept by the same upload rules
as the public forms and emailed replies, shown on the staff thread, downloadable only by that
guest; a refused file refuses the whole reply and leaves nothing behind."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caredesk.audit.models import Event
from caredesk.inbox import services
from caredesk.inbox.models import Attachment, Message
from caredesk.inbox.tests.conftest import HTML_AS_PDF, PDF, PNG
from caredesk.lib.events import describe
from caredesk.portal import services as portal

pytestmark = pytest.mark.django_db

_ip = iter(range(10, 250))


def _signed_in(phone: str, settings) -> Client:
    """A guest client signed in with the code the file SMS backend received."""
    client = Client(REMOTE_ADDR=f"198.51.100.{next(_ip)}")
    client.post("/account/login", {"phone": phone})
    text = sorted(settings.CAREDESK_SMS_DIR.glob("*.txt"))[-1].read_text()
    code = re.search(r"\b(\d{6})\b", text).group(1)
    assert client.post("/account/login?step=code", {"code": code}).status_code == 302
    return client


@pytest.fixture
def guest(customer, make_order):
    """A customer with a delivered order and an open service request on it."""
    order = make_order(customer)
    ticket = services.service_request(order=order, message="Motor rattles", ip="198.51.100.1")
    return customer, ticket


def _reply(client, ticket, body, *files):
    return client.post(
        f"/account/tickets/{ticket.reference}/reply",
        {f"{ticket.reference}-body": body, f"{ticket.reference}-files": list(files)},
    )


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_guest_reply_keeps_a_photo_and_a_pdf_shown_on_the_staff_thread(
    guest, settings, web_for, csr
):
    customer, ticket = guest
    client = _signed_in(customer.phone, settings)
    page = client.get("/account/orders").content.decode()
    assert 'enctype="multipart/form-data"' in page and "Photos or PDF" in page
    response = _reply(
        client,
        ticket,
        "Here is the noise and the receipt",
        SimpleUploadedFile("noise.png", PNG, content_type="image/png"),
        SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#t-{ticket.reference}")
    message = Message.objects.get(ticket=ticket, body="Here is the noise and the receipt")
    files = list(message.attachments.order_by("pk"))
    assert [(a.name, a.content_type) for a in files] == [
        ("noise.png", "image/png"),
        ("receipt.pdf", "application/pdf"),
    ]
    event = Event.objects.filter(action="ticket.guest_replied").latest("seq")
    assert describe(event) == (
        f"Guest replied on {ticket.reference} on their account page (2 files attached)"
    )
    # The guest sees their files on the account page and downloads them, never inline.
    page = client.get("/account/orders").content.decode()
    assert f'href="/account/files/{files[0].pk}"' in page and "receipt.pdf" in page
    download = client.get(f"/account/files/{files[1].pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    # Staff see them on the thread like every other attachment.
    staff_page = web_for(csr).get(f"/tickets/{ticket.reference}").content.decode()
    assert f'href="/attachments/{files[0].pk}"' in staff_page and "receipt.pdf" in staff_page


def test_a_reply_of_files_only_is_kept(guest, settings):
    customer, ticket = guest
    client = _signed_in(customer.phone, settings)
    photo = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * 20)
    assert _reply(client, ticket, "", photo).status_code == 302
    message = Message.objects.filter(ticket=ticket, visibility="guest").latest("pk")
    assert message.body == "(files only)" and message.attachments.get().name == "a.jpg"
    empty = _reply(client, ticket, "  ")
    assert empty.status_code == 400
    assert "Write your reply or attach a file." in empty.content.decode()


def test_a_disguised_html_file_refuses_the_whole_reply_and_keeps_nothing(guest, settings):
    customer, ticket = guest
    client = _signed_in(customer.phone, settings)
    before = (Message.objects.count(), Attachment.objects.count(), ticket.version)
    stored = _stored_files(settings)
    events = Event.objects.count()
    response = _reply(
        client,
        ticket,
        "My words stay in the box",
        SimpleUploadedFile("noise.png", PNG, content_type="image/png"),
        SimpleUploadedFile("invoice.pdf", HTML_AS_PDF, content_type="application/pdf"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "invoice.pdf is not an accepted file: send PDF, JPEG, PNG, WebP." in page
    assert "My words stay in the box" in page  # the reply comes back to be sent again
    ticket.refresh_from_db()
    assert (Message.objects.count(), Attachment.objects.count(), ticket.version) == before
    assert _stored_files(settings) == stored and Event.objects.count() == events


@pytest.mark.parametrize(
    "files, message",
    [
        (lambda: [SimpleUploadedFile("cv.docx", b"PK\x03\x04" + b"0" * 20)], "not an accepted"),
        (lambda: [SimpleUploadedFile(f"{n}.png", PNG) for n in range(6)], "At most 5 files."),
        (lambda: [SimpleUploadedFile("big.png", PNG + b"0" * 2048)], "too large: at most 1 KB"),
        (lambda: [SimpleUploadedFile("empty.pdf", b"")], "empty"),
    ],
)
def test_files_outside_the_upload_rules_are_refused(guest, settings, files, message):
    settings.CAREDESK_UPLOAD_MAX_BYTES = 1024
    customer, ticket = guest
    response = _reply(_signed_in(customer.phone, settings), ticket, "See files", *files())
    assert response.status_code == 400 and message in response.content.decode()
    assert not Message.objects.filter(body="See files").exists()
    assert not Attachment.objects.exists()


def test_a_storage_failure_midway_removes_the_files_already_stored(guest, settings, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    customer, ticket = guest
    real_save, calls = FileSystemStorage.save, []

    def failing_save(self, name, content, max_length=None):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    with pytest.raises(OSError):
        portal.guest_reply(
            phone=customer.phone,
            reference=ticket.reference,
            body="Two photos",
            files=[SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG)],
        )
    assert len(calls) == 2
    assert not Message.objects.filter(body="Two photos").exists()
    assert not Attachment.objects.exists() and _stored_files(settings) == []


def test_a_guest_cannot_download_another_guests_files_or_internal_ones(
    guest, make_customer, make_order, settings, csr
):
    customer, ticket = guest
    other = make_customer()
    other_ticket = services.service_request(
        order=make_order(other), message="Door stuck", ip="198.51.100.2"
    )
    theirs = portal.guest_reply(
        phone=other.phone,
        reference=other_ticket.reference,
        body="Photo of the door",
        files=[SimpleUploadedFile("door.png", PNG)],
    ).attachments.get()
    note = services.ticket_reply(
        actor=csr,
        ticket=ticket,
        body="Supplier's report",
        internal=True,
        files=[SimpleUploadedFile("report.pdf", PDF)],
    ).attachments.get()
    client = _signed_in(customer.phone, settings)
    assert client.get(f"/account/files/{theirs.pk}").status_code == 404
    assert client.get(f"/account/files/{note.pk}").status_code == 404  # an internal note's
    assert client.get("/account/files/999999").status_code == 404
    assert "report.pdf" not in client.get("/account/orders").content.decode()
    # Nor reply on another guest's ticket.
    answer = _reply(client, other_ticket, "Not mine", SimpleUploadedFile("x.png", PNG))
    assert answer.status_code == 404
    assert not Message.objects.filter(body="Not mine").exists()
    assert _signed_in(other.phone, settings).get(f"/account/files/{theirs.pk}").status_code == 200
    assert Client().get(f"/account/files/{theirs.pk}")["Location"] == "/account/login"


def test_account_page_queries_do_not_grow_with_tickets_and_files(guest, make_order, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    customer, ticket = guest
    client = _signed_in(customer.phone, settings)
    portal.guest_reply(
        phone=customer.phone,
        reference=ticket.reference,
        body="One photo",
        files=[SimpleUploadedFile("a.png", PNG)],
    )
    with CaptureQueriesContext(connection) as small:
        assert client.get("/account/orders").status_code == 200
    for n in range(3):
        more = services.service_request(
            order=make_order(customer), message=f"Issue {n}", ip=f"198.51.100.{200 + n}"
        )
        portal.guest_reply(
            phone=customer.phone,
            reference=more.reference,
            body="Photos",
            files=[SimpleUploadedFile("b.png", PNG), SimpleUploadedFile("c.pdf", PDF)],
        )
    with CaptureQueriesContext(connection) as large:
        page = client.get("/account/orders").content.decode()
    assert page.count("c.pdf") == 3
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
