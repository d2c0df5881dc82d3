"""Returns (RMA): delivered goods of a sale order coming back.

requested -> approved (manager) -> received -> refunded (finance) / closed; a requested
return may be rejected, a requested or approved one cancelled. The one table and "who may"
are `billing.policy.return_move`.

- Quantities: each line gives back at most its quantity less the units on its live returns.
- Approved with a replacement: a replacement order (a draft sale of the same goods at the
  prices the customer paid) is made in the same transaction and linked to the return. It is
  an ordinary order with its own invoice and payments, so each order's money invariants hold
  on their own; finance settles the two (the return's refund on the first order, the
  replacement's payment on the second).
- Received: the received stock is recorded per line (`received_quantity`, who, when) and the
  order is repriced without those units (`orders.pricing.kept_line` through
  `order_reprice`): its total goes down, its refund due follows and a credit note is issued
  through the invoice follow-up, so invoices + credit notes still equal the order's total.
- Refunded: finance's refund (`refund_issue`) of the return's credit, at most the refund due,
  linked to the return. A reversed refund puts the return back to received.

Every step is one event on the order's timeline (and so on the customer's activity) carrying
the return's number; a step that changes the order's money also bumps the order's version.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.billing import policy
from caredesk.billing.events import MoneyEvent
from caredesk.billing.models import Return, ReturnLine, ReturnStatus, Series
from caredesk.billing.services.invoices import document_number_allocate, invoice_follow_amendment
from caredesk.lib.errors import Invalid, NotFound
from caredesk.lib.policy import enforce
from caredesk.lib.versions import row_save, row_version_check
from caredesk.orders import pricing
from caredesk.orders.models import Order, OrderLine
from caredesk.orders.services.common import (
    kept_lines,
    lines_with_returns,
    order_for_update,
    order_reprice,
    order_save,
)

MAX_LINES = 50


@dataclass(frozen=True)
class Returnable:
    """A line of a delivered order and how many of its units can still come back."""

    line: OrderLine
    taken: int
    left: int


def returnable_lines(order: Order) -> list[Returnable]:
    """The order's lines with the units still returnable (one query)."""
    live = {
        row["order_line"]: row["n"]
        for row in ReturnLine.objects.filter(
            order_line__order=order, ret__status__in=policy.RETURN_LIVE
        )
        .values("order_line")
        .annotate(n=Sum("quantity"))
    }
    rows = []
    for line in OrderLine.objects.filter(order=order).order_by("position"):
        taken = live.get(line.pk, 0)
        rows.append(Returnable(line, taken, policy.returnable(line, taken)))
    return rows


def return_credit_estimate(ret: Return, order: Order) -> pricing.Decimal:
    """How much the order's total goes down when this return's goods are received: the
    order's total now less its total without these units (`orders.pricing`)."""
    if ret.credit is not None:
        return ret.credit
    if ret.status not in policy.RETURN_AWAITING_GOODS:
        return pricing.ZERO  # rejected or cancelled: nothing comes back
    coming = {rl.order_line_id: rl.quantity for rl in ret.lines.all()}
    lines = list(lines_with_returns(order))
    for ln in lines:
        ln.returned += coming.get(ln.pk, 0)
    after = pricing.price(kept_lines(lines), delivery_fee=order.delivery_fee)
    return pricing.money(order.total - after.total)


def _parse_lines(order: Order, lines) -> list[tuple[OrderLine, int]]:
    if not lines:
        raise Invalid("Choose at least one delivered line to return.", field="lines")
    if len(lines) > MAX_LINES:
        raise Invalid(f"At most {MAX_LINES} lines.", field="lines")
    by_id = {row.line.pk: row for row in returnable_lines(order)}
    chosen: dict[int, int] = {}
    for i, item in enumerate(lines):
        try:
            line_id = int(item.get("line"))
            quantity = int(item.get("quantity"))
        except (TypeError, ValueError, AttributeError):
            raise Invalid(
                f"Line {i + 1}: give the order line and a quantity.", field=f"lines.{i}"
            ) from None
        row = by_id.get(line_id)
        if row is None:
            raise Invalid(
                f"Line {i + 1} is not a line of order {order.number}.", field=f"lines.{i}.line"
            )
        if line_id in chosen:
            raise Invalid(
                f"{row.line.name} is chosen twice; give it once.", field=f"lines.{i}.line"
            )
        if quantity < 1:
            raise Invalid("Return at least one unit.", field=f"lines.{i}.quantity")
        if quantity > row.left:
            already = f" ({row.taken} already on a return)" if row.taken else ""
            raise Invalid(
                f"{row.line.name}: {row.line.quantity} delivered{already}; at most "
                f"{row.left} can be returned.",
                code="above_returnable",
                field=f"lines.{i}.quantity",
            )
        chosen[line_id] = quantity
    return [(by_id[k].line, q) for k, q in chosen.items()]


def _lines_after(ret: Return, *, received: bool = False) -> list[dict]:
    return [
        {
            "sku": rl.sku,
            "name": rl.name,
            "quantity": rl.received_quantity if received else rl.quantity,
        }
        for rl in ret.lines.all()
    ]


def return_create(
    *,
    actor,
    order: Order | str,
    lines: list[dict],
    reason: str,
    replacement: bool = False,
) -> Return:
    """Request a return of delivered units of a sale order, numbered in its branch
    (`MNL-RMA-000001`). Refused: not a delivered sale order (409), more units than the line
    can still give back or no reason (400)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = order_for_update(order, None)
        enforce(policy.start_return(actor, locked))
        chosen = _parse_lines(locked, lines)
        if not reason:
            raise Invalid("Say why the goods come back.", field="reason")
        now = timezone.now()
        ret = Return.objects.create(
            number=document_number_allocate(locked.branch, Series.RETURN),
            order=locked,
            branch=locked.branch,
            customer=locked.customer,
            reason=reason[:300],
            replacement=bool(replacement),
            requested_by=actor,
            requested_at=now,
            updated_by=actor,
            updated_at=now,
        )
        ReturnLine.objects.bulk_create(
            ReturnLine(
                ret=ret,
                order_line=line,
                sku=line.sku,
                name=line.name,
                unit_price=line.unit_price,
                quantity=quantity,
            )
            for line, quantity in chosen
        )
        _event(
            ret,
            locked,
            actor=actor,
            action=MoneyEvent.RETURN_REQUESTED,
            after={
                "status": ret.status,
                "lines": _lines_after(ret),
                "replacement": ret.replacement,
            },
            reason=ret.reason,
        )
    return ret


def _event(ret: Return, order: Order, *, actor, action, before=None, after=None, reason=""):
    """One step of the return, on the order's timeline, naming the return."""
    return event_record(
        actor=actor,
        action=action,
        target=order,
        before=before,
        after={"return": ret.number, **(after or {})},
        reason=reason,
        data={"return": ret.number, "version": order.version},
    )


def return_for_update(number: Return | str, expected_version: int | None) -> Return:
    """Lock the return (its order is locked first by the caller's order of work) and check
    the version the client read: 412 naming who changed it and when."""
    key = number.number if isinstance(number, Return) else str(number).upper()
    found = Return.objects.filter(number=key).values_list("order_id", flat=True).first()
    if found is None:
        raise NotFound("No such return.")
    order_for_update(Order(pk=found), None)
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("branch", "updated_by")
        .get(number=key)
    )
    row_version_check(ret, expected_version, what=f"Return {ret.number}")
    return ret


def return_transition(
    *,
    actor,
    ret: Return | str,
    to: str,
    expected_version: int | None = None,
    reason: str = "",
    method: str = "",
    reference: str = "",
    idempotency_key: str | None = None,
) -> Return:
    """Move a return along its table (`billing.policy.return_move`): 409 with the reason for
    a move the table or the rules refuse, 403 for a role that may not, 412 for a stale
    version. Rejecting, cancelling and closing need a reason; refunding needs the method (and
    its reference, except cash) and records finance's refund of the return's credit."""
    reason = (reason or "").strip()
    with transaction.atomic():
        ret = return_for_update(ret, expected_version)
        order = Order.objects.get(pk=ret.order_id)
        enforce(policy.return_move(actor, ret, to, order=order))
        if to in policy.RETURN_REASON_NEEDED and not reason:
            raise Invalid(
                {
                    "rejected": "Say why the return is rejected.",
                    "cancelled": "Say why the return is cancelled.",
                    "closed": "Say why the return is closed without a refund.",
                }[to],
                field="reason",
            )
        previous = ret.status
        now = timezone.now()
        step = {
            "approved": _approve,
            "received": _receive,
            "refunded": _refund,
        }.get(to)
        extra = (
            step(
                ret,
                order,
                actor=actor,
                reason=reason,
                method=method,
                reference=reference,
                idempotency_key=idempotency_key,
            )
            if step
            else {}
        )
        ret.status = to
        fields = ["status", *extra.pop("fields", [])]
        if to in ("rejected", "cancelled", "closed"):
            ret.closed_by, ret.closed_at, ret.close_reason = actor, now, reason[:300]
            fields += ["closed_by", "closed_at", "close_reason"]
        row_save(ret, actor=actor, fields=fields)
        order.refresh_from_db(fields=["version"])
        _event(
            ret,
            order,
            actor=actor,
            action={
                "approved": MoneyEvent.RETURN_APPROVED,
                "rejected": MoneyEvent.RETURN_REJECTED,
                "cancelled": MoneyEvent.RETURN_CANCELLED,
                "received": MoneyEvent.RETURN_RECEIVED,
                "refunded": MoneyEvent.RETURN_REFUNDED,
                "closed": MoneyEvent.RETURN_CLOSED,
            }[to],
            before={"status": previous},
            after={"status": to, **extra},
            reason=reason[:300],
        )
    return ret


def _approve(ret: Return, order: Order, *, actor, **_) -> dict:
    ret.approved_by, ret.approved_at = actor, timezone.now()
    fields = ["approved_by", "approved_at"]
    if not ret.replacement:
        return {"fields": fields}
    from caredesk.orders.services import order_create

    lines = list(ret.lines.select_related("order_line"))
    made = order_create(
        actor=actor,
        customer=order.customer,
        branch=order.branch,
        kind="sale",
        lines=[{"sku": rl.sku, "quantity": rl.quantity} for rl in lines],
        quoted_prices={rl.sku: rl.unit_price for rl in lines},
    )
    ret.replacement_order = made
    return {"fields": [*fields, "replacement_order"], "replacement_order": made.number}


def _receive(ret: Return, order: Order, *, actor, **_) -> dict:
    """The goods are back: record the received stock and reprice the order without them."""
    lines = list(ret.lines.all())
    for rl in lines:
        rl.received_quantity = rl.quantity
    ReturnLine.objects.bulk_update(lines, ["received_quantity"])
    before = order.total
    fields = order_reprice(order)
    order_save(order, actor=actor, fields=fields)
    credit = pricing.money(before - order.total)
    invoice_follow_amendment(order=order, actor=actor, reason=f"Return {ret.number} received")
    ret.credit = credit
    ret.received_by, ret.received_at = actor, timezone.now()
    return {
        "fields": ["credit", "received_by", "received_at"],
        "lines": _lines_after(ret, received=True),
        "credit": credit,
        "total": order.total,
        "paid": order.paid,
        "refund_due": order.refund_due,
    }


def _refund(ret: Return, order: Order, *, actor, reason, method, reference, idempotency_key):
    from caredesk.billing.services.refunds import refund_issue

    amount = policy.return_refund_amount(ret, order)
    refund, _ = refund_issue(
        actor=actor,
        order=order,
        amount=amount,
        method=method,
        reference=reference,
        reason=reason or f"Return {ret.number}: goods received back",
        idempotency_key=idempotency_key,
        for_return=ret,
    )
    order.refresh_from_db()
    return {"amount": refund.amount, "method": refund.method}


def return_reopen_on_reversal(*, actor, refund) -> None:
    """A return's refund was reversed (inside `refund_reverse`'s transaction): the return is
    back to received, so finance can refund it again or close it."""
    ret = Return.objects.select_for_update().filter(pk=refund.for_return_id).first()
    if ret is None or ret.status != ReturnStatus.REFUNDED:
        return
    ret.status = ReturnStatus.RECEIVED
    row_save(ret, actor=actor, fields=["status"])
    order = Order.objects.get(pk=ret.order_id)
    _event(
        ret,
        order,
        actor=actor,
        action=MoneyEvent.RETURN_REOPENED,
        before={"status": ReturnStatus.REFUNDED},
        after={"status": ReturnStatus.RECEIVED, "amount": refund.amount},
        reason=refund.reversal_reason,
    )
