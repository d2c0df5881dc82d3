"""API input and output schemas of the orders endpoints."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from caredesk.lib.schemas import (
    Amount,
    Code,
    Price,
    Quantity,
    RowId,
    ShortText,
    StrictIn,
    Text,
)


class CatalogOut(Schema):
    sku: str
    name: str
    price: Decimal
    active: bool


class CatalogIn(StrictIn):
    sku: Code
    name: ShortText
    price: Price
    active: bool = True


class LineIn(StrictIn):
    sku: Code | None = None
    part: RowId | None = None
    quantity: Quantity = 1


class OrderIn(StrictIn):
    customer: Code
    branch: Code
    kind: Code = "sale"
    lines: list[LineIn] = Field(..., max_length=200)
    requested_delivery_on: date | None = None
    window: RowId | None = None
    # A referral link's code: the new order is credited to it (400 when no such link).
    referral: Code = ""


class LineOut(Schema):
    id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    returned: int = Field(0, description="Units received back on returns (not billed)")
    total: Decimal
    part: int | None


class PaymentOut(Schema):
    id: int
    method: str
    amount: Decimal
    card_last4: str
    reference: str
    received_at: datetime
    status: str
    reversal_reason: str


class AlertOut(Schema):
    id: int
    kind: str
    message: str
    system: bool
    raised_at: datetime
    cleared_at: datetime | None
    clear_note: str


class OrderEventOut(Schema):
    at: datetime
    actor: str
    action: str
    text: str = ""
    before: dict | None
    after: dict | None
    reason: str
    version: int | None


class TotalsOut(Schema):
    subtotal: Decimal
    discount_total: Decimal
    tax: Decimal
    delivery_fee: Decimal
    total: Decimal
    paid: Decimal
    balance: Decimal
    refund_due: Decimal
    balance_due: Decimal


class OrderSummaryOut(Schema):
    number: str
    kind: str
    status: str
    version: int
    customer: str
    customer_name: str
    total: Decimal
    balance: Decimal
    line_count: int
    suspended: bool
    updated_at: datetime
    assigned_to: str | None
    locked_by: str | None


class OrderOut(OrderSummaryOut):
    branch: str
    requested_delivery_on: date | None
    scheduled_delivery_on: date | None
    suspended_reason: str
    cancel_reason_code: str
    cancel_reason: str
    parts_to_return: bool | None
    currency: str
    totals: TotalsOut
    lines: list[LineOut]
    payments: list[PaymentOut]
    alerts: list[AlertOut]
    timeline: list[OrderEventOut]
    actions: dict[str, dict] = {}


class AmendmentIn(StrictIn):
    op: Code
    line: RowId | None = None
    quantity: Quantity | None = None
    sku: Code | None = None
    part: RowId | None = None
    requested_delivery_on: date | None = None
    scheduled_delivery_on: date | None = None
    reason: Text = ""


class PreviewOut(Schema):
    summary: str
    version: int
    line_before: dict | None
    line_after: dict | None
    dates: dict
    before: TotalsOut
    after: TotalsOut


class TransitionIn(StrictIn):
    to: Code
    reason: Text = ""
    reason_code: Code = ""
    parts_to_return: bool | None = None


class PaymentIn(StrictIn):
    amount: Amount
    method: Code
    reference: ShortText = ""
    card_last4: Code = ""
    received_at: datetime | None = None


class PaymentAnswer(Schema):
    id: int
    method: str
    amount: str
    card_last4: str
    reference: str
    received_at: str
    status: str
    order: dict


class ReverseIn(StrictIn):
    reason: Text


class ReasonIn(StrictIn):
    reason: Text


class NoteIn(StrictIn):
    note: Text


class TrackingLinkOut(Schema):
    url: str


class CallIn(StrictIn):
    action: Code = Field(..., description="park | transfer | void")
    to: ShortText = Field("", description="username of the agent, for transfer")


class WindowOut(Schema):
    id: int
    zone: str
    date: date
    starts_at: str
    ends_at: str
    capacity: int
    booked: int
    free: int


class WindowPatch(StrictIn):
    capacity: Quantity


class WindowIn(StrictIn):
    zone: Code
    date: date
    starts_at: Code
    ends_at: Code
    capacity: Quantity = 4
