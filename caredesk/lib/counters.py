"""Gapless numbering: the next number from a counter row (`last`), for order numbers, ticket
references and billing documents."""

from django.db import IntegrityError, transaction


def counter_next(model, **key) -> int:
    """The next number of the `model` counter row matching `key` (created at 0 the first
    time), inside the caller's transaction: the row stays locked until it commits, so numbers
    are unique and gapless across processes."""
    with transaction.atomic():
        rows = model.objects.select_for_update()
        counter = rows.filter(**key).first()
        if counter is None:
            try:
                with transaction.atomic():
                    model.objects.create(last=0, **key)
            except IntegrityError:
                pass  # created by a concurrent transaction; lock it below
            counter = rows.get(**key)
        number = counter.last + 1
        model.objects.filter(pk=counter.pk).update(last=number)
    return number
