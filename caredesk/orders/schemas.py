"""API input and output schemas of the orders endpoints."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class CatalogOut(Schema):
    sku: str
    name: str
    price: Decimal
    active: bool


class CatalogIn(Schema):
    sku: str
    name: str
    price: Decimal
    active: bool = True


class LineIn(Schema):
    sku: str | None = None
    part: int | None = None
    quantity: int = 1


class OrderIn(Schema):
    customer: str
    branch: str
    kind: str = "sale"
    lines: list[LineIn]
    requested_delivery_on: date | None = None
    window: int | None = None


class LineOut(Schema):
    id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
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


class EventOut(Schema):
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
    timeline: list[EventOut]
    actions: dict[str, dict] = {}


class AmendmentIn(Schema):
    op: str
    line: int | None = None
    quantity: int | None = None
    sku: str | None = None
    part: int | None = None
    requested_delivery_on: date | None = None
    scheduled_delivery_on: date | None = None
    reason: str = ""


class PreviewOut(Schema):
    summary: str
    version: int
    line_before: dict | None
    line_after: dict | None
    dates: dict
    before: TotalsOut
    after: TotalsOut


class TransitionIn(Schema):
    to: str
    reason: str = ""
    reason_code: str = ""
    parts_to_return: bool | None = None


class PaymentIn(Schema):
    amount: str | Decimal = Field(..., description="> 0, at most 2 decimal places")
    method: str
    reference: str = ""
    card_last4: str = ""
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


class ReverseIn(Schema):
    reason: str


class ReasonIn(Schema):
    reason: str


class NoteIn(Schema):
    note: str


class TrackingLinkOut(Schema):
    url: str


class CallIn(Schema):
    action: str = Field(..., description="park | transfer | void")
    to: str = Field("", description="username of the agent, for transfer")


class WindowOut(Schema):
    id: int
    zone: str
    date: date
    starts_at: str
    ends_at: str
    capacity: int
    booked: int
    free: int


class WindowPatch(Schema):
    capacity: int


class WindowIn(Schema):
    zone: str
    date: date
    starts_at: str
    ends_at: str
    capacity: int = 4
