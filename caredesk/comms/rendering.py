"""Sandboxed rendering of email templates.

Templates are Django template source rendered by a separate `Engine` that knows no loaders, no
`{% load %}`-able libraries and only the tags and filters listed in `caredesk.comms.sandbox`
(no `include`, `extends`, `url`, `debug`, `csrf_token`, ...). Contexts hold plain data (dicts,
lists, strings, numbers, dates), never model instances, and a template may use only the
variables documented for its code (`VARIABLES`). `template_check` enforces that when a
template is saved, so a stored template never fails at send time. The compose preview and the
outbox use the same `message_render`, so the preview is exactly what is sent.
"""

import html as htmllib
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Node, NodeList, TemplateSyntaxError
from django.template.base import FilterExpression, TextNode, Variable
from django.template.defaulttags import ForNode, WithNode
from django.utils.html import strip_tags

from caredesk.comms.models import TemplateCode
from caredesk.lib.errors import Invalid

COMMON: dict[str, str] = {
    "customer.name": "Customer name (as on the account)",
    "customer.first_name": "First name (or the business contact)",
    "customer.member_id": "Member ID, e.g. M0001234",
    "business.name": "Our business name",
    "business.phone": "Our hotline",
    "business.email": "Our reply-to address",
    "sender.name": "Your name (the staff member sending; empty for automatic emails)",
}

_ORDER = {
    "order.number": "Order number",
    "order.date": "Order date (a date: use |date:'j F Y')",
    "order.branch": "Branch name",
    "order.status": "Current status, in words",
    "order.expected_return": "Expected return/delivery date (a date, may be empty)",
    "order.tracking_url": "Link to the customer's tracking page",
}
_ORDER_LINES = {
    "order.lines": "The lines: each has name, sku, quantity, unit_price, amount",
    "order.total": "Order total, formatted with currency (e.g. ₱1,250.00)",
}

VARIABLES: dict[str, dict[str, str]] = {
    TemplateCode.ORDER_CONFIRMATION: {**COMMON, **_ORDER, **_ORDER_LINES},
    TemplateCode.RESEND_CONFIRMATION: {**COMMON, **_ORDER, **_ORDER_LINES},
    TemplateCode.ORDER_STATUS_UPDATE: {
        **COMMON,
        **_ORDER,
        "order.status_note": "What the status means for the customer",
    },
    TemplateCode.SEND_UPDATE: {
        **COMMON,
        **_ORDER,
        "order.timeline": "Status history: each has at (a datetime) and text",
    },
    TemplateCode.PASSWORD_RESET: {
        **COMMON,
        "reset.url": "The one-time password reset link",
        "reset.expires_hours": "Hours until the link expires",
    },
    TemplateCode.FREE_TEXT: dict(COMMON),
}


class SandboxEngine(Engine):
    """An engine whose only built-ins are the allowed tags and filters."""

    default_builtins = ["caredesk.comms.sandbox"]


_engine = SandboxEngine(
    dirs=[], app_dirs=False, loaders=[], libraries={}, string_if_invalid="", autoescape=True
)
_text_engine = SandboxEngine(
    dirs=[], app_dirs=False, loaders=[], libraries={}, string_if_invalid="", autoescape=False
)


@dataclass(frozen=True)
class PickerVariable:
    """One entry of the "Insert variable" picker: what staff read and the tag inserted."""

    name: str
    label: str
    tag: str


def _sample_value(context: dict[str, Any], name: str) -> Any:
    value: Any = context
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def template_variables(code: str) -> list[PickerVariable]:
    """The variables of `code` a person can insert, in documented order, named by their
    description (`VARIABLES`, the one list; nobody types a raw tag). Dates are inserted with
    the date format; lists (order lines, timeline) need a loop and are left to the template
    source, so they are not offered."""
    import datetime

    documented = VARIABLES.get(code, COMMON)
    sample = sample_context(code)
    found = []
    for name, description in documented.items():
        value = _sample_value(sample, name)
        if isinstance(value, list):
            continue
        tag = f"{{{{ {name} }}}}"
        if isinstance(value, datetime.date):
            tag = f"{{{{ {name}|date:'j F Y' }}}}"
        label = description.split(" (", 1)[0].split(", e.g.", 1)[0]
        found.append(PickerVariable(name=name, label=label, tag=tag))
    return found


def sample_subject(*, code: str, subject: str) -> str:
    """A template's subject as a customer would read it, with example data (for lists of
    templates, which never show raw tags). Falls back to the source when it cannot render."""
    try:
        return message_render(
            code=code, subject=subject, text="", html="", context=sample_context(code)
        ).subject
    except Invalid:
        return subject


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _names(expr: FilterExpression) -> list[str]:
    found = []
    if isinstance(expr.var, Variable) and expr.var.lookups:
        found.append(".".join(expr.var.lookups))
    for _func, args in expr.filters:
        for lookup, arg in args:
            if lookup and isinstance(arg, Variable) and arg.lookups:
                found.append(".".join(arg.lookups))
    return found


def _walk(obj: Any, scope: set[str], out: list[tuple[str, set[str]]], seen: set[int]) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, FilterExpression):
        out.extend((name, scope) for name in _names(obj))
        return
    if isinstance(obj, list | tuple | NodeList):
        for item in obj:
            _walk(item, scope, out, seen)
        return
    if isinstance(obj, dict):
        for item in obj.values():
            _walk(item, scope, out, seen)
        return
    if isinstance(obj, ForNode):
        _walk(obj.sequence, scope, out, seen)
        inner = scope | set(obj.loopvars) | {"forloop"}
        _walk(obj.nodelist_loop, inner, out, seen)
        _walk(obj.nodelist_empty, scope, out, seen)
        return
    if isinstance(obj, WithNode):
        _walk(obj.extra_context, scope, out, seen)
        _walk(obj.nodelist, scope | set(obj.extra_context), out, seen)
        return
    if isinstance(obj, Node) or (
        hasattr(obj, "__dict__") and type(obj).__module__.startswith("django.template")
    ):
        for key, value in vars(obj).items():
            if key in ("token", "origin", "source"):
                continue
            _walk(value, scope, out, seen)


def _allowed(name: str, scope: set[str], documented: dict[str, str]) -> bool:
    root = name.split(".", 1)[0]
    if root in scope:
        return True
    return any(doc == name or doc.startswith(name + ".") for doc in documented) or any(
        name.startswith(doc + ".") and doc in ("order.lines", "order.timeline")
        for doc in documented
    )


def template_check(source: str, *, code: str, field: str, html: bool = False) -> None:
    """Compile `source` in the sandbox and refuse syntax errors and undocumented variables,
    with a message naming the field. Raises Invalid(field=field)."""
    documented = VARIABLES.get(code, COMMON)
    try:
        template = (_engine if html else _text_engine).from_string(source)
    except TemplateSyntaxError as exc:
        raise Invalid(f"Template error: {exc}", field=field, code="template_syntax") from exc
    for node in template.nodelist.get_nodes_by_type(TextNode):
        for opener, closer in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
            if opener in node.s:
                line = source[: source.find(node.s)].count("\n") + 1 if node.s in source else 0
                where = f" on line {line}" if line else ""
                raise Invalid(
                    f"Template error{where}: {opener} is not closed with {closer}.",
                    field=field,
                    code="template_syntax",
                )
    found: list[tuple[str, set[str]]] = []
    _walk(template.nodelist, set(), found, set())
    unknown = sorted({name for name, scope in found if not _allowed(name, scope, documented)})
    if unknown:
        raise Invalid(
            "Unknown variable"
            + ("s" if len(unknown) > 1 else "")
            + ": "
            + ", ".join(unknown)
            + ". Available: "
            + ", ".join(sorted(documented))
            + ".",
            field=field,
            code="template_variable",
        )


def _render(source: str, context: dict[str, Any], *, html: bool) -> str:
    """Plain `str` (not SafeString): pages showing the result must still escape it."""
    engine = _engine if html else _text_engine
    try:
        return "".join([engine.from_string(source).render(Context(context, autoescape=html))])
    except TemplateSyntaxError as exc:
        raise Invalid(f"Template error: {exc}", code="template_syntax") from exc


def html_to_text(html: str) -> str:
    """A readable plain-text alternative of an HTML body."""
    text = re.sub(
        r"""(?is)<a\s[^>]*?href="(?:mailto:)?([^"]*)"[^>]*>(.*?)</a>""",
        lambda m: (
            m.group(2)
            if strip_tags(m.group(2)).strip() == m.group(1)
            else f"{m.group(2)} ({m.group(1)})"
        ),
        html,
    )
    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</tr>|</h\d>|</div>", "\n", text)
    text = re.sub(r"(?i)<li[^>]*>", "• ", text)
    text = htmllib.unescape(strip_tags(text)).replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def message_render(
    *, code: str, subject: str, text: str, html: str, context: dict[str, Any]
) -> Rendered:
    """Check and render subject, text and HTML sources with `context`: the one function used
    by preview and send. An empty text body is derived from the HTML; subjects are one line."""
    template_check(subject, code=code, field="subject")
    if text:
        template_check(text, code=code, field="text_body")
    if html:
        template_check(html, code=code, field="html_body", html=True)
    out_subject = " ".join(_render(subject, context, html=False).split())
    out_html = _render(html, context, html=True) if html else ""
    out_text = _render(text, context, html=False) if text else html_to_text(out_html)
    return Rendered(subject=out_subject[:250], text=out_text, html=out_html)


def base_context(*, customer=None, actor=None) -> dict[str, Any]:
    """The common variables, as plain data."""
    context: dict[str, Any] = {
        "business": {
            "name": settings.CAREDESK_BUSINESS_NAME,
            "phone": settings.CAREDESK_BUSINESS_PHONE,
            "email": settings.DEFAULT_FROM_EMAIL,
        },
        "sender": {"name": (actor.get_full_name() or actor.get_username()) if actor else ""},
    }
    if customer is not None:
        first = customer.first_name or customer.contact_name or customer.display_name
        context["customer"] = {
            "name": customer.display_name,
            "first_name": first,
            "member_id": customer.member_id,
        }
    return context


def merge_context(base: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    """`extra` over `base`, merging the nested dicts one level deep."""
    merged = dict(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def sample_context(code: str) -> dict[str, Any]:
    """Example values for every documented variable, to preview a template while editing."""
    import datetime

    order = {
        "number": "SO-2026-00042",
        "date": datetime.date(2026, 11, 20),
        "branch": "Manila",
        "status": "Ready for pickup",
        "status_note": "You can pick it up at the branch from 10 AM to 7 PM.",
        "expected_return": datetime.date(2026, 11, 24),
        "tracking_url": "https://caredesk.example/t/sample",
        "lines": [
            {
                "name": "Chef knife sharpening",
                "sku": "SHARP-CHEF",
                "quantity": 2,
                "unit_price": "₱250.00",
                "amount": "₱500.00",
            },
        ],
        "total": "₱500.00",
        "timeline": [
            {"at": datetime.datetime(2026, 11, 20, 9, 30), "text": "Picked up from the customer"},
            {"at": datetime.datetime(2026, 11, 21, 14, 0), "text": "Sharpened and checked"},
        ],
    }
    documented = {name.split(".", 1)[0] for name in VARIABLES.get(code, COMMON)}
    context = {
        "customer": {"name": "Maria Santos", "first_name": "Maria", "member_id": "M0001234"},
        "sender": {"name": "Joy Bautista"},
        "order": order,
        "reset": {"url": "https://caredesk.example/reset/sample", "expires_hours": 2},
    }
    return merge_context(base_context(), {k: v for k, v in context.items() if k in documented})
