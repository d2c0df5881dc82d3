"""Fixtures for the communications tests: customers, a real SMTP server (aiosmtpd) and a local
HTTP server standing in for the Telegram bot API."""

import asyncio
import datetime
import email
import email.policy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from caredesk.customers.ids import member_ids_allocate
from caredesk.customers.models import Customer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def customer_factory(db):
    def make(**fields) -> Customer:
        fields.setdefault("first_name", "Ana")
        fields.setdefault("last_name", "Reyes")
        fields.setdefault("email", "ana.reyes@example.com")
        return Customer.objects.create(member_id=member_ids_allocate(1)[0], **fields)

    return make


@pytest.fixture
def customer(customer_factory):
    return customer_factory()


@pytest.fixture
def fil_customer(customer_factory):
    return customer_factory(
        first_name="Maria", last_name="Santos", email="maria.santos@example.ph", locale="fil"
    )


class Sink:
    """An SMTP server's inbox. `hold_first` keeps the first DATA unanswered (the server has
    the message, the client waits for "250") until `release` is set."""

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.delay = 0.0
        self.hold_first = False
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(message)
            first = len(self.received) == 1
        if self.hold_first and first:
            deadline = time.monotonic() + 60
            while not self.release.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.received]

    def wait_for(self, count: int, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return True
            time.sleep(0.05)
        return False


class SmtpServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.sink = Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.sink.release.set()
        self.controller.stop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; settings point the outbox at it."""
    server = SmtpServer().start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    try:
        yield server
    finally:
        server.stop()


class ChatApi:
    """Stands in for api.telegram.org: records sendMessage calls; `fail_next` answers with
    errors first."""

    def __init__(self):
        self.calls: list[dict] = []
        self.fail_next = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                api.calls.append({"path": self.path, "body": body})
                if api.fail_next > 0:
                    api.fail_next -= 1
                    status, answer = 502, {"ok": False, "description": "Bad Gateway"}
                else:
                    status, answer = 200, {"ok": True, "result": {"message_id": len(api.calls)}}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def successes(self) -> list[dict]:
        return [c for c in self.calls if c.get("ok", True)]


@pytest.fixture
def chat_api(settings):
    api = ChatApi()
    api.thread.start()
    settings.TELEGRAM_API_BASE = api.base
    settings.TELEGRAM_BOT_TOKEN = "123456:test-token"
    settings.TELEGRAM_CHAT_ID = "-1001234"
    try:
        yield api
    finally:
        api.server.shutdown()
        api.server.server_close()


@pytest.fixture
def outbox_dir(settings, tmp_path):
    settings.CAREDESK_OUTBOX_DIR = tmp_path
    return tmp_path


ORDER_CONTEXT = {
    "order": {
        "number": "SO-2026-00042",
        "date": datetime.date(2026, 11, 20),
        "expected_return": datetime.date(2026, 11, 24),
        "branch": "Cebu",
        "status": "Confirmed",
        "lines": [
            {
                "name": "Chef knife sharpening",
                "sku": "SHARP-CHEF",
                "quantity": 2,
                "unit_price": "₱250.00",
                "amount": "₱500.00",
            },
            {
                "name": "Scissors sharpening",
                "sku": "SHARP-SCI",
                "quantity": 1,
                "unit_price": "₱180.00",
                "amount": "₱180.00",
            },
        ],
        "total": "₱680.00",
        "tracking_url": "https://caredesk.example/t/abc123",
    }
}
