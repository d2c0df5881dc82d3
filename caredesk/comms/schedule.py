"""Periodic worker jobs: each `caredesk worker` runs `scheduler_loop` in a thread; a due job
is taken with a conditional UPDATE on its `PeriodicJob` row, so however many workers run,
each period enqueues the job once."""

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone

from caredesk.comms.models import PeriodicJob

logger = logging.getLogger(__name__)


def jobs() -> dict:
    from caredesk.comms import tasks
    from caredesk.privacy.tasks import backup_scheduled

    return {
        "outbox_sweep": tasks.outbox_sweep,
        "retention": tasks.retention_run,
        "backup": backup_scheduled,
    }


def job_take(name: str, every: float) -> bool:
    """True when `name` was due and this caller took it (and moved its next run)."""
    now = timezone.now()
    PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
    taken = PeriodicJob.objects.filter(name=name, next_run_at__lte=now).update(
        next_run_at=now + timedelta(seconds=every), last_run_at=now
    )
    return bool(taken)


def enqueue_due(intervals: dict[str, float]) -> list[str]:
    """Enqueue every job in `intervals` (name -> seconds) that is due. Returns their names."""
    enqueued = []
    for name, task in jobs().items():
        every = intervals.get(name)
        if every and job_take(name, every):
            task.enqueue()
            enqueued.append(name)
    return enqueued


def scheduler_loop(intervals: dict[str, float], stop: threading.Event, tick: float = 1.0) -> None:
    """Run until `stop` is set, enqueuing due jobs every `tick` seconds."""
    while not stop.is_set():
        try:
            close_old_connections()
            enqueue_due(intervals)
        except Exception:
            logger.exception("Scheduling periodic jobs failed; trying again")
        stop.wait(tick)
    close_old_connections()
