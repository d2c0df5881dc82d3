"""Order services: catalog, creation, amendments (with preview), status moves, suspension and
alerts. Each function is one business action in one transaction with its audit event."""

import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from caredesk.customers import policy as customer_policy
from caredesk.customers.models import Customer, RegisteredPart
from caredesk.lib.counters import counter_next
from caredesk.lib.errors import Conflict, Invalid
from caredesk.lib.policy import enforce
from caredesk.orders import policy, pricing
from caredesk.orders.models import (
    ZERO,
    Alert,
    CatalogItem,
    Kind,
    Order,
    OrderLine,
    OrderNumberCounter,
    Status,
)
from caredesk.orders.services.common import (
    alert_raise_locked,
    apply_totals,
    fraud_check,
    money_state,
    order_event,
    order_for_update,
    order_reprice,
    order_save,
    priced_lines,
    recorded_paid,
)
from caredesk.orders.services.holds import (
    has_delivery_date,
    missing_date_alerts_clear,
    suspend_locked,
)
from caredesk.orders.services.windows import window_book

MAX_QUANTITY = 9999

# --- Lines (pure, shared by amendments, their preview and order creation) -----------------


@dataclass
class LineDraft:
    """An order line being built or amended, before it is written."""

    id: int | None
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal = ZERO
    catalog_item_id: int | None = None
    part_id: int | None = None

    def label(self) -> str:
        return f"{self.quantity} x {self.sku} @ {self.unit_price}"

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "discount": self.discount,
            "total": pricing.PricedLine(self.quantity, self.unit_price, self.discount).total,
        }


def _quantity(value) -> int:
    try:
        qty = int(value)
    except (TypeError, ValueError):
        raise Invalid("Quantity must be a whole number.", field="quantity") from None
    if isinstance(value, float | Decimal) and value != qty:
        raise Invalid("Quantity must be a whole number.", field="quantity")
    if qty < 1:
        raise Invalid("Quantity must be at least 1.", field="quantity")
    if qty > MAX_QUANTITY:
        raise Invalid(f"Quantity must be at most {MAX_QUANTITY}.", field="quantity")
    return qty


def _catalog_item(sku) -> CatalogItem:
    sku = str(sku or "").strip().upper()
    if not sku:
        raise Invalid("Choose a SKU.", field="sku")
    item = CatalogItem.objects.filter(sku=sku).first()
    if item is None:
        raise Invalid(f"Unknown SKU {sku}.", code="unknown_sku", field="sku")
    if not item.active:
        raise Invalid(f"SKU {sku} is no longer sold.", code="inactive_sku", field="sku")
    return item


def lines_from_input(*, customer: Customer, lines: list[dict], parts: bool = True) -> list:
    """The new lines of an order (or a quote: `parts=False`, catalog SKUs only) from the
    posted `sku`, `part` and `quantity` of each; a refusal names its line (`lines.1.sku`)."""
    if not lines:
        raise Invalid("Add at least one line.", field="lines")
    drafts = []
    for i, line in enumerate(lines):
        part = line.get("part") if parts else None
        try:
            drafts.append(
                line_from_input(
                    customer=customer,
                    sku=line.get("sku"),
                    part=part,
                    quantity=line.get("quantity", 1),
                )
            )
        except Invalid as exc:
            raise Invalid(
                f"Line {i + 1}: {exc.detail}", code=exc.code, field=f"lines.{i}.{exc.field}"
            ) from None
    return drafts


def line_from_input(
    *, customer: Customer, sku=None, part=None, quantity=1, line_id=None
) -> LineDraft:
    """A new line from a catalog SKU, or from one of the customer's registered parts (priced
    with the SKU given, by default the standard service SKU). Price captured now."""
    qty = _quantity(quantity)
    if part not in (None, ""):
        try:
            part_obj = RegisteredPart.objects.get(pk=int(part), customer=customer)
        except (RegisteredPart.DoesNotExist, TypeError, ValueError):
            raise Invalid("That part is not registered to this customer.", field="part") from None
        if part_obj.status == RegisteredPart.Status.RETIRED:
            raise Invalid(f"{part_obj} is retired.", field="part")
        if part_obj.status == RegisteredPart.Status.IN_SERVICE:
            raise Conflict(
                f"{part_obj} is in service on another order; add it once it is back.",
                code="part_in_service",
                field="part",
            )
        item = _catalog_item(sku or settings.CAREDESK_PART_SERVICE_SKU)
        return LineDraft(
            id=line_id,
            sku=item.sku,
            name=f"{item.name}: {part_obj}"[:200],
            quantity=qty,
            unit_price=item.price,
            catalog_item_id=item.pk,
            part_id=part_obj.pk,
        )
    item = _catalog_item(sku)
    return LineDraft(
        id=line_id,
        sku=item.sku,
        name=item.name,
        quantity=qty,
        unit_price=item.price,
        catalog_item_id=item.pk,
    )


@dataclass(frozen=True)
class Amendment:
    """One change to an open order: set_quantity, swap_sku, add_line, remove_line, set_dates."""

    op: str
    line: int | None = None
    quantity: int | None = None
    sku: str | None = None
    part: int | None = None
    requested_delivery_on: date | None = None
    scheduled_delivery_on: date | None = None
    dates_given: frozenset[str] = field(default_factory=frozenset)


AMENDMENT_OPS = {
    "set_quantity": "Change quantity",
    "swap_sku": "Swap SKU",
    "add_line": "Add line",
    "remove_line": "Remove line",
    "set_dates": "Set delivery dates",
}


@dataclass
class AmendmentResult:
    lines: list[LineDraft]
    line_before: dict | None
    line_after: dict | None
    dates: dict  # field -> (before, after)
    summary: str


def _find(lines: list[LineDraft], line_id) -> LineDraft:
    try:
        wanted = int(line_id)
    except (TypeError, ValueError):
        raise Invalid("Say which line to change.", field="line") from None
    for ln in lines:
        if ln.id == wanted:
            return ln
    raise Invalid(f"Line {line_id} is not on this order.", field="line")


def amendment_apply(order: Order, lines: list[LineDraft], am: Amendment) -> AmendmentResult:
    """Apply an amendment to a copy of the lines (no writes). Validates the input."""
    lines = [replace(ln) for ln in lines]
    if am.op == "set_quantity":
        ln = _find(lines, am.line)
        qty = _quantity(am.quantity)
        if ln.part_id and qty != 1:
            raise Invalid(
                "A registered part is one item; add another part instead.", field="quantity"
            )
        before = ln.as_dict()
        ln.quantity = qty
        return AmendmentResult(
            lines, before, ln.as_dict(), {}, f"{ln.sku}: quantity {before['quantity']} → {qty}"
        )
    if am.op == "swap_sku":
        ln = _find(lines, am.line)
        item = _catalog_item(am.sku)
        before = ln.as_dict()
        ln.sku, ln.name, ln.unit_price = item.sku, item.name, item.price
        ln.catalog_item_id, ln.discount = item.pk, ZERO
        if ln.part_id:
            ln.name = f"{item.name}: {before['name'].split(': ', 1)[-1]}"[:200]
        return AmendmentResult(lines, before, ln.as_dict(), {}, f"{before['sku']} → {item.sku}")
    if am.op == "add_line":
        new = line_from_input(
            customer=order.customer, sku=am.sku, part=am.part, quantity=am.quantity or 1
        )
        lines.append(new)
        return AmendmentResult(lines, None, new.as_dict(), {}, f"added {new.label()}")
    if am.op == "remove_line":
        ln = _find(lines, am.line)
        enforce(policy.line_removal(len(lines)))
        lines.remove(ln)
        return AmendmentResult(lines, ln.as_dict(), None, {}, f"removed {ln.label()}")
    if am.op == "set_dates":
        if not am.dates_given:
            raise Invalid(
                "Give a requested or scheduled delivery date.", field="requested_delivery_on"
            )
        dates = {}
        for name in ("requested_delivery_on", "scheduled_delivery_on"):
            if name in am.dates_given:
                new_value = getattr(am, name)
                enforce(policy.delivery_date(new_value, field=name, current=getattr(order, name)))
                if new_value != getattr(order, name):
                    dates[name] = (getattr(order, name), new_value)
        if not dates:
            raise Invalid("The dates are unchanged.", field="requested_delivery_on")
        text = ", ".join(
            f"{k.replace('_', ' ')} {b or '—'} → {a or '—'}" for k, (b, a) in dates.items()
        )
        return AmendmentResult(lines, None, None, dates, text)
    raise Invalid(
        f"Unknown amendment {am.op!r}; use one of {', '.join(AMENDMENT_OPS)}.", field="op"
    )


def _drafts(order: Order) -> list[LineDraft]:
    return [
        LineDraft(
            id=ln.pk,
            sku=ln.sku,
            name=ln.name,
            quantity=ln.quantity,
            unit_price=ln.unit_price,
            discount=ln.discount,
            catalog_item_id=ln.catalog_item_id,
            part_id=ln.part_id,
        )
        for ln in order.lines.all()
    ]


@dataclass(frozen=True)
class Preview:
    """What an amendment would do, before anything is written."""

    summary: str
    line_before: dict | None
    line_after: dict | None
    dates: dict
    before: pricing.Totals
    after: pricing.Totals
    version: int


def amendment_preview(*, actor, order: Order, amendment: Amendment) -> Preview:
    """Line, tax, total and balance before -> after for an amendment. Writes nothing; applies
    the same checks as `order_amend` (permission, open status, valid input)."""
    enforce(policy.amend(actor, order))
    drafts = _drafts(order)
    result = amendment_apply(order, drafts, amendment)
    paid = recorded_paid(order)
    before = pricing.price(priced_lines(drafts), delivery_fee=order.delivery_fee, paid=paid)
    after = pricing.price(priced_lines(result.lines), delivery_fee=order.delivery_fee, paid=paid)
    return Preview(
        summary=result.summary,
        line_before=result.line_before,
        line_after=result.line_after,
        dates=result.dates,
        before=before,
        after=after,
        version=order.version,
    )


def order_amend(
    *, actor, order: Order | str, expected_version: int, amendment: Amendment, reason: str = ""
) -> Order:
    """Amend an open order (draft, pending, scheduled) at the version the client read.

    Reprices the order, bumps the version and writes one `order.amended` event with the line
    and totals before -> after and the reason. Refused: stale version (412), closed or
    suspended order (409), bad input (400) — in every case nothing is written."""
    with transaction.atomic():
        order = order_for_update(order, expected_version)
        enforce(policy.amend(actor, order))
        drafts = _drafts(order)
        result = amendment_apply(order, drafts, amendment)
        before = money_state(order)
        _write_lines(order, result.lines)
        fields = order_reprice(order)
        for name, (_, new_value) in result.dates.items():
            setattr(order, name, new_value)
            fields.append(name)
        order_save(order, actor=actor, fields=fields)
        after = money_state(order)
        if result.line_before is not None:
            before["line"] = result.line_before
        if result.line_after is not None:
            after["line"] = result.line_after
        for name, (old, new) in result.dates.items():
            before[name], after[name] = old, new
        order_event(
            order,
            actor=actor,
            action="order.amended",
            before=before,
            after=after,
            reason=reason,
            data={"op": amendment.op, "summary": result.summary},
        )
        if result.dates and has_delivery_date(order):
            missing_date_alerts_clear(order, actor=actor)
        from caredesk.billing.services import invoice_follow_amendment

        invoice_follow_amendment(order=order, actor=actor, reason=reason or result.summary)
    return order


def _write_lines(order: Order, lines: list[LineDraft]) -> None:
    keep = {ln.id for ln in lines if ln.id}
    OrderLine.objects.filter(order=order).exclude(pk__in=keep).delete()
    existing = {ln.pk: ln for ln in OrderLine.objects.filter(order=order)}
    next_position = max((ln.position for ln in existing.values()), default=0) + 1
    for draft in lines:
        if draft.id:
            row = existing[draft.id]
            changed = (
                row.sku != draft.sku
                or row.quantity != draft.quantity
                or row.unit_price != draft.unit_price
                or row.discount != draft.discount
                or row.name != draft.name
            )
            if changed:
                row.sku, row.name, row.quantity = draft.sku, draft.name, draft.quantity
                row.unit_price, row.discount = draft.unit_price, draft.discount
                row.catalog_item_id = draft.catalog_item_id
                row.save()
        else:
            row = OrderLine.objects.create(
                order=order,
                position=next_position,
                sku=draft.sku,
                name=draft.name,
                quantity=draft.quantity,
                unit_price=draft.unit_price,
                discount=draft.discount,
                catalog_item_id=draft.catalog_item_id,
                part_id=draft.part_id,
            )
            draft.id = row.pk
            next_position += 1


# --- Creation ------------------------------------------------------------------------------


def order_number_allocate(branch) -> str:
    """The next number of the branch (`MNL-0001`), inside the caller's transaction: the
    counter row stays locked until it commits, so numbers are unique and gapless."""
    number = counter_next(OrderNumberCounter, branch=branch)
    return f"{branch.code}-{number:04d}"


def order_create(
    *,
    actor,
    customer: Customer,
    branch,
    kind: str,
    lines: list[dict],
    requested_delivery_on: date | None = None,
    window_id: int | None = None,
    quoted_prices: dict[str, Decimal] | None = None,
) -> Order:
    """Create a draft order (assisted checkout) numbered in its branch.

    `lines` are dicts with `sku` or `part` and `quantity`; prices are captured now, except a
    SKU's price in `quoted_prices` (a quote converted at the prices it offered). A window,
    when given, is booked in the same transaction. A FRAUD-STOP hit raises an alert and
    suspends the new order. One `order.created` event (version 1)."""
    enforce(customer_policy.place_order(actor, customer))
    if kind not in Kind.values:
        raise Invalid("Kind is sale or service.", field="kind")
    if not branch.active:
        raise Invalid(f"Branch {branch.code} is not active.", field="branch")
    drafts = lines_from_input(customer=customer, lines=lines)
    for draft in drafts:
        if quoted_prices and draft.sku in quoted_prices:
            draft.unit_price = pricing.money(quoted_prices[draft.sku])
    enforce(policy.delivery_date(requested_delivery_on, field="requested_delivery_on"))
    with transaction.atomic():
        window = window_book(window_id, branch=branch) if window_id else None
        now = timezone.now()
        order = Order(
            number=order_number_allocate(branch),
            branch=branch,
            customer=customer,
            kind=kind,
            status=Status.DRAFT,
            delivery_fee=pricing.money(settings.CAREDESK_DELIVERY_FEE),
            requested_delivery_on=requested_delivery_on,
            scheduled_delivery_on=window.date if window else None,
            window=window,
            assigned_to=actor,
            tracking_salt=secrets.token_hex(16),
            created_by=actor,
            created_at=now,
            updated_by=actor,
            updated_at=now,
        )
        totals = pricing.price(priced_lines(drafts), delivery_fee=order.delivery_fee)
        apply_totals(order, totals, len(drafts))
        order.save()
        _write_lines(order, drafts)
        from caredesk.orders.tracking import token_for, token_hash

        order.tracking_token_hash = token_hash(token_for(order))
        order.save(update_fields=["tracking_token_hash"])
        order_event(
            order,
            actor=actor,
            action="order.created",
            after={
                "number": order.number,
                "kind": kind,
                "status": order.status,
                "lines": [d.label() for d in drafts],
                "total": order.total,
                "window": str(window) if window else None,
            },
        )
        hit = fraud_check(order)
        if hit:
            alert_raise_locked(order, actor=None, kind=Alert.Kind.FRAUD_HIT, message=hit)
            suspend_locked(order, actor=None, reason=f"FRAUD-STOP: {hit}")
    return order
