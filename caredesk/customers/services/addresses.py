"""A customer's addresses (SPEC §2): add, change, remove, make default.

Guarantees: a customer with addresses has exactly one default, and the customer's branch is
the default address's branch; removing the default promotes the oldest other address; the last
address stays while an unfinished order of the customer needs it (apps that need addresses say
so through `address_needs_register`). Every action checks `edit_customer` and the customer's
version, bumps the version and records a `customer.address_*` event with before/after on the
customer, in one transaction.
"""

from django.db import transaction

from caredesk.audit.services import field_changes
from caredesk.customers.models import Address, Customer
from caredesk.customers.services.accounts import (
    ADDRESS_FIELDS,
    _address_clean,
    _bool,
    _customer_changed,
    _locked,
    _row_of,
)
from caredesk.lib.checks import Checks
from caredesk.lib.errors import Conflict, Invalid
from caredesk.lib.permissions import require

ADDRESS_ACTIONS = (
    "customer.address_added",
    "customer.address_changed",
    "customer.address_removed",
    "customer.address_made_default",
)
CHANGEABLE = frozenset({*ADDRESS_FIELDS, "kind", "branch", "zone", "latitude", "longitude"})

# Checks that say why a customer still needs an address: `check(customer) -> str | None` (a
# sentence naming what needs it, e.g. an open order). Apps register theirs at import time.
ADDRESS_NEEDS: Checks[Customer] = Checks()
address_needs_register = ADDRESS_NEEDS.register


def _clean(raw) -> dict:
    """`_address_clean`, with errors naming the field itself (`line1`, not `address.line1`)."""
    try:
        return _address_clean(raw, field="address")
    except Invalid as exc:
        if exc.field and exc.field.startswith("address."):
            exc.field = exc.field.removeprefix("address.")
        raise


def address_values(address: Address) -> dict:
    """The address as it is read and written: kind, street to postal code, branch and zone by
    code, position. The API answer, the edit form's initial values and `_address_clean` input
    (a change is applied over it) all start from it."""
    return {
        "kind": address.kind,
        **{key: getattr(address, key) for key in ADDRESS_FIELDS},
        "branch": address.branch.code if address.branch_id else "",
        "zone": address.zone.code if address.zone_id else "",
        "latitude": address.latitude,
        "longitude": address.longitude,
    }


def address_text(address: Address | None) -> str:
    """One line for the audit history: kind, street to postal code, branch, zone, position."""
    if address is None:
        return ""
    place = ", ".join(
        p
        for p in [
            address.line1,
            address.line2,
            address.barangay,
            address.city,
            address.province,
            address.postal_code,
        ]
        if p
    )
    parts = [f"{address.get_kind_display()}: {place}"]
    if address.branch_id:
        parts.append(address.branch.code)
    if address.zone_id:
        parts.append(address.zone.code)
    if address.latitude is not None and address.longitude is not None:
        parts.append(f"{float(address.latitude):.6f},{float(address.longitude):.6f}")
    return " · ".join(parts)


def _address_of(current: Customer, address_id) -> Address:
    return _row_of(
        current.addresses.select_related("branch", "zone"),
        address_id,
        "This customer has no such address (it may have been removed).",
    )


def _default_of(current: Customer) -> Address | None:
    return (
        current.addresses.select_related("branch", "zone")
        .filter(is_default=True)
        .order_by("pk")
        .first()
    )


def _make_default(current: Customer, address: Address, before: dict, after: dict) -> None:
    """Make `address` the only default and the customer's branch follow it; notes both."""
    previous = _default_of(current)
    if previous is not None and previous.pk == address.pk:
        return
    current.addresses.exclude(pk=address.pk).filter(is_default=True).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        if address.pk is not None:
            address.save(update_fields=["is_default"])
    before["default_address"] = address_text(previous)
    after["default_address"] = address_text(address)
    _follow_branch(current, address, before, after)


def _follow_branch(current: Customer, default: Address, before: dict, after: dict) -> None:
    if default.branch_id and current.branch_id != default.branch_id:
        before["branch"] = current.branch.code if current.branch_id else ""
        current.branch = default.branch
        after["branch"] = default.branch.code


def _saved(*, actor, current: Customer, action: str, before: dict, after: dict) -> None:
    before, after = field_changes(before, after)
    _customer_changed(
        actor=actor, current=current, action=action, before=before, after=after, fields=["branch"]
    )


def address_add(
    *, actor, customer: Customer, data: dict, expected_version: int | None = None
) -> Address:
    """Add an address (line 1 and branch required; zone must belong to the branch;
    coordinates in range). The first address is the default; `is_default` makes a later one
    the default."""
    require(actor, "edit_customer")
    if not isinstance(data, dict):
        raise Invalid("Send the address as an object.")
    make_default = _bool(data.get("is_default"), field="is_default")
    clean = _clean(data)
    with transaction.atomic():
        current = _locked(customer, expected_version)
        first = not current.addresses.exists()
        address = Address(customer=current, is_default=first, **clean)
        before: dict = {"address": ""}
        after: dict = {"address": address_text(address)}
        if first:
            address.save()
            _follow_branch(current, address, before, after)
        else:
            address.is_default = False
            address.save()
            if make_default:
                _make_default(current, address, before, after)
        _saved(
            actor=actor,
            current=current,
            action="customer.address_added",
            before=before,
            after=after,
        )
    return address


def address_change(
    *,
    actor,
    customer: Customer,
    address_id: int,
    changes: dict,
    expected_version: int | None = None,
) -> Address:
    """Change some or all fields of an address (the others keep their values; branch and zone
    are codes, and a zone must belong to the resulting branch). When the default address moves
    to another branch, the customer's branch follows. No change: no version bump, no event."""
    require(actor, "edit_customer")
    if not isinstance(changes, dict):
        raise Invalid("Send the changes as an object.")
    unknown = sorted(set(changes) - CHANGEABLE)
    if unknown:
        hint = " (use make-default)" if "is_default" in unknown else ""
        raise Invalid(
            f"These fields cannot be changed here: {', '.join(unknown)}{hint}.", field=unknown[0]
        )
    with transaction.atomic():
        current = _locked(customer, expected_version)
        address = _address_of(current, address_id)
        clean = _clean({**address_values(address), **changes})
        before = {"address": address_text(address)}
        for key, value in clean.items():
            setattr(address, key, value)
        after = {"address": address_text(address)}
        if before == after:
            return address
        address.save()
        if address.is_default:
            _follow_branch(current, address, before, after)
        _saved(
            actor=actor,
            current=current,
            action="customer.address_changed",
            before=before,
            after=after,
        )
    return address


def address_remove(
    *, actor, customer: Customer, address_id: int, expected_version: int | None = None
) -> Customer:
    """Remove an address. Removing the default makes the oldest other address the default.
    The last address is refused (409 `address_needed`) while something still needs it, such
    as an order that is neither finished nor cancelled."""
    require(actor, "edit_customer")
    with transaction.atomic():
        current = _locked(customer, expected_version)
        address = _address_of(current, address_id)
        others = current.addresses.select_related("branch", "zone").exclude(pk=address.pk)
        successor = others.order_by("pk").first()
        if successor is None and (reason := ADDRESS_NEEDS.first_reason(current)):
            raise Conflict(
                f"The customer's last address cannot be removed: {reason} "
                "Add the new address first, or finish or cancel the order.",
                code="address_needed",
            )
        before = {"address": address_text(address)}
        after = {"address": ""}
        was_default = address.is_default
        address.delete()
        if was_default and successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default"])
            before["default_address"] = before["address"]
            after["default_address"] = address_text(successor)
            _follow_branch(current, successor, before, after)
        _saved(
            actor=actor,
            current=current,
            action="customer.address_removed",
            before=before,
            after=after,
        )
    return current


def address_make_default(
    *, actor, customer: Customer, address_id: int, expected_version: int | None = None
) -> Customer:
    """Make this address the default (the others stop being it; the customer's branch becomes
    the address's branch). Already the default: nothing changes."""
    require(actor, "edit_customer")
    with transaction.atomic():
        current = _locked(customer, expected_version)
        address = _address_of(current, address_id)
        before: dict = {}
        after: dict = {}
        _make_default(current, address, before, after)
        if not after:
            return current
        _saved(
            actor=actor,
            current=current,
            action="customer.address_made_default",
            before=before,
            after=after,
        )
    return current
