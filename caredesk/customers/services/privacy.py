"""A customer's blocked members (SPEC §2 privacy): the customer asks not to be reachable by,
or matched with, another member. A CSR blocks and unblocks on their request; each change
checks `edit_customer` and the customer's version, bumps it and records a
`customer.member_blocked` / `customer.member_unblocked` event, in one transaction."""

from django.db import transaction

from caredesk.customers.ids import customer_by_member_id, member_id_format, member_id_normalise
from caredesk.customers.models import BlockedMember, Customer
from caredesk.customers.services.accounts import _customer_changed, _locked
from caredesk.lib.errors import Conflict, Invalid, NotFound
from caredesk.lib.permissions import require

BLOCK_ACTIONS = ("customer.member_blocked", "customer.member_unblocked")


def _member(member_id) -> Customer:
    text = member_id_normalise(member_id)
    digits = text.removeprefix("M")
    if not digits.isdigit() or len(digits) > 10:
        raise Invalid("Enter a member ID like M0001234.", field="member_id")
    other = customer_by_member_id(member_id_format(int(digits)))
    if other is None:
        raise NotFound(f"No member {text}.")
    return other


def member_block(
    *, actor, customer: Customer, member_id: str, expected_version: int | None = None
) -> BlockedMember:
    """Block another member for this customer (not themselves, not twice)."""
    require(actor, "edit_customer")
    other = _member(member_id)
    if other.pk == customer.pk:
        raise Invalid("A customer cannot block their own account.", field="member_id")
    with transaction.atomic():
        current = _locked(customer, expected_version)
        if current.blocks.filter(blocked=other).exists():
            raise Conflict(
                f"{other.member_id} is already blocked.", code="already_blocked", field="member_id"
            )
        block = BlockedMember.objects.create(customer=current, blocked=other)
        _customer_changed(
            actor=actor,
            current=current,
            action="customer.member_blocked",
            before={"blocked_member": ""},
            after={"blocked_member": other.member_id},
        )
    return block


def member_unblock(
    *, actor, customer: Customer, member_id: str, expected_version: int | None = None
) -> Customer:
    require(actor, "edit_customer")
    other = _member(member_id)
    with transaction.atomic():
        current = _locked(customer, expected_version)
        deleted, _ = current.blocks.filter(blocked=other).delete()
        if not deleted:
            raise NotFound(f"{other.member_id} is not blocked by this customer.")
        _customer_changed(
            actor=actor,
            current=current,
            action="customer.member_unblocked",
            before={"blocked_member": other.member_id},
            after={"blocked_member": ""},
        )
    return current
