"""Normalising the values customers give us: phones, emails, cards and IP addresses.

Each function either returns the one canonical form that is stored and compared (so the same
phone typed three ways is one value) or raises `Invalid` naming the field. Error messages never
repeat what looked like a card number.
"""

import ipaddress
import re
from dataclasses import asdict, dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from caredesk.lib.errors import Invalid

PHONE_REGION = "PH"
CARD_BRANDS = ("visa", "mastercard", "amex", "jcb", "other")
_PAN = re.compile(r"(?:\d[ \-.]?){13,19}")


def phone_normalise(raw: str, *, field: str = "phone") -> str:
    """E.164 for a phone typed in any common Philippine way (`0917 123 4567`,
    `+63 917 123 4567`, `639171234567`, dashes/spaces/brackets ignored); "" for blank."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise Invalid(
            "This is not a valid phone number (e.g. 0917 123 4567 or +63 917 123 4567).",
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_local(e164: str) -> str:
    """`+639171234567` -> `0917 123 4567`; foreign numbers in international format."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == PHONE_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email_normalise(raw: str, *, field: str = "email") -> str:
    """A valid address, lower-cased (the whole address: customers type it in any case)."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise Invalid("Enter a valid email address.", field=field) from None
    return text.lower()


def looks_like_card_number(text) -> bool:
    """True when `text` holds a run of 13-19 digits (spaces/dashes allowed) passing the Luhn
    check: a primary account number that must never be stored."""
    for match in _PAN.finditer(str(text or "")):
        digits = re.sub(r"\D", "", match.group(0))
        if 13 <= len(digits) <= 19 and _luhn_ok(digits):
            return True
    return False


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@dataclass(frozen=True)
class CardKey:
    """What identifies a card on file and on the blocklist; never more than this."""

    brand: str
    last4: str
    exp_month: int
    exp_year: int
    holder_last_name: str

    @classmethod
    def of(cls, card) -> "CardKey":
        """The key of a card on file (or anything with the same attributes)."""
        return cls(card.brand, card.last4, card.exp_month, card.exp_year, card.holder_last_name)

    def fields(self) -> dict:
        """The key as `Card` field values, to look up or store a card on file."""
        return asdict(self)

    @property
    def value(self) -> str:
        """The blocklist form: `visa|4242|03/2029|dela cruz` (holder compared case-blind)."""
        holder = " ".join(self.holder_last_name.split()).lower()
        return f"{self.brand}|{self.last4}|{self.exp_month:02d}/{self.exp_year}|{holder}"


CARD_FULL_NUMBER_MESSAGE = (
    "Never enter a full card number: give only the brand, the last 4 digits, the expiry and the "
    "holder's last name."
)


def card_validate(card: dict, *, field: str = "cards.0") -> CardKey:
    """Check one card given as brand, last4, exp_month, exp_year, holder_last_name. Anything
    with more than 4 digits in a row in any field is refused as a possible full card number."""
    if not isinstance(card, dict):
        raise Invalid("A card is brand, last 4, expiry and holder last name.", field=field)
    for key, value in card.items():
        if len(re.sub(r"\D", "", str(value if value is not None else ""))) > 4:
            raise Invalid(CARD_FULL_NUMBER_MESSAGE, field=f"{field}.{key}", code="card_number")
    brand = str(card.get("brand") or "").strip().lower()
    if brand not in CARD_BRANDS:
        raise Invalid(
            f"Card brand must be one of: {', '.join(CARD_BRANDS)}.", field=f"{field}.brand"
        )
    last4 = str(card.get("last4") or "").strip()
    if not re.fullmatch(r"\d{4}", last4):
        raise Invalid("Give exactly the last 4 digits of the card.", field=f"{field}.last4")
    try:
        exp_month = int(card.get("exp_month"))
    except (TypeError, ValueError):
        exp_month = 0
    if not 1 <= exp_month <= 12:
        raise Invalid("Expiry month must be 1 to 12.", field=f"{field}.exp_month")
    try:
        exp_year = int(card.get("exp_year"))
    except (TypeError, ValueError):
        exp_year = 0
    if 0 <= exp_year < 100:
        exp_year += 2000
    if not 2000 <= exp_year <= 2100:
        raise Invalid("Expiry year must be like 2029.", field=f"{field}.exp_year")
    holder = " ".join(str(card.get("holder_last_name") or "").split())
    if len(holder) > 100:
        raise Invalid("Holder last name is too long.", field=f"{field}.holder_last_name")
    return CardKey(brand, last4, exp_month, exp_year, holder)


_CARD_TEXT = re.compile(
    r"^\s*(?P<brand>[A-Za-z]+)\s+(?P<last4>\d{4})\s+(?P<month>\d{1,2})\s*/\s*(?P<year>\d{2,4})"
    r"\s*(?P<holder>.*?)\s*$"
)


def card_parse(text: str, *, field: str = "value") -> CardKey:
    """A card typed as one line, `visa 4242 03/2029 Dela Cruz` (the blocklist form)."""
    if looks_like_card_number(text) or re.search(r"\d{5,}", str(text or "")):
        raise Invalid(CARD_FULL_NUMBER_MESSAGE, field=field, code="card_number")
    match = _CARD_TEXT.match(str(text or ""))
    if not match:
        raise Invalid(
            "Write a card as: brand, last 4, expiry and holder last name, "
            "e.g. visa 4242 03/2029 Dela Cruz.",
            field=field,
        )
    return card_validate(
        {
            "brand": match["brand"],
            "last4": match["last4"],
            "exp_month": match["month"],
            "exp_year": match["year"],
            "holder_last_name": match["holder"],
        },
        field=field,
    )


def ip_network(raw: str, *, field: str = "value") -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """An address or a CIDR range (IPv4 or IPv6); host bits in a range are refused."""
    text = (raw or "").strip()
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        raise Invalid(
            "Enter an IP address or a range in CIDR form, e.g. 203.0.113.7, 203.0.113.0/24 "
            "or 2001:db8::/32.",
            field=field,
        ) from None


def ip_hex(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Fixed-width hex of the address in IPv6 space (IPv4 mapped to ::ffff:0:0/96), so string
    order is numeric order and one index serves both families."""
    if isinstance(address, ipaddress.IPv4Address):
        address = ipaddress.IPv6Address(f"::ffff:{address}")
    return f"{int(address):032x}"


def ip_range(network) -> tuple[str, str]:
    return ip_hex(network.network_address), ip_hex(network.broadcast_address)


def ip_normalise(raw: str, *, field: str = "ip") -> str:
    """One address in its compressed canonical form (IPv4-mapped IPv6 becomes IPv4)."""
    try:
        address = ipaddress.ip_address((raw or "").strip())
    except ValueError:
        raise Invalid("Enter a valid IP address.", field=field) from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)
