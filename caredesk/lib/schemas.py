"""Building blocks for API request and response schemas, so every endpoint has the same
contract (SPEC §11):

- `StrictIn`: a request body that refuses fields it does not take (422 naming the field);
- `ShortText`, `Text`, `LongText`, `Code`: strings with a documented maximum length that refuse
  control characters (NUL and friends; tab and newline only where text may span lines);
- `Quantity`, `Amount`: strict numbers with documented bounds (`"3"` or `true` is not a number;
  an amount has at most two decimal places and a sane maximum);
- `Page`: the one list pagination, answering `{"count", "results"}` with a bounded
  `limit` (1..200) and `offset` (0..1,000,000).
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StrictInt, StringConstraints

_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
MAX_AMOUNT = Decimal("999999999.99")
MAX_ROW_ID = 2**63 - 1
MAX_PAGE = 20_000  # page numbers of the page-numbered lists (search, activity, blocklist)


def _single_line(value: str) -> str:
    if _CONTROL_LINE.search(value):
        raise ValueError("must not contain control characters")
    return value


def _multi_line(value: str) -> str:
    if _CONTROL_TEXT.search(value):
        raise ValueError("must not contain control characters")
    return value


def _not_bool(value: Any) -> Any:
    """Pydantic reads `true` as 1 for a Decimal: an amount must be a number or a string."""
    if isinstance(value, bool):
        raise ValueError("must be a number")
    return value


# A code, SKU, reference or other identifier.
Code = Annotated[str, StringConstraints(max_length=64), AfterValidator(_single_line)]
# A name, subject, label: one line.
ShortText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_single_line)]
# A reason or note: may span lines.
Text = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_multi_line)]
# A message body.
LongText = Annotated[str, StringConstraints(max_length=20000), AfterValidator(_multi_line)]

Quantity = Annotated[StrictInt, Field(ge=1, le=100_000, description="1..100,000")]
Amount = Annotated[
    Decimal,
    BeforeValidator(_not_bool),
    Field(
        gt=0,
        le=MAX_AMOUNT,
        max_digits=11,
        decimal_places=2,
        description=f"more than 0, at most {MAX_AMOUNT}, at most 2 decimal places",
    ),
]
# A list price: like an amount, and zero is allowed (a free item).
Price = Annotated[
    Decimal,
    BeforeValidator(_not_bool),
    Field(
        ge=0,
        le=MAX_AMOUNT,
        max_digits=11,
        decimal_places=2,
        description=f"0..{MAX_AMOUNT}, at most 2 decimal places",
    ),
]
# The id of a row (a line, a part, a window): a positive 64-bit integer.
RowId = Annotated[StrictInt, Field(ge=1, le=MAX_ROW_ID)]


class StrictIn(Schema):
    """A request body: unknown fields are refused, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Page(LimitOffsetPagination):
    """`@paginate(Page)`: `{"count": N, "results": [...]}` with bounded limit and offset."""

    items_attribute = "results"

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"1..{MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"0..{MAX_OFFSET}")

    class Output(Schema):
        count: int
        results: list[Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class Error(Schema):
    """The one error shape: `{"detail", "code"}`, with `field` when one input is at fault."""

    detail: str
    code: str
    field: str | None = None
