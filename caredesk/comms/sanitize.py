"""The one allow-list for HTML a person writes into an email (the compose editor).

`html_clean` keeps paragraphs, line breaks, bold, italic, lists and links, and nothing else:
no scripts, styles, event handlers, images or frames. A link keeps only an `href` that is an
`http:`, `https:` or `mailto:` address (or, in a template source, exactly one variable such as
`{{ order.tracking_url }}`, which is cleaned again once rendered) and always gets
`rel="noopener"`. The compose service cleans the source before rendering and the rendered
result before it is stored or sent; the editor in the browser uses the same lists
(`EDITOR_ALLOW`) so what a CSR sees is what is kept.
"""

import re

import nh3

TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a"})
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener"

_URL = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)
_ONE_VARIABLE = re.compile(r"^\{\{\s*[a-z_][a-z0-9_.]*\s*\}\}$", re.IGNORECASE)

# What the browser editor may keep, read by `comms/editor.js` (data attribute on the editor).
EDITOR_ALLOW = {
    "tags": sorted(TAGS),
    "attributes": {tag: sorted(names) for tag, names in ATTRIBUTES.items()},
    "schemes": sorted(f"{scheme}:" for scheme in URL_SCHEMES),
}


def link_allowed(href: str, *, template: bool = False) -> bool:
    """Whether a link may point at `href`: a web or mail address, or (in template source)
    exactly one template variable."""
    href = (href or "").strip()
    return bool(_URL.match(href) or (template and _ONE_VARIABLE.match(href)))


def html_clean(html: str, *, template: bool = False) -> str:
    """`html` with everything outside the allow-list removed (the text of a removed element is
    kept; the content of script and style is dropped). `template=True` for template source,
    where an `href` may be a single variable."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return value.strip() if link_allowed(value, template=template) else None
        return value

    return nh3.clean(
        html or "",
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=keep,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
