"""Template builtins (settings.TEMPLATES `builtins`): `{{ total|money }}`, `{{ at|when }}`,
`{{ d|day }}`, `{{ t|clock }}` and `{{ event|describe }}` on every page without `{% load %}`."""

from django import template

from caredesk.lib import display, events

register = template.Library()

register.filter("money", display.money)
register.filter("day", display.day)
register.filter("when", display.when)
register.filter("clock", display.clock)
register.filter("describe", events.describe)
register.filter("event_type_label", events.label)
