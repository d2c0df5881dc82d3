"""Orders API (SPEC §11): catalog, orders, amendments (If-Match), transitions, payments
(Idempotency-Key), suspension, alerts, tracking link. Endpoints parse, call the service,
answer with the schema; rules live in the services."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from caredesk.branches.models import Branch
from caredesk.customers.ids import customer_by_member_id
from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.errors import Invalid
from caredesk.lib.events import describe
from caredesk.lib.http import (
    found,
    idempotent_action,
    if_match_version,
    known,
    versioned_response,
)
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import Code, Mapped, StrictIn
from caredesk.orders import policy, pricing, services
from caredesk.orders.models import Order
from caredesk.orders.schemas import (
    AmendmentIn,
    CallIn,
    CatalogIn,
    CatalogOut,
    NoteIn,
    OrderIn,
    OrderOut,
    OrderSummaryOut,
    PaymentAnswer,
    PaymentIn,
    PaymentOut,
    PreviewOut,
    ReasonIn,
    ReverseIn,
    TrackingLinkOut,
    TransitionIn,
    WindowIn,
    WindowOut,
    WindowPatch,
)
from caredesk.orders.selectors import catalog_list, order_detail, order_list, order_timeline
from caredesk.orders.tracking import tracking_url

router = ApiRouter(tags=["orders"])


# --- Helpers ---------------------------------------------------------------------------------


def _summary(order: Order) -> dict:
    return {
        "number": order.number,
        "kind": order.kind,
        "status": order.status,
        "version": order.version,
        "customer": order.customer.member_id,
        "customer_name": order.customer.display_name,
        "total": order.total,
        "balance": order.balance,
        "line_count": order.line_count,
        "suspended": order.suspended,
        "updated_at": order.updated_at,
        "assigned_to": order.assigned_to.get_username() if order.assigned_to_id else None,
        "locked_by": order.locked_by.get_username() if order.locked_by_id else None,
    }


def _totals(t, *, figures=None) -> dict:
    """Totals with balance due and refund due as `orders.pricing` computes them."""
    d = t.as_dict()
    d["refund_due"] = figures.refund_due if figures else t.refund_due
    d["balance_due"] = figures.balance_due if figures else t.balance_due
    return d


def order_out(order: Order, actor=None) -> dict:
    """The order in full; with `actor`, what that actor may do to it now (`actions`)."""
    from django.conf import settings

    from caredesk.orders.pricing import kept_line

    data = _summary(order)
    data.update(
        branch=order.branch.code,
        requested_delivery_on=order.requested_delivery_on,
        scheduled_delivery_on=order.scheduled_delivery_on,
        suspended_reason=order.suspended_reason,
        cancel_reason_code=order.cancel_reason_code,
        cancel_reason=order.cancel_reason,
        parts_to_return=order.parts_to_return,
        currency=settings.CAREDESK_CURRENCY,
        totals=_totals(pricing.stored_totals(order), figures=pricing.order_figures(order)),
        actions=actions_out(policy.actions(actor, order)) if actor is not None else {},
        lines=[
            {
                "id": ln.pk,
                "sku": ln.sku,
                "name": ln.name,
                "quantity": ln.quantity,
                "unit_price": ln.unit_price,
                "discount": ln.discount,
                "returned": ln.returned,
                "total": kept_line(ln.quantity, ln.unit_price, ln.discount, ln.returned).total,
                "part": ln.part_id,
            }
            for ln in order.lines.all()
        ],
        payments=list(order.payments.all()),
        alerts=list(order.alerts.all()),
        timeline=[
            {
                "at": e.at,
                "actor": e.actor_label,
                "action": e.action,
                "text": describe(e),
                "before": e.before,
                "after": e.after,
                "reason": e.reason,
                "version": (e.data or {}).get("version"),
            }
            for e in order_timeline(order)
        ],
    )
    return data


def _load(number: str) -> Order:
    return found(order_detail(number), "No such order.")


def _respond(request, order: Order, status: int = 200, *, loaded: bool = False):
    """The order in full with its ETag. Reloads it (with its joins) unless `loaded`."""
    if not loaded:
        order = _load(order.number)
    body = order_out(order, request.user)
    return versioned_response(request, body, order.version, status=status, schema=OrderOut)


def _apply(request, number: str, action, **arguments):
    """Run the order service `action` under the request's `If-Match` version (when sent) and
    answer with the order as it is now."""
    action(
        actor=request.user, order=number, expected_version=if_match_version(request), **arguments
    )
    return _respond(request, _load(number), loaded=True)


# --- Catalog ---------------------------------------------------------------------------------


@router.page("/catalog", CatalogOut, "view_orders", "The product catalog")
def catalog(request, q: str = "", active: bool | None = None):
    return catalog_list(q=q, active=active)


@router.create("/catalog", CatalogOut, "manage_catalog", "Add a product")
def catalog_add(request, payload: CatalogIn):
    return Status(201, services.catalog_create(actor=request.user, **payload.model_dump()))


# --- Orders ----------------------------------------------------------------------------------


@router.page("/orders", OrderSummaryOut, "view_orders", "List orders")
def orders(request, status: str = "", kind: str = "", branch: str = "", q: str = ""):
    return Mapped(order_list(status=status, kind=kind, branch=branch, q=q), _summary)


@router.create("/orders", OrderOut, "create_order", "Create a draft")
def order_create(request, payload: OrderIn):
    customer = known(
        customer_by_member_id(payload.customer),
        f"Unknown customer {payload.customer}.",
        field="customer",
    )
    branch = known(
        Branch.objects.filter(code=payload.branch.strip().upper()).first(),
        f"Unknown branch {payload.branch}.",
        field="branch",
    )
    if payload.referral:
        from caredesk.people.referrals import link_for_code

        link_for_code(payload.referral)
    order = services.order_create(
        actor=request.user,
        customer=customer,
        branch=branch,
        kind=payload.kind,
        lines=[ln.dict() for ln in payload.lines],
        requested_delivery_on=payload.requested_delivery_on,
        window_id=payload.window,
    )
    if payload.referral:
        from caredesk.people.services import referral_attribute

        referral_attribute(actor=request.user, code=payload.referral, order=order)
    return _respond(request, order, status=201)


@router.get("/orders/{number}", OrderOut, "view_orders", "One order")
def order_get(request, number: str):
    return _respond(request, _load(number), loaded=True)


def _amendment(payload: AmendmentIn) -> services.Amendment:
    given = payload.model_fields_set & {"requested_delivery_on", "scheduled_delivery_on"}
    fields = payload.model_dump(exclude={"reason"})
    return services.Amendment(**fields, dates_given=frozenset(given))


@router.post(
    "/orders/{number}/amendments",
    OrderOut,
    "amend_order",
    "Amend an open order (If-Match required)",
)
def order_amend(request, number: str, payload: AmendmentIn):
    version = if_match_version(request, required=True)
    order = services.order_amend(
        actor=request.user,
        order=number,
        expected_version=version,
        amendment=_amendment(payload),
        reason=payload.reason,
    )
    return _respond(request, order)


@router.post(
    "/orders/{number}/amendments/preview",
    PreviewOut,
    "amend_order",
    "Preview an amendment (writes nothing)",
)
def order_amend_preview(request, number: str, payload: AmendmentIn):
    order = _load(number)
    preview = services.amendment_preview(
        actor=request.user, order=order, amendment=_amendment(payload)
    )
    return {
        "summary": preview.summary,
        "version": preview.version,
        "line_before": _jsonable(preview.line_before),
        "line_after": _jsonable(preview.line_after),
        "dates": {
            k: [str(b) if b else None, str(a) if a else None] for k, (b, a) in preview.dates.items()
        },
        "before": _totals(preview.before),
        "after": _totals(preview.after),
    }


def _jsonable(d):
    if d is None:
        return None
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in d.items()}


@router.post(
    "/orders/{number}/transitions", OrderOut, "view_orders", "Move the order to another status"
)
def order_transition(request, number: str, payload: TransitionIn):
    order = services.order_transition(
        actor=request.user,
        order=number,
        to=payload.to,
        expected_version=if_match_version(request),
        reason=payload.reason,
        reason_code=payload.reason_code,
        parts_to_return=payload.parts_to_return,
    )
    return _respond(request, order)


@router.post(
    "/orders/{number}/payments",
    {200: PaymentAnswer, 201: PaymentAnswer},
    "record_payment",
    "Record a payment (Idempotency-Key honoured)",
)
def payment_record(request, number: str, payload: PaymentIn):
    return idempotent_action(request, services.payment_record, order=number, **payload.model_dump())


@router.create(
    "/orders/{number}/payment-reports",
    PaymentOut,
    "record_delivery_event",
    "Report a payment collected by the delivery crew",
)
def payment_report(request, number: str, payload: PaymentIn):
    arguments = payload.model_dump(exclude={"received_at"})
    return Status(201, services.payment_report(actor=request.user, order=number, **arguments))


@router.post(
    "/orders/{number}/payments/{payment_id}/record",
    OrderOut,
    "record_payment",
    "Record a crew-reported payment",
)
def payment_confirm_report(request, number: str, payment_id: int):
    return _apply(request, number, services.payment_confirm_report, payment_id=payment_id)


@router.post(
    "/orders/{number}/payments/{payment_id}/reverse",
    OrderOut,
    "reverse_payment",
    "Reverse a recorded payment",
)
def payment_reverse(request, number: str, payment_id: int, payload: ReverseIn):
    return _apply(
        request, number, services.payment_reverse, payment_id=payment_id, reason=payload.reason
    )


@router.post("/orders/{number}/suspend", OrderOut, "suspend_order", "Suspend")
def order_suspend(request, number: str, payload: ReasonIn):
    return _apply(request, number, services.order_suspend, reason=payload.reason)


@router.post("/orders/{number}/resume", OrderOut, "suspend_order", "Resume")
def order_resume(request, number: str, payload: ReasonIn):
    return _apply(request, number, services.order_resume, reason=payload.reason)


@router.post(
    "/orders/{number}/alerts/{alert_id}/clear",
    OrderOut,
    "clear_alerts",
    "Clear an alert with a note",
)
def alert_clear(request, number: str, alert_id: int, payload: NoteIn):
    return _apply(request, number, services.alert_clear, alert_id=alert_id, note=payload.note)


@router.get(
    "/orders/{number}/tracking-link", TrackingLinkOut, "view_orders", "The guest tracking link"
)
def tracking_link(request, number: str):
    order = get_object_or_404(Order, number=number.upper())
    return {"url": tracking_url(request, order)}


class OrderEmailIn(StrictIn):
    template: Code


class OrderEmailOut(Schema):
    message_id: str
    to: list[str]
    template: str
    status: str


@router.create(
    "/orders/{number}/emails",
    OrderEmailOut,
    "send_email",
    '"Send update" or "Resend confirmation" to the customer',
)
def order_email(request, number: str, payload: OrderEmailIn):
    from caredesk.orders.emails import order_email_send

    order = get_object_or_404(Order, number=number.upper())
    message = order_email_send(actor=request.user, order=order, template_code=payload.template)
    return Status(
        201,
        {
            "message_id": message.message_id,
            "to": message.to,
            "template": payload.template,
            "status": message.status,
        },
    )


# --- Flags, call handling, locks, pending orders, pickup windows ----------------------------


def _window_out(w) -> dict:
    return {
        "id": w.pk,
        "zone": w.zone.code,
        "date": w.date,
        "starts_at": w.starts_at.strftime("%H:%M"),
        "ends_at": w.ends_at.strftime("%H:%M"),
        "capacity": w.capacity,
        "booked": w.booked,
        "free": w.free,
    }


@router.post("/orders/{number}/flags", OrderOut, "amend_order", "Flag an order for review")
def order_flag(request, number: str, payload: NoteIn):
    return _apply(request, number, services.order_flag, note=payload.note)


@router.post(
    "/orders/{number}/call",
    OrderOut,
    "create_order",
    "Call handling on an order in progress: park, transfer or void",
)
def order_call(request, number: str, payload: CallIn):
    version = if_match_version(request)
    if payload.action == "park":
        services.order_park(actor=request.user, order=number, expected_version=version)
    elif payload.action == "transfer":
        services.order_transfer(
            actor=request.user, order=number, to_username=payload.to, expected_version=version
        )
    elif payload.action == "void":
        services.order_void(actor=request.user, order=number, expected_version=version)
    else:
        raise Invalid("Action is park, transfer or void.", field="action")
    return _respond(request, _load(number), loaded=True)


@router.post(
    "/orders/{number}/lock/take-over",
    OrderOut,
    "take_over_lock",
    "Take over another agent's edit lock (audited)",
)
def lock_take_over(request, number: str):
    services.lock_take_over(actor=request.user, order=_load(number))
    return _respond(request, _load(number), loaded=True)


@router.page(
    "/pending-orders", OrderSummaryOut, "view_orders", "Orders in progress (the pending grid)"
)
def pending_orders(request, agent: str = "me", q: str = "", locked: str = ""):
    from caredesk.orders.selectors import pending_list

    return Mapped(
        pending_list(agent=request.user if agent == "me" else None, q=q, locked=locked), _summary
    )


@router.page(
    "/pickup-windows", WindowOut, "view_orders", "Pickup/delivery windows with free places"
)
def pickup_windows(request, zone: str = "", free_only: bool = True):
    from django.db.models import F
    from django.utils import timezone

    from caredesk.orders.models import PickupWindow

    qs = PickupWindow.objects.select_related("zone").filter(date__gte=timezone.localdate())
    if zone:
        qs = qs.filter(zone__code=zone.upper())
    if free_only:
        qs = qs.filter(booked__lt=F("capacity"))
    return Mapped(qs.order_by("date", "starts_at", "pk"), _window_out)


@router.create(
    "/pickup-windows", WindowOut, "manage_pickup_windows", "Open a pickup/delivery window"
)
def pickup_window_create(request, payload: WindowIn):
    import datetime as dt

    from caredesk.branches.models import Zone

    zone = Zone.objects.filter(code=payload.zone.upper()).first()
    zone = known(zone, f"Unknown zone {payload.zone}.", field="zone")
    try:
        starts = dt.time.fromisoformat(payload.starts_at)
        ends = dt.time.fromisoformat(payload.ends_at)
    except ValueError:
        raise Invalid("Times look like 09:00.", field="starts_at") from None
    window = services.window_create(
        actor=request.user,
        zone=zone,
        date=payload.date,
        starts_at=starts,
        ends_at=ends,
        capacity=payload.capacity,
    )
    return Status(201, _window_out(window))


@router.patch(
    "/pickup-windows/{window_id}",
    WindowOut,
    "manage_pickup_windows",
    "Change a window's capacity (never below the places booked)",
)
def pickup_window_patch(request, window_id: int, payload: WindowPatch):
    window = services.window_capacity_change(
        actor=request.user, window_id=window_id, capacity=payload.capacity
    )
    return _window_out(window)


@router.delete(
    "/pickup-windows/{window_id}",
    None,
    "manage_pickup_windows",
    "Remove a window no order holds",
    status=204,
)
def pickup_window_delete(request, window_id: int):
    services.window_remove(actor=request.user, window_id=window_id)
    return Status(204, None)
