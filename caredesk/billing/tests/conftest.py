import pytest

from caredesk.orders.tests.conftest import (  # noqa: F401 (shared fixtures)
    branch,
    catalog,
    customer,
    make_customer,
    zone,
)


@pytest.fixture
def make_order(csr, customer, branch, catalog):  # noqa: F811
    """make_order(lines, paid=None) -> a draft, or a confirmed order when `paid` is given."""
    from caredesk.orders import services

    def build(lines=(("BLADE-10", 2),), paid=None, payer=None, cust=None):
        order = services.order_create(
            actor=csr,
            customer=cust or customer,
            branch=branch,
            kind="sale",
            lines=[{"sku": sku, "quantity": q} for sku, q in lines],
        )
        if paid is not None:
            services.payment_record(
                actor=payer or csr_with_payments(csr), order=order, method="cash", amount=paid
            )
        order.refresh_from_db()
        return order

    return build


def csr_with_payments(user):
    from django.contrib.auth.models import Permission

    if not user.has_perm("staff.record_payment"):
        user.user_permissions.add(Permission.objects.get(codename="record_payment"))
        user.__dict__.pop("_perm_cache", None)
        user.__dict__.pop("_user_perm_cache", None)
    return user


@pytest.fixture
def delivered_order(csr, customer, branch, catalog, manager):  # noqa: F811
    """delivered_order(lines, paid) -> a confirmed sale order (with a delivery date) moved on
    to delivered."""
    from datetime import timedelta

    from django.utils import timezone

    from caredesk.orders import services

    def build(lines=(("BLADE-10", 2), ("OIL-1L", 3)), paid="3698.50", cust=None):
        order = services.order_create(
            actor=csr,
            customer=cust or customer,
            branch=branch,
            kind="sale",
            lines=[{"sku": sku, "quantity": q} for sku, q in lines],
            requested_delivery_on=timezone.localdate() + timedelta(days=3),
        )
        services.payment_record(
            actor=csr_with_payments(csr), order=order, method="cash", amount=paid
        )
        for to in ("scheduled", "ready", "delivered"):
            order = services.order_transition(actor=manager, order=order, to=to)
        order.refresh_from_db()
        return order

    return build


@pytest.fixture
def works_at():
    """works_at(user, branch): the staff member works at that branch (receives returns there)."""
    from caredesk.people.models import StaffProfile

    def assign(user, where):
        StaffProfile.objects.update_or_create(user=user, defaults={"branch": where})
        return user

    return assign
