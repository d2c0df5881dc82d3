"""Typed events: each domain app's `events.py` declares its event types as a `StrEnum` (the
values are the audit log's `action` codes, e.g. `"run.created"`) and registers one renderer per
type. Every timeline, history, activity page, email and chat alert reads an event through
`describe(event)`, so no screen shows a raw code, id or dict.

    class RunEvent(StrEnum):
        CREATED = "run.created"

    @renders(RunEvent.CREATED, label="Run created")
    def _created(event) -> str:
        return f"Run for {day(event.after['date'])} created"

A renderer gets the audit `Event` row (action, before, after, data, reason, target_label) and
returns one line of plain text (templates escape it). A type without a renderer still reads as
its label; a code with neither reads as words made from the code, never the code itself.

Types whose line is a fill-in sentence are declared as one table instead of one function each:

    lines({
        RunEvent.CANCELLED: ("Run cancelled", "Run {target_label} cancelled: {reason}"),
        RunEvent.COLLECTED: ("Cash collected", "Crew collected {after.amount|money}"),
        RunEvent.UPDATED: ("Run changed", changed("Run {target_label} changed")),
    })
"""

import importlib
import re
from collections.abc import Callable
from functools import cache

from caredesk.urls_registry import DOMAIN_APPS

Renderer = Callable[[object], str]

_LABELS: dict[str, str] = {}
_RENDERERS: dict[str, Renderer] = {}


def renders(*types: str, label: str):
    """Register `label` (the short name of the type, for filters and badges) and the
    decorated function as the one renderer of each of `types`."""

    def decorator(func: Renderer) -> Renderer:
        for event_type in types:
            _LABELS[str(event_type)] = label
            _RENDERERS[str(event_type)] = func
        return func

    return decorator


def lines(
    table: dict[str, tuple[str, "str | Renderer"]],
    *,
    filters: dict[str, Callable[[object], str]] | None = None,
    **fields: Renderer,
) -> None:
    """Register each type of `table` with its label and its line: a renderer, or a sentence
    whose `{...}` fields `sentence` fills in from the event (`filters`, `fields` as there)."""
    for event_type, (type_label, line) in table.items():
        render = line if callable(line) else sentence(line, filters=filters, **fields)
        renders(event_type, label=type_label)(render)


def labelled(labels: dict[str, str]) -> None:
    """Register labels for types whose label says all (no renderer of their own)."""
    _LABELS.update({str(k): v for k, v in labels.items()})


@cache
def _load() -> None:
    """Import every installed domain app's `events` module once, so its types register."""
    from django.apps import apps

    for app in [*DOMAIN_APPS, "branches", "audit"]:
        if not apps.is_installed(f"caredesk.{app}"):
            continue
        name = f"caredesk.{app}.events"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def _words(code: str) -> str:
    """`order.line_added` -> "Line added": the last resort, never shown as a code."""
    tail = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    return tail[:1].upper() + tail[1:] if tail else "Change"


def label(code: str) -> str:
    _load()
    return _LABELS.get(code) or _words(code)


def describe(event) -> str:
    """One line saying what happened, from the event type's renderer."""
    _load()
    renderer = _RENDERERS.get(event.action)
    if renderer is None:
        return label(event.action)
    return renderer(event)


def known_types() -> set[str]:
    _load()
    return set(_LABELS)


# --- Helpers for renderers -------------------------------------------------------------------


def part(event, name: str) -> dict:
    """The event's `before`, `after` or `data`; `{}` when it has none."""
    return getattr(event, name, None) or {}


def plain(value) -> str:
    """A stored value in words: dates in the one date format, lists joined, nothing -> "—".
    Never a dict or a Python repr."""
    from caredesk.lib.display import day

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_field(k)} {plain(v)}" for k, v in value.items() if not _hidden(k))
    text = str(value)
    if len(text) >= 10 and text[4:5] == "-" and text[7:8] == "-" and text[:4].isdigit():
        return day(text)
    return text


def _hidden(key: str) -> bool:
    return key == "id" or key.endswith("_id") or key in ("version", "password")


def _field(key: str) -> str:
    return key.replace("_", " ")


def changes(before: dict | None, after: dict | None, labels: dict[str, str] | None = None) -> str:
    """ "email a@x.ph → b@x.ph; phone — → 0917 123 4567": the fields that differ, in words."""
    before, after, labels = before or {}, after or {}, labels or {}
    parts = []
    for key in list(dict.fromkeys([*before, *after])):
        if _hidden(key):
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        name = labels.get(key, _field(key))
        if key not in before:
            parts.append(f"{name} {plain(new)}")
        elif key not in after:
            parts.append(f"{name} {plain(old)} removed")
        else:
            parts.append(f"{name} {plain(old)} → {plain(new)}")
    return "; ".join(parts)


def with_changes(text: str, event) -> str:
    """`text`, then ": <changes>" when the event's before/after say more."""
    detail = changes(getattr(event, "before", None), getattr(event, "after", None))
    return f"{text}: {detail}" if detail else text


def changed(text: str, **fields: Renderer) -> Renderer:
    """The renderer saying `text` (a sentence, as in `lines`) and then what the event changed."""
    render = sentence(text, **fields)
    return lambda event: with_changes(render(event), event)


def _filters() -> dict[str, Callable[[object], str]]:
    from caredesk.lib.display import day, money

    return {"money": money, "day": day, "plain": plain, "upper": lambda v: str(v).upper()}


_FIELD = re.compile(r"\{([a-z_.]+)((?:\|[a-z]+)*)(?: or ([^{}\[\]]+))?\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def _lookup(path: str, event, fields: dict[str, Renderer]):
    """The value `path` names in `event` (`after.number`, `target_label`, a field's name)."""
    head, *keys = path.split(".")
    found = fields[head](event) if head in fields else getattr(event, head, None)
    for key in keys:
        found = (found or {}).get(key)
    return found


def either(path: str, yes: str, no: str = "") -> Renderer:
    """The field saying `yes` when the event's value at `path` (as in `sentence`) is there,
    else `no`: `either("after.repriced", "at today's prices", "at the quoted prices")`."""
    return lambda event: yes if _lookup(path, event, {}) else no


def sentence(
    text: str, *, filters: dict[str, Callable[[object], str]] | None = None, **fields: Renderer
) -> Renderer:
    """The renderer filling in `text` from the event: `{target_label}` and `{reason}` are the
    event's own; `{after.number}` is one value of its `after` (`before`, `data` likewise), empty
    when missing; `{name}` is `fields[name](event)`, for what an app words its own way;
    `|money`, `|day`, `|plain`, `|upper` (and the app's own `filters`) format the value, left
    to right; `{after.assignee or nobody}` says the words after `or` when the value is empty.
    A part in `[...]` is said only when every value in it is there:
    `"Account closed[ ({data.source})]"`."""
    filters = {**_filters(), **(filters or {})}
    for match in _FIELD.finditer(text):
        unknown = [name for name in match[2].split("|")[1:] if name not in filters]
        if unknown:
            raise ValueError(f"No filter {unknown[0]!r} for event lines")

    def value(match: re.Match, event):
        return _lookup(match[1], event, fields)

    def fill(part: str, event) -> str:
        def one(match: re.Match) -> str:
            found = value(match, event)
            if not found and match[3]:
                return match[3]
            for name in match[2].split("|")[1:]:
                found = filters[name](found)
            return "" if found is None else str(found)

        return _FIELD.sub(one, part)

    # Said always, in [...], always, in [...], ...: each part is filled in once.
    parts = _OPTIONAL.split(text)

    def render(event) -> str:
        said = []
        for i, part in enumerate(parts):
            given = i % 2 == 0 or all(value(m, event) for m in _FIELD.finditer(part))
            said.append(fill(part, event) if given else "")
        return "".join(said)

    return render
