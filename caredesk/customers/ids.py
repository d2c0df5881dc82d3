"""Member ID allocation: `M` + a zero-padded sequence number (M0000001)."""

from django.db import transaction

from caredesk.customers.models import MemberIdCounter


def member_id_format(number: int) -> str:
    return f"M{number:07d}"


def member_ids_allocate(count: int = 1) -> list[str]:
    """Reserve `count` consecutive member IDs inside the caller's transaction (the counter row
    stays locked until it commits, so two processes never get the same ID)."""
    if count < 1:
        return []
    first = member_number_block(count)
    return [member_id_format(n) for n in range(first, first + count)]


def member_number_block(count: int) -> int:
    """Reserve `count` consecutive member numbers (see `member_ids_allocate`); the first."""
    with transaction.atomic():
        counter = MemberIdCounter.objects.select_for_update().filter(pk=1).first()
        if counter is None:
            MemberIdCounter.objects.bulk_create(
                [MemberIdCounter(pk=1, last=0)], ignore_conflicts=True
            )
            counter = MemberIdCounter.objects.select_for_update().get(pk=1)
        first = counter.last + 1
        MemberIdCounter.objects.filter(pk=1).update(last=counter.last + count)
    return first


def member_id_normalise(text) -> str:
    """A member ID as typed ("m0000109 ") -> as stored ("M0000109")."""
    return str(text or "").strip().upper()


def customer_by_member_id(member_id, queryset=None):
    """The one look-up of a customer by member ID (case and spaces ignored), or None."""
    from caredesk.customers.models import Customer

    qs = Customer.objects.all() if queryset is None else queryset
    wanted = member_id_normalise(member_id)
    return qs.filter(member_id=wanted).first() if wanted else None
