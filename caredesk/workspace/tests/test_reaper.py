"""Task rows a killed worker left RUNNING are put back in the queue; fresh ones are not."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from caredesk.comms.tasks import outbox_sweep
from caredesk.workspace.reaper import stale_tasks_reap

pytestmark = pytest.mark.django_db


def _running(started_minutes_ago: int) -> DBTaskResult:
    result = DBTaskResult.objects.get(id=outbox_sweep.enqueue().id)
    result.claim("killed-worker")
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago)
    )
    return result


def test_tasks_left_running_by_a_killed_worker_are_requeued():
    stale, fresh = _running(60), _running(1)
    assert stale_tasks_reap(older_than=30 * 60) == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == TaskResultStatus.READY and stale.started_at is None
    assert fresh.status == TaskResultStatus.RUNNING
    assert stale_tasks_reap(older_than=30 * 60) == 0
