"""Search keys derived from a customer: kept on the row so every lookup is index-backed.

`customer_search_fields(customer)` is the one place these keys are computed. `Customer.save()`
applies it; code that writes customers with `QuerySet.update()` or `bulk_create()` must apply it
too (the demo generator does).
"""

import re
import unicodedata

import phonenumbers

PHONE_REGION = "PH"
_SPACES = re.compile(r"\s+")
_PHONE_CHARS = re.compile(r"^[\d\s\-+().]+$")
_PH_E164 = re.compile(r"^\+63(\d{9,10})$")
_PH_MOBILE = re.compile(r"^\+63(9\d{9})$")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (Peña -> pena), collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain.lower()).strip()


_NOT_WORD = re.compile(r"[^\w ]|_")


def search_fold(text: str) -> str:
    """`fold` without punctuation (`juan.dela-cruz@x.ph` -> `juandelacruzxph`): the form of
    the fragment-search text and of the fragments looked up in it. Trigram indexes skip
    punctuation, so keeping it would make `y_mang` as unselective as `mang`."""
    return _NOT_WORD.sub("", fold(text))


def looks_like_phone(text: str) -> bool:
    """Digits with the usual separators (spaces, dashes, dots, parentheses, a leading +)."""
    return bool(text) and bool(_PHONE_CHARS.match(text)) and any(ch.isdigit() for ch in text)


def phone_digits(text: str) -> str:
    """The national digits of a phone number in any format: `0917 123 4567`,
    `+63 917 123 4567`, `639171234567` and `+639171234567` all give `9171234567`.

    A full number is parsed with `phonenumbers` (region PH); a partial one (typed while
    searching) loses its `+63`, `63` or `0` prefix and its separators."""
    raw = (text or "").strip()
    if not raw:
        return ""
    stored = _PH_E164.match(raw)
    if stored:  # already E.164 (how phones are stored): no need to parse
        return stored.group(1)
    try:
        parsed = phonenumbers.parse(raw, PHONE_REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_valid_number(parsed):
        return str(parsed.national_number)
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") or (digits.startswith("63") and len(digits) > 10):
        return digits[2:] if digits.startswith("63") else digits
    return digits[1:] if digits.startswith("0") else digits


def phone_local(e164: str) -> str:
    """E.164 -> the local display format (`0917 123 4567`); unparseable values unchanged."""
    if not e164:
        return ""
    mobile = _PH_MOBILE.match(e164)
    if mobile:  # the common case, formatted as phonenumbers does (NATIONAL)
        d = mobile.group(1)
        return f"0{d[:3]} {d[3:6]} {d[6:]}"
    try:
        parsed = phonenumbers.parse(e164, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def sort_name(*, account_type: str, first_name: str, last_name: str, company: str) -> str:
    """Folded name the results sort by: "last first" for people, the business name for
    businesses (falling back to the person's name)."""
    if account_type != "individual" and company:
        return fold(company)
    return fold(f"{last_name} {first_name}") or fold(company)


SEARCH_KEY_FIELDS = (
    "search_name",
    "first_key",
    "last_key",
    "company_key",
    "phone_digits",
    "search_text",
)


def contact_search_key(kind: str, value: str) -> str:
    """What search matches for an additional email (lower-cased) or phone (national digits)."""
    if kind == "phone":
        return phone_digits(value)[:20]
    return (value or "").strip().lower()


def _contact_keys(customer) -> list[str]:
    """The search keys of the customer's additional emails and phones (prefetched ones when
    present; none for an unsaved customer)."""
    if customer.pk is None:
        return []
    cache = getattr(customer, "_prefetched_objects_cache", {})
    if "contacts" in cache:
        return [c.search_key for c in cache["contacts"]]
    from caredesk.customers.models import ContactPoint

    return list(
        ContactPoint.objects.filter(customer_id=customer.pk)
        .order_by("pk")
        .values_list("search_key", flat=True)
    )


def customer_search_fields(customer, *, contacts: list[str] | None = None) -> dict:
    """The denormalised search columns of `customer` as {field: value}:

    - `search_name`: folded sort name (see `sort_name`), also the last-name/business prefix key;
    - `first_key`, `last_key`, `company_key`: the folded names (`Peña` -> `pena`), which the
      advanced search's name patterns match, so accents and case never matter;
    - `phone_digits`: national digits of the primary phone (`9171234567`);
    - `search_text`: folded member ID, names, nickname, business, contact, email and phone
      digits, and the additional emails and phones, the text that fragment search (trigram /
      FTS5) looks in.

    `contacts` are the additional contact points' search keys; by default they are read
    from the database (a bulk loader that has none passes `[]`).
    """
    digits = phone_digits(customer.phone) if customer.phone else ""
    if contacts is None:
        contacts = _contact_keys(customer)
    parts = [
        customer.member_id,
        customer.first_name,
        customer.last_name,
        customer.nickname,
        customer.company,
        customer.contact_name,
        customer.email,
        digits,
        *contacts,
    ]
    return {
        "search_name": sort_name(
            account_type=customer.account_type,
            first_name=customer.first_name,
            last_name=customer.last_name,
            company=customer.company,
        )[:200],
        "first_key": fold(customer.first_name)[:100],
        "last_key": fold(customer.last_name)[:100],
        "company_key": fold(customer.company)[:200],
        "phone_digits": digits[:20],
        "search_text": search_fold(" ".join(p for p in parts if p)),
    }


def apply_search_fields(customer) -> None:
    """Set the search columns on the instance (before it is saved)."""
    for name, value in customer_search_fields(customer).items():
        setattr(customer, name, value)


def search_keys_refresh(customer) -> None:
    """Save the customer's search columns again, after its additional emails or phones
    changed (the caller's transaction; no version bump of its own)."""
    apply_search_fields(customer)
    type(customer).objects.filter(pk=customer.pk).update(
        **{name: getattr(customer, name) for name in SEARCH_KEY_FIELDS}
    )
