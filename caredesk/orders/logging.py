"""Keeps guest tracking tokens out of logs.

The token only appears in the first request of a guest (`/track/<no>?t=...`), which answers
with a redirect to the bare URL (the token moves to a cookie). That one request line would be
written by Django's development server (`django.server`) and by error reports; this filter,
installed on the console handler, replaces the token with `[redacted]`. `caredesk serve` logs
gunicorn's access lines without query strings for the same reason."""

import logging
import re

_TOKEN = re.compile(r"(/track/[^\s?]+\?(?:[^\s]*&)?t=)[^\s&\"]+")


def redact(text: str) -> str:
    return _TOKEN.sub(r"\1[redacted]", text)


class RedactTrackingToken(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
