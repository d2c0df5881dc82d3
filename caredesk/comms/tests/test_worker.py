"""`caredesk worker` as a real process: killed mid-send and restarted, and two at once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from caredesk.comms.models import MessageStatus, OutboundMessage
from caredesk.comms.services import email_send_template

from .conftest import SmtpServer

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(smtp: SmtpServer, name: str, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caredesk.settings_test",
        "DATABASE_URL": _database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "CAREDESK_OUTBOX_LEASE_SECONDS": "3",
        "CAREDESK_OUTBOX_RETRY_SECONDS": "1",
        "CAREDESK_LOG_LEVEL": "WARNING",
    }
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "caredesk", "worker", "--interval", "0.1", "--sweep-every", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def all_sent() -> bool:
    return not OutboundMessage.objects.exclude(status=MessageStatus.SENT).exists()


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def test_worker_killed_mid_send_loses_nothing_and_resends_only_that_message(
    customer_factory, smtp, tmp_path
):
    smtp.sink.hold_first = True  # the server has the first message but has not answered yet
    messages = [
        email_send_template(
            actor=None,
            customer=customer_factory(email=f"member{i}@example.com"),
            template_code="free_text",
            context={},
        )
        for i in range(6)
    ]
    worker = start_worker(smtp, "first", tmp_path)
    try:
        assert smtp.sink.wait_for(1, timeout=60), (tmp_path / "first.log").read_text()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        stop(worker)
    interrupted_id = smtp.sink.message_ids()[0]
    interrupted = OutboundMessage.objects.get(message_id=interrupted_id)
    assert interrupted.status == MessageStatus.SENDING  # accepted by the server, not marked

    restarted = start_worker(smtp, "second", tmp_path)
    try:
        assert wait_until(all_sent), (tmp_path / "second.log").read_text()
    finally:
        stop(restarted)
    received = smtp.sink.message_ids()
    expected = {m.message_id for m in messages}
    assert set(received) == expected  # nothing lost
    duplicates = {mid for mid in received if received.count(mid) > 1}
    assert duplicates == {interrupted_id}  # only the interrupted one, with its Message-ID
    assert received.count(interrupted_id) == 2
    assert len(received) == len(messages) + 1


def test_two_workers_drain_one_outbox_without_sending_anything_twice(
    customer_factory, smtp, tmp_path
):
    smtp.sink.delay = 0.05
    customer = customer_factory()
    # Rows without an enqueued task (as if enqueueing was lost): only the sweeps find them.
    for i in range(40):
        OutboundMessage.objects.create(
            message_id=f"<drain-{i}@caredesk.localhost>",
            customer=customer,
            to=[f"drain{i}@example.com"],
            subject=f"Drain {i}",
            text_body="Hello",
        )
    workers = [start_worker(smtp, f"w{n}", tmp_path) for n in (1, 2)]
    try:
        assert wait_until(all_sent, timeout=90), (tmp_path / "w1.log").read_text()
    finally:
        for w in workers:
            stop(w)
    received = smtp.sink.message_ids()
    assert len(received) == 40
    assert len(set(received)) == 40
    senders = set(OutboundMessage.objects.values_list("claimed_by", flat=True))
    assert len(senders) == 2, "both workers took part"
