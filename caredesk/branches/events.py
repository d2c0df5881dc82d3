"""Branch and zone events, as they read in the audit log."""

from enum import StrEnum

from caredesk.lib.events import lines, renders


class BranchEvent(StrEnum):
    CREATED = "branch.created"
    UPDATED = "branch.updated"
    ZONE_CREATED = "zone.created"
    ZONE_UPDATED = "zone.updated"


lines(
    {
        BranchEvent.CREATED: ("Branch created", "Branch {after.code} {after.name} created"),
        BranchEvent.ZONE_CREATED: (
            "Zone created",
            "Zone {after.code} {after.name} added to {after.branch}",
        ),
    }
)


@renders(BranchEvent.UPDATED, label="Branch changed")
def _updated(event) -> str:
    fields = ", ".join(sorted((event.after or {}).keys())) or "nothing"
    return f"Branch {event.target_label} changed: {fields.replace('_', ' ')}"


@renders(BranchEvent.ZONE_UPDATED, label="Zone changed")
def _zone_updated(event) -> str:
    before, after = event.before or {}, event.after or {}
    if before.get("name") and after.get("name"):
        return f"Zone renamed from {before['name']} to {after['name']}"
    return f"Zone {event.target_label} renamed"
