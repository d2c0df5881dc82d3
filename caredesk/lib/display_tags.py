"""Template builtins (settings.TEMPLATES `builtins`): `{{ total|money }}`, `{{ at|when }}`,
`{{ d|day }}`, `{{ t|clock }}`, `{{ event|describe }}` and `{{ obj|tone }}` (the badge class of a
status, from the owning app's policy) on every page without `{% load %}`."""

from django import template

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
