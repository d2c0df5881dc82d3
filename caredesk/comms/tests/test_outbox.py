"""Delivery through a real SMTP server and a stand-in chat API, in process."""

import email
import email.policy
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from caredesk.audit.models import Event
from caredesk.comms import outbox
from caredesk.comms.models import MessageStatus, OutboundMessage
from caredesk.comms.services import (
    chat_alert,
    email_compose_prepare,
    email_compose_send,
    email_send_template,
)

from .conftest import ORDER_CONTEXT, SmtpServer, free_port

pytestmark = pytest.mark.django_db


def test_order_confirmation_for_fil_customer_arrives_in_filipino(fil_customer, smtp_server):
    message = email_send_template(
        actor=None,
        customer=fil_customer,
        template_code="order_confirmation",
        context=ORDER_CONTEXT,
        regarding="SO-2026-00042",
    )
    assert outbox.deliver_one(message.pk) == MessageStatus.SENT
    (received,) = smtp_server.sink.received
    assert received["Subject"] == "Kumpirmado na ang order SO-2026-00042 - Caredesk"
    assert received["To"] == "maria.santos@example.ph"
    assert received["Message-ID"] == message.message_id
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "Maraming salamat sa inyong order" in text
    assert "2 x Chef knife sharpening: ₱500.00" in text
    assert "Kabuuan: ₱680.00" in text
    assert "Inaasahang handa na sa: Tuesday, 24 November 2026" in text
    assert "Kabuuan</td>" in html
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at and message.locale == "fil"
    assert message.regarding == "SO-2026-00042"


def test_preview_equals_what_arrives(customer, csr, smtp_server):
    fields = {
        "to": "",
        "cc": "billing@example.com",
        "include_customer_address": True,
        "subject": "Your blades, {{ customer.first_name }}",
        "body": "<p>Hi {{ customer.first_name }},</p><p>Ready on Friday &amp; <b>sharp</b>.</p>",
        "body_format": "html",
        "template_code": "free_text",
    }
    draft = email_compose_prepare(actor=csr, customer=customer, **fields)
    message = email_compose_send(actor=csr, customer=customer, **fields)
    outbox.deliver_one(message.pk)
    (received,) = smtp_server.sink.received
    assert received["Subject"] == draft.rendered.subject == "Your blades, Ana"
    assert received["To"] == ", ".join(draft.to) == "ana.reyes@example.com"
    assert received["Cc"] == "billing@example.com"
    assert _body(received, "html") == draft.rendered.html.strip()
    assert _body(received, "plain") == draft.rendered.text.strip()


def _body(message, subtype: str) -> str:
    """A part's content with the wire's CRLF line ends read back as newlines."""
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n").strip()


def test_smtp_down_fails_with_the_error_then_retries_and_sends(
    customer, settings, django_capture_on_commit_callbacks
):
    port = free_port()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.CAREDESK_OUTBOX_RETRY_SECONDS = 30
    message = email_send_template(
        actor=None,
        customer=customer,
        template_code="password_reset",
        context={"reset": {"url": "https://caredesk.example/reset/xyz", "expires_hours": 2}},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver_one(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 1
    assert "Connection refused" in message.last_error or "Errno" in message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert Event.objects.filter(action="email.failed").count() == 1
    # The retry is scheduled as a task for when it is due.
    retry = DBTaskResult.objects.filter(task_path__endswith="deliver_message").latest("enqueued_at")
    assert retry.run_after is not None and retry.run_after > timezone.now()

    server = SmtpServer(port=port).start()
    try:
        assert outbox.outbox_sweep() == 0  # not due yet
        OutboundMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() - timedelta(seconds=1)
        )
        assert outbox.outbox_sweep() == 1
        assert len(server.sink.received) == 1
        message.refresh_from_db()
        assert message.status == "sent" and message.attempts == 2
        # Marked sent: never claimed or sent again.
        assert outbox.deliver_one(message.pk) == "not due"
        OutboundMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() - timedelta(days=1)
        )
        assert outbox.outbox_sweep() == 0
        assert len(server.sink.received) == 1
    finally:
        server.stop()


def test_backoff_grows_exponentially_and_gives_up(customer, settings):
    settings.CAREDESK_OUTBOX_RETRY_SECONDS = 10
    settings.CAREDESK_OUTBOX_MAX_ATTEMPTS = 3
    assert [outbox.backoff_seconds(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert outbox.backoff_seconds(30) == outbox.MAX_BACKOFF_SECONDS
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    message = email_send_template(
        actor=None, customer=customer, template_code="free_text", context={}
    )
    for _ in range(3):
        OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        outbox.deliver_one(message.pk)
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 3
    assert message.gave_up and message.next_attempt_at is None
    assert outbox.outbox_sweep() == 0


def test_expired_lease_is_reclaimed_with_the_same_message_id(customer, smtp_server, settings):
    message = email_send_template(
        actor=None, customer=customer, template_code="free_text", context={}
    )
    # A worker claimed it and died before marking it.
    assert outbox.outbox_claim(worker="dead-worker", pk=message.pk) == [message.pk]
    assert outbox.outbox_sweep() == 0  # lease still running
    OutboundMessage.objects.filter(pk=message.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox.outbox_sweep() == 1
    assert smtp_server.sink.message_ids() == [message.message_id]
    # The dead worker cannot mark or resend it any more.
    assert outbox.outbox_deliver(message.pk, worker="dead-worker") == "skipped"


def test_without_email_host_messages_go_to_eml_files(customer, settings, outbox_dir):
    settings.EMAIL_HOST = ""
    message = email_send_template(
        actor=None, customer=customer, template_code="free_text", context={}
    )
    assert outbox.deliver_one(message.pk) == "sent"
    path = outbox.eml_path(message)
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == message.message_id
    assert parsed["Subject"] == "A message from Caredesk"


def test_chat_alert_posts_to_the_bot_api_with_retries_and_never_twice(chat_api, settings):
    chat_api.fail_next = 1
    message = chat_alert(event_type="showroom_visit", text="Walk-in at MNL showroom: Ana Reyes")
    assert message.to == ["-1001234"]
    assert outbox.deliver_one(message.pk) == "failed"
    message.refresh_from_db()
    assert "Chat API answered 502 Bad Gateway" in message.last_error
    assert "test-token" not in message.last_error
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.outbox_sweep() == 1
    assert outbox.outbox_sweep() == 0
    assert len(chat_api.calls) == 2
    call = chat_api.calls[-1]
    assert call["path"] == "/bot123456:test-token/sendMessage"
    assert call["body"]["chat_id"] == "-1001234"
    assert call["body"]["text"] == "Walk-in at MNL showroom: Ana Reyes"
    message.refresh_from_db()
    assert message.status == "sent"


def test_chat_alert_ignores_event_types_not_configured(chat_api, settings):
    settings.CAREDESK_CHAT_ALERT_EVENTS = ["showroom_visit"]
    assert chat_alert(event_type="fraud_hit", text="x") is None
    assert not OutboundMessage.objects.exists()


def test_message_row_exists_only_if_the_action_commits(customer):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        email_send_template(actor=None, customer=customer, template_code="free_text", context={})
        raise RuntimeError("the order confirmation failed")
    assert not OutboundMessage.objects.exists()


def test_old_task_results_are_pruned_but_recent_ones_kept(customer):
    from caredesk.comms.tasks import deliver_message

    old = deliver_message.enqueue(1).db_result
    recent = deliver_message.enqueue(2).db_result
    long_ago = timezone.now() - timedelta(days=8)
    DBTaskResult.objects.filter(pk=old.pk).update(
        status="SUCCESSFUL", finished_at=long_ago, started_at=long_ago
    )
    DBTaskResult.objects.filter(pk=recent.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now()
    )
    assert outbox.task_results_prune() == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]
