"""Demo money: the demo orders already have their invoices (issued by the services when they
were confirmed). Here some open orders are amended down (credit notes, refund due) and
finance refunds most of them, one refund is reversed, a few are amended up (supplementary
invoices), the crew reports a few payments for the payment manager's queue, and quotes are
made for the newest customers (every fifth converted into a draft order). Delivered orders
get a few returns at each status, one with a replacement order."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from caredesk.billing.models import Invoice, Refund
from caredesk.billing.services import (
    quote_convert,
    quote_create,
    refund_issue,
    refund_reverse,
    return_create,
    return_transition,
)
from caredesk.customers.models import Customer
from caredesk.lib.errors import DomainError
from caredesk.orders import services as order_services
from caredesk.orders.models import Order

AMEND_DOWN = 30
AMEND_UP = 8
CREW_REPORTS = 6
QUOTES = 15
QUOTE_SKUS = ["MOWER-X200", "TRIM-2S", "CHAIN-16", "SPRAY-16L", "BLADE-14", "HOSE-15"]


def _amend(order, actor, *, down: bool) -> Order:
    lines = list(order.lines.all())
    if down and len(lines) > 1:
        amendment = order_services.Amendment(op="remove_line", line=lines[-1].pk)
    elif down:
        line = lines[0]
        if line.quantity < 2:
            raise DomainError("nothing to take away")
        amendment = order_services.Amendment(
            op="set_quantity", line=line.pk, quantity=line.quantity - 1
        )
    else:
        amendment = order_services.Amendment(op="add_line", sku="GLOVES", quantity=2)
    return order_services.order_amend(
        actor=actor,
        order=order,
        expected_version=order.version,
        amendment=amendment,
        reason="Customer changed the order by phone" if down else "Customer added gloves",
    )


def build(*, out, options) -> None:
    rng = options["rng"]
    staff = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["csr", "finance", "manager", "installer"]
        )
    }
    if Refund.objects.exists() or not {"csr", "finance", "manager"} <= set(staff):
        out(f"billing: {Invoice.objects.count()} invoices; money kept as it is")
        return
    open_paid = list(
        Order.objects.filter(status__in=["pending", "scheduled"], suspended=False)
        .exclude(paid=0)
        .order_by("pk")[: AMEND_DOWN + AMEND_UP]
    )
    refunds = credit = up = 0
    for i, order in enumerate(open_paid):
        down = i < AMEND_DOWN
        try:
            order = _amend(order, staff["manager"], down=down)
        except DomainError:
            continue
        if not down:
            up += 1
            continue
        credit += 1
        if order.refund_due > 0 and rng.random() < 0.7:
            method = rng.choice(["cash", "bank_transfer", "e_wallet"])
            refund, _ = refund_issue(
                actor=staff["finance"],
                order=order,
                amount=order.refund_due,
                method=method,
                reference="" if method == "cash" else f"RF{rng.randint(100000, 999999)}",
                reason="Order amended down: overpayment returned",
            )
            refunds += 1
            if refunds == 3:
                refund_reverse(
                    actor=staff["finance"],
                    refund_id=refund.pk,
                    reason="Recorded on the wrong order; bank transfer bounced",
                )
    reported = 0
    crew = staff.get("installer")
    if crew is not None:
        owing = Order.objects.filter(status="scheduled", suspended=False, balance__gt=0)
        for order in owing.order_by("-pk")[:CREW_REPORTS]:
            try:
                order_services.payment_report(
                    actor=crew, order=order, method="cash", amount=order.balance
                )
                reported += 1
            except DomainError:
                continue
    quotes = _quotes(rng, staff)
    returns = _returns(rng, staff)
    out(
        f"billing: {quotes} quotes, {Invoice.objects.count()} invoices and credit notes "
        f"({credit} credit notes, {up} supplementary), {refunds} refunds, "
        f"{reported} crew reports awaiting recording, {returns} returns"
    )


def _quotes(rng, staff) -> int:
    """Quotes for the newest customers, a few converted into draft orders."""
    today = timezone.localdate()
    made = 0
    customers = Customer.objects.filter(status="open", branch__isnull=False)
    for customer in customers.select_related("branch").order_by("-pk")[:QUOTES]:
        try:
            quote = quote_create(
                actor=staff["csr"],
                customer=customer,
                branch=customer.branch,
                lines=[
                    {"sku": sku, "quantity": rng.choice([1, 1, 2])}
                    for sku in rng.sample(QUOTE_SKUS, rng.randint(1, 3))
                ],
                valid_until=today + timedelta(days=rng.choice([3, 7, 14, 30])),
            )
            if made % 5 == 0:
                quote_convert(actor=staff["csr"], quote=quote)
        except DomainError:
            continue
        made += 1
    return made


RETURN_WALKS = [
    [],
    ["approved"],
    ["approved", "received"],
    ["approved", "received", "refunded"],
    ["approved", "received", "closed"],
    ["rejected"],
    ["cancelled"],
]
RETURN_REASONS = [
    "Arrived damaged in transit",
    "Wrong size for the customer's garden",
    "Stopped working after a week",
    "Customer ordered one too many",
]


def _returns(rng, staff, per_status: int = 2) -> int:
    """Returns on delivered sale orders: `per_status` walked to each status (requested,
    approved, received, refunded, closed, rejected, cancelled); the first approved one ships a
    replacement."""
    orders = Order.objects.filter(
        kind="sale", status__in=["delivered", "completed"], suspended=False
    ).order_by("pk")
    made = 0
    walks = RETURN_WALKS * per_status  # every status first, then again
    for order, walk in zip(orders, walks, strict=False):
        line = order.lines.order_by("position").first()
        try:
            ret = return_create(
                actor=staff["csr"],
                order=order,
                lines=[{"line": line.pk, "quantity": 1}],
                reason=rng.choice(RETURN_REASONS),
                replacement=made == 1,
            )
            for to in walk:
                actor = {"refunded": "finance", "closed": "finance", "cancelled": "csr"}
                ret = return_transition(
                    actor=staff[actor.get(to, "manager")],
                    ret=ret.number,
                    to=to,
                    reason={
                        "rejected": "Damage is from use, not from delivery",
                        "cancelled": "Customer decided to keep it",
                        "closed": "Credit settled against what the customer still owed",
                    }.get(to, ""),
                    method="cash" if to == "refunded" else "",
                )
        except DomainError:
            continue
        made += 1
    return made
