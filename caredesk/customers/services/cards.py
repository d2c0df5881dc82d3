"""A customer's payment cards on file (SPEC §2): add and remove. A card is brand, last 4,
expiry and holder last name only; anything that looks like a full card number is refused and
never stored. Adding checks the FRAUD-STOP blocklist like opening an account does. Each action
checks `edit_customer` and the customer's version, bumps the version and records a
`customer.card_*` event with before/after on the customer, in one transaction.
"""

from django.db import transaction

from caredesk.customers.models import Card, Customer
from caredesk.customers.services.accounts import _customer_changed, _locked, _row_of
from caredesk.customers.services.blocklist import blocklist_enforce
from caredesk.customers.values import card_validate
from caredesk.lib.errors import Conflict
from caredesk.lib.permissions import require

CARD_ACTIONS = ("customer.card_added", "customer.card_removed")


def card_label(card) -> str:
    """`visa 4242 03/2029 Dela Cruz`: the audit and message form of a card."""
    text = f"{card.brand} {card.last4} {card.exp_month:02d}/{card.exp_year}"
    return f"{text} {card.holder_last_name}".strip()


def card_add(*, actor, customer: Customer, data: dict, expected_version: int | None = None) -> Card:
    """Put a card on file: `data` holds brand, last4, exp_month, exp_year and optionally
    holder_last_name. Refuses a full card number (400 `card_number`), the same card twice
    (409 `duplicate_card`) and a blocked card (409 `blocked`, audited and alerted)."""
    require(actor, "edit_customer")
    key = card_validate(data, field="card")
    blocklist_enforce(actor=actor, action="customer.card_add", target=customer, cards=[key])
    with transaction.atomic():
        current = _locked(customer, expected_version)
        if current.cards.filter(**key.fields()).exists():
            raise Conflict(
                "This card is already on file.", code="duplicate_card", field="card.last4"
            )
        card = Card.objects.create(customer=current, **key.fields())
        _customer_changed(
            actor=actor,
            current=current,
            action="customer.card_added",
            before={"card": ""},
            after={"card": card_label(card)},
        )
    return card


def card_remove(
    *, actor, customer: Customer, card_id: int, expected_version: int | None = None
) -> Customer:
    """Take a card off file (an expired or cancelled one). Payments already made keep their
    last 4; a blocklisted card stays blocked."""
    require(actor, "edit_customer")
    with transaction.atomic():
        current = _locked(customer, expected_version)
        card = _row_of(
            current.cards, card_id, "This customer has no such card (it may have been removed)."
        )
        before = {"card": card_label(card)}
        card.delete()
        _customer_changed(
            actor=actor,
            current=current,
            action="customer.card_removed",
            before=before,
            after={"card": ""},
        )
    return current
