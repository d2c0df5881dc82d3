"""Customer search (SPEC §2 "Search"): the instant box and the advanced form, over one
interface with a PostgreSQL and a SQLite implementation (see backends.py).

Call `customers_instant(q=...)`, `customers_search(criteria=..., ...)` or
`customers_instant_page(q=...)`; writers of customer rows keep the search columns right with
`customer_search_fields(customer)` (Customer.save() does it). Other apps add exact-match
lookups for the instant box (e.g. order numbers) with `instant_exact_lookup_register`.
"""

from .backends import CAP, SearchPage, backend, instant_exact_lookup_register
from .criteria import Criteria, criteria_clean
from .fields import (
    customer_search_fields,
    fold,
    phone_digits,
    phone_local,
    search_keys_refresh,
)

__all__ = [
    "CAP",
    "Criteria",
    "SearchPage",
    "criteria_clean",
    "customer_search_fields",
    "customers_instant",
    "customers_instant_page",
    "customers_search",
    "fold",
    "instant_exact_lookup_register",
    "phone_digits",
    "phone_local",
    "search_keys_refresh",
]


def customers_instant(*, q: str, limit: int = 15) -> list:
    """Best matches for the type-ahead box (exact, then prefix, then fragment)."""
    return backend().instant(q, limit=limit)


def customers_instant_page(*, q: str, page: int = 1, limit: int = 50) -> SearchPage:
    """The instant ranking as a page of the full results (Enter in the box, API `q`)."""
    return backend().instant_page(q, page=page, limit=limit)


def customers_search(
    *, criteria: Criteria, sort: str = "name", page: int = 1, limit: int = 50
) -> SearchPage:
    """Customers meeting every advanced criterion (AND), sorted, one page; count capped."""
    return backend().advanced(criteria, sort=sort, page=page, limit=limit)
