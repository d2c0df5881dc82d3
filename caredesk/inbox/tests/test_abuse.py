"""Abuse rules of the public forms and the guest sign-in: rate limit, honeypot, FRAUD-STOP,
disguised uploads, one-time-code brute force and no account enumeration."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caredesk.audit.models import Event
from caredesk.inbox.models import Ticket
from caredesk.inbox.tests.conftest import HTML_AS_PDF, PDF, docx_bytes


def _complaint(client, **extra):
    body = {"name": "Ana", "email": "ana@example.ph", "message": "Late", **extra}
    return client.post("/api/v1/public/complaints", data=body, content_type="application/json")


@pytest.mark.django_db
def test_rate_limit_per_ip(settings):
    settings.CAREDESK_PUBLIC_MAX_PER_IP = 2
    client = Client(REMOTE_ADDR="198.51.100.20")
    assert [_complaint(client).status_code for _ in range(2)] == [201, 201]
    response = _complaint(client)
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert _complaint(Client(REMOTE_ADDR="198.51.100.21")).status_code == 201


@pytest.mark.django_db
def test_honeypot_files_nothing():
    response = _complaint(Client(), website="http://spam.example")
    assert response.status_code == 400 and response.json()["code"] == "rejected"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "value", "extra", "ip"),
    [
        ("email", "ana@example.ph", {}, "198.51.100.30"),
        ("phone", "+639171234567", {"phone": "0917 123 4567"}, "198.51.100.31"),
        ("ip", "198.51.100.32", {}, "198.51.100.32"),
    ],
)
def test_blocked_email_phone_or_ip_is_refused_alerted_and_audited(csr, kind, value, extra, ip):
    from caredesk.comms.models import OutboundMessage
    from caredesk.customers.services import blocklist_add

    blocklist_add(actor=csr, kind=kind, value=value, reason="fraud")
    response = _complaint(Client(REMOTE_ADDR=ip), **extra)
    assert response.status_code == 409 and response.json()["code"] == "blocked"
    assert "FRAUD-STOP" in response.json()["detail"]
    assert not Ticket.objects.exists()
    assert Event.objects.filter(action="safety.blocked_attempt").count() == 1
    assert OutboundMessage.objects.filter(kind="chat", subject__contains="FRAUD-STOP").exists()


@pytest.mark.django_db
def test_a_disguised_html_upload_is_refused(position):
    client = Client(REMOTE_ADDR="198.51.100.40")
    data = {"name": "Jo", "email": "jo@example.ph", "position": str(position.pk)}
    fake = SimpleUploadedFile("cv.pdf", HTML_AS_PDF, content_type="application/pdf")
    response = client.post("/api/v1/public/careers", data={**data, "cv": fake})
    assert response.status_code == 400 and response.json()["code"] == "file_type"
    assert not Ticket.objects.exists()
    docx = SimpleUploadedFile("cv.docx", docx_bytes(), content_type="application/octet-stream")
    assert client.post("/api/v1/public/careers", data={**data, "cv": docx}).status_code == 201


@pytest.mark.django_db
def test_an_oversized_upload_is_refused(position, settings):
    settings.CAREDESK_UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("cv.pdf", PDF + b"0" * 2048)
    response = Client().post(
        "/api/v1/public/careers",
        data={"name": "Jo", "email": "jo@example.ph", "position": str(position.pk), "cv": big},
    )
    assert response.status_code == 400 and "too large" in response.json()["detail"]


@pytest.mark.django_db
def test_attachments_download_as_files_never_inline(csr, web_for):
    from caredesk.inbox.models import Attachment
    from caredesk.inbox.tests.conftest import PNG

    response = Client().post(
        "/complaints",
        data={
            "name": "Ana",
            "email": "ana@example.ph",
            "message": "Scratched",
            "photos": SimpleUploadedFile("p.html", PNG, content_type="text/html"),
        },
    )
    assert response.status_code == 201
    item = Attachment.objects.get()
    assert item.name == "p.png" and item.content_type == "image/png"
    response = web_for(csr).get(f"/attachments/{item.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_careers_form_refuses_fields_it_does_not_take(position):
    response = Client().post(
        "/api/v1/public/careers",
        data={
            "name": "Jo",
            "email": "jo@example.ph",
            "position": str(position.pk),
            "cv": SimpleUploadedFile("cv.pdf", PDF),
            "salary": "1000000",
        },
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "salary"
