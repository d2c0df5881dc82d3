"""Rows edited by more than one person carry `version`, `updated_by` and `updated_at`: a
service checks the version the client read, then saves its change as the next version."""

from django.utils import timezone

from caredesk.lib.versions import version_check


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
