"""Branch and zone events, as they read in the audit log."""

from enum import StrEnum

from caredesk.lib.events import renders


class BranchEvent(StrEnum):
    CREATED = "branch.created"
    UPDATED = "branch.updated"
    ZONE_CREATED = "zone.created"
    ZONE_UPDATED = "zone.updated"


@renders(BranchEvent.CREATED, label="Branch created")
def _created(event) -> str:
    after = event.after or {}
    return f"Branch {after.get('code', '')} {after.get('name', '')} created".strip()


@renders(BranchEvent.UPDATED, label="Branch changed")
def _updated(event) -> str:
    fields = ", ".join(sorted((event.after or {}).keys())) or "nothing"
    return f"Branch {event.target_label} changed: {fields.replace('_', ' ')}"


@renders(BranchEvent.ZONE_CREATED, label="Zone created")
def _zone_created(event) -> str:
    after = event.after or {}
    zone = f"{after.get('code', '')} {after.get('name', '')}"
    return f"Zone {zone} added to {after.get('branch', '')}"


@renders(BranchEvent.ZONE_UPDATED, label="Zone changed")
def _zone_updated(event) -> str:
    before, after = event.before or {}, event.after or {}
    if before.get("name") and after.get("name"):
        return f"Zone renamed from {before['name']} to {after['name']}"
    return f"Zone {event.target_label} renamed"
