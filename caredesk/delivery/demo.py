"""Demo delivery: branch depots, two more installers, and runs for today and the coming days
in every branch with crews, filled with the ready orders (and service pickups) of the demo
orders — a few scheduled sale orders are made ready first so the schedule looks alive. Today's
first run is dispatched and has a delivered and a failed stop. Everything goes through the
services, so timelines and audit events are the real thing. Runs are kept when some exist."""

import contextlib
import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from caredesk.branches.models import Branch
from caredesk.delivery import services
from caredesk.delivery.models import Run
from caredesk.lib.errors import DomainError
from caredesk.orders import services as order_services
from caredesk.orders.models import Kind, Order, Status

DEPOTS = {
    "MNL": (Decimal("14.599500"), Decimal("120.984200")),
    "CEB": (Decimal("10.315700"), Decimal("123.885400")),
    "DVO": (Decimal("7.073100"), Decimal("125.612800")),
}
CREWS = [
    ("installer2", "Nestor", "Aquino"),
    ("installer3", "Rey", "Pascual"),
]
DAYS = 4
STOPS_PER_RUN = 6
HOUR = datetime.timedelta(hours=1)


def _installers() -> list:
    from caredesk.staff.demo import DEMO_PASSWORD
    from caredesk.staff.services import staff_create

    User = get_user_model()
    for username, first, last in CREWS:
        if not User.objects.filter(username=username).exists():
            staff_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                roles=["installer"],
                first_name=first,
                last_name=last,
                email=f"{username}@caredesk.localhost",
                validate=False,
            )
    return list(
        User.objects.filter(username__in=["installer", *[c[0] for c in CREWS]]).order_by("username")
    )


def build(*, out, options) -> None:
    rng = options["rng"]
    for code, (lat, lng) in DEPOTS.items():
        Branch.objects.filter(code=code, depot_latitude__isnull=True).update(
            depot_latitude=lat, depot_longitude=lng
        )
    User = get_user_model()
    manager = User.objects.filter(username="manager").first()
    csr = User.objects.filter(username="csr").first()
    if Run.objects.exists() or manager is None or csr is None:
        out("delivery: depots set; runs kept as they are")
        return
    crew = _installers()
    today = timezone.localdate()
    made_ready = 0
    for order in Order.objects.filter(kind=Kind.SALE, status=Status.SCHEDULED, suspended=False)[
        :40
    ]:
        try:
            order_services.order_transition(actor=manager, order=order, to=Status.READY)
            made_ready += 1
        except DomainError:
            continue
    runs = stops = 0
    for branch in Branch.objects.filter(active=True).order_by("code"):
        waiting = list(
            Order.objects.filter(branch=branch, suspended=False)
            .filter(Q(status=Status.READY) | Q(kind=Kind.SERVICE, status=Status.SCHEDULED))
            # Customers who live in the branch's area: a truck does not cross the sea.
            .filter(customer__addresses__is_default=True, customer__addresses__branch=branch)
            .order_by("pk")
        )
        rng.shuffle(waiting)
        for offset in range(DAYS):
            date = today + datetime.timedelta(days=offset)
            if date.weekday() == 6 or not waiting:
                continue
            members = rng.sample(crew, min(len(crew), rng.choice([1, 2])))
            if offset == 0 and branch.code == "MNL" and crew[0] not in members:
                members.append(crew[0])  # the demo installer login has a Manila run today
            run = services.run_create(
                actor=manager,
                date=date,
                branch=branch,
                vehicle=f"{branch.code}-TRK-{offset + 1:02d}",
                crew=members,
                capacity=rng.choice([8, 10, 12]),
            )
            runs += 1
            for order in waiting[:STOPS_PER_RUN]:
                try:
                    services.stop_add(actor=csr, run=run, order=order, set_date=True)
                    stops += 1
                except DomainError:
                    continue
            waiting = waiting[STOPS_PER_RUN:]
            if offset == 0 and run.stops.count() >= 3:
                _live_day(run, manager=manager)
    out(
        f"delivery: depots, {len(crew)} installers, {made_ready} orders made ready, "
        f"{runs} runs with {stops} stops over {DAYS} days"
    )


def _live_day(run: Run, *, manager) -> None:
    """Today's run is out: dispatched, first stop delivered, second failed, third arrived."""
    run.refresh_from_db()
    services.run_dispatch(actor=manager, run=run)
    member = run.crew.order_by("username").first()
    first, second, third = list(run.stops.order_by("sequence")[:3])
    now = timezone.now()
    steps = [
        (first, {"type": "delivered", "recipient": "Household member", "at": now - HOUR * 2}),
        (
            second,
            {
                "type": "failed",
                "reason": "not_home",
                "note": "Nobody answered; called twice",
                "at": now - HOUR,
            },
        ),
        (third, {"type": "arrived"}),
    ]
    for stop, event in steps:
        with contextlib.suppress(DomainError):
            services.stop_event_record(actor=member, stop=stop, **event)
