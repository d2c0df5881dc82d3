"""Ticket engine: references, statuses and their events, the SLA clock pausing while waiting
on the customer, replies, guest replies reopening, merge, link, careers visibility."""

import datetime as dt

import pytest
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.comms.models import OutboundMessage
from caredesk.comms.selectors import customer_history_events
from caredesk.inbox import policy, services
from caredesk.inbox.models import Message, Status, Ticket
from caredesk.lib.errors import Conflict, NotAllowed, StaleVersion


def _complaint(**kw):
    defaults = {
        "name": "Ana Cruz",
        "email": "ana@example.ph",
        "phone": "",
        "message": "The blade arrived bent.\nPlease replace it.",
        "ip": "203.0.113.5",
    }
    return services.complaint_file(**{**defaults, **kw})


@pytest.mark.django_db
def test_references_are_gapless_per_kind(csr):
    refs = [_complaint().reference for _ in range(3)]
    issue = services.ticket_create(
        actor=csr, kind="issue", subject="Printer jams", body="Again", source="staff"
    )
    assert refs == ["C-000001", "C-000002", "C-000003"]
    assert issue.reference == "I-000001"


@pytest.mark.django_db
def test_complaint_is_filed_with_an_acknowledgement_in_the_guest_language(make_customer):
    customer = make_customer(email="lola@example.ph", locale="fil")
    ticket = _complaint(email="lola@example.ph")
    assert ticket.customer == customer and ticket.locale == "fil"
    assert ticket.status == Status.NEW and ticket.due_at is not None
    email = OutboundMessage.objects.get(regarding=ticket.reference)
    assert email.to == ["lola@example.ph"] and email.locale == "fil"
    assert "Natanggap namin" in email.subject and ticket.reference in email.subject
    # the filing and the email are on the customer's activity history
    actions = set(customer_history_events(customer).values_list("action", flat=True))
    assert {"ticket.created", "email.queued"} <= actions


@pytest.mark.django_db
def test_status_moves_along_the_table_with_one_event_each(csr):
    ticket = _complaint()
    ticket = services.ticket_update(
        actor=csr, ticket=ticket, expected_version=1, status=Status.OPEN
    )
    assert ticket.version == 2
    ticket = services.ticket_update(
        actor=csr, ticket=ticket, expected_version=2, status=Status.RESOLVED
    )
    with pytest.raises(Conflict):
        services.ticket_update(actor=csr, ticket=ticket, expected_version=3, status=Status.NEW)
    with pytest.raises(StaleVersion):
        services.ticket_update(actor=csr, ticket=ticket, expected_version=1, priority="high")
    events = Event.objects.filter(target_type="inbox.ticket", target_id=str(ticket.pk))
    assert events.filter(action="ticket.status_changed").count() == 2
    assert Ticket.objects.get(pk=ticket.pk).version == 3


@pytest.mark.django_db
def test_waiting_on_the_customer_pauses_the_sla_and_pushes_the_deadline(csr, settings):
    ticket = _complaint()
    due = ticket.due_at
    ticket = services.ticket_update(
        actor=csr, ticket=ticket, expected_version=None, status=Status.WAITING
    )
    assert ticket.due_at is None and ticket.sla_paused_at is not None
    assert policy.sla_badge(ticket).text.startswith("paused")
    # 3 business days later (Mon-Sat 9-18 by default) the clock resumes
    Ticket.objects.filter(pk=ticket.pk).update(
        sla_paused_at=ticket.sla_paused_at - dt.timedelta(days=3)
    )
    ticket = services.ticket_update(
        actor=csr, ticket=Ticket.objects.get(pk=ticket.pk), expected_version=None, status="open"
    )
    assert ticket.sla_paused_seconds > 0
    assert ticket.due_at > due


@pytest.mark.django_db
def test_assigning_a_new_ticket_opens_it(csr):
    ticket = services.ticket_update(
        actor=csr, ticket=_complaint(), expected_version=1, assignee=csr
    )
    assert ticket.assignee == csr and ticket.status == Status.OPEN


@pytest.mark.django_db
def test_a_reply_is_emailed_and_the_guest_reply_reopens(csr):
    ticket = _complaint()
    services.ticket_reply(actor=csr, ticket=ticket, body="We will replace it.", internal=False)
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    reply = OutboundMessage.objects.filter(template_code="ticket_reply").get()
    assert "We will replace it." in reply.text_body and reply.to == ["ana@example.ph"]
    services.ticket_guest_reply(ticket=ticket, body="Thank you, when?", via="portal")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.due_at is not None
    assert [m.visibility for m in ticket.messages.all()] == ["guest", "reply", "guest"]


@pytest.mark.django_db
def test_an_internal_note_is_not_emailed(csr):
    ticket = _complaint()
    before = OutboundMessage.objects.count()
    services.ticket_reply(actor=csr, ticket=ticket, body="Call the courier", internal=True)
    assert OutboundMessage.objects.count() == before
    assert ticket.messages.filter(visibility="internal").count() == 1


@pytest.mark.django_db
def test_merge_moves_the_thread_and_closes_the_duplicate(csr):
    first, duplicate = _complaint(), _complaint(message="Bent blade again")
    into = services.ticket_merge(actor=csr, ticket=duplicate, into=first, expected_version=None)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED and duplicate.merged_into == first
    assert into.messages.count() == 2
    with pytest.raises(Conflict):
        services.ticket_update(actor=csr, ticket=duplicate, expected_version=None, status="open")


@pytest.mark.django_db
def test_linking_an_order_brings_its_customer(csr, customer, make_order):
    order = make_order(customer)
    ticket = services.ticket_link(actor=csr, ticket=_complaint(), expected_version=1, order=order)
    assert ticket.order == order and ticket.customer == customer and ticket.branch == order.branch
    assert "ticket.linked" in set(
        customer_history_events(customer).values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_careers_are_for_hr_and_managers_not_csrs(csr, hr, manager, position):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caredesk.inbox.tests.conftest import PDF

    ticket = services.career_apply(
        name="Jo Tan",
        email="jo@example.ph",
        phone="",
        position_id=position.pk,
        cv=SimpleUploadedFile("cv.pdf", PDF),
        ip="203.0.113.9",
    )
    assert ticket.reference.startswith("J-")
    assert not policy.may_view(csr, ticket) and policy.may_view(hr, ticket)
    assert policy.may_view(manager, ticket)
    with pytest.raises(NotAllowed):
        services.ticket_update(actor=csr, ticket=ticket, expected_version=None, status="open")
    services.ticket_update(actor=hr, ticket=ticket, expected_version=None, assignee=hr)
    assert ticket.attachments.get().content_type == "application/pdf"


@pytest.mark.django_db
def test_inbound_email_threads_by_in_reply_to_and_by_subject(csr):
    ticket = _complaint()
    services.ticket_reply(actor=csr, ticket=ticket, body="Photos please?", internal=False)
    ours = Message.objects.get(ticket=ticket, visibility="reply").email_message_id
    raw = (
        f"From: Ana <ana@example.ph>\r\nTo: care@caredesk.localhost\r\n"
        f"Subject: Re: something\r\nMessage-ID: <g1@example.ph>\r\nIn-Reply-To: {ours}\r\n"
        f"\r\nHere they are.\r\n\r\nOn Mon, Caredesk wrote:\r\n> Photos please?\r\n"
    ).encode()
    message = services.inbound_email_receive(raw)
    assert message.ticket == ticket and message.body == "Here they are."
    assert services.inbound_email_receive(raw).pk == message.pk  # same Message-ID once
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    by_subject = (
        f"From: ana@example.ph\r\nSubject: Re: [{ticket.reference}] blade\r\n"
        f"Message-ID: <g2@example.ph>\r\n\r\nOne more thing.\r\n"
    ).encode()
    assert services.inbound_email_receive(by_subject).ticket == ticket
    stranger = by_subject.replace(b"ana@example.ph", b"eve@example.com").replace(b"g2", b"g3")
    with pytest.raises(Conflict):
        services.inbound_email_receive(stranger)


@pytest.mark.django_db
def test_sla_badge_says_due_and_overdue_in_words():
    ticket = Ticket(status="open", due_at=timezone.now() + dt.timedelta(hours=2, minutes=5))
    assert policy.sla_badge(ticket).text == "due in 2 h"
    ticket.due_at = timezone.now() - dt.timedelta(hours=3, minutes=1)
    assert policy.sla_badge(ticket).text == "overdue 3 h"


@pytest.mark.django_db
def test_ticket_email_templates_are_seeded_valid_and_documented():
    from caredesk.comms.models import EmailTemplate
    from caredesk.comms.rendering import VARIABLES, template_check
    from caredesk.inbox import emails

    for code in (emails.ACK, emails.REPLY):
        assert "ticket.reference" in VARIABLES[code]
        for locale in ("en", "fil"):
            template = EmailTemplate.objects.get(code=code, locale=locale)
            template_check(template.subject, code=code, field="subject")
            template_check(template.text_body, code=code, field="text_body")
