"""Branches API (SPEC §11, administration): list and create branches, add zones."""

from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from caredesk.branches import services
from caredesk.branches.models import Branch, Zone
from caredesk.branches.policy import may_manage_branches
from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.errors import Invalid
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import BoundedDecimal, Code, ShortText, StrictIn, patch_of

router = ApiRouter(tags=["administration"])


class ZoneOut(Schema):
    code: str
    name: str


class BranchOut(Schema):
    code: str
    name: str
    city: str
    address: str
    tax_id: str
    tax_name: str
    business_hours: str
    depot_latitude: Decimal | None
    depot_longitude: Decimal | None
    active: bool
    zones: list[ZoneOut]
    actions: dict

    @staticmethod
    def resolve_zones(obj):
        return list(obj.zones.all())

    @staticmethod
    def resolve_actions(obj, context):
        decision = may_manage_branches(context["request"].user)
        return actions_out({"edit": decision, "add_zone": decision})


Latitude = BoundedDecimal(
    minimum="-90", maximum="90", places=6, pattern=r"-?(90(\.0{1,6})?|[1-8]?[0-9](\.[0-9]{1,6})?)"
)
Longitude = BoundedDecimal(
    minimum="-180",
    maximum="180",
    places=6,
    pattern=r"-?(180(\.0{1,6})?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]{1,6})?)",
)


class BranchIn(StrictIn):
    code: Code
    name: ShortText
    city: ShortText = ""
    address: ShortText = ""
    tax_id: Code = ""
    tax_name: ShortText = ""
    business_hours: ShortText = ""
    depot_latitude: Latitude | None = None
    depot_longitude: Longitude | None = None


BranchPatch = patch_of(
    BranchIn,
    name="BranchPatch",
    doc="Only the fields sent change; a branch's code never does.",
    leave_out=("code",),
    extra={"active": bool | None},
)


class ZoneIn(StrictIn):
    code: Code
    name: ShortText


class ZonePatch(StrictIn):
    name: ShortText


_NULLABLE = {"depot_latitude", "depot_longitude"}


def _branches():
    return Branch.objects.prefetch_related(
        Prefetch("zones", queryset=Zone.objects.order_by("code"))
    ).order_by("code")


@router.page("/branches", BranchOut, "view_dashboard", "Branches and their zones")
def branches(request):
    return _branches()


@router.create("/branches", BranchOut, "manage_staff", "Add a branch", errors=(400, 409))
def branch_create(request, payload: BranchIn):
    data = payload.dict()
    branch = services.branch_create(actor=request.user, **data)
    return Status(201, _branches().get(pk=branch.pk))


@router.create(
    "/branches/{code}/zones",
    ZoneOut,
    "manage_staff",
    "Add a zone to a branch",
    errors=(400, 404, 409),
)
def zone_create(request, code: str, payload: ZoneIn):
    branch = get_object_or_404(Branch, code=code.upper())
    zone = services.zone_create(actor=request.user, branch=branch, **payload.dict())
    return Status(201, zone)


@router.patch(
    "/branches/{code}",
    BranchOut,
    "manage_staff",
    "Change a branch's name, address, tax details, business hours, depot or status",
    errors=(400, 404),
)
def branch_patch(request, code: str, payload: BranchPatch):
    branch = get_object_or_404(Branch, code=code.upper())
    changes = payload.dict(exclude_unset=True)
    for field in ("name", "active"):
        if field in changes and changes[field] is None:
            raise Invalid(f"{field} cannot be empty.", field=field)
    changes = {k: ("" if v is None and k not in _NULLABLE else v) for k, v in changes.items()}
    services.branch_update(actor=request.user, branch=branch, **changes)
    return _branches().get(pk=branch.pk)


@router.patch(
    "/branches/{code}/zones/{zone}", ZoneOut, "manage_staff", "Rename a zone", errors=(400, 404)
)
def zone_patch(request, code: str, zone: str, payload: ZonePatch):
    item = get_object_or_404(Zone, branch__code=code.upper(), code=zone.upper())
    return services.zone_rename(actor=request.user, zone=item, name=payload.name)
