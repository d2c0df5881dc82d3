"""The shape every app's `policy.py` answers in: a `Decision` says whether an actor may do
something to an object now and, when not, why in words a CSR understands.

Services call `enforce(decision)` (a refusal becomes the domain error the API and the forms
already map); views and templates read `decision.allowed` / `decision.reason`; the API returns
`actions_out({...})` as the `actions` member of a response, so clients never re-derive a rule.
"""

from dataclasses import dataclass

from caredesk.lib.errors import Conflict, Invalid, NotAllowed
from caredesk.lib.permissions import has_capability


@dataclass(frozen=True, slots=True)
class Decision:
    """`allowed`, or not with a human `reason`. `forbidden` marks a refusal for lack of
    permission (403) rather than because of the object's state (409); code "invalid" marks
    input the rule refuses (400). `field` names the input a refusal is about, if any."""

    allowed: bool
    reason: str = ""
    code: str = ""
    forbidden: bool = False
    field: str | None = None

    def __bool__(self) -> bool:
        return self.allowed

    def as_dict(self) -> dict:
        return {"allowed": True} if self.allowed else {"allowed": False, "reason": self.reason}


ALLOW = Decision(True)


def deny(reason: str, *, code: str = "conflict", field: str | None = None) -> Decision:
    """No, because of the object's state (or another business rule): 409 when enforced
    (400 when `code="invalid"`: the input given breaks the rule)."""
    return Decision(False, reason, code, field=field)


def forbid(reason: str = "You do not have permission to do this.") -> Decision:
    """No, because the actor lacks the permission: 403 when enforced."""
    return Decision(False, reason, "forbidden", forbidden=True)


def permitted(actor, capability: str, reason: str) -> Decision:
    """ALLOW when `actor` holds `capability`; else `forbid(reason)`."""
    return ALLOW if has_capability(actor, capability) else forbid(reason)


def deny_if(condition, reason: str, *, code: str = "conflict") -> Decision:
    """`deny(reason)` when `condition` holds, else ALLOW: one check of a `first_refusal` list."""
    return deny(reason, code=code) if condition else ALLOW


def first_refusal(*decisions: Decision) -> Decision:
    """The first refusal among `decisions`, or ALLOW: checks read in the order given."""
    for decision in decisions:
        if not decision.allowed:
            return decision
    return ALLOW


def enforce(decision: Decision) -> None:
    """Raise the domain error for a refusal: NotAllowed (403), Invalid (400) for refused
    input, or Conflict (409)."""
    if decision.allowed:
        return
    if decision.forbidden:
        raise NotAllowed(decision.reason, code=decision.code or "forbidden")
    if decision.code == "invalid":
        raise Invalid(decision.reason, field=decision.field)
    raise Conflict(decision.reason, code=decision.code or "conflict", field=decision.field)


def answers(rules, *args) -> dict[str, Decision]:
    """Each rule asked of `args`, keyed by the rule's name: what an object allows, at once."""
    return {rule.__name__: rule(*args) for rule in rules}


def actions_out(decisions: dict[str, Decision]) -> dict[str, dict]:
    """`{"cancel": {"allowed": false, "reason": "..."}, ...}` for an API response."""
    return {name: decision.as_dict() for name, decision in decisions.items()}


# --- Status tones -------------------------------------------------------------------------------

TONES = ("", "ok", "warn", "danger")  # the badge classes of app.css: neutral, good, pending, bad


def _app_policy(app_module: str):
    import importlib

    name = f"{app_module}.policy"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def status_tone(obj) -> str:
    """The tone of `obj`'s status badge (one of `TONES`), as the policy of the app that owns
    `obj`'s model says in its `status_tone(obj)`. Templates write `{{ obj|tone }}` (a template
    builtin) and never compare a status to pick a colour; the badge text always says the
    status, so the tone is never the only signal. "" for objects no policy gives a tone."""
    meta = getattr(obj, "_meta", None)
    if meta is None:
        return ""
    module = _app_policy(meta.app_config.name)
    tone_of = getattr(module, "status_tone", None) if module else None
    return tone_of(obj) if tone_of else ""


def path_steps(path, current, labels) -> list[dict]:
    """A status path drawn as steps (`status`, `label`, `state`): those before `current` done,
    `current` current, the rest upcoming."""
    at = list(path).index(current)
    return [
        {
            "status": s,
            "label": labels[s],
            "state": "done" if i < at else ("current" if i == at else "upcoming"),
        }
        for i, s in enumerate(path)
    ]
