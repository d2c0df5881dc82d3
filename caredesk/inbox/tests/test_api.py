"""Tickets API: public forms, list/detail/create/patch (If-Match), messages, inbound email."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caredesk.inbox import services
from caredesk.inbox.models import Ticket


def _public(body, ip="198.51.100.7"):
    return Client(REMOTE_ADDR=ip).post(
        "/api/v1/public/complaints", data=body, content_type="application/json"
    )


def _file(n=1, **kw):
    return [
        services.complaint_file(
            name="Ben",
            email=f"ben{i}@example.ph",
            phone="",
            message=f"Problem {i}",
            ip=f"203.0.113.{i + 1}",
            **kw,
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_public_complaint_answers_with_the_reference():
    response = _public({"name": "Ana", "email": "ana@example.ph", "message": "Late delivery"})
    assert response.status_code == 201
    reference = response.json()["reference"]
    assert Ticket.objects.get(reference=reference).kind == "complaint"


@pytest.mark.django_db
def test_public_complaint_refuses_unknown_fields_and_missing_contact():
    response = _public({"name": "Ana", "message": "x", "admin": True})
    assert response.status_code == 422 and "admin" in response.content.decode()
    response = _public({"name": "Ana", "message": "Late"})
    assert response.status_code == 400 and response.json()["field"] == "email"


@pytest.mark.django_db
def test_ticket_list_filters_and_hides_careers_from_csrs(csr, api_for, position):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caredesk.inbox.tests.conftest import PDF

    _file(3)
    services.career_apply(
        name="Jo",
        email="jo@example.ph",
        phone="",
        position_id=position.pk,
        cv=SimpleUploadedFile("cv.pdf", PDF),
        ip="203.0.113.2",
    )
    api = api_for(csr)
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/v1/tickets?limit=50").json()
    assert body["count"] == 3 and {r["kind"] for r in body["results"]} == {"complaint"}
    assert len(queries) <= 6, [q["sql"] for q in queries.captured_queries]
    assert api.get("/api/v1/tickets?kind=career").json()["count"] == 0
    assert api.get("/api/v1/tickets?assignee=none&overdue=false").json()["count"] == 3
    first = body["results"][0]
    assert set(first) >= {
        "reference",
        "kind",
        "status",
        "priority",
        "subject",
        "assignee",
        "due_at",
        "customer",
        "order",
    }


@pytest.mark.django_db
def test_detail_etag_and_patch_with_if_match(csr, api_for):
    (ticket,) = _file()
    api = api_for(csr)
    response = api.get(f"/api/v1/tickets/{ticket.reference}")
    assert response.status_code == 200 and response["ETag"] == '"1"'
    assert response.json()["messages"][0]["from_guest"] is True
    url = f"/api/v1/tickets/{ticket.reference}"
    assert api.patch(url, json={"status": "open"}).status_code == 428
    assert api.patch(url, json={"status": "open"}, headers={"If-Match": '"9"'}).status_code == 412
    response = api.patch(
        url,
        json={
            "status": "open",
            "priority": "high",
            "assignee": "csr",
            "follow_up_on": "2026-12-01",
        },
        headers={"If-Match": '"1"'},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert (body["status"], body["priority"], body["assignee"]) == ("open", "high", "csr")
    assert body["follow_up_on"] == "2026-12-01" and response["ETag"] == '"2"'
    response = api.patch(url, json={"status": "new"}, headers={"If-Match": '"2"'})
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    assert api.patch(url, json={"colour": "red"}, headers={"If-Match": '"2"'}).status_code == 422


@pytest.mark.django_db
def test_staff_file_an_issue_and_reply(csr, api_for):
    api = api_for(csr)
    response = api.post(
        "/api/v1/tickets", json={"kind": "issue", "subject": "Scanner down", "body": "MNL desk 2"}
    )
    assert response.status_code == 201 and response.json()["reference"] == "I-000001"
    (ticket,) = _file()
    response = api.post(
        f"/api/v1/tickets/{ticket.reference}/messages", json={"body": "On it", "internal": False}
    )
    assert response.status_code == 201 and response.json()["status"] == "waiting"
    note = api.post(
        f"/api/v1/tickets/{ticket.reference}/messages", json={"body": "Ask QA", "internal": True}
    )
    assert note.json()["messages"][-1]["internal"] is True


@pytest.mark.django_db
def test_inbound_email_needs_the_shared_secret(csr):
    (ticket,) = _file()
    raw = (
        f"From: ben0@example.ph\r\nSubject: Re: [{ticket.reference}] x\r\n"
        "Message-ID: <in1@example.ph>\r\n\r\nStill broken.\r\n"
    )
    client = Client()
    assert (
        client.post(
            "/api/v1/inbound/email",
            data=raw,
            content_type="message/rfc822",
            headers={"Authorization": "Bearer wrong"},
        ).status_code
        == 401
    )
    response = client.post(
        "/api/v1/inbound/email",
        data=raw,
        content_type="message/rfc822",
        headers={"Authorization": "Bearer inbound-test-secret"},
    )
    assert response.status_code == 201 and response.json()["reference"] == ticket.reference
    garbage = client.post(
        "/api/v1/inbound/email",
        data="hello",
        content_type="message/rfc822",
        headers={"Authorization": "Bearer inbound-test-secret"},
    )
    assert garbage.status_code == 400


@pytest.mark.django_db
def test_a_reply_with_files_through_the_api_is_checked_like_the_form(api_for, csr):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caredesk.inbox.models import Attachment, Message
    from caredesk.inbox.tests.conftest import HTML_AS_PDF, PDF, PNG

    ticket = services.complaint_file(
        name="Ben", email="ben@example.ph", phone="", message="Broken", ip="203.0.113.9"
    )
    api = api_for(csr)
    url = f"/api/v1/tickets/{ticket.reference}/messages/with-files"
    sent = api.client.post(
        url,
        {
            "body": "Manual attached",
            "files": [SimpleUploadedFile("manual.pdf", PDF), SimpleUploadedFile("p.png", PNG)],
        },
        headers=api.headers,
    )
    assert sent.status_code == 201, sent.content
    files = sent.json()["messages"][-1]["attachments"]
    assert [f["name"] for f in files] == ["manual.pdf", "p.png"]
    refused = api.client.post(
        url,
        {"body": "Again", "files": [SimpleUploadedFile("quote.pdf", HTML_AS_PDF)]},
        headers=api.headers,
    )
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("quote.pdf is not an accepted file")
    assert not Message.objects.filter(body="Again").exists()
    assert Attachment.objects.count() == 2
    extra = api.client.post(url, {"body": "x", "cc": "a@b.c"}, headers=api.headers)
    assert extra.status_code == 422 and "cc" in extra.content.decode()
