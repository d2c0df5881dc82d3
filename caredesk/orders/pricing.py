"""The one place order money is computed (SPEC §3): subtotal, discounts, VAT, delivery fee,
total, paid (recorded payments minus recorded refunds), balance, balance due and refund due.
Everything is `Decimal` rounded half-up to 2 places (PHP centavos).

VAT is inclusive by default (prices already contain it; `tax` is the VAT share of the total);
with `CAREDESK_VAT_INCLUSIVE=false` VAT is added on top.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """A Decimal with exactly 2 places (half-up). Floats are refused: they are not exact."""
    if isinstance(value, float):
        raise TypeError("money must not be built from a float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def has_at_most_2_places(value: Decimal) -> bool:
    """False for anything with a third decimal place, and for values too large to quantize
    (`1e308`), which no amount field accepts anyway."""
    if not value.is_finite():
        return False
    try:
        return value == value.quantize(CENT)
    except InvalidOperation:
        return False


@dataclass(frozen=True)
class PricedLine:
    quantity: int
    unit_price: Decimal
    discount: Decimal = ZERO

    @property
    def gross(self) -> Decimal:
        return money(self.unit_price * self.quantity)

    @property
    def total(self) -> Decimal:
        return money(self.gross - self.discount)


def kept_line(quantity: int, unit_price: Decimal, discount: Decimal, returned: int = 0):
    """The part of a delivered line the customer keeps once `returned` units came back: the
    kept units at the line's unit price, with the line's discount shared in proportion (all
    of it while nothing is returned, none once everything is)."""
    if not returned:
        return PricedLine(quantity, unit_price, discount)
    kept = max(quantity - returned, 0)
    return PricedLine(kept, unit_price, money(Decimal(discount) * kept / quantity))


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    tax: Decimal
    delivery_fee: Decimal
    total: Decimal
    paid: Decimal
    balance: Decimal

    @property
    def refund_due(self) -> Decimal:
        return max(-self.balance, ZERO)

    @property
    def balance_due(self) -> Decimal:
        return max(self.balance, ZERO)

    def as_dict(self) -> dict[str, Decimal]:
        return asdict(self)


def vat_rate() -> Decimal:
    return Decimal(settings.CAREDESK_VAT_RATE)


def net_paid(payments: Decimal, refunds: Decimal = ZERO) -> Decimal:
    """What the customer has paid net: recorded payments minus recorded refunds."""
    return money(money(payments) - money(refunds))


def dues(*, paid: Decimal, balance: Decimal, cancelled: bool) -> tuple[Decimal, Decimal]:
    """(balance due, refund due) of an order. A cancelled order owes nothing and everything
    paid on it is due back; otherwise the negative part of the balance is due back. Never
    both positive."""
    if cancelled:
        return ZERO, max(money(paid), ZERO)
    return max(money(balance), ZERO), max(-money(balance), ZERO)


def price(lines: Iterable[PricedLine], *, delivery_fee: Decimal, paid: Decimal = ZERO) -> Totals:
    """Totals of an order. `paid` is `net_paid` of the recorded (not reported, not reversed)
    payments and refunds; `balance = total - paid` (negative means a refund is due)."""
    lines = list(lines)
    subtotal = money(sum((line.gross for line in lines), ZERO))
    discounts = money(sum((line.discount for line in lines), ZERO))
    fee = money(delivery_fee)
    net = subtotal - discounts + fee
    rate = vat_rate()
    if settings.CAREDESK_VAT_INCLUSIVE:
        total = money(net)
        tax = money(total * rate / (1 + rate))
    else:
        tax = money(net * rate)
        total = money(net + tax)
    paid = money(paid)
    return Totals(
        subtotal=subtotal,
        discount_total=discounts,
        tax=tax,
        delivery_fee=fee,
        total=total,
        paid=paid,
        balance=money(total - paid),
    )


@dataclass(frozen=True)
class OrderFigures:
    """What the customer still owes and what we owe back, for a stored order."""

    paid: Decimal
    balance: Decimal
    balance_due: Decimal
    refund_due: Decimal


def stored_totals(order) -> Totals:
    """The totals stored on an order (kept equal to `price(...)` by the services)."""
    return Totals(
        subtotal=order.subtotal,
        discount_total=order.discount_total,
        tax=order.tax,
        delivery_fee=order.delivery_fee,
        total=order.total,
        paid=order.paid,
        balance=order.balance,
    )


def order_figures(order) -> OrderFigures:
    """Balance due and refund due of a stored order (its `paid` and `balance` columns are
    kept equal to `price(...)` by the services). A cancelled order owes nothing and refunds
    everything paid; otherwise a negative balance is an overpayment to refund."""
    paid, balance = money(order.paid), money(order.balance)
    balance_due, refund_due = dues(
        paid=paid, balance=balance, cancelled=order.status == "cancelled"
    )
    return OrderFigures(paid=paid, balance=balance, balance_due=balance_due, refund_due=refund_due)
