"""Registered parts follow their service order: in service once picked up, back with the
customer (serviced today) once delivered, returned or retired when the order is cancelled."""

import pytest
from django.utils import timezone

from caredesk.audit.models import Event
from caredesk.customers.models import RegisteredPart
from caredesk.customers.services import part_change
from caredesk.lib.errors import Conflict
from caredesk.orders.services import order_transition, payment_record

pytestmark = pytest.mark.django_db


def _service_order(make_order, finance, csr, part, *, to=("scheduled", "picked_up")):
    order = make_order(kind="service", lines=[{"part": part.pk}])
    payment_record(actor=finance, order=order, method="cash", amount="100.00")
    for status in to:
        order = order_transition(actor=csr, order=order, to=status)
    return order


def test_parts_are_in_service_from_pickup_and_back_when_delivered(
    make_order, finance, csr, manager, part
):
    order = _service_order(make_order, finance, csr, part)
    part.refresh_from_db()
    assert part.status == RegisteredPart.Status.IN_SERVICE and part.last_service_on is None
    event = Event.objects.filter(action="order.status_changed").order_by("seq").last()
    assert event.data["parts"] == [{"serial": "BS-001", "status": "in_service"}]
    for status in ("in_service", "ready"):
        order = order_transition(actor=csr, order=order, to=status)
    order_transition(actor=manager, order=order, to="delivered")
    part.refresh_from_db()
    assert part.status == RegisteredPart.Status.ACTIVE
    assert part.last_service_on == timezone.localdate()


def test_a_part_in_service_cannot_go_on_a_second_order(make_order, finance, csr, part):
    order = _service_order(make_order, finance, csr, part)
    with pytest.raises(Conflict) as refused:
        make_order(kind="service", lines=[{"part": part.pk}])
    assert refused.value.code == "part_in_service"
    with pytest.raises(Conflict) as held:
        part_change(
            actor=csr, customer=part.customer, part_id=part.pk, changes={"status": "retired"}
        )
    assert held.value.code == "part_in_service" and order.number in held.value.detail
    # other fields stay editable meanwhile
    part_change(actor=csr, customer=part.customer, part_id=part.pk, changes={"wear_level": 60})


@pytest.mark.parametrize("returned, status", [(True, "active"), (False, "retired")])
def test_cancel_after_pickup_returns_or_retires_the_parts(
    make_order, finance, csr, manager, part, returned, status
):
    order = _service_order(make_order, finance, csr, part)
    order_transition(
        actor=manager,
        order=order,
        to="cancelled",
        reason_code="customer_request",
        reason="Changed their mind",
        parts_to_return=returned,
    )
    part.refresh_from_db()
    assert part.status == status


def test_sale_orders_and_early_cancels_leave_parts_alone(make_order, csr, manager, part):
    order = make_order(kind="service", lines=[{"part": part.pk}])
    order_transition(
        actor=manager, order=order, to="cancelled", reason_code="customer_request", reason="x"
    )
    part.refresh_from_db()
    assert part.status == RegisteredPart.Status.ACTIVE


def test_part_page_refuses_a_status_change_while_held_but_saves_wear(
    make_order, finance, csr, part, web_for
):
    from django.urls import reverse

    _service_order(make_order, finance, csr, part)
    customer = part.customer
    customer.refresh_from_db()
    url = reverse("customers:part_edit", args=[customer.member_id, part.pk])
    client = web_for(csr)
    assert 'value="in_service" selected' in client.get(url).content.decode()
    form = {
        "version": customer.version,
        "part_type": part.part_type,
        "serial": part.serial,
        "wear_level": 70,
        "status": "in_service",
    }
    assert client.post(url, form).status_code == 302
    part.refresh_from_db()
    assert (part.wear_level, part.status) == (70, "in_service")
    customer.refresh_from_db()
    r = client.post(url, {**form, "version": customer.version, "status": "retired"})
    assert r.status_code == 409 and "has it" in r.content.decode()
