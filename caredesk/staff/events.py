"""Staff account events, as they read in the audit log."""

from enum import StrEnum

from caredesk.lib.events import labelled, lines, renders
from caredesk.staff.capabilities import ROLE_LABELS


def _roles(codes) -> str:
    return ", ".join(ROLE_LABELS.get(code, code) for code in codes)


class StaffEvent(StrEnum):
    CREATED = "staff.created"
    UPDATED = "staff.updated"
    PASSWORD_RESET_SENT = "staff.password_reset_sent"  # noqa: S105 (an event code)
    PASSWORD_SET = "staff.password_set"  # noqa: S105 (an event code)
    TOKENS_REVOKED = "staff.tokens_revoked"
    TOKEN_ISSUED = "staff.token_issued"  # noqa: S105 (an event code)
    LOGIN = "staff.login"
    LOGIN_FAILED = "staff.login_failed"
    LOGIN_THROTTLED = "staff.login_throttled"


labelled(
    {
        StaffEvent.TOKEN_ISSUED: "API token issued",
        StaffEvent.LOGIN: "Signed in",
        StaffEvent.LOGIN_FAILED: "Sign-in failed",
        StaffEvent.LOGIN_THROTTLED: "Sign-in throttled",
        StaffEvent.PASSWORD_SET: "Password set",
    }
)


lines(
    {
        StaffEvent.PASSWORD_RESET_SENT: (
            "Password link sent",
            "Set-password link emailed to {target_label}",
        )
    }
)


@renders(StaffEvent.CREATED, label="Staff account created")
def _created(event) -> str:
    after = event.after or {}
    roles = _roles(after.get("roles", []))
    return f"Staff account {after.get('username', event.target_label)} created ({roles})"


@renders(StaffEvent.UPDATED, label="Staff account changed")
def _updated(event) -> str:
    before, after = event.before or {}, event.after or {}
    parts = []
    if "roles" in after:
        parts.append(f"roles {_roles(after['roles'])}")
    if "is_active" in after:
        parts.append("reactivated" if after["is_active"] else "deactivated")
    del before
    return f"{event.target_label}: {'; '.join(parts) or 'changed'}"


@renders(StaffEvent.TOKENS_REVOKED, label="API tokens revoked")
def _revoked(event) -> str:
    count = (event.data or {}).get("count", 0)
    return f"{count} API token{'s' if count != 1 else ''} of {event.target_label} revoked"
