"""Working the durable outbox: claim, deliver, mark; sweep; retention.

See `OutboundMessage` for the guarantees. Delivery is at-least-once with a stable Message-ID:
a message is claimed (status `sending` + lease) in one short transaction, sent outside any
transaction, then marked `sent` (or `failed` with the error and the next attempt time).
"""

import contextlib
import json
import logging
import os
import socket
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.comms.models import MessageKind, MessageStatus, OutboundMessage

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600
SWEEP_CLAIM_SIZE = 5
SWEEP_MAX_MESSAGES = 500

_WORKER_ID: tuple[int, str] | None = None


def worker_id() -> str:
    """This process's claim name: host, pid and a random part (fresh after a fork)."""
    global _WORKER_ID
    pid = os.getpid()
    if _WORKER_ID is None or _WORKER_ID[0] != pid:
        _WORKER_ID = (pid, f"{socket.gethostname()[:30]}:{pid}:{uuid.uuid4().hex[:8]}")
    return _WORKER_ID[1]


def schedule_delivery(message_id: int, *, run_after: datetime | None = None) -> None:
    """Enqueue the delivery task. Losing this is harmless: the sweep finds due messages."""
    from caredesk.comms.tasks import deliver_message

    try:
        task = deliver_message.using(run_after=run_after) if run_after else deliver_message
        task.enqueue(message_id)
    except Exception:
        logger.exception(
            "Could not enqueue delivery of message %s; the sweep will send it", message_id
        )


def _due(now: datetime) -> Q:
    return Q(status__in=[MessageStatus.QUEUED, MessageStatus.FAILED], next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, lease_until__lt=now
    )


def outbox_claim(*, worker: str, limit: int = SWEEP_CLAIM_SIZE, pk: int | None = None) -> list[int]:
    """Claim up to `limit` due messages for `worker`: status `sending`, a lease, one more
    attempt. Rows another worker holds are skipped (SKIP LOCKED on PostgreSQL; on SQLite the
    IMMEDIATE transaction serialises claims), so two workers never claim the same message."""
    now = timezone.now()
    lease = timedelta(seconds=settings.CAREDESK_OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        qs = OutboundMessage.objects.filter(_due(now))
        if pk is not None:
            qs = qs.filter(pk=pk)
        qs = qs.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:limit])
        if ids:
            OutboundMessage.objects.filter(pk__in=ids).update(
                status=MessageStatus.SENDING,
                lease_until=now + lease,
                claimed_by=worker,
                attempts=F("attempts") + 1,
                last_attempt_at=now,
            )
    return ids


def _mail_dir() -> Path:
    return Path(settings.CAREDESK_OUTBOX_DIR) / "mail"


def eml_path(message: OutboundMessage) -> Path:
    return _mail_dir() / f"{message.created_at:%Y%m%d}-{message.pk:08d}.eml"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build_email(message: OutboundMessage, connection=None) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        cc=message.cc,
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    from caredesk.comms.regarding import message_attachments

    for filename, content, mimetype in message_attachments(message):
        email.attach(filename, content, mimetype)
    return email


def _send_email(message: OutboundMessage) -> None:
    if not settings.EMAIL_HOST:
        # No mail server configured (the demo): the outbox delivers to .eml files.
        _atomic_write(eml_path(message), build_email(message).message().as_bytes())
        return
    backend = get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=settings.EMAIL_HOST,
        port=settings.EMAIL_PORT,
        timeout=settings.CAREDESK_OUTBOX_SEND_TIMEOUT,
        fail_silently=False,
    )
    sent = backend.send_messages([build_email(message, connection=backend)])
    if sent != 1:
        raise RuntimeError("The mail server did not accept the message.")


def _send_chat(message: OutboundMessage) -> None:
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        payload = {"event_type": message.event_type, "text": message.text_body}
        path = Path(settings.CAREDESK_OUTBOX_DIR) / "chat" / f"{message.pk:08d}.json"
        _atomic_write(path, json.dumps(payload, ensure_ascii=False, indent=1).encode())
        return
    if not message.to:
        raise RuntimeError("TELEGRAM_CHAT_ID is not set: no chat to post to.")
    url = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{token}/sendMessage"
    body = json.dumps(
        {"chat_id": message.to[0], "text": message.text_body, "disable_web_page_preview": True}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (URL from settings)
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.CAREDESK_OUTBOX_SEND_TIMEOUT
        ) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        detail = ""
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.loads(exc.read() or b"{}").get("description", "")
        raise RuntimeError(f"Chat API answered {exc.code} {detail}".strip()) from None
    except urllib.error.URLError as exc:
        raise RuntimeError(f"Chat API unreachable: {exc.reason}") from None
    if not answer.get("ok"):
        raise RuntimeError(f"Chat API refused the message: {answer.get('description', answer)}")


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    if settings.TELEGRAM_BOT_TOKEN:
        text = text.replace(settings.TELEGRAM_BOT_TOKEN, "<token>")
    return text[:2000]


def backoff_seconds(attempts: int) -> int:
    """Delay before attempt `attempts + 1`: base x 2^(attempts - 1), at most one hour."""
    base = max(1, settings.CAREDESK_OUTBOX_RETRY_SECONDS)
    return min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, attempts - 1))


def outbox_deliver(pk: int, *, worker: str) -> str:
    """Send one message this worker has claimed; mark it sent, or failed with the error and
    the next attempt time. Returns the resulting status ("skipped" if not ours)."""
    message = OutboundMessage.objects.filter(pk=pk).first()
    if message is None or message.status != MessageStatus.SENDING or message.claimed_by != worker:
        return "skipped"
    try:
        if message.kind == MessageKind.CHAT:
            _send_chat(message)
        else:
            _send_email(message)
    except Exception as exc:
        return _mark_failed(message, worker=worker, error=_error_text(exc))
    return _mark_sent(message, worker=worker)


def _mark_sent(message: OutboundMessage, *, worker: str) -> str:
    now = timezone.now()
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(
            pk=message.pk, status=MessageStatus.SENDING, claimed_by=worker
        ).update(status=MessageStatus.SENT, sent_at=now, lease_until=None, next_attempt_at=None)
        if updated and message.is_confidential:
            OutboundMessage.objects.filter(pk=message.pk).update(
                text_body="", html_body="", body_removed_at=now
            )
        if updated:
            event_record(
                actor=None,
                action=f"{message.kind}.sent",
                target=("comms.outboundmessage", str(message.pk), message.subject[:200]),
                data={"attempts": message.attempts, "message_id": message.message_id},
            )
    return MessageStatus.SENT


def _mark_failed(message: OutboundMessage, *, worker: str, error: str) -> str:
    now = timezone.now()
    gave_up = message.attempts >= settings.CAREDESK_OUTBOX_MAX_ATTEMPTS
    next_at = None if gave_up else now + timedelta(seconds=backoff_seconds(message.attempts))
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(
            pk=message.pk, status=MessageStatus.SENDING, claimed_by=worker
        ).update(
            status=MessageStatus.FAILED, last_error=error, lease_until=None, next_attempt_at=next_at
        )
        if updated:
            event_record(
                actor=None,
                action=f"{message.kind}.failed",
                target=("comms.outboundmessage", str(message.pk), message.subject[:200]),
                data={"attempts": message.attempts, "error": error[:500], "gave_up": gave_up},
            )
            if next_at:
                transaction.on_commit(lambda: schedule_delivery(message.pk, run_after=next_at))
    logger.warning("Message %s failed (attempt %s): %s", message.pk, message.attempts, error)
    return MessageStatus.FAILED


def deliver_one(pk: int) -> str:
    """Claim and deliver message `pk` if it is due (the task enqueued on commit)."""
    worker = worker_id()
    if not outbox_claim(worker=worker, limit=1, pk=pk):
        return "not due"
    return outbox_deliver(pk, worker=worker)


def outbox_sweep(*, max_messages: int = SWEEP_MAX_MESSAGES) -> int:
    """Deliver every due message (new ones whose task was lost, retries that are due, and
    messages whose worker died mid-send once their lease expired). Returns how many it tried."""
    worker = worker_id()
    done = 0
    while done < max_messages:
        ids = outbox_claim(worker=worker, limit=min(SWEEP_CLAIM_SIZE, max_messages - done))
        if not ids:
            break
        for pk in ids:
            outbox_deliver(pk, worker=worker)
        done += len(ids)
    return done


def retention_purge(*, now: datetime | None = None, days: int | None = None) -> int:
    """Remove the bodies of emails older than `days` (CAREDESK_EMAIL_RETENTION_DAYS) that are
    finished (sent, or failed for good). Date, recipients, subject, flags and regarding stay;
    `body_removed_at` records when. Returns the number of messages purged."""
    now = now or timezone.now()
    days = settings.CAREDESK_EMAIL_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    finished = Q(status=MessageStatus.SENT) | Q(
        status=MessageStatus.FAILED, next_attempt_at__isnull=True
    )
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                OutboundMessage.objects.filter(created_at__lt=cutoff, body_removed_at__isnull=True)
                .filter(finished)
                .values_list("pk", flat=True)[:500]
            )
            if not ids:
                break
            OutboundMessage.objects.filter(pk__in=ids).update(
                text_body="", html_body="", body_removed_at=now
            )
            event_record(
                actor=None,
                action="outbox.retention",
                data={"messages": len(ids), "older_than_days": days, "first": ids[0]},
            )
            total += len(ids)
    return total


TASK_RESULT_KEEP_DAYS = 7


def task_results_prune(*, now: datetime | None = None) -> int:
    """Delete the worker's bookkeeping rows (django-tasks results) older than a week: finished
    ones, and "running" ones left by a worker that died (the sweep already redid their work)."""
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - timedelta(days=TASK_RESULT_KEEP_DAYS)
    finished = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    stale = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    deleted = finished.delete()[0] + stale.delete()[0]
    return deleted
