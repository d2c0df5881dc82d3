"""A customer's additional emails and phones (SPEC §2): add, change, remove, make primary.

The primary email and phone live on the customer; the others are `ContactPoint` rows. Every
action checks `edit_customer` and the customer's version, keeps one copy of each value per
customer (primary and additional together), refuses blocked values the way opening an account
does (a `safety.blocked_attempt` entry, a chat alert, 409 `blocked`), bumps the version,
records a `customer.contact_*` event with before/after on the customer, and saves the search
keys again, all in one transaction.
"""

from django.db import transaction

from caredesk.audit.services import field_changes
from caredesk.customers.models import ContactPoint, Customer
from caredesk.customers.search.fields import SEARCH_KEY_FIELDS, apply_search_fields
from caredesk.customers.services.accounts import (
    _choice,
    _customer_changed,
    _locked,
    _row_of,
    _text,
)
from caredesk.customers.services.blocklist import blocklist_enforce
from caredesk.customers.values import email_normalise, looks_like_card_number, phone_normalise
from caredesk.lib.errors import Conflict, Invalid, StaleVersion
from caredesk.lib.permissions import require

CONTACT_ACTIONS = (
    "customer.contact_added",
    "customer.contact_changed",
    "customer.contact_removed",
    "customer.contact_made_primary",
)
CARD_NUMBER_MESSAGE = "This looks like a card number; card numbers are never stored."
VALUE_MAX = 254
LABEL_MAX = 40
CHANGED_MEANWHILE = "This email or phone was changed meanwhile; reload to see it."


def _kind(raw) -> str:
    return _choice(raw, ContactPoint.Kind.choices, field="kind", default="")


def _value(kind: str, raw) -> str:
    """The stored form of an additional email (lower-cased) or phone (E.164)."""
    text = str(raw or "").strip()
    if looks_like_card_number(text):
        raise Invalid(CARD_NUMBER_MESSAGE, field="value", code="card_number")
    if kind == ContactPoint.Kind.EMAIL:
        value = email_normalise(text, field="value")
        if not value:
            raise Invalid("Enter the email address.", field="value")
        if len(value) > VALUE_MAX:
            raise Invalid(f"At most {VALUE_MAX} characters.", field="value")
        return value
    value = phone_normalise(text, field="value")
    if not value:
        raise Invalid("Enter the phone number.", field="value")
    return value


def _label(raw) -> str:
    return _text({"label": raw}, "label", LABEL_MAX)


def _primary_field(kind: str) -> str:
    return "email" if kind == ContactPoint.Kind.EMAIL else "phone"


def _audit_key(kind: str) -> str:
    return f"additional_{_primary_field(kind)}"


def _described(value: str, label: str) -> str:
    return f"{value} ({label})" if value and label else value


def _enforce_blocklist(*, actor, customer: Customer, kind: str, value: str, action: str) -> None:
    emails = [value] if kind == ContactPoint.Kind.EMAIL else []
    phones = [value] if kind == ContactPoint.Kind.PHONE else []
    blocklist_enforce(actor=actor, action=action, target=customer, emails=emails, phones=phones)


def _refuse_duplicate(current: Customer, kind: str, value: str, *, exclude: int | None = None):
    what = "email address" if kind == ContactPoint.Kind.EMAIL else "phone number"
    if getattr(current, _primary_field(kind)) == value:
        raise Conflict(
            f"This {what} is already the customer's primary {what}.",
            code="duplicate_contact",
            field="value",
        )
    others = current.contacts.filter(kind=kind, value=value)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise Conflict(
            f"The customer already has this {what}.", code="duplicate_contact", field="value"
        )


def _contact_of(current: Customer, contact_id) -> ContactPoint:
    return _row_of(
        current.contacts,
        contact_id,
        "This customer has no such email or phone (it may have been removed).",
    )


def _contact_locked(
    customer: Customer, existing: ContactPoint, expected_version: int | None
) -> tuple[Customer, ContactPoint]:
    """Lock the customer under `expected_version` and read again the contact `existing`, which
    was read before the lock for the blocklist check: refused (412) when its value changed
    meanwhile, since the check was about the old value."""
    current = _locked(customer, expected_version)
    contact = _contact_of(current, existing.pk)
    if contact.value != existing.value:
        raise StaleVersion(CHANGED_MEANWHILE)
    return current, contact


def _saved(*, actor, current: Customer, action: str, before: dict, after: dict, fields=()):
    """Bump the version and record the event, saving the search keys with them in one UPDATE
    (the additional values are part of `search_text`; a changed primary email/phone makes
    `Customer.save` derive them itself)."""
    if not Customer.SEARCH_SOURCES & set(fields):
        apply_search_fields(current)
    _customer_changed(
        actor=actor,
        current=current,
        action=action,
        before=before,
        after=after,
        fields=[*fields, *SEARCH_KEY_FIELDS],
    )


def contact_add(
    *,
    actor,
    customer: Customer,
    kind: str,
    value: str,
    label: str = "",
    expected_version: int | None = None,
) -> ContactPoint:
    """Add an email or phone with an optional label ("work", "mobile 2"). Refuses a value the
    customer already has (409 `duplicate_contact`) and a blocked one (409 `blocked`, audited and
    alerted)."""
    require(actor, "edit_customer")
    kind = _kind(kind)
    value = _value(kind, value)
    label = _label(label)
    _enforce_blocklist(
        actor=actor, customer=customer, kind=kind, value=value, action="customer.contact_add"
    )
    with transaction.atomic():
        current = _locked(customer, expected_version)
        _refuse_duplicate(current, kind, value)
        contact = ContactPoint.objects.create(customer=current, kind=kind, value=value, label=label)
        key = _audit_key(kind)
        _saved(
            actor=actor,
            current=current,
            action="customer.contact_added",
            before={key: ""},
            after={key: _described(value, label)},
        )
    return contact


def contact_change(
    *,
    actor,
    customer: Customer,
    contact_id: int,
    value: str | None = None,
    label: str | None = None,
    kind: str | None = None,
    expected_version: int | None = None,
) -> ContactPoint:
    """Change an additional email's or phone's value and/or label (None: unchanged). The kind
    stays (`kind`, when given, must be the current one): to turn an email into a phone, remove
    one and add the other. Nothing changes (no version bump, no event) when the values are the
    same."""
    require(actor, "edit_customer")
    existing = _contact_of(customer, contact_id)  # read before the lock for the blocklist
    if kind not in (None, "") and str(kind).strip().lower() != existing.kind:
        raise Invalid(
            "An email cannot become a phone (or the reverse): remove it and add the new one.",
            field="kind",
        )
    new_value = _value(existing.kind, value) if value is not None else None
    new_label = _label(label) if label is not None else None
    if new_value is not None and new_value != existing.value:
        _enforce_blocklist(
            actor=actor,
            customer=customer,
            kind=existing.kind,
            value=new_value,
            action="customer.contact_change",
        )
    with transaction.atomic():
        current, contact = _contact_locked(customer, existing, expected_version)
        if new_value is not None and new_value != contact.value:
            _refuse_duplicate(current, contact.kind, new_value, exclude=contact.pk)
        key = _audit_key(contact.kind)
        before = {key: _described(contact.value, contact.label)}
        if new_value is not None:
            contact.value = new_value
        if new_label is not None:
            contact.label = new_label
        before, after = field_changes(before, {key: _described(contact.value, contact.label)})
        if not after:
            return contact
        contact.save(update_fields=["value", "label"])
        _saved(
            actor=actor,
            current=current,
            action="customer.contact_changed",
            before=before,
            after=after,
        )
    return contact


def contact_remove(
    *, actor, customer: Customer, contact_id: int, expected_version: int | None = None
) -> Customer:
    """Remove an additional email or phone; search no longer finds the customer by it."""
    require(actor, "edit_customer")
    with transaction.atomic():
        current = _locked(customer, expected_version)
        contact = _contact_of(current, contact_id)
        key = _audit_key(contact.kind)
        before = {key: _described(contact.value, contact.label)}
        contact.delete()
        _saved(
            actor=actor,
            current=current,
            action="customer.contact_removed",
            before=before,
            after={key: ""},
        )
    return current


def contact_make_primary(
    *, actor, customer: Customer, contact_id: int, expected_version: int | None = None
) -> Customer:
    """Swap an additional email or phone with the customer's primary one: it becomes the
    primary, the old primary becomes an additional one without a label (or, when there was no
    primary, the additional row goes). A value blocked since it was added is refused like a
    primary change in the profile edit."""
    require(actor, "edit_customer")
    existing = _contact_of(customer, contact_id)  # read before the lock for the blocklist
    _enforce_blocklist(
        actor=actor,
        customer=customer,
        kind=existing.kind,
        value=existing.value,
        action="customer.contact_make_primary",
    )
    with transaction.atomic():
        current, contact = _contact_locked(customer, existing, expected_version)
        field = _primary_field(contact.kind)
        key = _audit_key(contact.kind)
        old_primary = getattr(current, field)
        before = {field: old_primary, key: _described(contact.value, contact.label)}
        setattr(current, field, contact.value)
        if old_primary:
            contact.value = old_primary
            contact.label = ""
            contact.save(update_fields=["value", "label"])
        else:
            contact.delete()
        after = {field: getattr(current, field), key: old_primary}
        _saved(
            actor=actor,
            current=current,
            action="customer.contact_made_primary",
            before=before,
            after=after,
            fields=[field],
        )
    return current
