"""Template builtins (settings.TEMPLATES `builtins`): `{{ total|money }}`, `{{ at|when }}`,
`{{ d|day }}`, `{{ t|clock }}`, `{{ event|describe }}` and `{{ obj|tone }}` (the badge class of a
status, from the owning app's policy) on every page without `{% load %}`."""

from django import template
from django.utils.html import format_html

from caredesk.lib import display, events

register = template.Library()

register.filter("money", display.money)
register.filter("day", display.day)
register.filter("when", display.when)
register.filter("clock", display.clock)
register.filter("describe", events.describe)
register.filter("event_type_label", events.label)


@register.filter("tone")
def tone(obj) -> str:
    """`{{ obj|tone }}`: the badge class of obj's status, from its app's policy."""
    from caredesk.lib.policy import status_tone

    return status_tone(obj)


@register.simple_tag
def option(value, label, chosen) -> str:
    """A filter's `<option>`, selected when `value` is the filter's current value `chosen`:
    `{% option v l filters.status %}`."""
    selected = " selected" if str(value) == str(chosen if chosen is not None else "") else ""
    return format_html('<option value="{}"{}>{}</option>', value, selected, label)
