"""The one version check of every record edited by more than one person, and the one message
it gives: who changed the record and when (in the one time format), so the agent can reload."""

from django.utils import timezone

from caredesk.lib.display import when as when_text
from caredesk.lib.errors import StaleVersion


def changed_message(what: str, *, by: str = "", at=None, version: int | None = None) -> str:
    """ "Order MNL-0001 was changed by Ana Cruz at Mon 15 Dec 2026, 14:05 (now version 7);
    reload to see the current one." Without `by`/`at`: "by someone"."""
    who = f" by {by}" if by else " by someone"
    moment = f" at {when_text(at)}" if at else ""
    now = f" (now version {version})" if version is not None else ""
    return f"{what} was changed{who}{moment}{now}; reload to see the current one."


def version_check(current: int, expected: int | None, *, what: str, by: str = "", at=None) -> None:
    """Raise StaleVersion (412) when the client read another version than `current`
    (`expected=None`: the client did not say, nothing to check)."""
    if expected is not None and int(expected) != current:
        raise StaleVersion(changed_message(what, by=by, at=at, version=current))


def row_version_check(row, expected_version: int | None, *, what: str) -> None:
    """412 naming who last changed `row` and when, unless the client read its version."""
    who = ""
    if expected_version is not None and row.updated_by_id:
        who = row.updated_by.get_full_name() or row.updated_by.get_username()
    version_check(row.version, expected_version, what=what, by=who, at=row.updated_at)


def row_save(row, *, actor, fields: list[str]) -> None:
    """Persist a change of `row`: version + 1, who (None for the system) and when."""
    row.version += 1
    row.updated_by = actor if getattr(actor, "pk", None) else None
    row.updated_at = timezone.now()
    row.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
