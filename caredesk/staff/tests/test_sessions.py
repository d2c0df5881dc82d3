"""The session store reads the session row as Django's database store does."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from caredesk.staff.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back():
    store = SessionStore()
    store["cart"] = {"n": 2}
    store.create()
    again = SessionStore(session_key=store.session_key)
    assert again["cart"] == {"n": 2}
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_reads_empty_and_gets_a_new_key():
    store = SessionStore()
    store["cart"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session_key=store.session_key)
    assert "cart" not in expired and expired.session_key is None
    unknown = SessionStore(session_key="x" * 32)
    assert "cart" not in unknown and unknown.session_key is None


def test_signed_in_pages_and_sign_out(web_for, csr):
    client = web_for(csr)
    assert client.get("/orders/pending/").status_code == 200
    client.logout()
    assert client.get("/orders/pending/").status_code == 302
