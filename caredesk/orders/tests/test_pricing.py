from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caredesk.orders.pricing import PricedLine, money, price

D = Decimal


def test_vat_inclusive_default_splits_the_total():
    totals = price([PricedLine(2, D("1250.00"))], delivery_fee=D("150.00"))
    assert totals.subtotal == D("2500.00")
    assert totals.total == D("2650.00")
    assert totals.tax == D("283.93")  # 2650 * 12 / 112
    assert totals.balance == D("2650.00")


def test_vat_exclusive_adds_on_top(settings):
    settings.CAREDESK_VAT_INCLUSIVE = False
    totals = price([PricedLine(1, D("100.00"))], delivery_fee=D("0"))
    assert totals.tax == D("12.00")
    assert totals.total == D("112.00")


def test_discount_and_overpayment_make_refund_due():
    totals = price(
        [PricedLine(3, D("349.50"), D("48.50"))], delivery_fee=D("150.00"), paid=D("2000")
    )
    assert totals.subtotal == D("1048.50")
    assert totals.discount_total == D("48.50")
    assert totals.total == D("1150.00")
    assert totals.balance == D("-850.00")
    assert totals.refund_due == D("850.00")
    assert totals.balance_due == D("0.00")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        money(0.1)


@given(
    st.lists(
        st.tuples(st.integers(1, 50), st.decimals(min_value=0, max_value=100000, places=2)),
        max_size=8,
    ),
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=0, max_value=10**6, places=2),
)
def test_totals_are_exact_and_consistent(lines, fee, paid):
    totals = price([PricedLine(q, p) for q, p in lines], delivery_fee=fee, paid=paid)
    assert totals.total == totals.subtotal - totals.discount_total + totals.delivery_fee
    assert totals.balance == totals.total - totals.paid
    for value in totals.as_dict().values():
        assert value == value.quantize(D("0.01"))
    assert D(0) <= totals.tax <= totals.total
