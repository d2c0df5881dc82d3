"""Who may change staff accounts, and what an administrator may do to one account now."""

from caredesk.lib.policy import ALLOW, Decision, deny, permitted


def may_manage_staff(actor) -> Decision:
    return permitted(actor, "manage_staff", "Only an administrator may manage staff accounts.")


def may_deactivate(actor, user) -> Decision:
    """An administrator cannot lock themselves out."""
    if not (decision := may_manage_staff(actor)):
        return decision
    if user.pk == actor.pk:
        return deny("You cannot deactivate your own account.", code="self")
    if not user.is_active:
        return deny("This account is already deactivated.", code="inactive")
    return ALLOW


def may_send_password_reset(actor, user) -> Decision:
    if not (decision := may_manage_staff(actor)):
        return decision
    if not user.is_active:
        return deny("Reactivate the account before resetting its password.", code="inactive")
    if not user.email:
        return deny("This staff member has no email address on file.", code="no_email")
    return ALLOW


def may_revoke_tokens(actor, user, *, active_tokens: int) -> Decision:
    if not (decision := may_manage_staff(actor)):
        return decision
    if not active_tokens:
        return deny("This account has no API token in use.", code="no_tokens")
    return ALLOW


def staff_actions(actor, user, *, active_tokens: int) -> dict[str, Decision]:
    return {
        "edit": may_manage_staff(actor),
        "deactivate": may_deactivate(actor, user),
        "reset_password": may_send_password_reset(actor, user),
        "revoke_tokens": may_revoke_tokens(actor, user, active_tokens=active_tokens),
    }
