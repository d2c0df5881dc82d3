"""Demo orders: a catalog, pickup windows for the next two weeks in every zone, and a few
hundred orders over the demo customers that exist (none are created when there are no
customers). Orders go through the services, so numbers, totals, payments and timelines are
the real thing."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from caredesk.branches.models import Branch, Zone
from caredesk.customers.models import Customer
from caredesk.lib.errors import DomainError
from caredesk.orders import services
from caredesk.orders.models import CatalogItem, Order, PickupWindow

CATALOG = [
    ("SVC-STD", "Standard service", "800.00"),
    ("SVC-SHARP", "Blade sharpening", "450.00"),
    ("SVC-TUNE", "Engine tune-up", "1800.00"),
    ("BLADE-10", "Blade set 10 in", "1250.00"),
    ("BLADE-14", "Blade set 14 in", "1650.00"),
    ("MOWER-X200", "Lawn mower X200", "18999.00"),
    ("MOWER-X400", "Lawn mower X400 self-propelled", "27999.00"),
    ("TRIM-2S", "String trimmer 2-stroke", "7499.00"),
    ("TRIM-LINE", "Trimmer line 2.4 mm x 50 m", "399.00"),
    ("CHAIN-16", "Chainsaw 16 in", "12999.00"),
    ("CHAIN-OIL", "Chain oil 1 L", "329.00"),
    ("OIL-1L", "4-stroke engine oil 1 L", "349.50"),
    ("SPARK-01", "Spark plug", "189.00"),
    ("FILTER-AIR", "Air filter", "259.00"),
    ("HOSE-15", "Garden hose 15 m", "899.00"),
    ("SPRAY-16L", "Knapsack sprayer 16 L", "2150.00"),
    ("GLOVES", "Work gloves (pair)", "149.00"),
    ("GOGGLES", "Safety goggles", "219.00"),
]
SLOTS = [
    (datetime.time(8), datetime.time(11)),
    (datetime.time(11), datetime.time(14)),
    (datetime.time(14), datetime.time(17)),
]
MAX_ORDERS = 300


def build(*, out, options) -> None:
    rng = options["rng"]
    for sku, name, price in CATALOG:
        CatalogItem.objects.update_or_create(
            sku=sku, defaults={"name": name, "price": Decimal(price)}
        )
    today = timezone.localdate()
    windows = 0
    for zone in Zone.objects.all():
        for day in range(1, 15):
            date = today + datetime.timedelta(days=day)
            if date.weekday() == 6:
                continue
            for start, end in SLOTS:
                _, created = PickupWindow.objects.get_or_create(
                    zone=zone,
                    date=date,
                    starts_at=start,
                    defaults={"ends_at": end, "capacity": rng.choice([3, 4, 6])},
                )
                windows += created
    User = get_user_model()
    staff = {
        u.username: u
        for u in User.objects.filter(username__in=["csr", "csr2", "finance", "manager", "sales"])
    }
    if Order.objects.exists() or not {"csr", "finance", "manager"} <= set(staff):
        out(f"orders: {len(CATALOG)} products, {windows} pickup windows; orders kept as they are")
        return
    customers = list(Customer.objects.filter(status="open").order_by("pk")[:MAX_ORDERS])
    branches = {b.pk: b for b in Branch.objects.filter(active=True)}
    if not customers or not branches:
        out(f"orders: {len(CATALOG)} products, {windows} pickup windows; no customers, no orders")
        return
    fallback = next(iter(branches.values()))
    products = [sku for sku, *_ in CATALOG if not sku.startswith("SVC")]
    agents = [staff[u] for u in ("csr", "csr2", "sales") if u in staff]
    made = 0
    for customer in customers:
        branch = branches.get(customer.branch_id) or fallback
        parts = list(customer.parts.filter(status="active")[:2])
        kind = "service" if parts and rng.random() < 0.6 else "sale"
        if kind == "service":
            lines = [
                {"part": p.pk, "sku": rng.choice(["SVC-STD", "SVC-SHARP", "SVC-TUNE"])}
                for p in parts
            ]
        else:
            lines = [
                {"sku": sku, "quantity": rng.choice([1, 1, 1, 2, 3])}
                for sku in rng.sample(products, rng.randint(1, 3))
            ]
        try:
            order = services.order_create(
                requested_delivery_on=today + datetime.timedelta(days=rng.randint(3, 21)),
                actor=rng.choice(agents),
                customer=customer,
                branch=branch,
                kind=kind,
                lines=lines,
            )
            _progress(order, rng, staff, agents)
        except DomainError:
            continue
        made += 1
    out(f"orders: {len(CATALOG)} products, {windows} pickup windows, {made} orders")


def _progress(order, rng, staff, agents) -> None:
    """Move a demo order a believable distance along its path."""
    roll = rng.random()
    if roll < 0.2:
        if rng.random() < 0.5:
            services.order_park(
                actor=order.assigned_to, order=order, expected_version=order.version
            )
        return  # still a draft (call in progress / parked)
    amount = order.total if rng.random() < 0.6 else (order.total / 2).quantize(Decimal("0.01"))
    method = rng.choice(["cash", "card", "e_wallet", "bank_transfer"])
    services.payment_record(
        actor=staff["finance"],
        order=order,
        method=method,
        amount=amount,
        card_last4=f"{rng.randint(0, 9999):04d}" if method == "card" else "",
        reference=f"REF{rng.randint(100000, 999999)}" if method == "bank_transfer" else "",
    )
    order.refresh_from_db()
    if roll < 0.05 + 0.2:
        services.order_transition(
            actor=staff["manager"],
            order=order,
            to="cancelled",
            reason_code="customer_request",
            reason="Changed plans",
        )
        return
    path = ["scheduled", "picked_up", "in_service", "ready", "delivered", "completed"]
    if order.kind == "sale":
        path = ["scheduled", "ready", "delivered", "completed"]
    steps = rng.randint(0, len(path))
    for to in path[:steps]:
        actor = staff["manager"] if to == "delivered" else rng.choice(agents[:2])
        services.order_transition(actor=actor, order=order, to=to)
