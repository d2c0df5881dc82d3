"""A service customer's registered parts (SPEC §2): register one, change its type, serial,
wear level or last service date, retire it or take it back into use. A part is never deleted
(orders keep pointing at it); "in service" is set and cleared by its service order only.
Each action checks `edit_customer` and the customer's version, bumps the version and records
a `customer.part_*` event with before/after on the customer, in one transaction.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from caredesk.audit.services import field_changes
from caredesk.customers.models import Customer, RegisteredPart
from caredesk.customers.services.accounts import _customer_changed, _locked, _row_of, _text
from caredesk.lib.checks import Checks
from caredesk.lib.errors import Conflict, Invalid
from caredesk.lib.permissions import require

PART_ACTIONS = ("customer.part_registered", "customer.part_changed")

# Checks `check(part) -> str | None` that say why a part is held ("order MNL-0001 (picked up)
# has it"): the orders app registers one, so a part in service keeps its status while an
# order holds it, and a stale "in service" with no order behind it can be corrected.
PART_HOLDERS: Checks[RegisteredPart] = Checks()
part_holders_register = PART_HOLDERS.register


EDITABLE = ("part_type", "serial", "wear_level", "last_service_on", "status")
SETTABLE_STATUSES = (RegisteredPart.Status.ACTIVE, RegisteredPart.Status.RETIRED)


def _wear(raw) -> int:
    try:
        value = int(str(raw).strip().rstrip("%"))
    except (TypeError, ValueError):
        raise Invalid("Wear is a percentage from 0 to 100.", field="wear_level") from None
    if not 0 <= value <= 100:
        raise Invalid("Wear is a percentage from 0 to 100.", field="wear_level")
    return value


def _service_date(raw) -> datetime.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        day = raw
    else:
        try:
            day = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise Invalid(
                "Last service is a date like 2026-11-23.", field="last_service_on"
            ) from None
    if day > timezone.localdate():
        raise Invalid("Last service cannot be in the future.", field="last_service_on")
    return day


def _clean(data: dict, *, partial: bool) -> dict:
    if not isinstance(data, dict):
        raise Invalid("Send the part as an object.")
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise Invalid(
            f"These fields cannot be set here: {', '.join(sorted(unknown))}.",
            field=sorted(unknown)[0],
        )
    out: dict = {}
    for key, limit in (("part_type", 100), ("serial", 60)):
        if key in data or not partial:
            out[key] = _text(data, key, limit)
            if not out[key]:
                what = "part type" if key == "part_type" else "serial number"
                raise Invalid(f"Enter the {what}.", field=key)
    if "wear_level" in data or not partial:
        out["wear_level"] = _wear(data.get("wear_level", 0) or 0)
    if "last_service_on" in data:
        out["last_service_on"] = _service_date(data["last_service_on"])
    if "status" in data:
        status = str(data["status"] or "").strip()
        if status not in SETTABLE_STATUSES:
            raise Invalid(
                "Status is active (with the customer) or retired; service orders set "
                "'in service' themselves.",
                field="status",
            )
        out["status"] = status
    return out


def _label(part: RegisteredPart) -> str:
    return f"{part.part_type} #{part.serial}"


def _values(part: RegisteredPart, name: str) -> dict:
    """The audited fields, named after the part as it was (`Blade set #BS-001: wear level`), so
    the customer's audit history says which part changed."""
    return {
        f"{name}: type": part.part_type,
        f"{name}: serial": part.serial,
        f"{name}: status": part.status,
        f"{name}: wear level": part.wear_level,
        f"{name}: last service": part.last_service_on,
    }


def _duplicate() -> Conflict:
    return Conflict(
        "The customer already has a part with this serial number.",
        code="duplicate_serial",
        field="serial",
    )


def part_register(
    *, actor, customer: Customer, data: dict, expected_version: int | None = None
) -> RegisteredPart:
    """Register a part (type, serial unique per customer, wear 0-100 %, optional last
    service date not in the future)."""
    require(actor, "edit_customer")
    values = _clean(data, partial=False)
    values.pop("status", None)
    with transaction.atomic():
        current = _locked(customer, expected_version)
        if current.parts.filter(serial=values["serial"]).exists():
            raise _duplicate()
        part = RegisteredPart.objects.create(customer=current, **values)
        _customer_changed(
            actor=actor,
            current=current,
            action="customer.part_registered",
            before={},
            after=_values(part, _label(part)),
        )
    return part


def part_change(
    *,
    actor,
    customer: Customer,
    part_id: int,
    changes: dict,
    expected_version: int | None = None,
) -> RegisteredPart:
    """Change some of a part's fields; `status` may go between active and retired (a part in
    service waits for its order). Nothing is written when nothing changes."""
    require(actor, "edit_customer")
    values = _clean(changes, partial=True)
    with transaction.atomic():
        current = _locked(customer, expected_version)
        part = _row_of(
            current.parts.select_for_update(), part_id, "This customer has no such part."
        )
        changes_status = "status" in values and values["status"] != part.status
        if changes_status and (holder := PART_HOLDERS.first_reason(part)):
            raise Conflict(
                f"{_label(part)} is in service: {holder} Its status changes with the order.",
                code="part_in_service",
                field="status",
            )
        if values.get("serial", part.serial) != part.serial and (
            current.parts.filter(serial=values["serial"]).exclude(pk=part.pk).exists()
        ):
            raise _duplicate()
        name = _label(part)
        before = _values(part, name)
        for key, value in values.items():
            setattr(part, key, value)
        before, after = field_changes(before, _values(part, name))
        if not after:
            return part
        try:
            with transaction.atomic():
                part.save(update_fields=list(values))
        except IntegrityError:
            raise _duplicate() from None
        _customer_changed(
            actor=actor,
            current=current,
            action="customer.part_changed",
            before=before,
            after=after,
        )
    return part
