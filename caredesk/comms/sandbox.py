"""The only tags and filters email templates may use (see caredesk.comms.rendering).

Left out on purpose: load, include, extends, block, url, static, debug, csrf_token, ssi,
autoescape and the safe filters (customer data is always escaped in HTML),
templatetag-like tags that read the environment, and filters that could dump data.
"""

from django.template import Library, defaultfilters, defaulttags

register = Library()

TAGS = ["if", "for", "with", "comment", "firstof", "spaceless", "cycle", "now"]
FILTERS = [
    "add",
    "capfirst",
    "center",
    "cut",
    "date",
    "default",
    "default_if_none",
    "divisibleby",
    "escape",
    "first",
    "floatformat",
    "join",
    "last",
    "length",
    "linebreaks",
    "linebreaksbr",
    "ljust",
    "lower",
    "pluralize",
    "rjust",
    "slice",
    "striptags",
    "time",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "urlize",
    "wordwrap",
    "yesno",
]

for _name in TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]
