"""Background tasks (django-tasks, database backend) run by `caredesk worker`."""

from django_tasks import task

from caredesk.comms import outbox


@task()
def deliver_message(message_id: int) -> str:
    """Deliver one outbox message (enqueued when the message's transaction commits)."""
    return outbox.deliver_one(message_id)


@task()
def outbox_sweep() -> int:
    """Deliver everything due: lost enqueues, due retries, expired leases."""
    return outbox.outbox_sweep()


@task()
def retention_run() -> int:
    """Remove email bodies past the retention period, and old task bookkeeping."""
    outbox.task_results_prune()
    return outbox.retention_purge()
