"""The payment manager's day index moves with every payment and refund, and the payment
manager's count, totals and pages read from it agree with the rows."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from caredesk.billing import selectors, services
from caredesk.billing.drawer import drawer_rebuild, drawer_recount, drawer_state
from caredesk.billing.models import DrawerDay
from caredesk.billing.tests.test_services import _amend_quantity
from caredesk.orders import services as order_services
from caredesk.orders.tests.samples import put_on_crew_run

D = Decimal


def _everything(make_order, manager, finance, installer):
    """Payments recorded, reported, confirmed and reversed, refunds issued and reversed."""
    first = make_order(paid="2650.00", payer=finance)
    second = make_order(paid="100.00", payer=finance)
    put_on_crew_run(second, installer)
    reported = order_services.payment_report(
        actor=installer,
        order=second,
        method="card",
        amount="40.00",
        card_last4="4242",
        reference="AUTH-1",
    )
    order_services.payment_report(actor=installer, order=second, method="cash", amount="7.00")
    order_services.payment_confirm_report(actor=finance, order=second, payment_id=reported.pk)
    mistaken, _ = order_services.payment_record(
        actor=finance, order=first, method="e_wallet", amount="15.00", reference="GC-1"
    )
    order_services.payment_reverse(
        actor=finance, order=first, payment_id=mistaken.pk, reason="typed twice"
    )
    first.refresh_from_db()
    first = _amend_quantity(first, manager, 1)
    refund, _ = services.refund_issue(
        actor=finance, order=first, amount="1250.00", method="cash", reason="amended"
    )
    services.refund_reverse(actor=finance, refund_id=refund.pk, reason="wrong drawer")
    services.refund_issue(
        actor=finance,
        order=first,
        amount="1000.00",
        method="bank_transfer",
        reference="BT-9",
        reason="amended",
    )
    return first, second


def test_the_index_moves_with_every_change(make_order, manager, finance, installer):
    _everything(make_order, manager, finance, installer)
    state = drawer_state()
    assert state == drawer_recount()
    statuses = {(key[4], key[5]) for key in state}
    assert statuses == {
        ("in", "recorded"),
        ("in", "reported"),
        ("in", "reversed"),
        ("out", "recorded"),
        ("out", "reversed"),
    }


def test_rebuild_recounts_the_rows(make_order, manager, finance, installer):
    _everything(make_order, manager, finance, installer)
    kept = drawer_state()
    DrawerDay.objects.update(amount=D("0.00"), count=0)  # as after a bulk load
    assert drawer_state() == {}
    assert drawer_rebuild() == len(kept)
    assert drawer_state() == kept


def test_count_totals_and_pages_agree_with_the_rows(make_order, manager, finance, installer):
    first, _ = _everything(make_order, manager, finance, installer)
    today = timezone.localdate()
    everything = selectors.MoneyFilter(today - timedelta(days=1), today)
    movements = selectors.Movements(everything)
    rows = list(selectors.money_movements(everything))
    assert movements.count() == len(rows) == 7
    assert movements[0:50] == rows
    assert movements[2:5] == rows[2:5] and movements[6:9] == rows[6:]

    totals = selectors.drawer_totals(everything)
    by_method = {m["method"]: (m["in"], m["out"]) for m in totals["methods"]}
    assert by_method == {
        "cash": (D("2750.00"), D("0.00")),
        "card": (D("40.00"), D("0.00")),
        "bank_transfer": (D("0.00"), D("1000.00")),
    }
    assert totals["net"] == D("1790.00")

    crew = selectors.MoneyFilter(today, today, status="reported", agent=installer.username)
    assert selectors.Movements(crew).count() == 1
    assert [r["amount"] for r in selectors.Movements(crew)[0:10]] == [D("7.00")]
    refunds = selectors.MoneyFilter(today, today, kind="refund", branch=first.branch.code)
    assert selectors.Movements(refunds).count() == 2
    assert selectors.drawer_totals(refunds)["net"] == D("-1000.00")
    nowhere = selectors.MoneyFilter(today, today, branch="NOPE")
    assert selectors.Movements(nowhere).count() == 0 and selectors.Movements(nowhere)[0:5] == []
