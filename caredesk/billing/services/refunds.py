"""Refunds (finance): money given back, at most the order's refund due; never edited, only
reversed with a reason. The order is repriced in the same transaction (its `paid` is
payments minus refunds), and the change is one event on its timeline.

Idempotency follows the payments mechanism (`orders.services.payments`): the same
Idempotency-Key with the same content returns the first refund; with other content, 409.
"""

from django.db import IntegrityError, transaction

from caredesk.billing import policy
from caredesk.billing.drawer import drawer_refund
from caredesk.billing.events import MoneyEvent
from caredesk.billing.models import Refund, RefundStatus
from caredesk.lib.errors import Invalid, NotFound, stated
from caredesk.lib.idempotency import IdempotentWrite, idempotency_key_clean, request_fingerprint
from caredesk.lib.policy import enforce
from caredesk.orders.models import Order, PaymentMethod
from caredesk.orders.services.common import (
    money_state,
    order_for_update,
    order_money_changed,
    reversal_locked,
)
from caredesk.orders.services.payments import amount_parse


def refund_snapshot(refund: Refund, order: Order) -> dict:
    """The API answer, stored on the row so a replay answers the same, byte for byte."""
    return {
        "id": refund.pk,
        "amount": str(refund.amount),
        "method": refund.method,
        "reference": refund.reference,
        "reason": refund.reason,
        "status": refund.status,
        "refunded_at": refund.refunded_at.isoformat(),
        "order": {
            "number": order.number,
            "version": order.version,
            "total": str(order.total),
            "paid": str(order.paid),
            "balance_due": str(order.balance_due),
            "refund_due": str(order.refund_due),
        },
    }


def _validate(method: str, reference: str, reason: str) -> tuple[str, str]:
    if method not in PaymentMethod.values:
        raise Invalid(f"Method is one of {', '.join(PaymentMethod.values)}.", field="method")
    reference = (reference or "").strip()
    if len(reference) > 100:
        raise Invalid("The reference is at most 100 characters.", field="reference")
    if method != PaymentMethod.CASH and not reference:
        raise Invalid("Give the transfer, card or cheque reference.", field="reference")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why the money is refunded.", field="reason")
    return reference, reason[:300]


def refund_issue(
    *,
    actor,
    order: Order | str,
    amount,
    method: str,
    reference: str = "",
    reason: str = "",
    expected_version: int | None = None,
    idempotency_key: str | None = None,
    for_return=None,
) -> tuple[Refund, bool]:
    """Record a refund of at most the order's refund due (409 `above_refund_due`), for a
    return when `for_return` is given (`billing.services.returns` calls it so). Returns
    (refund, replayed)."""
    enforce(policy.refunds(actor))
    amount = amount_parse(amount)
    reference, reason = _validate(method, reference, reason)
    key = idempotency_key_clean(idempotency_key)
    number = order.number if isinstance(order, Order) else str(order).upper()
    fingerprint = request_fingerprint(
        kind="refund", order=number, method=method, amount=amount, reference=reference
    )
    write = IdempotentWrite(Refund, key, fingerprint, "refund")
    try:
        with transaction.atomic():
            locked = order_for_update(order, None)
            if (first := write.first()) is not None:
                return first, True
            if expected_version is not None:
                order_for_update(locked, expected_version)
            enforce(policy.issue_refund(actor, locked, amount))
            before = money_state(locked)
            refund = Refund.objects.create(
                order=locked,
                method=method,
                amount=amount,
                reference=reference,
                reason=reason,
                issued_by=actor,
                **write.fields(),
                for_return=for_return,
            )
            drawer_refund(refund, +1)
            order_money_changed(
                locked,
                actor=actor,
                action=MoneyEvent.REFUND_ISSUED,
                before=before,
                after={
                    "amount": amount,
                    "method": method,
                    "method_label": refund.get_method_display(),
                },
                reason=reason,
                data={
                    "refund_id": refund.pk,
                    "amount": amount,
                    **({"return": for_return.number} if for_return else {}),
                },
            )
            refund.response = refund_snapshot(refund, locked)
            refund.save(update_fields=["response"])
            refund.refresh_from_db(fields=["response"])
    except IntegrityError as error:
        return write.winner(error), True
    return refund, False


def refund_reverse(*, actor, refund_id: int, reason: str) -> Refund:
    """Reverse a refund recorded by mistake, with a reason; the row stays and the order's
    refund due grows back."""
    reason = stated(reason, "Say why the refund is reversed.", field="reason")
    with transaction.atomic():
        try:
            refund = Refund.objects.select_related("order").get(pk=int(refund_id))
        except (Refund.DoesNotExist, TypeError, ValueError):
            raise NotFound("No such refund.") from None
        locked = order_for_update(refund.order, None)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        enforce(policy.reverse_refund(actor, refund))
        before = money_state(locked)
        reversal_locked(
            refund, actor=actor, reason=reason, status=RefundStatus.REVERSED, drawer=drawer_refund
        )
        order_money_changed(
            locked,
            actor=actor,
            action=MoneyEvent.REFUND_REVERSED,
            before=before,
            after={"amount": refund.amount},
            reason=refund.reversal_reason,
            data={"refund_id": refund.pk, "amount": refund.amount},
        )
        if refund.for_return_id:
            from caredesk.billing.services.returns import return_reopen_on_reversal

            return_reopen_on_reversal(actor=actor, refund=refund)
    return refund
