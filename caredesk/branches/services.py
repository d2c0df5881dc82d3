"""Branches and zones: created and changed by an administrator, every change audited."""

import re
from decimal import Decimal

from django.db import transaction

from caredesk.audit.services import created_with_event, event_record, field_changes
from caredesk.branches.events import BranchEvent
from caredesk.branches.models import Branch, Zone
from caredesk.branches.policy import may_manage_branches
from caredesk.lib.errors import Conflict, Invalid
from caredesk.lib.policy import enforce

BRANCH_CODE = re.compile(r"^[A-Z]{2,5}$")
ZONE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,11}$")
PROFILE_FIELDS = (
    "name",
    "city",
    "address",
    "tax_id",
    "tax_name",
    "business_hours",
    "depot_latitude",
    "depot_longitude",
    "active",
)


def _clean_profile(values: dict) -> dict:
    """Trim text and check the depot coordinates; unknown keys are a programming error."""
    unknown = set(values) - set(PROFILE_FIELDS)
    assert not unknown, unknown
    out = {}
    for key, value in values.items():
        out[key] = value.strip() if isinstance(value, str) else value
    if "name" in out and not out["name"]:
        raise Invalid("Give the branch a name.", field="name")
    lat, lng = out.get("depot_latitude"), out.get("depot_longitude")
    if lat is not None and not Decimal(-90) <= Decimal(lat) <= Decimal(90):
        raise Invalid("Latitude is between -90 and 90.", field="depot_latitude")
    if lng is not None and not Decimal(-180) <= Decimal(lng) <= Decimal(180):
        raise Invalid("Longitude is between -180 and 180.", field="depot_longitude")
    return out


def _snapshot(branch: Branch) -> dict:
    return {f: getattr(branch, f) for f in PROFILE_FIELDS}


def branch_create(*, actor, code: str, name: str, **profile) -> Branch:
    """A new branch. Its code (2-5 capital letters) prefixes its order numbers and is fixed."""
    enforce(may_manage_branches(actor))
    code = (code or "").strip().upper()
    if not BRANCH_CODE.match(code):
        raise Invalid("A branch code is 2-5 capital letters, e.g. MNL.", field="code")
    values = _clean_profile({"name": name, **profile})
    return created_with_event(
        Branch,
        actor=actor,
        action=BranchEvent.CREATED,
        after=lambda branch: {"code": code, **_snapshot(branch)},
        taken=Conflict(f"Branch {code} exists already.", code="duplicate", field="code"),
        code=code,
        **values,
    )


def branch_update(*, actor, branch: Branch, **profile) -> Branch:
    """Change a branch's name, address, tax details, hours or depot. Its code never changes."""
    enforce(may_manage_branches(actor))
    values = _clean_profile(profile)
    with transaction.atomic():
        branch = Branch.objects.select_for_update().get(pk=branch.pk)
        before = _snapshot(branch)
        for key, value in values.items():
            setattr(branch, key, value)
        branch.full_clean(exclude=["code"])
        branch.save()
        b, a = field_changes(before, _snapshot(branch))
        if a:
            event_record(actor=actor, action=BranchEvent.UPDATED, target=branch, before=b, after=a)
    return branch


def zone_create(*, actor, branch: Branch, code: str, name: str) -> Zone:
    """A delivery/pickup zone of `branch`. Zone codes are unique across branches."""
    enforce(may_manage_branches(actor))
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not ZONE_CODE.match(code):
        raise Invalid(
            "A zone code is up to 12 capital letters, digits and dashes, e.g. MNL-N.",
            field="code",
        )
    if not name:
        raise Invalid("Give the zone a name.", field="name")
    return created_with_event(
        Zone,
        actor=actor,
        action=BranchEvent.ZONE_CREATED,
        after=lambda zone: {"branch": branch.code, "code": code, "name": zone.name},
        taken=Conflict(f"Zone {code} exists already.", code="duplicate", field="code"),
        branch=branch,
        code=code,
        name=name[:100],
    )


def zone_rename(*, actor, zone: Zone, name: str) -> Zone:
    enforce(may_manage_branches(actor))
    name = (name or "").strip()
    if not name:
        raise Invalid("Give the zone a name.", field="name")
    with transaction.atomic():
        before = zone.name
        if before == name:
            return zone
        zone.name = name[:100]
        zone.save(update_fields=["name"])
        event_record(
            actor=actor,
            action=BranchEvent.ZONE_UPDATED,
            target=zone,
            before={"name": before},
            after={"name": zone.name},
        )
    return zone
