"""Shared fixtures: one named persona per role (SPEC §1), API clients with real tokens, and
the browser launched from Debian's Chromium."""

import os
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.backends.signals import connection_created
from django.test import Client

from caredesk.staff.capabilities import ROLES


def _allow_audit_truncate(sender, connection, **kwargs):
    """The suite empties tables between transactional tests with TRUNCATE, which the audit
    tables refuse on PostgreSQL unless the session allows it (audit migration 0003)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET caredesk.audit_truncate = 'allow'")


connection_created.connect(_allow_audit_truncate)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def make_staff(username: str, *roles: str, password: str = "correct-horse-battery"):
    User = get_user_model()
    user = User.objects.create_user(
        username=username, password=password, is_staff=True, first_name=username.capitalize()
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


@pytest.fixture
def staff_factory(db):
    return make_staff


@pytest.fixture
def role_users(db):
    """One user per role, named after the role."""
    return {role: make_staff(role, role) for role in ROLES}


for _role in ROLES:

    def _fixture(db, _role=_role):
        return make_staff(_role, _role)

    globals()[_role] = pytest.fixture(_fixture, name=_role)


class ApiClient:
    """Django test client speaking JSON with a bearer token."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def request(self, method: str, path: str, json=None, headers=None, **kwargs):
        import json as jsonlib

        all_headers = {**self.headers, **(headers or {})}
        if json is not None:
            kwargs["data"] = jsonlib.dumps(json)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(path, headers=all_headers, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def api_for(db):
    """api_for(user) -> ApiClient authenticated with a freshly issued token."""
    from caredesk.staff.services import token_issue

    def build(user) -> ApiClient:
        return ApiClient(token_issue(user=user) if user is not None else None)

    return build


@pytest.fixture
def web_for(db):
    """web_for(user) -> Django test Client signed in as user."""

    def build(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return build


# --- Browser tests ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args():
    return {
        "viewport": {"width": 1366, "height": 768},
        "locale": "en-PH",
        "timezone_id": "Asia/Manila",
        # axe-core is injected as an inline script; the CSP itself is checked by
        # workspace/tests/browser/test_csp.py in a context of its own.
        "bypass_csp": True,
    }


@pytest.fixture
def screenshot_dir():
    path = os.path.join(os.environ.get("CAREDESK_ARTIFACTS", "var/artifacts"))
    os.makedirs(path, exist_ok=True)
    return path
