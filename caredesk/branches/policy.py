"""Who may change branches and zones (administration)."""

from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import ALLOW, Decision, forbid


def may_manage_branches(actor) -> Decision:
    """Branches, zones and their settings are administration (the `manage_staff` capability)."""
    if not has_capability(actor, "manage_staff"):
        return forbid("Only an administrator may change branches and zones.")
    return ALLOW
