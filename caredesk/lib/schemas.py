"""Building blocks for API request and response schemas, so every endpoint has the same
contract (SPEC §11):

- `StrictIn`: a request body that refuses fields it does not take (422 naming the field);
  `patch_of(...)`, the PATCH body of a create body (each field optional);
- `ShortText`, `Text`, `LongText`, `Code`: strings with a documented maximum length that refuse
  control characters (NUL and friends; tab and newline only where text may span lines);
- `Quantity`, `Amount`: strict numbers with documented bounds (`"3"` or `true` is not a number;
  an amount has at most two decimal places and a sane maximum);
- `Page`: the one list pagination, answering `{"count", "results"}` with a bounded
  `limit` (1..200) and `offset` (0..1,000,000); `Mapped`, a queryset it pages lazily.
"""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, get_type_hints

from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    create_model,
)

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


def _json_integer(value: Any) -> Any:
    """A JSON integer (`3`, or `3.0`, which JSON also calls an integer); never `"3"` or
    `true`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be an integer")
    return value


def _money_schema(*, minimum: str, exclusive: bool) -> WithJsonSchema:
    """Amounts as the OpenAPI document shows them: a number, or a string of digits with at most
    two decimal places."""
    number: dict[str, Any] = {"type": "number", "maximum": float(MAX_AMOUNT), "multipleOf": 0.01}
    number["exclusiveMinimum" if exclusive else "minimum"] = float(minimum)
    positive = r"(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,8}(\.[0-9]{1,2})?)"
    zero = r"|0(\.0{1,2})?" if not exclusive else ""
    string = {"type": "string", "pattern": f"^({positive}{zero})$"}
    return WithJsonSchema({"anyOf": [number, string]})


# The refusals above, documented in the OpenAPI schema as patterns (the validators give the
# friendlier message).
_LINE_SCHEMA = Field(json_schema_extra={"pattern": "^[^\\x00-\\x1f\\x7f]*$"})
_TEXT_SCHEMA = Field(json_schema_extra={"pattern": "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"})

# A code, SKU, reference or other identifier.
Code = Annotated[str, StringConstraints(max_length=64), AfterValidator(_single_line), _LINE_SCHEMA]
# A name, subject, label: one line.
ShortText = Annotated[
    str, StringConstraints(max_length=200), AfterValidator(_single_line), _LINE_SCHEMA
]
# A reason or note: may span lines.
Text = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_multi_line), _TEXT_SCHEMA]
# A message body.
LongText = Annotated[
    str, StringConstraints(max_length=20000), AfterValidator(_multi_line), _TEXT_SCHEMA
]

Quantity = Annotated[
    int, Field(ge=1, le=100_000, description="1..100,000"), BeforeValidator(_json_integer)
]


def _money(*, zero: bool, description: str):
    """An amount of money as a strict Decimal: at most `MAX_AMOUNT` and two decimal places,
    more than zero unless `zero` is allowed; `true` is not a number."""
    return Annotated[
        Decimal,
        BeforeValidator(_not_bool),
        Field(
            **({"ge": 0} if zero else {"gt": 0}),
            le=MAX_AMOUNT,
            max_digits=11,
            decimal_places=2,
            description=description,
        ),
        _money_schema(minimum="0", exclusive=not zero),
    ]


Amount = _money(
    zero=False, description=f"more than 0, at most {MAX_AMOUNT}, at most 2 decimal places"
)
# A list price: like an amount, and zero is allowed (a free item).
Price = _money(zero=True, description=f"0..{MAX_AMOUNT}, at most 2 decimal places")

# The id of a row (a line, a part, a window): a positive 64-bit integer.
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID), BeforeValidator(_json_integer)]


def _json_decimal(places: int):
    """A JSON number is a binary float: `0.57` arrives as 0.5700000000000001. A float within
    rounding of `places` decimals is that decimal; `true` is not a number."""

    def check(value: Any) -> Any:
        value = _not_bool(value)
        if isinstance(value, float):
            rounded = round(value, places)
            if abs(value - rounded) < 1e-9:
                return Decimal(f"{rounded:.{places}f}")
        return value

    return check


def BoundedDecimal(
    *, minimum: str, maximum: str, places: int, pattern: str, exclusive: bool = False
):
    """A decimal with documented bounds and decimal places: in the OpenAPI document a number
    (`minimum`/`maximum`/`multipleOf`) or a string matching `pattern` (which must keep within
    the same bounds), so a schema-valid value is never refused with a 422."""
    low, high = Decimal(minimum), Decimal(maximum)
    digits = len(str(int(max(abs(low), abs(high))))) + places
    bound = {"gt": low} if exclusive else {"ge": low}
    number: dict[str, Any] = {"type": "number", "maximum": float(high), "multipleOf": 10**-places}
    number["exclusiveMinimum" if exclusive else "minimum"] = float(low)
    return Annotated[
        Decimal,
        BeforeValidator(_json_decimal(places)),
        Field(
            **bound,
            le=high,
            max_digits=digits,
            decimal_places=places,
            description=f"{minimum}..{maximum}, at most {places} decimal places",
        ),
        WithJsonSchema({"anyOf": [number, {"type": "string", "pattern": f"^({pattern})$"}]}),
    ]


class UnknownFields(ValueError):
    """Raised by a model validator that refuses extra keys itself; reported per field."""

    message = "Extra inputs are not permitted"

    def __init__(self, names: list[str]):
        super().__init__(f"{self.message}: {', '.join(names)}")
        self.names = names


class StrictIn(Schema):
    """A request body: unknown fields are refused, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


def patch_of(
    schema: type[BaseModel],
    *,
    name: str,
    doc: str | None = None,
    leave_out: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
) -> type[StrictIn]:
    """The body of a PATCH of what `schema` creates: each of its fields (but `leave_out`, what
    never changes) optional and `null` when not sent, so only the fields sent change; then
    `extra`, fields a create does not take (`{"active": bool | None}`); `doc`, its description
    in the OpenAPI document. A field added to the create body can be changed at once. Fields
    keep their type (bounds, refused characters), not a `Field()` default or description."""
    hints = get_type_hints(schema, include_extras=True)
    fields: dict[str, Any] = {
        field: (hints[field] | None, None)
        for field in schema.model_fields
        if field not in leave_out
    }
    fields.update((field, (kind, None)) for field, kind in (extra or {}).items())
    return create_model(
        name, __base__=StrictIn, __doc__=doc, __module__=schema.__module__, **fields
    )


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"1..{MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"0..{MAX_OFFSET}")


class Page(LimitOffsetPagination):
    """`@paginate(Page)`: `{"count": N, "results": [...]}` with bounded limit and offset."""

    items_attribute = "results"
    Input = PageQuery

    class Output(Schema):
        count: int
        results: list[Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class Mapped:
    """What an endpoint under `@paginate(Page)` returns for a queryset whose rows it answers
    with `each(row)`: the paginator counts it, then slices one page, and only that page's rows
    are read and mapped. `page(rows)` instead answers one page's rows at once (when mapping
    them needs a query of its own per page, not per row)."""

    def __init__(
        self,
        qs,
        each: Callable[[Any], Any] | None = None,
        *,
        page: Callable[[list], list] | None = None,
    ):
        if (each is None) == (page is None):
            raise TypeError("Mapped takes either `each` or `page`.")
        self.qs = qs
        self.each = each
        self.page = page

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if self.page is not None:
            return self.page(list(self.qs[item]))
        return [self.each(row) for row in self.qs[item]]


class FieldError(Schema):
    field: str | None
    message: str


class Error(Schema):
    """The one error shape: `{"detail", "code"}`, with `field` when one input is at fault
    (and, for a 422, `errors`: every field at fault)."""

    detail: str
    code: str
    field: str | None = None
    errors: list[FieldError] | None = None
