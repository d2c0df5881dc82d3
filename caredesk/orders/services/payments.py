"""Payment services (SPEC §3): record, crew report, record a report, reverse. Payments are
never edited; the order's `paid` and `balance` always equal the pricing of its recorded
payments. The first recorded payment confirms a draft."""

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from caredesk.billing.drawer import drawer_payment
from caredesk.lib.display import money, parse_money
from caredesk.lib.errors import Invalid, NotFound, stated
from caredesk.lib.idempotency import IdempotentWrite, idempotency_key_clean, request_fingerprint
from caredesk.lib.policy import enforce
from caredesk.lib.selectors import int_or_none
from caredesk.orders import policy, pricing
from caredesk.orders.models import Alert, Order, Payment, PaymentMethod, PaymentStatus, Status
from caredesk.orders.services.common import (
    alert_raise_locked,
    money_state,
    order_changed,
    order_for_update,
    order_money_changed,
    payment_blocklist_enforce,
    payment_snapshot,
    reversal_locked,
)
from caredesk.orders.services.moves import confirm_locked

MAX_AMOUNT = Decimal("9999999999.99")


def amount_parse(value) -> Decimal:
    """An amount > 0 with at most 2 decimal places, typed as "1,000", "1000.50" or given as a
    number; else Invalid on field `amount`."""
    if isinstance(value, float):
        value = str(value)
    amount = value if isinstance(value, Decimal) else parse_money(str(value), field="amount")
    if not amount.is_finite() or not pricing.has_at_most_2_places(amount):
        raise Invalid("An amount has at most 2 decimal places.", field="amount")
    if amount <= 0:
        raise Invalid("The amount must be more than zero.", field="amount")
    if amount > MAX_AMOUNT:
        raise Invalid("The amount is too large.", field="amount")
    return pricing.money(amount)


def _validate(method: str, card_last4: str, reference: str) -> tuple[str, str]:
    if method not in PaymentMethod.values:
        raise Invalid(f"Method is one of {', '.join(PaymentMethod.values)}.", field="method")
    card_last4 = (card_last4 or "").strip()
    if method == PaymentMethod.CARD:
        if not (len(card_last4) == 4 and card_last4.isdigit()):
            raise Invalid("Give the card's last 4 digits.", field="card_last4")
    elif card_last4:
        raise Invalid("Card digits only go with a card payment.", field="card_last4")
    reference = (reference or "").strip()
    if len(reference) > 100:
        raise Invalid("The reference is at most 100 characters.", field="reference")
    if method in (PaymentMethod.BANK_TRANSFER, PaymentMethod.CHEQUE) and not reference:
        raise Invalid("Give the transfer or cheque reference.", field="reference")
    return card_last4, reference


def _after_money_change(order: Order, *, actor) -> None:
    if order.paid > order.total and order.status != Status.CANCELLED:
        alert_raise_locked(
            order,
            actor=None,
            kind=Alert.Kind.PAYMENT_MISMATCH,
            message=f"Paid {money(order.paid)} is more than the total {money(order.total)}: "
            f"refund due {money(order.refund_due)} for finance.",
        )


def payment_record(
    *,
    actor,
    order: Order | str,
    method: str,
    amount,
    reference: str = "",
    card_last4: str = "",
    received_at: datetime | None = None,
    expected_version: int | None = None,
    idempotency_key: str | None = None,
) -> tuple[Payment, bool]:
    """Record money received. Returns (payment, replayed).

    With an idempotency key, the same key and the same content return the first payment
    (`replayed=True`) without writing — also when the replays run concurrently, as they wait
    on the order's row lock; the same key with other content is refused (409). The first
    recorded payment confirms a draft (-> pending) in the same change and event."""
    enforce(policy.payment_permission(actor))
    amount = amount_parse(amount)
    card_last4, reference = _validate(method, card_last4, reference)
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + timezone.timedelta(minutes=5):
        raise Invalid("A payment cannot be received in the future.", field="received_at")
    key = idempotency_key_clean(idempotency_key)
    number = order.number if isinstance(order, Order) else str(order).upper()
    fingerprint = request_fingerprint(
        order=number, method=method, amount=amount, reference=reference, card_last4=card_last4
    )
    payment_blocklist_enforce(actor=actor, order=number, method=method, card_last4=card_last4)
    write = IdempotentWrite(Payment, key, fingerprint, "payment")
    try:
        with transaction.atomic():
            locked = order_for_update(order, None)
            if first := write.first():
                return first, True
            if expected_version is not None and locked.version != expected_version:
                order_for_update(locked, expected_version)
            enforce(policy.record_payment(actor, locked))
            before = money_state(locked)
            payment = _payment_create(
                locked,
                method=method,
                amount=amount,
                card_last4=card_last4,
                reference=reference,
                received_at=received_at,
                status=PaymentStatus.RECORDED,
                recorded_by=actor,
                recorded_at=timezone.now(),
                **write.fields(),
            )
            order_money_changed(
                locked,
                actor=actor,
                action="order.payment_recorded",
                before=before,
                confirm=confirm_locked,
                data={
                    "payment_id": payment.pk,
                    "method": method,
                    "amount": amount,
                    "reference": reference,
                },
            )
            payment.response = payment_snapshot(payment, locked)
            payment.save(update_fields=["response"])
            payment.refresh_from_db(fields=["response"])  # as stored: replays answer the same
            _after_money_change(locked, actor=actor)
    except IntegrityError as error:
        # The same key, concurrently, on another order: the first one won.
        return write.winner(error), True
    return payment, False


def payment_report(
    *, actor, order: Order | str, method: str, amount, reference: str = "", card_last4: str = ""
) -> Payment:
    """A payment reported by the delivery crew: kept as a report, not counted, until finance
    or an authorised CSR records it."""
    amount = amount_parse(amount)
    card_last4, reference = _validate(method, card_last4, reference)
    with transaction.atomic():
        locked = order_for_update(order, None)
        enforce(policy.report_payment(actor, locked))
        payment = _payment_create(
            locked,
            method=method,
            amount=amount,
            card_last4=card_last4,
            reference=reference,
            status=PaymentStatus.REPORTED,
            reported_by=actor,
        )
        order_changed(
            locked,
            actor=actor,
            fields=[],
            action="order.payment_reported",
            after={"amount": amount, "method": method, "status": "reported"},
            data={"payment_id": payment.pk},
        )
    return payment


def _payment_create(order: Order, **fields) -> Payment:
    """A new payment of the locked `order`, in its branch, counted in the drawer."""
    payment = Payment.objects.create(order=order, branch_id=order.branch_id, **fields)
    drawer_payment(payment, +1)
    return payment


def _payment_for_update(order: Order, payment_id) -> Payment:
    try:
        return Payment.objects.select_for_update().get(pk=int(payment_id), order=order)
    except (Payment.DoesNotExist, TypeError, ValueError):
        raise NotFound("No such payment on this order.") from None


def payment_confirm_report(
    *, actor, order: Order | str, payment_id: int, expected_version: int | None = None
) -> Payment:
    """Record a crew-reported payment: from then on it counts (and may confirm a draft)."""
    enforce(policy.payment_permission(actor))
    number = order.number if isinstance(order, Order) else str(order).upper()
    reported = Payment.objects.filter(pk=int_or_none(payment_id), order__number=number).first()
    if reported is not None:
        payment_blocklist_enforce(
            actor=actor, order=number, method=reported.method, card_last4=reported.card_last4
        )
    with transaction.atomic():
        locked = order_for_update(order, expected_version)
        payment = _payment_for_update(locked, payment_id)
        enforce(policy.confirm_report(actor, locked, payment))
        before = money_state(locked)
        drawer_payment(payment, -1)
        payment.status, payment.recorded_by, payment.recorded_at = (
            PaymentStatus.RECORDED,
            actor,
            timezone.now(),
        )
        payment.save(update_fields=["status", "recorded_by", "recorded_at"])
        drawer_payment(payment, +1)
        order_money_changed(
            locked,
            actor=actor,
            action="order.payment_recorded",
            before=before,
            confirm=confirm_locked,
            data={"payment_id": payment.pk, "from_report": True, "amount": payment.amount},
        )
        _after_money_change(locked, actor=actor)
    return payment


def payment_reverse(
    *, actor, order: Order | str, payment_id: int, reason: str, expected_version: int | None = None
) -> Payment:
    """Reverse a recorded payment (finance), with a reason. The row stays; the order is
    repriced (the balance grows back)."""
    enforce(policy.reverse_payment(actor, None))
    reason = stated(reason, "Say why the payment is reversed.", field="reason")
    with transaction.atomic():
        locked = order_for_update(order, expected_version)
        payment = _payment_for_update(locked, payment_id)
        enforce(policy.reverse_payment(actor, locked, payment))
        before = money_state(locked)
        reversal_locked(
            payment,
            actor=actor,
            reason=reason,
            status=PaymentStatus.REVERSED,
            drawer=drawer_payment,
        )
        order_money_changed(
            locked,
            actor=actor,
            action="order.payment_reversed",
            before=before,
            reason=payment.reversal_reason,
            data={"payment_id": payment.pk, "amount": payment.amount},
        )
    return payment
