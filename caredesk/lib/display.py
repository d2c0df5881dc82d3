"""The one date format and the one money format (SPEC §10), for templates (`display_tags`,
loaded as a template builtin), event renderers, emails and chat alerts alike.

Dates read `Mon 15 Dec 2026`, times `Mon 15 Dec 2026, 14:05` in the business time zone; money
reads `₱1,234.50` in `CAREDESK_CURRENCY`. Money typed by a person may carry thousands
separators and a currency sign: `parse_money("₱1,000.50")`.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone

from caredesk.lib.errors import Invalid

SYMBOLS = {"PHP": "₱", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
CENT = Decimal("0.01")


def currency_symbol() -> str:
    code = settings.CAREDESK_CURRENCY
    return SYMBOLS.get(code, f"{code} ")


def money(value) -> str:
    """`Decimal("-1234.5")` -> `-₱1,234.50`; None or "" -> "" (nothing to show)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency_symbol()}{abs(amount):,.2f}"


def parse_money(text: str, *, field: str = "amount") -> Decimal:
    """A typed amount: "1,000", "1000.50", "₱ 1,000.5" -> Decimal with 2 places. More than two
    decimal places, or anything that is not an amount, is refused naming `field`."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    cleaned = cleaned.removeprefix(currency_symbol().strip()).removeprefix("PHP")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise Invalid("Enter an amount such as 1,000.50.", field=field) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise Invalid("Enter an amount with at most two decimal places.", field=field)
    if abs(amount) >= Decimal("1000000000"):
        raise Invalid("That amount is too large.", field=field)
    return amount.quantize(CENT)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _from_iso(value):
    """An ISO string as a datetime; anything else (or a string that is not one) as it is."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return value


def day(value) -> str:
    """`Mon 15 Dec 2026` for a date, a datetime or an ISO string; "" for nothing."""
    value = _from_iso(value)
    if isinstance(value, datetime):
        value = _local(value).date()
    if isinstance(value, date):
        return value.strftime("%a %-d %b %Y")
    return str(value) if value else ""


def when(value) -> str:
    """`Mon 15 Dec 2026, 14:05` in the business time zone; a plain date reads as `day`."""
    value = _from_iso(value)
    if isinstance(value, datetime):
        value = _local(value)
        return f"{day(value)}, {value.strftime('%H:%M')}"
    return day(value)


def clock(value) -> str:
    """`14:05` for a time or a datetime (business time zone)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return value.strftime("%H:%M")
