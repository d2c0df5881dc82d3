"""Sending a text message: one small interface, two backends chosen by CAREDESK_SMS_BACKEND.

- `file` (development, tests): each message is a file under CAREDESK_SMS_DIR (var/sms/);
- `http`: a JSON POST to CAREDESK_SMS_HTTP_URL with `Authorization: Bearer
  CAREDESK_SMS_HTTP_TOKEN` and `{"to", "from", "text"}` (the shape Semaphore-, Twilio- and
  Vonage-style gateways accept through a small adapter).
"""

import json
import logging
import urllib.request
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class FileBackend:
    """Writes `<time>-<number>-<id>.txt` holding the number and the text."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory or settings.CAREDESK_SMS_DIR)

    def send(self, *, to: str, text: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{to.lstrip('+')}-{uuid.uuid4().hex[:8]}.txt"
        path = self.directory / name
        tmp = path.with_suffix(".tmp")
        tmp.write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        tmp.replace(path)


class HttpBackend:
    """Posts the message to the configured gateway; raises on a non-2xx answer."""

    def __init__(self, url: str | None = None, token: str | None = None):
        self.url = url or settings.CAREDESK_SMS_HTTP_URL
        self.token = token or settings.CAREDESK_SMS_HTTP_TOKEN
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("CAREDESK_SMS_HTTP_URL must be an http(s) URL.")

    def send(self, *, to: str, text: str) -> None:
        body = json.dumps({"to": to, "from": settings.CAREDESK_SMS_SENDER, "text": text})
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
            self.url,
            data=body.encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise OSError(f"SMS gateway answered {response.status}")


BACKENDS = {"file": FileBackend, "http": HttpBackend}


def backend() -> SmsBackend:
    name = settings.CAREDESK_SMS_BACKEND
    if name not in BACKENDS:
        raise ImproperlyConfigured(f"CAREDESK_SMS_BACKEND must be one of {sorted(BACKENDS)}.")
    return BACKENDS[name]()


def sms_send(*, to: str, text: str) -> bool:
    """Send, logging (not raising) a gateway failure: the guest can ask for a new code."""
    try:
        backend().send(to=to, text=text)
    except OSError:
        log.exception("SMS to %s failed", to[:-4] + "****")
        return False
    return True
