"""Value normalisation: any way a Philippine mobile is typed is one E.164 number; card-number
detection; IP ranges as ordered hex."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caredesk.customers.values import (
    card_parse,
    ip_hex,
    ip_range,
    looks_like_card_number,
    phone_local,
    phone_normalise,
)
from caredesk.lib.errors import Invalid

separators = st.sampled_from(["", " ", "-", ".", "  "])


@given(
    subscriber=st.integers(min_value=0, max_value=9_999_999),
    prefix=st.sampled_from(["0", "+63", "63", "+63 ", "(0)"]),
    sep1=separators,
    sep2=separators,
)
def test_every_typing_of_a_mobile_is_one_number(subscriber, prefix, sep1, sep2):
    digits = f"{subscriber:07d}"
    typed = f"{prefix}917{sep1}{digits[:3]}{sep2}{digits[3:]}"
    if prefix == "(0)":
        typed = f"(0917){sep1}{digits[:3]}{sep2}{digits[3:]}"
    assert phone_normalise(typed) == f"+63917{digits}"
    assert phone_local(f"+63917{digits}") == f"0917 {digits[:3]} {digits[3:]}"


@pytest.mark.parametrize("bad", ["12345", "0917 123", "+1 555", "hello", "0917 123 45678 9"])
def test_invalid_phones_are_refused(bad):
    with pytest.raises(Invalid):
        phone_normalise(bad)


def test_card_numbers_are_recognised_by_length_and_luhn():
    assert looks_like_card_number("4111 1111 1111 1111")
    assert looks_like_card_number("my card 5500-0000-0000-0004 ok")
    assert not looks_like_card_number("4111 1111 1111 1112")  # fails Luhn
    assert not looks_like_card_number("+639171234567")


def test_card_parse_accepts_two_digit_years():
    assert card_parse("Visa 4242 3/29 Dela  Cruz").value == "visa|4242|03/2029|dela cruz"


@given(a=st.ip_addresses(), b=st.ip_addresses())
def test_ip_hex_keeps_numeric_order_across_families(a, b):
    def as_v6(x):
        return int(ipaddress.IPv6Address(f"::ffff:{x}")) if x.version == 4 else int(x)

    assert (ip_hex(a) < ip_hex(b)) == (as_v6(a) < as_v6(b))


def test_ip_range_bounds():
    start, end = ip_range(ipaddress.ip_network("10.0.0.0/8"))
    assert start <= ip_hex(ipaddress.ip_address("10.255.0.1")) <= end
    assert not start <= ip_hex(ipaddress.ip_address("11.0.0.0")) <= end
