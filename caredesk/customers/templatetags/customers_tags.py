"""Display helpers for customer pages: groups of form fields, local phone format and event
badge tones (what an event says comes from `{{ event|describe }}`)."""

from django import template

from caredesk.customers import events
from caredesk.customers.selectors import PROFILE_ACTIONS
from caredesk.customers.values import phone_local as _phone_local

register = template.Library()


@register.inclusion_tag("customers/_fieldset.html")
def fieldset(form, legend: str, names: str) -> dict:
    """A group of `form`'s fields under `legend`: `names` space-separated, in order; a name
    the form does not have (a field only some pages show) is left out."""
    return {"legend": legend, "fields": [form[n] for n in names.split() if n in form.fields]}


@register.filter
def phone_local(value: str) -> str:
    """`+639171234567` -> `0917 123 4567`."""
    return _phone_local(value or "")


@register.filter
def is_profile_change(action: str) -> bool:
    """Events whose before/after the timeline shows field by field."""
    return action in PROFILE_ACTIONS


@register.filter
def event_tone(action: str) -> str:
    """Badge tone of an event type (`customers.events.TONES`)."""
    return events.tone(action)
