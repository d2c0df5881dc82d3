"""A customer's additional emails/phones, addresses, cards, registered parts and blocked
members (SPEC §2, §11):

    POST   /customers/{member_id}/contacts                      add an email or phone
    PATCH  /customers/{member_id}/contacts/{contact_id}         change value and/or label
    DELETE /customers/{member_id}/contacts/{contact_id}         remove it
    POST   /customers/{member_id}/contacts/{contact_id}/make-primary
    POST   /customers/{member_id}/addresses                     add an address
    PATCH  /customers/{member_id}/addresses/{address_id}        change some of its fields
    DELETE /customers/{member_id}/addresses/{address_id}        remove it
    POST   /customers/{member_id}/addresses/{address_id}/make-default
    POST   /customers/{member_id}/cards                         put a card on file
    DELETE /customers/{member_id}/cards/{card_id}               take it off
    POST   /customers/{member_id}/parts                         register a part
    PATCH  /customers/{member_id}/parts/{part_id}               change it, retire it
    POST   /customers/{member_id}/blocked-members               block a member {"member_id"}
    DELETE /customers/{member_id}/blocked-members/{blocked_id}  unblock

Each needs `If-Match: <version>` (the customer's ETag; 428 without, 412 when stale) and answers
with the customer as `GET /customers/{member_id}` does, its new version in `ETag`; an add also
says the new row's `created_id`.
"""

from django.http import HttpResponse
from ninja import Status

from caredesk.customers import services
from caredesk.customers.schemas import AddressIn, CardIn
from caredesk.lib.schemas import Code, ShortText, StrictIn, patch_of

EDIT = "edit_customer"


class ContactIn(StrictIn):
    kind: Code
    value: ShortText
    label: ShortText = ""


ContactPatch = patch_of(ContactIn, name="ContactPatch")


class AddressCreate(AddressIn):
    is_default: bool = False


AddressPatch = patch_of(
    AddressIn,
    name="AddressPatch",
    doc="Only the fields sent change; `null` coordinates clear them.",
)


class PartCreate(StrictIn):
    part_type: Code
    serial: Code
    wear_level: int | Code = 0
    last_service_on: Code | None = None


PartPatch = patch_of(
    PartCreate,
    name="PartPatch",
    doc="Only the fields sent change; `status` is `active` or `retired`.",
    extra={"status": Code | None},
)


class MemberBlockIn(StrictIn):
    member_id: Code


def _apply(request, member_id: str, response: HttpResponse, action, /, **arguments):
    """`customer_act` with `If-Match` required (428 without)."""
    from caredesk.customers.api import customer_act

    return customer_act(request, member_id, response, action, required=True, **arguments)


def contact_add(request, member_id: str, payload: ContactIn, response: HttpResponse):
    """Kind `email` or `phone`, the value (phones in any Philippine format, stored E.164) and an
    optional label. 409 `duplicate_contact` when the customer has it already, 409 `blocked` for
    a FRAUD-STOP value (recorded on the safety history)."""
    return _apply(
        request, member_id, response, services.contact_add, added=True, **payload.model_dump()
    )


def contact_change(
    request, member_id: str, contact_id: int, payload: ContactPatch, response: HttpResponse
):
    fields = payload.model_dump()
    return _apply(
        request, member_id, response, services.contact_change, contact_id=contact_id, **fields
    )


def contact_remove(request, member_id: str, contact_id: int, response: HttpResponse):
    return _apply(request, member_id, response, services.contact_remove, contact_id=contact_id)


def contact_make_primary(request, member_id: str, contact_id: int, response: HttpResponse):
    """The additional email/phone becomes the primary one; the old primary becomes additional."""
    action = services.contact_make_primary
    return _apply(request, member_id, response, action, contact_id=contact_id)


def address_add(request, member_id: str, payload: AddressCreate, response: HttpResponse):
    """`line1` and `branch` (code) required; `zone` (code) must be a zone of that branch. The
    first address, or one sent with `is_default: true`, becomes the default."""
    data = payload.model_dump()
    return _apply(request, member_id, response, services.address_add, added=True, data=data)


def address_change(
    request, member_id: str, address_id: int, payload: AddressPatch, response: HttpResponse
):
    changes = payload.model_dump(exclude_unset=True)
    action = services.address_change
    return _apply(request, member_id, response, action, address_id=address_id, changes=changes)


def address_remove(request, member_id: str, address_id: int, response: HttpResponse):
    """Removing the default promotes another address; the last one answers 409
    `address_needed` while an unfinished order needs it."""
    return _apply(request, member_id, response, services.address_remove, address_id=address_id)


def address_make_default(request, member_id: str, address_id: int, response: HttpResponse):
    action = services.address_make_default
    return _apply(request, member_id, response, action, address_id=address_id)


def card_add(request, member_id: str, payload: CardIn, response: HttpResponse):
    """Brand, last4, exp_month, exp_year and holder_last_name, never more: a full card number
    under any key is refused (400 `card_number`, nothing stored). 409 `duplicate_card` for a
    card already on file, 409 `blocked` for a FRAUD-STOP card."""
    data = payload.model_dump()
    return _apply(request, member_id, response, services.card_add, added=True, data=data)


def card_remove(request, member_id: str, card_id: int, response: HttpResponse):
    return _apply(request, member_id, response, services.card_remove, card_id=card_id)


def part_register(request, member_id: str, payload: PartCreate, response: HttpResponse):
    """Type and serial (unique per customer: 409 `duplicate_serial`), wear 0-100 and an
    optional last service date (YYYY-MM-DD, not in the future)."""
    data = payload.model_dump()
    return _apply(request, member_id, response, services.part_register, added=True, data=data)


def part_change(request, member_id: str, part_id: int, payload: PartPatch, response: HttpResponse):
    changes = payload.model_dump(exclude_unset=True)
    action = services.part_change
    return _apply(request, member_id, response, action, part_id=part_id, changes=changes)


def member_block(request, member_id: str, payload: MemberBlockIn, response: HttpResponse):
    """409 `already_blocked`; 404 for an unknown member; a customer cannot block themselves."""
    action = services.member_block
    answer = _apply(request, member_id, response, action, member_id=payload.member_id)
    return Status(201, answer)


def member_unblock(request, member_id: str, blocked_id: str, response: HttpResponse):
    return _apply(request, member_id, response, services.member_unblock, member_id=blocked_id)


def register(router) -> None:
    """Add the contact and address endpoints to the customers router."""
    contacts = "/customers/{member_id}/contacts"
    contact = contacts + "/{contact_id}"
    addresses = "/customers/{member_id}/addresses"
    address = addresses + "/{address_id}"
    cards = "/customers/{member_id}/cards"
    parts = "/customers/{member_id}/parts"
    blocks = "/customers/{member_id}/blocked-members"
    for method, path, view, summary in [
        ("create", contacts, contact_add, "Add an email or phone"),
        ("patch", contact, contact_change, "Change an email or phone"),
        ("delete", contact, contact_remove, "Remove an email or phone"),
        (
            "post",
            contact + "/make-primary",
            contact_make_primary,
            "Make an email or phone the primary one",
        ),
        ("create", addresses, address_add, "Add an address"),
        ("patch", address, address_change, "Change an address"),
        ("delete", address, address_remove, "Remove an address"),
        ("post", address + "/make-default", address_make_default, "Make an address the default"),
        ("create", cards, card_add, "Put a card on file (brand, last 4, expiry)"),
        ("delete", cards + "/{card_id}", card_remove, "Take a card off file"),
        ("create", parts, part_register, "Register a part"),
        ("patch", parts + "/{part_id}", part_change, "Change or retire a part"),
        ("create", blocks, member_block, "Block a member for this customer"),
        ("delete", blocks + "/{blocked_id}", member_unblock, "Unblock a member"),
    ]:
        getattr(router, method)(path, dict, EDIT, summary)(view)
