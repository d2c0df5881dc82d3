"""Fixtures of the privacy tests: the orders app's customers, catalog and orders."""

from caredesk.orders.tests.conftest import (  # noqa: F401
    branch,
    catalog,
    customer,
    make_customer,
    make_order,
)
