"""Reads of the money side: an order's and a customer's documents, and the payment manager's
list of money movements (payments and refunds of every order) with its cash-drawer totals.

The payment manager reads payments through `payment_received_idx` / `payment_status_received_idx`
and refunds through `refund_at_idx`: a date range is always applied (default: the last 7 days),
so a page costs the same however many payments the database holds.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import CharField, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from caredesk.billing.models import Invoice, Quote, Refund, Return, ReturnStatus
from caredesk.orders.models import Payment, PaymentMethod

ZERO = Decimal("0.00")
STATUSES = {
    "recorded": "Recorded",
    "reported": "Reported by crew",
    "reversed": "Reversed",
}
KINDS = {"payment": "Payments", "refund": "Refunds"}
MAX_RANGE_DAYS = 366


def order_invoices(order) -> QuerySet[Invoice]:
    return Invoice.objects.filter(order=order).select_related("corrects").order_by("issued_at")


def customer_invoices(customer) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(customer=customer)
        .select_related("order")
        .order_by("-issued_at", "-pk")
    )


def invoice_detail(number: str) -> Invoice | None:
    return (
        Invoice.objects.select_related("order", "corrects", "customer", "issued_by")
        .filter(number=str(number).upper())
        .first()
    )


def customer_refunds(customer) -> QuerySet[Refund]:
    return (
        Refund.objects.filter(order__customer=customer)
        .select_related("order")
        .order_by("-refunded_at", "-pk")
    )


@dataclass(frozen=True)
class MoneyFilter:
    """The payment manager's filters; dates are business-local days, both included."""

    date_from: date
    date_to: date
    method: str = ""
    status: str = ""
    kind: str = ""
    branch: str = ""
    agent: str = ""

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))


def default_range() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=6), today


def _payments(f: MoneyFilter) -> QuerySet:
    qs = Payment.objects.filter(received_at__gte=f.start, received_at__lt=f.end)
    if f.method:
        qs = qs.filter(method=f.method)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.branch:
        qs = qs.filter(order__branch__code=f.branch)
    if f.agent:
        qs = qs.filter(recorded_by__username=f.agent) | qs.filter(
            recorded_by__isnull=True, reported_by__username=f.agent
        )
    return qs


def _refunds(f: MoneyFilter) -> QuerySet:
    qs = Refund.objects.filter(refunded_at__gte=f.start, refunded_at__lt=f.end)
    if f.method:
        qs = qs.filter(method=f.method)
    if f.status == "reported":
        return qs.none()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.branch:
        qs = qs.filter(order__branch__code=f.branch)
    if f.agent:
        qs = qs.filter(issued_by__username=f.agent)
    return qs


COLUMNS = (
    "id",
    "kind",
    "at",
    "method",
    "amount",
    "status",
    "reference",
    "order_number",
    "branch_code",
    "agent",
)


def money_movements(f: MoneyFilter) -> QuerySet:
    """Payments and refunds matching `f`, newest first, as dicts of COLUMNS (one query;
    a UNION of the two tables)."""
    parts = []
    if f.kind in ("", "payment"):
        parts.append(
            _payments(f)
            .annotate(
                kind=Value("payment", output_field=CharField()),
                at=F("received_at"),
                order_number=F("order__number"),
                branch_code=F("order__branch__code"),
                agent=Coalesce("recorded_by__username", "reported_by__username"),
            )
            .values(*COLUMNS)
            .order_by()
        )
    if f.kind in ("", "refund"):
        parts.append(
            _refunds(f)
            .annotate(
                kind=Value("refund", output_field=CharField()),
                at=F("refunded_at"),
                order_number=F("order__number"),
                branch_code=F("order__branch__code"),
                agent=F("issued_by__username"),
            )
            .values(*COLUMNS)
            .order_by()
        )
    first, *rest = parts
    qs = first.union(*rest, all=True) if rest else first
    return qs.order_by("-at", "-id")


def drawer_totals(f: MoneyFilter) -> dict:
    """The cash-drawer view over `f`'s range: recorded money in (payments), out (refunds) and
    net, per method and per day x method. Reported and reversed rows count for nothing."""
    tz = timezone.get_current_timezone()
    per_method: dict[str, dict] = defaultdict(lambda: {"in": ZERO, "out": ZERO})
    per_day: dict[date, dict] = defaultdict(lambda: defaultdict(lambda: {"in": ZERO, "out": ZERO}))
    sources = []
    if f.kind in ("", "payment") and f.status in ("", "recorded"):
        sources.append(("in", _payments(f).filter(status="recorded"), "received_at"))
    if f.kind in ("", "refund") and f.status in ("", "recorded"):
        sources.append(("out", _refunds(f).filter(status="recorded"), "refunded_at"))
    for side, qs, at in sources:
        rows = (
            qs.annotate(day=TruncDate(at, tzinfo=tz))
            .values("day", "method")
            .annotate(s=Sum("amount"))
            .order_by()
        )
        for row in rows:
            per_method[row["method"]][side] += row["s"]
            per_day[row["day"]][row["method"]][side] += row["s"]
    labels = dict(PaymentMethod.choices)

    def out(d: dict) -> dict:
        return {"in": d["in"], "out": d["out"], "net": d["in"] - d["out"]}

    methods = [
        {"method": m, "label": labels.get(m, m), **out(per_method[m])}
        for m in PaymentMethod.values
        if m in per_method
    ]
    days = [
        {
            "day": day,
            "methods": [
                {"method": m, "label": labels.get(m, m), **out(v)}
                for m, v in sorted(per_day[day].items())
            ],
            "net": sum((v["in"] - v["out"] for v in per_day[day].values()), ZERO),
        }
        for day in sorted(per_day, reverse=True)
    ]
    return {
        "methods": methods,
        "days": days,
        "net": sum((m["net"] for m in methods), ZERO),
    }


def crew_reports(*, branch: str = "") -> QuerySet[Payment]:
    """Payments reported by the crew awaiting recording, oldest first (the queue)."""
    qs = Payment.objects.filter(status="reported").select_related(
        "order", "order__branch", "reported_by"
    )
    if branch:
        qs = qs.filter(order__branch__code=branch)
    return qs.order_by("received_at", "pk")


def quote_detail(number: str) -> Quote | None:
    return (
        Quote.objects.select_related("customer", "branch", "order", "created_by")
        .filter(number=str(number).upper())
        .first()
    )


def customer_quotes(customer) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(customer=customer)
        .select_related("order")
        .order_by("-created_at", "-pk")
    )


# --- Returns ---------------------------------------------------------------------------------


def returns_list(*, status: str = "", branch: str = "") -> QuerySet[Return]:
    """Returns newest first, by status and branch through `return_status_idx` /
    `return_branch_idx` (no filter: `return_requested_idx`)."""
    qs = Return.objects.select_related("order", "customer", "branch").order_by(
        "-requested_at", "-id"
    )
    if status:
        qs = qs.filter(status=status)
    if branch:
        qs = qs.filter(branch__code=branch)
    return qs


def returns_filter_parse(data) -> tuple[str, str]:
    """(status, branch) from query parameters; Invalid naming the field otherwise."""
    from caredesk.lib.errors import Invalid

    status = (data.get("status") or "").strip()
    if status and status not in ReturnStatus.values:
        raise Invalid(f"Status is one of {', '.join(ReturnStatus.values)}.", field="status")
    branch = (data.get("branch") or "").strip().upper()
    if len(branch) > 5:
        raise Invalid("Branch is a branch code such as MNL.", field="branch")
    return status, branch


def return_detail(number: str) -> Return | None:
    return (
        Return.objects.select_related(
            "order",
            "customer",
            "branch",
            "replacement_order",
            "requested_by",
            "approved_by",
            "received_by",
            "closed_by",
            "updated_by",
        )
        .prefetch_related("lines", "refunds")
        .filter(number=str(number).upper())
        .first()
    )


def order_returns(order) -> QuerySet[Return]:
    """The order's returns, and the return whose replacement it is (if any), oldest first."""
    from django.db.models import Q

    return (
        Return.objects.filter(Q(order=order) | Q(replacement_order=order))
        .select_related("replacement_order")
        .prefetch_related("lines")
        .order_by("requested_at", "pk")
    )


def customer_returns(customer) -> QuerySet[Return]:
    return (
        Return.objects.filter(customer=customer)
        .select_related("order")
        .order_by("-requested_at", "-pk")
    )


def return_timeline(ret: Return):
    """The return's steps (and its refund) as they stand on its order's timeline, oldest
    first: the order's events carrying the return's number."""
    from caredesk.audit.models import Event

    return Event.objects.filter(
        target_type="orders.order", target_id=str(ret.order_id), data__return=ret.number
    ).order_by("seq")


def return_number_search(q: str, limit: int = 5) -> list[Return]:
    """Returns whose number starts with `q` (`MNL-RMA-00`), through
    `return_number_prefix_idx`; only a query naming the RMA series reaches the database."""
    q = (q or "").strip().upper()
    if "-RMA" not in q or not q.split("-", 1)[0].isalpha():
        return []
    return list(
        Return.objects.select_related("order", "customer")
        .filter(number__startswith=q)
        .order_by("number")[:limit]
    )
