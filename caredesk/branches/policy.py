"""Who may change branches and zones (administration)."""

from caredesk.lib.policy import Decision, permitted


def may_manage_branches(actor) -> Decision:
    """Branches, zones and their settings are administration (the `manage_staff` capability)."""
    return permitted(actor, "manage_staff", "Only an administrator may change branches and zones.")
