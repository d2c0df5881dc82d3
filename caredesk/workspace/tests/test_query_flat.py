"""The pages a CSR opens all day run the same number of queries whatever the amount of data:
each test opens a page, makes ten times more of what the page lists or counts, and asserts
the page's query count did not move (an N+1 or an unbounded count shows up as growth)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.audit.services import event_record
from caredesk.branches.models import Branch
from caredesk.comms.models import ActivityCode
from caredesk.comms.services import email_send_staff, note_add
from caredesk.customers.models import Customer
from caredesk.orders.models import CatalogItem
from caredesk.orders.services import Amendment, order_amend, order_create, payment_record

pytestmark = pytest.mark.django_db

FEW = 2  # rows before; then ten times more


@pytest.fixture
def world(db, staff_factory):
    branch = Branch.objects.get_or_create(code="MNL", defaults={"name": "Manila"})[0]
    CatalogItem.objects.create(sku="BLADE-10", name="Blade set", price=Decimal("1250.00"))
    CatalogItem.objects.create(sku="OIL-1L", name="Engine oil", price=Decimal("349.50"))
    agent = staff_factory("agent", "csr", "finance")
    boss = staff_factory("boss", "manager")
    customer = Customer.objects.create(
        member_id="M7000001", first_name="Maria", last_name="Santos", branch=branch
    )
    return {"branch": branch, "agent": agent, "boss": boss, "customer": customer, "n": 0}


def _customer(world) -> Customer:
    world["n"] += 1
    return Customer.objects.create(
        member_id=f"M71{world['n']:05d}",
        first_name="Juan",
        last_name=f"Cruz{world['n']}",
        branch=world["branch"],
    )


def _order(world, customer=None):
    return order_create(
        actor=world["agent"],
        customer=customer or world["customer"],
        branch=world["branch"],
        kind="sale",
        lines=[{"sku": "BLADE-10", "quantity": 1}, {"sku": "OIL-1L", "quantity": 2}],
    )


def _busy_order(world, order, times: int) -> None:
    """Lines, amendments, payments and notes on `order` (its lines, timeline, payments and
    history grow)."""
    activity, result = _codes()
    for i in range(times):
        order.refresh_from_db()
        order_amend(
            actor=world["agent"],
            order=order.number,
            expected_version=order.version,
            amendment=Amendment(op="add_line", sku="OIL-1L", quantity=1 + i % 3),
            reason="Customer asked",
        )
        payment_record(actor=world["agent"], order=order.number, method="cash", amount="10.00")
        note_add(
            actor=world["agent"],
            customer=order.customer,
            subject=f"Call {i}",
            activity_code=activity,
            result_code=result,
            order_number=order.number,
        )


def _codes() -> tuple[str, str]:
    first = ActivityCode.objects.filter(active=True).order_by("position")
    return (
        first.filter(kind=ActivityCode.Kind.ACTIVITY).first().code,
        first.filter(kind=ActivityCode.Kind.RESULT).first().code,
    )


def _queries(client, url: str) -> int:
    client.get(url)  # warm: per-process caches (content types, templates) are not the point
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _flat(client, url, grow, few_rows=FEW) -> None:
    grow(few_rows)
    few = _queries(client, url)
    grow(few_rows * 9)
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries with {few_rows} rows, {many} with {few_rows * 10}"


def test_dashboard(world, web_for):
    from caredesk.orders.dashboard import PANEL_ROWS

    def grow(n):
        for _ in range(n):
            order = _order(world, _customer(world))  # a draft: my pending orders
            draft = _order(world, _customer(world))
            payment_record(actor=world["agent"], order=order.number, method="cash", amount="5")
            assert draft.status == "draft"  # the paid one is active now

    # Past the panel's rows from the start: its capped count runs in both measurements.
    _flat(web_for(world["agent"]), "/", grow, few_rows=PANEL_ROWS + 1)


def test_customer_snapshot(world, web_for):
    customer = world["customer"]

    def grow(n):
        for _ in range(n):
            _busy_order(world, _order(world), 1)

    _flat(web_for(world["agent"]), f"/customers/{customer.member_id}/", grow)


def test_order_page(world, web_for):
    order = _order(world)
    _flat(
        web_for(world["agent"]),
        f"/orders/{order.number}/",
        lambda n: _busy_order(world, order, n),
    )


def test_customer_activity_page(world, web_for):
    customer = world["customer"]

    def grow(n):
        order = _order(world)
        _busy_order(world, order, n)

    _flat(web_for(world["agent"]), f"/customers/{customer.member_id}/activity/", grow)


def test_pending_grid(world, web_for):
    def grow(n):
        for _ in range(n):
            _order(world, _customer(world))

    _flat(web_for(world["agent"]), "/orders/pending/", grow)


def test_outbox(world, web_for):
    def grow(n):
        for i in range(n):
            email_send_staff(to=f"staff{i}@example.com", subject="Shift", text_body="Hello")
            _order(world, _customer(world))

    _flat(web_for(world["agent"]), "/outbox/", grow)


def test_audit_log(world, web_for):
    def grow(n):
        for i in range(n):
            event_record(actor=world["agent"], action="test.flat", target=("t.t", str(i), "T"))
            _busy_order(world, _order(world, _customer(world)), 1)

    _flat(web_for(world["boss"]), "/audit/", grow)
