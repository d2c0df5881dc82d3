"""Sample records for URL parameters in cross-app tests (the access matrix)."""

from decimal import Decimal


def sample_order_number() -> str:
    """An existing draft order (created once per test database)."""
    from caredesk.branches.models import Branch
    from caredesk.customers.models import Customer
    from caredesk.orders.models import Order, OrderLine

    order = Order.objects.filter(number="MNL-0001").first()
    if order is None:
        branch, _ = Branch.objects.get_or_create(code="MNL", defaults={"name": "Manila"})
        customer, _ = Customer.objects.get_or_create(
            member_id="M0000001", defaults={"first_name": "Sample", "last_name": "Member"}
        )
        order = Order.objects.create(
            number="MNL-0001",
            branch=branch,
            customer=customer,
            subtotal=Decimal("100.00"),
            total=Decimal("100.00"),
            balance=Decimal("100.00"),
            line_count=1,
        )
        OrderLine.objects.create(
            order=order,
            position=1,
            sku="SAMPLE",
            name="Sample",
            quantity=1,
            unit_price=Decimal("100.00"),
        )
    return order.number


def put_on_crew_run(order, crew_member) -> None:
    """Put `order` on a delivery run `crew_member` rides on (crew payment reports need it)."""
    from django.utils import timezone

    from caredesk.delivery.models import Run, Stop

    run = Run.objects.create(date=timezone.localdate(), branch=order.branch, vehicle="TRK-T")
    run.crew.add(crew_member)
    Stop.objects.create(run=run, order=order, sequence=1)
