import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from caredesk.staff.services import token_authenticate

pytestmark = pytest.mark.django_db


def test_staff_add_with_password_from_environment(monkeypatch, capsys):
    monkeypatch.setenv("CAREDESK_PASSWORD", "a-long-enough-secret")
    call_command("staff", "add", "lorna", "--role", "csr", "--role", "finance")
    user = get_user_model().objects.get(username="lorna")
    assert sorted(g.name for g in user.groups.all()) == ["csr", "finance"]
    assert user.check_password("a-long-enough-secret")
    assert user.has_perm("staff.record_payment") and user.has_perm("staff.view_customer")
    assert "Created staff user lorna" in capsys.readouterr().out


def test_staff_add_refuses_weak_password_and_duplicates(monkeypatch):
    monkeypatch.setenv("CAREDESK_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("staff", "add", "weak", "--role", "csr")
    monkeypatch.setenv("CAREDESK_PASSWORD", "a-long-enough-secret")
    call_command("staff", "add", "dup", "--role", "csr")
    with pytest.raises(CommandError, match="exists already"):
        call_command("staff", "add", "DUP", "--role", "csr")


def test_staff_add_refuses_unknown_role(monkeypatch):
    monkeypatch.setenv("CAREDESK_PASSWORD", "a-long-enough-secret")
    with pytest.raises(CommandError):
        call_command("staff", "add", "x", "--role", "wizard")


def test_token_command_prints_a_working_token_last(capsys, csr):
    call_command("token", "csr")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token_authenticate(token) == csr


def test_token_command_unknown_user():
    with pytest.raises(CommandError, match="No active staff user"):
        call_command("token", "ghost")
