"""Staff inbox pages: lists (query counts), the ticket page and its actions, bulk actions,
settings; the dashboard and snapshot panels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.inbox import services
from caredesk.inbox.models import Position, SlaTarget, Status, Ticket


def _file(n=1):
    return [
        services.complaint_file(
            name="Ben",
            email=f"ben{i}@example.ph",
            phone="",
            message=f"Broken part {i}",
            ip=f"203.0.113.{i + 1}",
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_inbox_list_is_paginated_with_constant_queries(csr, web_for):
    _file(3)
    client = web_for(csr)
    client.get("/inbox/complaints")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as small:
        response = client.get("/inbox/complaints?sort=priority")
    assert response.status_code == 200 and b"C-000003" in response.content
    assert b"due in" in response.content
    _file(12)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/inbox/complaints?sort=priority")
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    fragment = client.get("/inbox/complaints?overdue=1", headers={"HX-Request": "true"})
    assert b"No tickets match." in fragment.content and b"<html" not in fragment.content


@pytest.mark.django_db
def test_careers_box_is_for_hr_not_csr(csr, hr, web_for):
    assert web_for(csr).get("/inbox/careers").status_code == 403
    assert web_for(hr).get("/inbox/careers").status_code == 200
    assert web_for(hr).get("/inbox/complaints").status_code == 403


@pytest.mark.django_db
def test_ticket_page_assign_to_me_reply_and_note(csr, web_for):
    (ticket,) = _file()
    client = web_for(csr)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/tickets/{ticket.reference}")
    assert page.status_code == 200 and b"Broken part 0" in page.content
    assert len(queries) <= 25
    response = client.post(
        f"/tickets/{ticket.reference}/update", {"assign_me": "1", "version": "1"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == csr and ticket.status == Status.OPEN
    client.post(f"/tickets/{ticket.reference}/reply", {"body": "On our way", "version": "2"})
    client.post(f"/tickets/{ticket.reference}/reply", {"body": "Courier", "internal": "on"})
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    page = client.get(f"/tickets/{ticket.reference}").content.decode()
    assert "Reply emailed" not in page  # timeline says it in words
    assert "emailed to ben0@example.ph" in page and "Internal note on" in page
    stale = client.post(f"/tickets/{ticket.reference}/update", {"priority": "high", "version": "1"})
    assert stale.status_code == 302
    assert (
        "changed since you opened it" in client.get(f"/tickets/{ticket.reference}").content.decode()
    )


@pytest.mark.django_db
def test_empty_reply_is_a_form_error_not_a_500(csr, web_for):
    (ticket,) = _file()
    response = web_for(csr).post(f"/tickets/{ticket.reference}/reply", {"body": "   "})
    assert response.status_code == 400


@pytest.mark.django_db
def test_bulk_assign_and_close(csr, manager, web_for):
    tickets = _file(3)
    client = web_for(csr)
    refs = [t.reference for t in tickets[:2]]
    client.post(
        "/inbox/complaints/bulk", {"ticket": refs, "action": "assign", "assignee": "manager"}
    )
    assert set(Ticket.objects.filter(assignee=manager).values_list("reference", flat=True)) == set(
        refs
    )
    client.post("/inbox/complaints/bulk", {"ticket": refs, "action": "close"})
    assert Ticket.objects.filter(status=Status.CLOSED).count() == 2


@pytest.mark.django_db
def test_merge_and_link_from_the_ticket_page(csr, web_for, customer):
    first, dup = _file(2)
    client = web_for(csr)
    client.post(f"/tickets/{dup.reference}/merge", {"into": first.reference})
    dup.refresh_from_db()
    assert dup.merged_into == first
    client.post(f"/tickets/{first.reference}/link", {"customer": customer.member_id})
    first.refresh_from_db()
    assert first.customer == customer
    found = client.get(f"/tickets/{first.reference}?link_q={customer.last_name}")
    assert customer.member_id.encode() in found.content


@pytest.mark.django_db
def test_dashboard_panel_lists_mine_and_unassigned_overdue_first(csr, manager, web_for):
    import datetime as dt

    from django.utils import timezone

    a, b, c = _file(3)
    b.due_at = timezone.now() - dt.timedelta(hours=3)
    b.save(update_fields=["due_at"])
    Ticket.objects.filter(pk=c.pk).update(assignee=manager)
    page = web_for(csr).get("/").content.decode()
    assert "Open issues" in page
    assert page.index(b.reference) < page.index(a.reference) and c.reference not in page
    assert "overdue 3 h" in page


@pytest.mark.django_db
def test_settings_keep_positions_holidays_and_sla(admin, web_for):
    client = web_for(admin)
    assert client.get("/inbox/settings").status_code == 200
    client.post("/inbox/settings", {"op": "position_add", "title": "Driver"})
    client.post("/inbox/settings", {"op": "holiday_add", "date": "2026-12-30", "name": "Rizal Day"})
    client.post("/inbox/settings", {"op": "sla", "sla_complaint_urgent": "2"})
    client.post("/inbox/settings", {"op": "hours", "opens_0_0": "08:00", "closes_0_0": "17:00"})
    assert Position.objects.filter(title="Driver").exists()
    assert SlaTarget.objects.get(kind="complaint", priority="urgent").hours == 2
    from caredesk.inbox.models import BusinessHours, Holiday

    assert Holiday.objects.filter(name="Rizal Day").exists()
    assert BusinessHours.objects.filter(branch__isnull=True).count() == 1


@pytest.mark.django_db
def test_member_snapshot_lists_the_customers_tickets_and_their_history(csr, web_for, customer):
    from django.urls import reverse

    ticket = services.complaint_file(
        name="Maria", email=customer.email, phone="", message="Hinge broke", ip="203.0.113.80"
    )
    client = web_for(csr)
    page = client.get(reverse("customers:snapshot", args=[customer.member_id])).content.decode()
    assert ticket.reference in page and "Hinge broke" in page
    history = client.get(reverse("comms:history", args=[customer.member_id])).content.decode()
    assert ticket.reference in history  # the ticket events are on the customer's history


@pytest.mark.django_db
def test_mine_box_filters_by_kind(csr, web_for):
    (complaint,) = _file()
    issue = services.ticket_create(
        actor=csr,
        kind="issue",
        subject="Printer jams",
        body="Desk 2",
        source="staff",
        assignee=csr,
    )
    services.ticket_update(actor=csr, ticket=complaint, expected_version=None, assignee=csr)
    page = web_for(csr).get("/inbox/mine?kind=issue").content.decode()
    assert issue.reference in page and complaint.reference not in page


@pytest.mark.django_db
def test_a_long_queue_is_counted_up_to_a_cap(csr, web_for, monkeypatch):
    """A queue of a million tickets costs what a short one does: the count stops at the cap
    and the page says there are more."""
    monkeypatch.setattr("caredesk.lib.counts.COUNT_CAP", 3)
    _file(4)
    page = web_for(csr).get("/inbox/complaints").content.decode()
    assert "3+ tickets (narrow the filters to see more)" in page
    assert page.count('name="ticket" value="C-') == 3  # pages run up to the cap


@pytest.mark.django_db
def test_staff_reply_carries_files_on_the_thread_and_in_the_email(csr, web_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caredesk.audit.models import Event
    from caredesk.comms.models import OutboundMessage
    from caredesk.comms.outbox import build_email
    from caredesk.inbox.models import Message
    from caredesk.inbox.tests.conftest import PDF, PNG
    from caredesk.lib.events import describe

    (ticket,) = _file()
    client = web_for(csr)
    page = client.get(f"/tickets/{ticket.reference}").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page
    response = client.post(
        f"/tickets/{ticket.reference}/reply",
        {
            "body": "The manual and a photo of the right part",
            "files": [SimpleUploadedFile("manual.pdf", PDF), SimpleUploadedFile("part", PNG)],
        },
    )
    assert response.status_code == 302
    reply = Message.objects.get(body="The manual and a photo of the right part")
    assert reply.visibility == "reply"
    assert [a.name for a in reply.attachments.order_by("pk")] == ["manual.pdf", "part.png"]
    thread = client.get(f"/tickets/{ticket.reference}").content.decode()
    assert "manual.pdf" in thread and "part.png" in thread
    event = Event.objects.filter(action="ticket.replied").latest("seq")
    assert describe(event).endswith("emailed to ben0@example.ph (2 files attached)")
    # The email to the guest carries the files.
    email = OutboundMessage.objects.get(message_id=reply.email_message_id)
    assert [(name, content) for name, content, _ in build_email(email).attachments] == [
        ("manual.pdf", PDF),
        ("part.png", PNG),
    ]
    # An internal note keeps its file without emailing anyone.
    client.post(
        f"/tickets/{ticket.reference}/reply",
        {"body": "Supplier says", "internal": "on", "files": [SimpleUploadedFile("s.pdf", PDF)]},
    )
    assert Message.objects.get(body="Supplier says").attachments.get().name == "s.pdf"


@pytest.mark.django_db
def test_staff_reply_with_a_disguised_file_is_refused_and_keeps_nothing(csr, web_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caredesk.comms.models import OutboundMessage
    from caredesk.inbox.models import Attachment, Message
    from caredesk.inbox.tests.conftest import HTML_AS_PDF

    (ticket,) = _file()
    emails = OutboundMessage.objects.count()
    response = web_for(csr).post(
        f"/tickets/{ticket.reference}/reply",
        {"body": "See attached", "files": [SimpleUploadedFile("quote.pdf", HTML_AS_PDF)]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "quote.pdf is not an accepted file: send PDF, Word (DOCX), JPEG, PNG, WebP." in page
    assert "See attached" in page
    assert not Message.objects.filter(body="See attached").exists()
    assert not Attachment.objects.exists() and OutboundMessage.objects.count() == emails
    ticket.refresh_from_db()
    assert ticket.version == 1 and ticket.status == Status.NEW
