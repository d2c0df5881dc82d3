"""The advanced search criteria (SPEC §2 "Search") and the rules they must meet.

Rules, the same in the browser form and the API:
- `%` is a wildcard anywhere (`Anders%`, `An%sen`); only the address may start with `%`.
- Without `%`, names, company, group and member ID match the whole value (any case); email and
  address match a part (`juan@` finds juan@example.ph); phone matches the whole number in any
  format, or its start with a trailing `%`.
- Company needs at least one account type.
- Billing: the card's last 4 digits are required; the holder's last name is optional and
  case-sensitive. A full card number is refused (never stored, never echoed).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from caredesk.customers.models import AccountType
from caredesk.lib.errors import Invalid

from .fields import looks_like_phone

MAX_TERM = 100

LABELS = {
    "email": "Email",
    "member_id": "Member ID",
    "group": "Group name",
    "phone": "Phone",
    "first_name": "First name",
    "last_name": "Last name",
    "company": "Company",
    "address": "Address",
    "card_last4": "Card last 4",
    "card_last_name": "Card holder last name",
}
TEXT_FIELDS = list(LABELS)


@dataclass
class Criteria:
    """Advanced search criteria, AND-combined. Empty strings mean "not given"."""

    email: str = ""
    member_id: str = ""
    group: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address: str = ""
    card_last4: str = ""
    card_last_name: str = ""
    account_types: list[str] = field(default_factory=list)
    exclude_closed: bool = False

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in TEXT_FIELDS) and not self.account_types

    def as_params(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _refuse(field_name: str, message: str, code: str):
    raise Invalid(message, code=code, field=field_name)


def criteria_clean(raw: Mapping) -> Criteria:
    """Build Criteria from user input (form or query parameters), raising `Invalid` with the
    field name and a message a CSR understands for the first rule broken."""
    values = {}
    for name in TEXT_FIELDS:
        value = str(raw.get(name) or "").strip()
        if len(value) > MAX_TERM:
            _refuse(name, f"{LABELS[name]}: at most {MAX_TERM} characters.", "term_too_long")
        if value.startswith("%") and name != "address":
            _refuse(
                name,
                f"{LABELS[name]} cannot start with %: put the wildcard after some letters "
                "(e.g. Anders%). Only the address may start with %.",
                "leading_wildcard",
            )
        values[name] = value
    types = raw.get("account_types") or []
    if isinstance(types, str):
        types = [types]
    types = [t for t in (str(t).strip() for t in types) if t]
    unknown = [t for t in types if t not in AccountType.values]
    if unknown:
        _refuse(
            "account_types",
            f"Unknown account type {unknown[0]!r}; use one of {', '.join(AccountType.values)}.",
            "account_type_invalid",
        )
    if values["company"] and not types:
        _refuse(
            "company",
            "Company search needs at least one account type: tick business, reseller, "
            "call shop or individual.",
            "company_needs_account_type",
        )
    last4 = values["card_last4"]
    digits = re.sub(r"[\s-]", "", last4)
    if digits and digits.isdigit() and len(digits) > 4:
        _refuse(
            "card_last4",
            "Enter only the last 4 digits of the card; a full card number is never accepted.",
            "card_number_refused",
        )
    if last4 and not re.fullmatch(r"\d{4}", digits):
        _refuse("card_last4", "Card last 4: enter exactly 4 digits.", "card_last4_invalid")
    values["card_last4"] = digits
    if values["card_last_name"] and not digits:
        _refuse(
            "card_last4",
            "Billing search needs the card's last 4 digits (the holder's last name is optional).",
            "card_last4_required",
        )
    phone = values["phone"]
    if phone and not looks_like_phone(phone.replace("%", "")):
        _refuse("phone", "Phone: enter digits (spaces, dashes and +63 are fine).", "phone_invalid")
    address = values["address"]
    if address and not any(len(run.strip()) >= 3 for run in address.split("%")):
        _refuse(
            "address",
            "Address: enter at least 3 letters or digits in a row (e.g. %street%).",
            "term_too_short",
        )
    exclude = raw.get("exclude_closed")
    if isinstance(exclude, str):
        exclude = exclude.strip().lower() in ("1", "true", "on", "yes")
    return Criteria(**values, account_types=types, exclude_closed=bool(exclude))
