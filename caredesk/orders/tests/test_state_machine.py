"""Property test: random sequences of amendments, payments and status moves keep the order's
invariants (SPEC §3): totals are the pricing of the lines, balance = total - recorded payments,
the status follows the table, and every change has exactly one audit event (versions gapless);
a refused action writes nothing."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from caredesk.audit.models import Event
from caredesk.lib.errors import DomainError
from caredesk.orders import machine, pricing
from caredesk.orders.models import Order, OrderLine, Payment, PaymentStatus, Status
from caredesk.orders.services import (
    Amendment,
    alert_clear,
    order_amend,
    order_resume,
    order_suspend,
    order_transition,
    payment_record,
    payment_reverse,
)

SKUS = ["BLADE-10", "MOWER-X", "OIL-1L", "SVC-STD", "NOPE"]
amounts = st.decimals(min_value=Decimal("-5"), max_value=Decimal("30000"), places=3)


class OrderMachine(RuleBasedStateMachine):
    users: dict = {}
    make_order = None

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        kind = "service" if len(Order.objects.all()) % 2 else "sale"
        self.order = type(self).make_order(kind=kind, lines=[{"sku": "OIL-1L", "quantity": 2}])
        self.status = Status.DRAFT

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------
    def _fresh(self) -> Order:
        return Order.objects.get(pk=self.order.pk)

    def _attempt(self, action):
        before = self._fresh()
        try:
            with transaction.atomic():
                action(before)
        except DomainError:
            after = self._fresh()
            assert after.version == before.version, "a refused action wrote something"
            assert after.status == before.status
            return False
        after = self._fresh()
        if after.status != before.status:
            assert machine.transition_allowed(after.kind, before.status, after.status)
        self.status = after.status
        return True

    def _line_id(self, index: int):
        ids = list(OrderLine.objects.filter(order=self.order).values_list("pk", flat=True))
        return ids[index % len(ids)] if ids else None

    # --- rules -----------------------------------------------------------------------------
    @rule(index=st.integers(0, 5), quantity=st.integers(-2, 30))
    def set_quantity(self, index, quantity):
        self._attempt(
            lambda o: order_amend(
                actor=self.users["csr"],
                order=o,
                expected_version=o.version,
                amendment=Amendment(
                    op="set_quantity", line=self._line_id(index), quantity=quantity
                ),
            )
        )

    @rule(sku=st.sampled_from(SKUS), quantity=st.integers(0, 5))
    def add_line(self, sku, quantity):
        self._attempt(
            lambda o: order_amend(
                actor=self.users["csr"],
                order=o,
                expected_version=o.version,
                amendment=Amendment(op="add_line", sku=sku, quantity=quantity),
            )
        )

    @rule(index=st.integers(0, 5))
    def remove_line(self, index):
        self._attempt(
            lambda o: order_amend(
                actor=self.users["csr"],
                order=o,
                expected_version=o.version,
                amendment=Amendment(op="remove_line", line=self._line_id(index)),
            )
        )

    @rule(index=st.integers(0, 5), sku=st.sampled_from(SKUS))
    def swap_sku(self, index, sku):
        self._attempt(
            lambda o: order_amend(
                actor=self.users["csr"],
                order=o,
                expected_version=o.version,
                amendment=Amendment(op="swap_sku", line=self._line_id(index), sku=sku),
            )
        )

    @rule(stale=st.booleans())
    def stale_amendment_is_refused(self, stale):
        if stale:
            self._attempt(
                lambda o: order_amend(
                    actor=self.users["csr"],
                    order=o,
                    expected_version=o.version - 1,
                    amendment=Amendment(op="set_quantity", line=self._line_id(0), quantity=1),
                )
            )

    @rule(amount=amounts, method=st.sampled_from(["cash", "e_wallet", "card"]))
    def pay(self, amount, method):
        self._attempt(
            lambda o: payment_record(
                actor=self.users["finance"],
                order=o,
                method=method,
                amount=amount,
                card_last4="4242" if method == "card" else "",
                expected_version=o.version,
            )
        )

    @rule(index=st.integers(0, 5))
    def reverse(self, index):
        ids = list(Payment.objects.filter(order=self.order).values_list("pk", flat=True))
        if ids:
            self._attempt(
                lambda o: payment_reverse(
                    actor=self.users["finance"],
                    order=o,
                    payment_id=ids[index % len(ids)],
                    reason="property test",
                    expected_version=o.version,
                )
            )

    @rule(to=st.sampled_from(Status.values), parts=st.sampled_from([None, True, False]))
    def move(self, to, parts):
        self._attempt(
            lambda o: order_transition(
                actor=self.users["manager"],
                order=o,
                to=to,
                expected_version=o.version,
                reason="property test",
                reason_code="customer_request",
                parts_to_return=parts,
            )
        )

    @rule()
    def clear_alerts(self):
        for alert in self._fresh().alerts.filter(cleared_at__isnull=True):
            self._attempt(
                lambda o, a=alert: alert_clear(
                    actor=self.users["manager"],
                    order=o,
                    alert_id=a.pk,
                    note="checked",
                    expected_version=o.version,
                )
            )

    @rule(suspend=st.booleans())
    def suspend_or_resume(self, suspend):
        service = order_suspend if suspend else order_resume
        self._attempt(
            lambda o: service(
                actor=self.users["manager"], order=o, reason="check", expected_version=o.version
            )
        )

    # --- invariants ------------------------------------------------------------------------
    @invariant()
    def money_is_the_pricing_of_lines_and_recorded_payments(self):
        order = self._fresh()
        lines = list(OrderLine.objects.filter(order=order))
        recorded = sum(
            (p.amount for p in Payment.objects.filter(order=order, status=PaymentStatus.RECORDED)),
            Decimal("0.00"),
        )
        expected = pricing.price(
            [pricing.PricedLine(ln.quantity, ln.unit_price, ln.discount) for ln in lines],
            delivery_fee=order.delivery_fee,
            paid=recorded,
        )
        assert order.subtotal == expected.subtotal
        assert order.tax == expected.tax
        assert order.total == expected.total
        assert order.paid == recorded
        assert order.balance == order.total - recorded
        assert order.line_count == len(lines) >= 1

    @invariant()
    def status_is_allowed(self):
        order = self._fresh()
        assert order.status in machine.TRANSITIONS[order.kind]
        if order.status == Status.DRAFT:
            assert order.paid == Decimal("0.00")

    @invariant()
    def one_event_per_change_versions_gapless(self):
        order = self._fresh()
        versions = [
            (e.data or {}).get("version")
            for e in Event.objects.filter(
                target_type="orders.order", target_id=str(order.pk)
            ).order_by("seq")
        ]
        assert versions == list(range(1, order.version + 1))


@pytest.mark.django_db
def test_order_state_machine(make_order, csr, finance, manager):
    OrderMachine.users = {"csr": csr, "finance": finance, "manager": manager}
    OrderMachine.make_order = staticmethod(make_order)
    run_state_machine_as_test(
        OrderMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
