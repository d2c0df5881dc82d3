"""Reads of the money side: an order's and a customer's documents, and the payment manager's
list of money movements (payments and refunds of every order) with its cash-drawer totals.

The payment manager reads a page of payments through `payment_branch_received_idx` /
`payment_received_idx` and refunds through `refund_at_idx`, newest first, merging the two; its
count and totals come from the day index (`DrawerDay`, kept by caredesk.billing.drawer). So a
page costs the same however many payments the range holds.
"""

import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import CharField, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from caredesk.billing.models import DrawerDay, Invoice, Quote, Refund, Return, ReturnStatus
from caredesk.orders.models import Payment, PaymentMethod

ZERO = Decimal("0.00")
STATUSES = {
    "recorded": "Recorded",
    "reported": "Reported by crew",
    "reversed": "Reversed",
}
KINDS = {"payment": "Payments", "refund": "Refunds"}
MAX_RANGE_DAYS = 366
DEEP_PAGE = 5000


def order_invoices(order) -> QuerySet[Invoice]:
    return Invoice.objects.filter(order=order).select_related("corrects").order_by("issued_at")


def _customer_documents(rows: QuerySet, newest: str) -> QuerySet:
    """The customer's documents in `rows` with their order, newest (by `newest`) first."""
    return rows.select_related("order").order_by(f"-{newest}", "-pk")


def customer_invoices(customer) -> QuerySet[Invoice]:
    return _customer_documents(Invoice.objects.filter(customer=customer), "issued_at")


def _numbered(qs: QuerySet, number: str):
    """The document numbered `number` (in any case) in `qs`, or None."""
    return qs.filter(number=str(number).upper()).first()


def invoice_detail(number: str) -> Invoice | None:
    related = Invoice.objects.select_related("order", "corrects", "customer", "issued_by")
    return _numbered(related, number)


def customer_refunds(customer) -> QuerySet[Refund]:
    return _customer_documents(Refund.objects.filter(order__customer=customer), "refunded_at")


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

    @cached_property
    def ids(self) -> tuple[int | None, int | None]:
        """The branch and agent as ids (-1 for an unknown code: matches nothing)."""
        from django.contrib.auth import get_user_model

        from caredesk.branches.models import Branch

        branch = agent = None
        if self.branch:
            found = Branch.objects.filter(code=self.branch).values_list("pk", flat=True)
            branch = found.first() or -1
        if self.agent:
            users = get_user_model().objects.filter(username=self.agent)
            agent = users.values_list("pk", flat=True).first() or -1
        return branch, agent

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))


def default_range() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=6), today


def _ids(f: MoneyFilter) -> tuple[int | None, int | None]:
    return f.ids


def _narrowed(qs: QuerySet, f: MoneyFilter, **fields) -> QuerySet:
    """`qs` narrowed to `f`'s method and status, and to each of `fields` that is not None."""
    if f.method:
        qs = qs.filter(method=f.method)
    if f.status:
        qs = qs.filter(status=f.status)
    return qs.filter(**{name: value for name, value in fields.items() if value is not None})


def _payments(f: MoneyFilter, branch: int | None = None, agent: int | None = None) -> QuerySet:
    qs = Payment.objects.filter(received_at__gte=f.start, received_at__lt=f.end)
    qs = _narrowed(qs, f, branch_id=branch)
    if agent is not None:
        qs = qs.filter(recorded_by_id=agent) | qs.filter(
            recorded_by__isnull=True, reported_by_id=agent
        )
    return qs


def _refunds(f: MoneyFilter, branch: int | None = None, agent: int | None = None) -> QuerySet:
    qs = Refund.objects.filter(refunded_at__gte=f.start, refunded_at__lt=f.end)
    if f.status == "reported":
        return qs.none()
    return _narrowed(qs, f, order__branch_id=branch, issued_by_id=agent)


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


# Each kind of movement: its rows, the field its date index orders it by, who handled it.
MOVEMENT_KINDS = (
    (
        "payment",
        _payments,
        "received_at",
        Coalesce("recorded_by__username", "reported_by__username"),
    ),
    ("refund", _refunds, "refunded_at", F("issued_by__username")),
)


def _parts(f: MoneyFilter) -> list[tuple[QuerySet, str]]:
    """The payments and the refunds matching `f` as dicts of COLUMNS, each with the field its
    date index orders it by."""
    branch, agent = _ids(f)
    parts = []
    for kind, rows, at, handled_by in MOVEMENT_KINDS:
        if f.kind not in ("", kind):
            continue
        qs = rows(f, branch, agent).annotate(
            kind=Value(kind, output_field=CharField()),
            at=F(at),
            order_number=F("order__number"),
            branch_code=F("order__branch__code"),
            agent=handled_by,
        )
        parts.append((qs.values(*COLUMNS), at))
    return parts


def money_movements(f: MoneyFilter) -> QuerySet:
    """Payments and refunds matching `f`, newest first, as dicts of COLUMNS, in one query
    (a UNION of the two tables): for reading them all, as the CSV export does."""
    first, *rest = [qs.order_by() for qs, _ in _parts(f)]
    qs = first.union(*rest, all=True) if rest else first
    return qs.order_by("-at", "-id")


def _index_rows(f: MoneyFilter) -> QuerySet:
    """The day-index rows under `f` (see caredesk.billing.drawer)."""
    branch, agent = _ids(f)
    sides = [side for side, kind in (("in", "payment"), ("out", "refund")) if f.kind in ("", kind)]
    qs = DrawerDay.objects.filter(day__gte=f.date_from, day__lte=f.date_to, side__in=sides)
    return _narrowed(qs, f, branch_key=branch, agent_key=agent)


class Movements:
    """`money_movements` for one page at a time: each table's newest rows are read from its
    date index (by branch for payments) and merged, so a page of a month of a busy branch
    reads 50 rows, not the month; `count()` sums the day index."""

    def __init__(self, f: MoneyFilter):
        self.filter = f

    def count(self) -> int:
        return _index_rows(self.filter).aggregate(n=Sum("count"))["n"] or 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[dict]:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("Movements are read a page (a slice) at a time.")
        start, stop = key.start or 0, key.stop
        if stop is None or stop <= start:
            return []
        if start >= DEEP_PAGE:  # far pages: the database skips the rows, not this merge
            return list(money_movements(self.filter)[start:stop])
        runs = [list(qs.order_by(f"-{field}", "-id")[:stop]) for qs, field in _parts(self.filter)]
        merged = heapq.merge(*runs, key=lambda row: (row["at"], row["id"]), reverse=True)
        return list(itertools.islice(merged, start, stop))


def drawer_totals(f: MoneyFilter) -> dict:
    """The cash-drawer view over `f`'s range: recorded money in (payments), out (refunds) and
    net, per method and per day x method, read from the day index. Reported and reversed rows
    count for nothing."""
    per_method: dict[str, dict] = defaultdict(lambda: {"in": ZERO, "out": ZERO})
    per_day: dict[date, dict] = defaultdict(lambda: defaultdict(lambda: {"in": ZERO, "out": ZERO}))
    if f.status in ("", "recorded"):
        rows = (
            _index_rows(f)
            .filter(status="recorded", count__gt=0)
            .values("day", "method", "side")
            .annotate(s=Sum("amount"))
            .order_by()
        )
        for row in rows:
            per_method[row["method"]][row["side"]] += row["s"]
            per_day[row["day"]][row["method"]][row["side"]] += row["s"]
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
        qs = qs.filter(branch__code=branch)
    return qs.order_by("received_at", "pk")


def quote_detail(number: str) -> Quote | None:
    related = Quote.objects.select_related("customer", "branch", "order", "created_by")
    return _numbered(related, number)


def customer_quotes(customer) -> QuerySet[Quote]:
    return _customer_documents(Quote.objects.filter(customer=customer), "created_at")


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
    related = Return.objects.select_related(
        "order",
        "customer",
        "branch",
        "replacement_order",
        "requested_by",
        "approved_by",
        "received_by",
        "closed_by",
        "updated_by",
    ).prefetch_related("lines", "refunds")
    return _numbered(related, number)


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
    return _customer_documents(Return.objects.filter(customer=customer), "requested_at")


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
