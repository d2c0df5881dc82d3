"""Reads for orders: querysets with their joins set, index-backed, for pages and the API."""

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Lower

from caredesk.audit.models import Event
from caredesk.orders.models import CatalogItem, Order, Payment, PickupWindow, Status

SORTS = {
    "updated": "-updated_at",
    "-updated": "updated_at",
    "number": "number",
    "customer": "customer__last_name",
    "lines": "-line_count",
    "total": "-total",
}


def catalog_list(*, q: str = "", active: bool | None = None) -> QuerySet[CatalogItem]:
    qs = CatalogItem.objects.order_by("sku")
    if q:
        qs = qs.filter(Q(sku__istartswith=q) | Q(name__icontains=q))
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def _lines_with_returned():
    """The lines, each with `returned`: units received back on returns (priced out)."""
    from django.db.models import Prefetch

    from caredesk.orders.models import OrderLine
    from caredesk.orders.services.common import returned_units

    lines = OrderLine.objects.annotate(returned=returned_units()).order_by("position")
    return Prefetch("lines", queryset=lines)


STAFF_ON_ORDER = ("updated_by", "assigned_to", "locked_by")


def order_detail(number: str) -> Order | None:
    """The order with its customer, branch, window and zone joined, its lines, payments and
    alerts prefetched, and its staff (STAFF_ON_ORDER) read in one query of their own: joined
    three more times to the order, the user table made PostgreSQL plan the query for ~4 ms."""
    order = (
        Order.objects.select_related("customer", "branch", "window", "window__zone")
        .prefetch_related(_lines_with_returned(), "payments", "alerts")
        .filter(number=str(number).upper())
        .first()
    )
    if order is not None:
        _attach_staff(order)
    return order


def _attach_staff(order: Order) -> None:
    fields = [Order._meta.get_field(name) for name in STAFF_ON_ORDER]
    ids = {getattr(order, field.attname) for field in fields} - {None}
    if not ids:
        return
    users = get_user_model()._default_manager.in_bulk(ids)
    for field in fields:
        pk = getattr(order, field.attname)
        if pk is not None:
            field.set_cached_value(order, users[pk])


ACTIVE_STATUSES = [
    s for s in Status.values if s not in (Status.COMPLETED, Status.CANCELLED, Status.DRAFT)
]


def order_list(
    *,
    status: str = "",
    kind: str = "",
    branch: str = "",
    q: str = "",
    agent=None,
    sort: str = "updated",
) -> QuerySet[Order]:
    """Orders newest-updated first (or another SORTS key), filtered."""
    qs = Order.objects.select_related("customer", "assigned_to", "locked_by", "branch")
    if status == "active":
        # Named, not excluded: `status IN (...)` reads the status indexes, where a NOT IN
        # scans the oldest (finished) orders first.
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if branch:
        qs = qs.filter(branch__code=branch.upper())
    if agent is not None:
        qs = qs.filter(assigned_to=agent)
    if q:
        q = q.strip()
        if "-" in q and q.split("-", 1)[0].isalpha():
            qs = qs.filter(number__startswith=q.upper())
        else:
            qs = qs.filter(
                Q(customer__member_id=q.upper())
                | Q(customer__last_name__istartswith=q)
                | Q(customer__company__istartswith=q)
            )
    return qs.order_by(SORTS.get(sort, "-updated_at"), "-pk")


def active_orders_newest_first() -> QuerySet[Order]:
    """Active orders, most recently updated first, for short lists (the dashboard): read from
    the newest end of the updated index. The status is compared through lower() (the stored
    codes are lower case already) so that no planner reads a status index instead: SQLite
    would then sort every active order before returning the first few (seconds at 3M orders),
    where walking the updated index stops after a handful of rows on both databases."""
    return order_list().alias(status_code=Lower("status")).filter(status_code__in=ACTIVE_STATUSES)


def pending_list(
    *, agent=None, q: str = "", locked: str = "", sort: str = "updated"
) -> QuerySet[Order]:
    """The pending orders grid: orders in progress (drafts), parked or being built."""
    qs = order_list(status=Status.DRAFT, q=q, agent=agent, sort=sort)
    if locked == "yes":
        from caredesk.orders.services.calls import lock_cutoff

        qs = qs.filter(locked_by__isnull=False, locked_seen_at__gte=lock_cutoff())
    return qs


def order_timeline(order: Order) -> QuerySet[Event]:
    """The order's timeline: its audit events and its invoices' (issued, emailed), oldest
    first."""
    invoices = order.invoices.annotate(key=Cast("pk", CharField())).values("key")
    q = Q(target_type="orders.order", target_id=str(order.pk))
    q |= Q(target_type="billing.invoice", target_id__in=Subquery(invoices))
    return Event.objects.filter(q).order_by("seq")


def guest_timeline(order: Order) -> list[tuple]:
    """What the customer may see of the timeline: (time, guest-facing text), oldest first."""
    from caredesk.orders import machine
    from caredesk.orders.models import Status

    steps = []
    for e in order_timeline(order).filter(
        action__in=("order.created", "order.status_changed", "order.payment_recorded")
    ):
        if e.action == "order.created":
            steps.append((e.at, "Order received"))
        elif e.action == "order.status_changed":
            steps.append((e.at, machine.guest_label(order.kind, (e.after or {}).get("status", ""))))
        elif (e.before or {}).get("status") == Status.DRAFT and (e.after or {}).get(
            "status"
        ) == Status.PENDING:
            steps.append((e.at, machine.guest_label(order.kind, Status.PENDING)))
    return steps


def customer_orders(customer) -> QuerySet[Order]:
    """A customer's orders, newest first (for the member snapshot; index order_customer_idx)."""
    return Order.objects.filter(customer=customer).order_by("-created_at", "-pk")


def customer_payments(customer) -> QuerySet[Payment]:
    """Every payment on the customer's orders (reported, recorded and reversed), newest first,
    with their order."""
    return (
        Payment.objects.filter(order__customer=customer)
        .select_related("order")
        .order_by("-received_at", "-pk")
    )


def windows_list(*, zone: str = "", start=None, free_only: bool = False) -> QuerySet:
    """Pickup/delivery windows from `start` on (date order; index window_date_idx, or
    window_zone_date_idx for one zone), optionally one zone's and only those with free places."""
    qs = PickupWindow.objects.select_related("zone", "zone__branch")
    if start is not None:
        qs = qs.filter(date__gte=start)
    if zone:
        qs = qs.filter(zone__code=zone)
    if free_only:
        qs = qs.filter(booked__lt=F("capacity"))
    return qs.order_by("date", "starts_at", "zone__code", "pk")


def order_number_search(q: str, limit: int = 5) -> list[Order]:
    """Orders whose number starts with `q`, for search boxes ("MNL-001" lists MNL-0010 to
    MNL-0019); only queries that look like a number (letters, dash) reach the database."""
    q = (q or "").strip().upper()
    if "-" not in q or not q.split("-", 1)[0].isalpha():
        return []
    return list(
        Order.objects.select_related("customer")
        .filter(number__startswith=q)
        .order_by("number")[:limit]
    )
