"""Task rows a killed worker left RUNNING are put back in the queue.

django-tasks-db marks a task RUNNING when a worker claims it and never hears again from a
worker killed with `kill -9` or lost with its machine; such a row would stay RUNNING for ever
and its work never happen. Tasks here are idempotent (the outbox works with leases), so a row
RUNNING for longer than CAREDESK_TASK_STALE_SECONDS is made READY again."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def stale_tasks_reap(*, older_than: int | None = None) -> int:
    """READY again every task RUNNING since more than `older_than` seconds; returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    seconds = settings.CAREDESK_TASK_STALE_SECONDS if older_than is None else older_than
    cutoff = timezone.now() - timedelta(seconds=seconds)
    with transaction.atomic():
        reaped = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).update(status=TaskResultStatus.READY, started_at=None, run_after=timezone.now())
    if reaped:
        logger.warning("Requeued %d task(s) left running by a stopped worker.", reaped)
    return reaped
