"""Privacy hooks of delivery: the stops of a customer's orders hold a copy of their address,
phone and the recipient's name. `export` lists them; `erase` replaces those values with
tombstones (the run, sequence and outcome stay: they are operational records)."""

from caredesk.delivery.models import Stop

ERASED = "[erased]"


def export(customer) -> dict:
    stops = Stop.objects.filter(order__customer=customer).select_related("run", "order")
    return {
        "delivery_stops": [
            {
                "order": s.order.number,
                "date": s.run.date.isoformat(),
                "kind": s.kind,
                "status": s.status,
                "address": s.address,
                "phone": s.phone,
                "recipient": s.recipient,
                "notes": s.notes,
            }
            for s in stops.order_by("run__date", "pk")
        ]
    }


def erase(customer, *, actor) -> None:
    Stop.objects.filter(order__customer=customer).update(
        address=ERASED,
        phone="",
        recipient="",
        notes="",
        failure_note="",
        latitude=None,
        longitude=None,
    )
