"""Every status badge takes its tone from its app's policy (`{{ obj|tone }}`), and templates
never compare a status to pick one."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from caredesk.billing import policy as billing_policy
from caredesk.billing.models import Refund, RefundStatus, Return, ReturnStatus
from caredesk.comms import policy as comms_policy
from caredesk.comms.models import ActivityCode, ActivityNote, MessageStatus, OutboundMessage
from caredesk.customers.models import AccountStatus, Customer, RegisteredPart
from caredesk.delivery import policy as delivery_policy
from caredesk.delivery.models import Run, Stop
from caredesk.lib.policy import TONES, status_tone
from caredesk.people.models import OvertimeRequest, OvertimeStatus
from caredesk.privacy.models import Backup, CustomerExport

CASES = [
    (Refund(status=RefundStatus.RECORDED), "ok"),
    (Refund(status=RefundStatus.REVERSED), "danger"),
    (Return(status=ReturnStatus.REQUESTED), "warn"),
    (Return(status=ReturnStatus.RECEIVED), "warn"),
    (Return(status=ReturnStatus.REFUNDED), "ok"),
    (Return(status=ReturnStatus.REJECTED), "danger"),
    (OutboundMessage(status=MessageStatus.QUEUED), ""),
    (OutboundMessage(status=MessageStatus.SENDING), "warn"),
    (OutboundMessage(status=MessageStatus.SENT), "ok"),
    (OutboundMessage(status=MessageStatus.FAILED), "danger"),
    (Customer(status=AccountStatus.OPEN), "ok"),
    (Customer(status=AccountStatus.CLOSED), "warn"),
    (RegisteredPart(status=RegisteredPart.Status.ACTIVE), ""),
    (RegisteredPart(status=RegisteredPart.Status.IN_SERVICE), "ok"),
    (RegisteredPart(status=RegisteredPart.Status.RETIRED), "warn"),
    (OvertimeRequest(status=OvertimeStatus.PENDING), "warn"),
    (OvertimeRequest(status=OvertimeStatus.APPROVED), "ok"),
    (OvertimeRequest(status=OvertimeStatus.REFUSED), "danger"),
    (CustomerExport(status=CustomerExport.Status.QUEUED), "warn"),
    (CustomerExport(status=CustomerExport.Status.RUNNING), "warn"),
    (CustomerExport(status=CustomerExport.Status.DONE), "ok"),
    (CustomerExport(status=CustomerExport.Status.FAILED), "danger"),
    (Backup(status=Backup.Status.RUNNING), ""),
    (Backup(status=Backup.Status.DONE), "ok"),
    (Backup(status=Backup.Status.FAILED), "danger"),
    (Stop(status=Stop.Status.DELIVERED), "ok"),
    (Stop(status=Stop.Status.FAILED), "danger"),
    (Run(status="dispatched"), "warn"),
]


@pytest.mark.parametrize(("obj", "expected"), CASES, ids=lambda v: getattr(v, "status", v))
def test_each_status_takes_its_tone_from_its_apps_policy(obj, expected):
    assert status_tone(obj) == expected
    assert expected in TONES
    html = Template('<span class="badge {{ obj|tone }}">').render(Context({"obj": obj}))
    assert html == f'<span class="badge {expected}">'


def test_note_result_tone_follows_the_result_code():
    def note(code):
        return ActivityNote(result_code=ActivityCode(kind="result", code=code, label=code))

    assert comms_policy.status_tone(note("satisfied")) == "ok"
    assert comms_policy.status_tone(note("not_satisfied")) == "danger"
    assert comms_policy.status_tone(note("left_message")) == "warn"


def test_message_status_words_and_next_try():
    soon = timezone.now() + timedelta(minutes=5)
    retrying = OutboundMessage(status=MessageStatus.FAILED, next_attempt_at=soon)
    given_up = OutboundMessage(status=MessageStatus.FAILED, next_attempt_at=None)
    queued = OutboundMessage(status=MessageStatus.QUEUED, next_attempt_at=soon)
    assert retrying.status_text == "Failed, will retry" and retrying.next_try == soon
    assert given_up.status_text == "Failed, gave up" and given_up.next_try is None
    assert queued.status_text == "Queued" and queued.next_try is None


def test_payment_manager_rows_and_stop_outcomes():
    assert billing_policy.movement_tone("recorded") == "ok"
    assert billing_policy.movement_tone("reversed") == "danger"
    assert billing_policy.movement_tone("reported") == "warn"
    assert delivery_policy.stop_failed(Stop(status=Stop.Status.FAILED))
    assert delivery_policy.stop_done(Stop(status=Stop.Status.DELIVERED))
    assert not delivery_policy.stop_done(Stop(status=Stop.Status.FAILED))


def test_objects_without_a_status_tone_are_neutral():
    assert status_tone({"status": "failed"}) == ""
    assert status_tone(None) == ""
    assert status_tone(ActivityCode(kind="result", code="x")) == ""


# Form filters echo the chosen option (`filters.status == v`); those are not status rules.
_FILTER = re.compile(r"\b(?:filters?\.status|status) == (?:v|value\b|\"[a-z_]+\")")
_RULE = re.compile(r"""\.status\s*(?:==|!=)|\bstatus\s*(?:==|!=)\s*["']""")


def test_templates_do_not_compare_statuses():
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted(root.glob("*/templates/**/*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if _RULE.search(_FILTER.sub("", line)):
                found.append(f"{path.relative_to(root)}:{number}")
    assert not found, found


def test_filter_option_marks_the_current_value_and_escapes():
    from django.template import Context, Template

    html = Template("{% option v l current %}")
    assert (
        html.render(Context({"v": "ready", "l": "Ready", "current": "ready"}))
        == '<option value="ready" selected>Ready</option>'
    )
    assert html.render(Context({"v": "x", "l": "<b>", "current": None})) == (
        '<option value="x">&lt;b&gt;</option>'
    )


def test_path_steps_mark_done_current_and_to_do():
    from caredesk.billing.models import Return, ReturnStatus
    from caredesk.billing.policy import return_path

    steps = return_path(Return(status=ReturnStatus.RECEIVED))
    assert [(s["label"], s["state"]) for s in steps] == [
        ("Requested", "done"),
        ("Approved", "done"),
        ("Received", "current"),
        ("Refunded", "upcoming"),
    ]
    assert return_path(Return(status=ReturnStatus.CLOSED))[-1]["label"] == "Closed"
    assert [s["state"] for s in return_path(Return(status=ReturnStatus.REJECTED))] == ["current"]
