"""The shared contract pieces: one money and date format, strict API input, policy decisions,
typed event rendering."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
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


# --- Event lines declared as a table ----------------------------------------------------------


def _line_event(**parts):
    from caredesk.audit.models import Event

    return Event(action="x.y", target_label="MNL-0001", reason="late", **parts)


def test_sentence_fills_in_the_event_and_formats_values():
    from caredesk.lib.events import sentence

    render = sentence("Refund of {after.amount|money} to {data.to|plain} on {target_label}")
    event = _line_event(after={"amount": "1000.00"}, data={"to": ["a@x.ph", "b@x.ph"]})
    assert render(event) == "Refund of ₱1,000.00 to a@x.ph, b@x.ph on MNL-0001"


def test_sentence_leaves_a_missing_value_empty_and_chains_filters():
    from caredesk.lib.events import sentence

    assert sentence("Code {after.code} added")(_line_event()) == "Code  added"
    render = sentence("{before.kind|plain|upper} blocked")
    assert render(_line_event(before={"kind": "ip"})) == "IP blocked"


def test_sentence_takes_the_app_s_own_fields_and_refuses_an_unknown_filter():
    from caredesk.lib.events import sentence

    render = sentence("Note on {ref} ({reason})", ref=lambda event: "T-1")
    assert render(_line_event()) == "Note on T-1 (late)"
    with pytest.raises(ValueError, match="shout"):
        sentence("{after.code|shout}")


def test_lines_register_label_and_line_and_changed_adds_the_changes(monkeypatch):
    events.known_types()
    monkeypatch.setattr(events, "_LABELS", dict(events._LABELS))
    monkeypatch.setattr(events, "_RENDERERS", dict(events._RENDERERS))
    events.lines(
        {
            "test_line.made": ("Thing made", "Thing {target_label} made"),
            "test_line.changed": ("Thing changed", events.changed("Thing {target_label}")),
        }
    )
    assert events.label("test_line.made") == "Thing made"
    made = _line_event(after={})
    made.action = "test_line.made"
    assert events.describe(made) == "Thing MNL-0001 made"
    edit = _line_event(before={"name": "Old"}, after={"name": "New"})
    edit.action = "test_line.changed"
    assert events.describe(edit) == "Thing MNL-0001: name Old → New"


@pytest.mark.django_db
def test_counter_next_starts_a_missing_counter_and_counts_up_per_key():
    from caredesk.inbox.models import Kind, ReferenceCounter
    from caredesk.lib.counters import counter_next

    assert [counter_next(ReferenceCounter, kind=Kind.ISSUE) for _ in range(3)] == [1, 2, 3]
    assert counter_next(ReferenceCounter, kind=Kind.CAREER) == 1
    assert ReferenceCounter.objects.get(kind=Kind.ISSUE).last == 3


def test_idempotency_key_is_trimmed_and_at_most_100_characters():
    from caredesk.lib.idempotency import idempotency_key_clean

    assert idempotency_key_clean("  abc ") == "abc"
    assert idempotency_key_clean("   ") is None
    assert idempotency_key_clean(None) is None
    with pytest.raises(Invalid, match="at most 100"):
        idempotency_key_clean("k" * 101)


def test_request_fingerprint_is_stable_and_tells_requests_apart():
    from caredesk.lib.idempotency import request_fingerprint

    one = request_fingerprint(order="MNL-0001", amount=Decimal("10.00"))
    assert one == request_fingerprint(amount="10.00", order="MNL-0001")
    assert one != request_fingerprint(order="MNL-0001", amount=Decimal("10.01"))


class _Rows:
    """A stand-in for a model's manager holding the rows written with each key."""

    def __init__(self, **rows):
        self.rows = rows

    def filter(self, *, idempotency_key):
        return self

    def first(self):
        return next(iter(self.rows.values()), None)


def test_idempotent_first_returns_the_first_row_and_refuses_another_request():
    from types import SimpleNamespace

    from caredesk.lib.idempotency import idempotent_first

    empty = SimpleNamespace(objects=_Rows())
    assert idempotent_first(empty, "k-1", "hash", "refund") is None
    row = SimpleNamespace(request_hash="hash")
    model = SimpleNamespace(objects=_Rows(k1=row))
    assert idempotent_first(model, "k-1", "hash", "refund") is row
    with pytest.raises(Conflict, match="different refund") as refused:
        idempotent_first(model, "k-1", "other", "refund")
    assert refused.value.code == "idempotency_key_reused"


class _NameForm(forms.Form):
    name = forms.CharField()


def test_form_submit_calls_the_service_with_the_cleaned_data_of_a_valid_form():
    from caredesk.lib.forms import form_submit

    assert form_submit(_NameForm({"name": " Ana "}), lambda data: data["name"].upper()) == "ANA"
    invalid = _NameForm({})
    assert form_submit(invalid, lambda data: pytest.fail("not called")) is None
    assert "name" in invalid.errors


def test_form_submit_shows_a_refusal_on_the_form():
    from caredesk.lib.forms import form_submit

    def taken(data):
        raise Invalid("That name is taken.", field="name")

    def forbidden(data):
        raise NotAllowed("No.")

    form = _NameForm({"name": "Ana"})
    assert form_submit(form, taken) is None
    assert form.errors["name"] == ["That name is taken."]
    form = _NameForm({"name": "Ana"})
    assert form_submit(form, forbidden) is None
    assert form.non_field_errors() == ["No."]


def test_or_404_turns_a_missing_record_into_the_page_s_404():
    from django.http import Http404

    from caredesk.lib.errors import NotFound
    from caredesk.lib.pages import or_404

    assert or_404(lambda n: n * 2, 21, missing="No such thing.") == 42

    def missing(n):
        raise NotFound("gone")

    with pytest.raises(Http404, match="No such thing"):
        or_404(missing, 1, missing="No such thing.")


class _Told:
    """A request that keeps the messages the views leave for the next page."""

    def __init__(self):
        self.told = []
        self._messages = self

    def add(self, level, message, extra_tags=""):
        self.told.append(message)


def test_service_told_says_done_or_the_refusal():
    from caredesk.lib.pages import service_told

    request = _Told()
    assert service_told(request, lambda: 3, lambda n: f"{n} done.") is True
    assert service_told(request, lambda: None, "Saved.") is True

    def refuse():
        raise NotAllowed("Not now.")

    assert service_told(request, refuse, "Saved.") is False
    assert request.told == ["3 done.", "Saved.", "Not now."]


def test_sentence_says_an_optional_part_only_when_its_values_are_there():
    from caredesk.lib.events import sentence

    render = sentence("Quote {after.number}[, valid until {after.until|day}][: {reason}]")
    event = _line_event(after={"number": "Q-1", "until": "2026-12-15"})
    assert render(event) == "Quote Q-1, valid until Tue 15 Dec 2026: late"
    event = _line_event(after={"number": "Q-1", "until": ""})
    event.reason = ""
    assert render(event) == "Quote Q-1"


def test_form_outcome_gives_the_page_s_status():
    from caredesk.lib.forms import form_outcome

    assert form_outcome(_NameForm({"name": "Ana"}), lambda data: "done") == ("done", 200)
    assert form_outcome(_NameForm({}), lambda data: "done") == (None, 400)

    def forbidden(data):
        raise NotAllowed("No.")

    assert form_outcome(_NameForm({"name": "Ana"}), forbidden) == (None, 403)


def test_replay_columns_and_staff_member_keep_the_columns_they_replace():
    from caredesk.lib.models import replay_columns, replay_key_unique, staff_member

    key, request_hash, response = (f.deconstruct()[1:] for f in replay_columns())
    assert key == (
        "django.db.models.CharField",
        [],
        {"max_length": 100, "null": True, "blank": True},
    )
    assert request_hash == ("django.db.models.CharField", [], {"max_length": 64, "blank": True})
    assert response == ("django.db.models.JSONField", [], {"null": True, "blank": True})
    unique = replay_key_unique("payment_idempotency_key_unique")
    assert unique.fields == ("idempotency_key",)
    assert unique.name == "payment_idempotency_key_unique"
    _, path, _, kwargs = staff_member(blank=False).deconstruct()
    assert path == "django.db.models.ForeignKey"
    assert kwargs["null"] is True and "blank" not in kwargs
    assert kwargs["related_name"] == "+"
