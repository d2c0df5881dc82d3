"""Operations: a configuration error is one line, the demo logins name the port being served,
and guest tracking tokens stay out of the development server's and `caredesk serve`'s logs."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import override_settings

TOKEN = "s3cr3t-guest-token-value"


def test_production_without_secret_key_fails_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update(CAREDESK_DEBUG="false", CAREDESK_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "caredesk", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "caredesk: configuration error: "
        "SECRET_KEY must be set when CAREDESK_DEBUG is off (production)."
    ]


@pytest.mark.django_db
def test_demo_logins_name_the_served_port(staff_factory):
    staff_factory("someone", "csr")
    out = io.StringIO()
    with override_settings(CAREDESK_PUBLIC_URL="http://127.0.0.1:8011"):
        call_command("demo", "--if-empty", stdout=out)
    assert "Demo logins (http://127.0.0.1:8011/login/)" in out.getvalue()


def test_development_server_request_log_redacts_the_tracking_token():
    handler = logging.getLogger("django.server").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    fake = mock.Mock(request=None, log_date_time_string=lambda: "30/Nov/2026 14:00:00")
    try:
        WSGIRequestHandler.log_message(
            fake, '"%s" %s %s', f"GET /track/MNL-0001?t={TOKEN} HTTP/1.1", "302", "0"
        )
    finally:
        handler.setStream(previous)
    line = stream.getvalue()
    assert "/track/MNL-0001?t=[redacted]" in line
    assert TOKEN not in line


def test_serve_access_log_never_writes_query_strings():
    captured = {}

    def fake_execv(path, argv):
        captured["argv"] = argv

    with mock.patch("os.execv", fake_execv):
        call_command("serve", "--no-collectstatic", "--workers", "2", stdout=io.StringIO())
    argv = captured["argv"]
    assert "--preload" in argv  # workers fork from a loaded application
    fmt = argv[argv.index("--access-logformat") + 1]
    path, query = "/track/MNL-0001", f"t={TOKEN}"
    atoms = {
        "h": "127.0.0.1",
        "l": "-",
        "u": "-",
        "t": "[30/Nov/2026:14:00:00 +0800]",
        "m": "GET",
        "U": path,
        "q": query,
        "r": f"GET {path}?{query} HTTP/1.1",
        "H": "HTTP/1.1",
        "s": "302",
        "b": "0",
        "a": "curl",
        "f": f"http://x{path}?{query}",
        "M": "3",
    }
    line = fmt % atoms
    assert path in line and TOKEN not in line


def test_production_static_files_collect(tmp_path):
    """`caredesk serve` collects the static files with the production storage (hashed names,
    compressed copies) before it starts; a vendored file pointing at a file that is not shipped
    (a source map, say) would stop the server from starting."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        CAREDESK_DEBUG="false", CAREDESK_VAR_DIR=str(tmp_path), SECRET_KEY="collect-" + "x" * 50
    )
    result = subprocess.run(
        [sys.executable, "-m", "caredesk", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    for name in ("vendor/leaflet/leaflet.js", "vendor/squire/squire.js", "vendor/htmx/htmx.min.js"):
        assert f'"{name}"' in manifest
