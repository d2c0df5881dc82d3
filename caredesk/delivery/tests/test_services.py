import datetime

import pytest
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.delivery import services
from caredesk.delivery.models import Stop, StopEvent
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, StaleVersion
from caredesk.orders.models import Payment, Status
from caredesk.orders.services import payment_report

pytestmark = pytest.mark.django_db


def test_only_managers_create_runs(csr, installer, branch, tomorrow):
    with pytest.raises(NotAllowed):
        services.run_create(actor=csr, date=tomorrow, branch=branch, vehicle="T", crew=[installer])


def test_crew_must_be_installers(manager, csr, branch, tomorrow):
    with pytest.raises(Invalid, match="csr is not an installer"):
        services.run_create(actor=manager, date=tomorrow, branch=branch, vehicle="T", crew=["csr"])


def test_add_ready_order_and_refusals(csr, run, make_ready_order, tomorrow):
    order = make_ready_order()
    stop = services.stop_add(actor=csr, run=run, order=order)
    assert (stop.sequence, stop.kind, stop.latitude is not None) == (1, "delivery", True)
    assert Event.objects.filter(action="stop.added", target_id=str(order.pk)).exists()

    with pytest.raises(Conflict) as exc:
        services.stop_add(actor=csr, run=run, order=order)
    assert exc.value.code == "already_on_run"

    pending = make_ready_order(status=Status.PENDING)
    with pytest.raises(Conflict) as exc:
        services.stop_add(actor=csr, run=run, order=pending)
    assert exc.value.code == "order_not_ready"

    later = make_ready_order(scheduled=tomorrow + datetime.timedelta(days=3))
    with pytest.raises(Conflict) as exc:
        services.stop_add(actor=csr, run=run, order=later)
    assert exc.value.code == "date_mismatch"
    services.stop_add(actor=csr, run=run, order=later, set_date=True)
    later.refresh_from_db()
    assert later.scheduled_delivery_on == run.date
    assert Stop.objects.filter(run=run).count() == 2


def test_service_order_scheduled_is_a_pickup_with_expected_return(
    csr, installer, run, make_ready_order, settings
):
    settings.CAREDESK_SERVICE_TURNAROUND_DAYS = 4
    order = make_ready_order(status=Status.SCHEDULED, kind="service")
    stop = services.stop_add(actor=csr, run=run, order=order)
    assert stop.kind == "pickup"
    services.stop_event_record(
        actor=installer, stop=stop, type="delivered", idempotency_key="pick-1"
    )
    order.refresh_from_db()
    stop.refresh_from_db()
    assert order.status == Status.PICKED_UP
    assert stop.expected_return_on == timezone.localdate() + datetime.timedelta(days=4)


def test_resequence_checks_version(csr, run, make_ready_order):
    a = services.stop_add(actor=csr, run=run, order=make_ready_order())
    b = services.stop_add(actor=csr, run=run, order=make_ready_order())
    run.refresh_from_db()
    services.run_resequence(actor=csr, run=run, stops=[b.pk, a.pk], expected_version=run.version)
    assert list(run.stops.order_by("sequence").values_list("pk", flat=True)) == [b.pk, a.pk]
    with pytest.raises(StaleVersion):
        services.run_resequence(
            actor=csr, run=run, stops=[a.pk, b.pk], expected_version=run.version
        )
    with pytest.raises(Invalid):
        run.refresh_from_db()
        services.run_resequence(actor=csr, run=run, stops=[a.pk], expected_version=run.version)


def test_delivered_event_moves_the_order_as_the_crew_member(
    csr, installer, run, make_ready_order, a_moment_ago
):
    order = make_ready_order()
    stop = services.stop_add(actor=csr, run=run, order=order)
    at = a_moment_ago
    answer, replayed = services.stop_event_record(
        actor=installer, stop=stop, type="delivered", recipient="Ana", at=at, idempotency_key="k1"
    )
    assert not replayed and answer["status"] == "delivered"
    order.refresh_from_db()
    assert order.status == Status.DELIVERED and order.updated_by == installer
    event = Event.objects.get(action="stop.delivered")
    assert event.at == at and event.actor == installer
    again, replayed = services.stop_event_record(
        actor=installer, stop=stop, type="delivered", recipient="Ana", at=at, idempotency_key="k1"
    )
    assert replayed and again == answer
    assert StopEvent.objects.count() == 1
    with pytest.raises(Conflict) as exc:
        services.stop_event_record(actor=installer, stop=stop, type="arrived", idempotency_key="k1")
    assert exc.value.code == "idempotency_key_reused"


def test_failed_stop_goes_back_to_exceptions(csr, installer, run, make_ready_order):
    from caredesk.delivery.selectors import exception_orders, exception_rows

    order = make_ready_order()
    stop = services.stop_add(actor=csr, run=run, order=order)
    assert not [r for r in exception_rows() if r["pk"] == order.pk and r["reason"] == "no_run"]
    services.stop_event_record(actor=installer, stop=stop, type="failed", reason="not_home")
    rows = [r for r in exception_rows() if r["pk"] == order.pk]
    detail = exception_orders(rows)
    assert detail[0]["reason"] == "no_run" and "not home" in detail[0]["detail"]


def test_other_installer_may_not_act(csr, run, make_ready_order, staff_factory):
    other = staff_factory("other-installer", "installer")
    stop = services.stop_add(actor=csr, run=run, order=make_ready_order())
    with pytest.raises(NotAllowed):
        services.stop_event_record(actor=other, stop=stop, type="arrived")
    with pytest.raises(NotAllowed):
        payment_report(actor=other, order=stop.order, method="cash", amount="10.00")


def test_payment_collected_is_a_report(csr, installer, run, make_ready_order):
    stop = services.stop_add(actor=csr, run=run, order=make_ready_order())
    services.stop_event_record(actor=installer, stop=stop, type="payment_collected", amount="500")
    payment = Payment.objects.get(order=stop.order)
    assert payment.status == "reported" and payment.reported_by == installer


def test_route_suggestion_writes_nothing_and_is_no_longer(csr, run, make_ready_order):
    from caredesk.delivery.routing import suggest

    far = make_ready_order(lat=14.70, lng=121.05)
    near = make_ready_order(lat=14.60, lng=120.99)
    mid = make_ready_order(lat=14.65, lng=121.02)
    for order in (far, near, mid):
        services.stop_add(actor=csr, run=run, order=order)
    stops = list(run.stops.order_by("sequence"))
    result = suggest(run, stops)
    assert result.distance_km_after <= result.distance_km_before
    assert sorted(result.stops) == sorted(s.pk for s in stops)
    assert list(run.stops.order_by("sequence")) == stops


def test_privacy_export_and_erase(csr, run, make_ready_order):
    from caredesk.delivery import privacy

    stop = services.stop_add(actor=csr, run=run, order=make_ready_order(), notes="Gate code 42")
    customer = stop.order.customer
    exported = privacy.export(customer)["delivery_stops"]
    assert exported[0]["notes"] == "Gate code 42" and exported[0]["phone"] == customer.phone
    privacy.erase(customer, actor=csr)
    stop.refresh_from_db()
    assert (stop.address, stop.phone, stop.notes, stop.latitude) == ("[erased]", "", "", None)


def test_dispatch_and_complete(csr, manager, installer, run, make_ready_order):
    with pytest.raises(Conflict) as exc:
        services.run_dispatch(actor=manager, run=run)
    assert exc.value.code == "run_empty"
    stop = services.stop_add(actor=csr, run=run, order=make_ready_order())
    with pytest.raises(NotAllowed):
        services.run_dispatch(actor=csr, run=run)
    services.run_dispatch(actor=manager, run=run)
    with pytest.raises(Conflict) as exc:
        services.run_complete(actor=manager, run=run)
    assert exc.value.code == "stops_open"
    services.stop_event_record(actor=installer, stop=stop, type="failed", reason="no_time")
    assert services.run_complete(actor=manager, run=run).status == "completed"
    with pytest.raises(Conflict):
        services.stop_add(actor=csr, run=run, order=make_ready_order())
