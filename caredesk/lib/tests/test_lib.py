"""The shared contract pieces: one money and date format, strict API input, policy decisions,
typed event rendering."""

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from caredesk.lib import display, events, policy
from caredesk.lib.errors import Conflict, Invalid, NotAllowed
from caredesk.lib.schemas import Amount, Quantity, ShortText, StrictIn, Text


class _Body(StrictIn):
    amount: Amount
    quantity: Quantity
    name: ShortText
    note: Text = ""


def test_money_has_one_format():
    assert display.money(Decimal("28945.5")) == "₱28,945.50"
    assert display.money(-3) == "-₱3.00"
    assert display.money(None) == ""


@pytest.mark.parametrize(
    ("typed", "amount"), [("1,000", "1000.00"), ("1000.50", "1000.50"), ("₱ 2,356", "2356.00")]
)
def test_typed_money_accepts_separators(typed, amount):
    assert display.parse_money(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["abc", "1.234", "1e308", "NaN", ""])
def test_typed_money_refuses_what_is_not_an_amount(typed):
    with pytest.raises(Invalid):
        display.parse_money(typed)


def test_dates_have_one_format():
    assert display.day(date(2026, 12, 15)) == "Tue 15 Dec 2026"
    assert display.day("2026-12-15") == "Tue 15 Dec 2026"
    assert display.day(None) == ""


@pytest.mark.parametrize(
    "body",
    [
        {"amount": "1e308", "quantity": 1, "name": "x"},
        {"amount": True, "quantity": 1, "name": "x"},
        {"amount": "1.001", "quantity": 1, "name": "x"},
        {"amount": "1", "quantity": "3", "name": "x"},
        {"amount": "1", "quantity": True, "name": "x"},
        {"amount": "1", "quantity": 10**20, "name": "x"},
        {"amount": "1", "quantity": 1, "name": "a\x00b"},
        {"amount": "1", "quantity": 1, "name": "x" * 201},
        {"amount": "1", "quantity": 1, "name": "x", "status": "closed"},
    ],
)
def test_strict_input_refuses_bad_values_and_unknown_fields(body):
    with pytest.raises(ValidationError):
        _Body(**body)


def test_text_may_span_lines_but_holds_no_control_characters():
    assert _Body(amount="1", quantity=1, name="x", note="one\ntwo\tthree").note
    with pytest.raises(ValidationError):
        _Body(amount="1", quantity=1, name="x", note="bell\x07")


def test_policy_refusals_become_the_right_domain_error():
    assert policy.first_refusal(policy.ALLOW, policy.deny("Order is shipped.")).reason
    with pytest.raises(Conflict):
        policy.enforce(policy.deny("Order is shipped."))
    with pytest.raises(NotAllowed):
        policy.enforce(policy.forbid())
    policy.enforce(policy.ALLOW)
    assert policy.actions_out({"cancel": policy.deny("No.")}) == {
        "cancel": {"allowed": False, "reason": "No."}
    }


def test_an_event_without_renderer_reads_as_words_not_a_code():
    class Row:
        action = "lib.something_happened"

    assert events.describe(Row()) == "Something happened"


def test_hook_modules_are_the_installed_apps_hook_files_in_order():
    from pathlib import Path

    from caredesk.lib.modules import hook_modules
    from caredesk.urls_registry import DOMAIN_APPS

    base = Path(__file__).resolve().parents[2]

    names = [m.__name__ for m in hook_modules("dashboard")]
    assert names == [
        f"caredesk.{label}.dashboard"
        for label in DOMAIN_APPS
        if (base / label / "dashboard.py").exists()
    ]
    assert hook_modules("no_such_hook") == ()
