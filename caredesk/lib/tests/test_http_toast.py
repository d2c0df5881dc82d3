import json

import pytest
from django.http import HttpResponse

from caredesk.lib.http import TOAST_EVENT, toast


def test_toast_sets_the_htmx_trigger_with_text_and_tone():
    response = toast(HttpResponse(), "Note added.")
    assert json.loads(response["HX-Trigger"]) == {
        TOAST_EVENT: {"text": "Note added.", "tone": "success"}
    }


def test_toast_merges_with_other_client_events():
    from django_htmx.http import trigger_client_event

    response = trigger_client_event(HttpResponse(), "caredesk:activity-changed")
    toast(response, "Saved", tone="info")
    events = json.loads(response["HX-Trigger"])
    assert events[TOAST_EVENT] == {"text": "Saved", "tone": "info"}
    assert "caredesk:activity-changed" in events


def test_toast_refuses_an_unknown_tone():
    with pytest.raises(ValueError):
        toast(HttpResponse(), "x", tone="purple")
