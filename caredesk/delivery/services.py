"""Delivery services: one function per action on runs and stops (SPEC §4). Each checks its
policy decision, locks what it changes, writes, and records its typed event in one
transaction. The order side (delivery date, delivered / picked up, the crew's payment report)
goes through the orders services, so the order's version, timeline and rules stay theirs."""

import datetime
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.branches.models import Branch
from caredesk.delivery import policy
from caredesk.delivery.events import DeliveryEvent as E
from caredesk.delivery.models import Run, Stop, StopEvent
from caredesk.lib.errors import Invalid, NotFound, StaleVersion
from caredesk.lib.idempotency import IdempotentWrite, idempotency_key_clean, request_fingerprint
from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import enforce
from caredesk.lib.versions import row_save
from caredesk.orders import services as order_services
from caredesk.orders.models import Order, Status
from caredesk.orders.services.common import order_event, order_for_update, order_save
from caredesk.orders.services.payments import amount_parse

# --- Helpers ----------------------------------------------------------------------------------


def _run_for_update(run: Run | int, expected_version: int | None = None) -> Run:
    try:
        locked = (
            Run.objects.select_for_update()
            .select_related("branch")
            .get(pk=run.pk if isinstance(run, Run) else int(run))
        )
    except (Run.DoesNotExist, TypeError, ValueError):
        raise NotFound("No such run.") from None
    if expected_version is not None and locked.version != expected_version:
        who = locked.updated_by.get_username() if locked.updated_by_id else "someone"
        when = timezone.localtime(locked.updated_at).strftime("%b %-d, %H:%M:%S")
        raise StaleVersion(
            f"Run {locked.pk} was changed by {who} at {when} (now version {locked.version}); "
            "reload to see the current stops."
        )
    return locked


def _run_save(run: Run, *, actor, fields: list[str] = ()) -> None:
    row_save(run, actor=actor, fields=list(fields))


def _address_of(order: Order):
    """The customer's delivery address (else default, else any), for the stop snapshot."""
    addresses = list(order.customer.addresses.all())
    for pick in (
        lambda a: a.kind == "delivery",
        lambda a: a.is_default,
        lambda a: True,
    ):
        for address in addresses:
            if pick(address):
                return address
    return None


def turnaround_days() -> int:
    """Days a serviced part stays with us (setting `CAREDESK_SERVICE_TURNAROUND_DAYS`)."""
    return int(getattr(settings, "CAREDESK_SERVICE_TURNAROUND_DAYS", 5))


# --- Runs -------------------------------------------------------------------------------------


def run_create(
    *,
    actor,
    date: datetime.date,
    branch: Branch | str,
    vehicle: str,
    crew: list,
    capacity: int = 12,
) -> Run:
    """A planned run of a branch on a date. The crew are staff who record delivery events
    (installers); a name that is not such a user is refused, naming it."""
    enforce(policy.may_create_run(actor))
    vehicle = (vehicle or "").strip()
    if not vehicle:
        raise Invalid("Name the vehicle (plate or fleet number).", field="vehicle")
    if len(vehicle) > 40:
        raise Invalid("The vehicle is at most 40 characters.", field="vehicle")
    if not 1 <= int(capacity) <= 200:
        raise Invalid("Capacity is 1 to 200 stops.", field="capacity")
    if date < timezone.localdate():
        raise Invalid("A run cannot be planned in the past.", field="date")
    if not isinstance(branch, Branch):
        branch = Branch.objects.filter(code=str(branch).upper(), active=True).first()
        if branch is None:
            raise Invalid("No such branch.", field="branch")
    User = get_user_model()
    members = []
    for member in crew:
        user = member if isinstance(member, User) else User.objects.filter(username=member).first()
        if user is None or not user.is_active or not has_capability(user, "record_delivery_event"):
            raise Invalid(f"{member} is not an installer.", field="crew")
        members.append(user)
    if not members:
        raise Invalid("A run needs a crew of at least one installer.", field="crew")
    with transaction.atomic():
        run = Run.objects.create(
            date=date,
            branch=branch,
            vehicle=vehicle,
            capacity=int(capacity),
            created_by=actor,
            updated_by=actor,
        )
        run.crew.set(members)
        event_record(
            actor=actor,
            action=E.RUN_CREATED,
            target=run,
            after={
                "date": date,
                "branch": branch.code,
                "vehicle": vehicle,
                "crew": [u.get_username() for u in members],
            },
        )
    return run


def run_dispatch(*, actor, run: Run | int, expected_version: int | None = None) -> Run:
    """Planned -> dispatched: the truck has left."""
    with transaction.atomic():
        run = _run_for_update(run, expected_version)
        enforce(policy.may_dispatch(actor, run, run.stops.count()))
        run.status = Run.Status.DISPATCHED
        _run_save(run, actor=actor, fields=["status"])
        event_record(actor=actor, action=E.RUN_DISPATCHED, target=run, data={"v": run.version})
    return run


def run_complete(*, actor, run: Run | int, expected_version: int | None = None) -> Run:
    """Dispatched -> completed, once every stop is delivered or failed."""
    with transaction.atomic():
        run = _run_for_update(run, expected_version)
        live = run.stops.filter(status__in=[Stop.Status.PENDING, Stop.Status.ARRIVED]).count()
        enforce(policy.may_complete(actor, run, live))
        run.status = Run.Status.COMPLETED
        _run_save(run, actor=actor, fields=["status"])
        event_record(actor=actor, action=E.RUN_COMPLETED, target=run, data={"v": run.version})
    return run


# --- Stops ------------------------------------------------------------------------------------


def stop_add(
    *,
    actor,
    run: Run | int,
    order: Order | str,
    set_date: bool = False,
    notes: str = "",
) -> Stop:
    """Put an order on a run as its last stop. The order's scheduled date becomes the run's
    date when `set_date` (the CSR sets it in the same step); refused (409, with the reason)
    when the order is not ready, of another branch, already on a live run, dated otherwise,
    or the run is full or completed."""
    if len(notes or "") > 300:
        raise Invalid("Notes are at most 300 characters.", field="notes")
    with transaction.atomic():
        run = _run_for_update(run)
        order = order_for_update(order, None)
        live = (
            Stop.objects.select_related("run")
            .filter(order=order, status__in=[Stop.Status.PENDING, Stop.Status.ARRIVED])
            .first()
        )
        stop_count = run.stops.count()
        enforce(
            policy.may_add_order(
                actor, run, order, live_stop=live, set_date=set_date, stop_count=stop_count
            )
        )
        kind = policy.stop_kind_for(order)
        before_date = order.scheduled_delivery_on
        if before_date != run.date:
            order.scheduled_delivery_on = run.date
            order_save(order, actor=actor, fields=["scheduled_delivery_on"])
        address = _address_of(order)
        window = order.window if order.window_id and order.window.date == run.date else None
        last = run.stops.aggregate(m=Max("sequence"))["m"] or 0
        stop = Stop.objects.create(
            run=run,
            order=order,
            kind=kind,
            sequence=last + 1,
            window_start=window.starts_at if window else None,
            window_end=window.ends_at if window else None,
            address=str(address)[:400] if address else "",
            phone=order.customer.phone,
            latitude=address.latitude if address else None,
            longitude=address.longitude if address else None,
            notes=(notes or "").strip(),
        )
        _run_save(run, actor=actor)
        order_event(
            order,
            actor=actor,
            action=E.STOP_ADDED,
            before={"scheduled_delivery_on": before_date},
            after={"run": run.pk, "date": run.date, "sequence": stop.sequence, "kind": kind},
            data={"run": run.pk, "stop": stop.pk},
        )
    return stop


def _stop_for_update(stop: Stop | int) -> Stop:
    try:
        return (
            Stop.objects.select_for_update(of=("self",))
            .select_related("run", "run__branch", "order")
            .get(pk=stop.pk if isinstance(stop, Stop) else int(stop))
        )
    except (Stop.DoesNotExist, TypeError, ValueError):
        raise NotFound("No such stop.") from None


def stop_remove(*, actor, stop: Stop | int) -> None:
    """Take a pending stop off its run; the stops after it move up."""
    with transaction.atomic():
        stop = _stop_for_update(stop)
        run = _run_for_update(stop.run_id)
        enforce(policy.may_remove_stop(actor, stop))
        order, run_id = stop.order, run.pk
        stop.delete()
        current = dict(run.stops.order_by("sequence", "pk").values_list("pk", "sequence"))
        _stops_renumber(current, list(current))
        _run_save(run, actor=actor)
        event_record(
            actor=actor,
            action=E.STOP_REMOVED,
            target=order,
            before={"run": run_id},
            data={"run": run_id},
        )


def _stops_renumber(current: dict[int, int], order: list[int]) -> None:
    """Number the stops 1, 2, ... in `order` (`current`: each stop's sequence now), writing
    only the stops that move."""
    for seq, pk in enumerate(order, start=1):
        if current[pk] != seq:
            Stop.objects.filter(pk=pk).update(sequence=seq)


def run_resequence(
    *, actor, run: Run | int, stops: list[int], expected_version: int, suggested: bool = False
) -> Run:
    """Set the order of a run's stops. `stops` lists every stop of the run once; the version
    the client read must still be current (else 412, nothing written)."""
    with transaction.atomic():
        run = _run_for_update(run, expected_version)
        enforce(policy.may_reorder(actor, run))
        current = dict(run.stops.values_list("pk", "sequence"))
        try:
            wanted = [int(s) for s in stops]
        except (TypeError, ValueError):
            raise Invalid("Stops are the ids of the run's stops.", field="stops") from None
        if sorted(wanted) != sorted(current) or len(set(wanted)) != len(wanted):
            raise Invalid("List every stop of the run exactly once.", field="stops")
        before = [pk for pk, _ in sorted(current.items(), key=lambda kv: kv[1])]
        _stops_renumber(current, wanted)
        _run_save(run, actor=actor)
        event_record(
            actor=actor,
            action=E.RUN_RESEQUENCED,
            target=run,
            before={"stops": before},
            after={"stops": wanted},
            data={"suggested": suggested, "v": run.version},
        )
    return run


# --- Stop events (the crew's phone) -----------------------------------------------------------


def _event_time(at: datetime.datetime | None, stop: Stop) -> datetime.datetime:
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + timedelta(minutes=5):
        raise Invalid("The event time is in the future; check the phone's clock.", field="at")
    if timezone.localdate(at) < stop.run.date - timedelta(days=1):
        raise Invalid("The event time is before the run's date.", field="at")
    return at


def stop_event_record(
    *,
    actor,
    stop: Stop | int,
    type: str,
    at: datetime.datetime | None = None,
    reason: str = "",
    note: str = "",
    recipient: str = "",
    amount=None,
    method: str = "cash",
    idempotency_key: str | None = None,
) -> tuple[dict, bool]:
    """Record what the crew did at a stop. Returns (answer, replayed).

    The idempotency mechanism of payments: the same `Idempotency-Key` with the same content
    answers the first response and writes nothing (`replayed=True`); the same key with other
    content is refused (409). `at` is when it happened on the device: the stop and the audit
    event keep it, so late events read at their real time.
    - arrived: pending -> arrived;
    - delivered: the order is delivered (a delivery stop) or picked up (a pickup stop, which
      sets the expected return date from the service turnaround), recorded as the crew member;
    - failed: a reason from the list; the order goes back to the schedule exceptions;
    - payment_collected: the orders payment report (counted only once finance records it)."""
    key = idempotency_key_clean(idempotency_key)
    stop_id = stop.pk if isinstance(stop, Stop) else stop
    fingerprint = request_fingerprint(
        stop=stop_id,
        type=type,
        at=at.isoformat() if at else "",
        reason=reason,
        note=note,
        recipient=recipient,
        amount=amount,
        method=method,
    )
    write = IdempotentWrite(StopEvent, key, fingerprint, "event")
    try:
        with transaction.atomic():
            stop = _stop_for_update(stop_id)
            if first := write.first():
                return first.response, True
            enforce(policy.may_record_event(actor, stop, type))
            at = _event_time(at, stop)
            answer = _apply_event(
                actor=actor,
                stop=stop,
                type=type,
                at=at,
                reason=reason,
                note=note,
                recipient=recipient,
                amount=amount,
                method=method,
            )
            StopEvent.objects.create(
                stop=stop,
                type=type,
                at=at,
                actor=actor,
                **write.fields(),
                response=answer,
            )
    except IntegrityError as error:
        return write.winner(error).response, True
    return answer, False


def _apply_event(*, actor, stop: Stop, type, at, reason, note, recipient, amount, method) -> dict:
    order = stop.order
    data = {"run": stop.run_id, "stop": stop.pk, "device_at": at}
    fields: list[str] = []
    if type == "arrived":
        stop.status, stop.arrived_at = Stop.Status.ARRIVED, at
        fields = ["status", "arrived_at"]
        event_record(actor=actor, action=E.STOP_ARRIVED, target=order, data=data, at=at)
    elif type == "delivered":
        recipient = (recipient or "").strip()
        if stop.kind == Stop.Kind.DELIVERY and not recipient:
            raise Invalid("Who received it? Give the recipient's name.", field="recipient")
        if len(recipient) > 120:
            raise Invalid("The recipient's name is at most 120 characters.", field="recipient")
        to = Status.DELIVERED if stop.kind == Stop.Kind.DELIVERY else Status.PICKED_UP
        order_services.order_transition(actor=actor, order=order, to=to, by_crew=True)
        after = {"kind": stop.kind, "recipient": recipient}
        if stop.kind == Stop.Kind.PICKUP:
            stop.expected_return_on = timezone.localdate(at) + timedelta(days=turnaround_days())
            after["expected_return_on"] = stop.expected_return_on
            fields.append("expected_return_on")
        stop.status, stop.recipient, stop.finished_at = Stop.Status.DELIVERED, recipient, at
        fields += ["status", "recipient", "finished_at"]
        event_record(
            actor=actor, action=E.STOP_DELIVERED, target=order, after=after, data=data, at=at
        )
    elif type == "failed":
        if reason not in policy.FAILURE_REASONS:
            raise Invalid("Choose why the stop failed.", field="reason")
        note = (note or "").strip()
        if reason == "other" and not note:
            raise Invalid("Say what happened.", field="note")
        if len(note) > 300:
            raise Invalid("The note is at most 300 characters.", field="note")
        stop.status, stop.failure_reason, stop.failure_note = Stop.Status.FAILED, reason, note
        stop.finished_at = at
        fields = ["status", "failure_reason", "failure_note", "finished_at"]
        event_record(
            actor=actor,
            action=E.STOP_FAILED,
            target=order,
            after={"reason": reason},
            reason=note,
            data=data,
            at=at,
        )
    elif type == "payment_collected":
        amount = amount_parse(amount)
        payment = order_services.payment_report(
            actor=actor, order=order, method=method, amount=amount
        )
        data["payment_id"] = payment.pk
        event_record(
            actor=actor,
            action=E.STOP_PAYMENT_COLLECTED,
            target=order,
            after={"amount": amount, "method": method},
            data=data,
            at=at,
        )
    if fields:
        stop.save(update_fields=fields)
    return {
        "stop": stop.pk,
        "type": type,
        "status": stop.status,
        "at": at.isoformat(),
        "order": order.number,
    }
