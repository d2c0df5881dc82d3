"""Background tasks of the inbox (django-tasks, database backend, run by `caredesk worker`)."""

from django_tasks import task


@task()
def deadlines_recompute(calendar_id: int, version: int, change: str) -> int:
    """Move the deadlines of the open tickets counting over a changed calendar (too many to
    recompute inside the change itself); returns how many moved."""
    from caredesk.inbox.services.deadlines import deadlines_catch_up

    shift = deadlines_catch_up(calendar_id=calendar_id, version=version, change=change)
    return shift.moved or 0
