"""Background tasks of the privacy app (django-tasks, run by `caredesk worker`)."""

from django_tasks import task


@task()
def backup_scheduled() -> str:
    """The worker's periodic backup into CAREDESK_BACKUP_DIR (nothing when it is not set)."""
    from caredesk.privacy.services.backups import backup_scheduled as run

    backup = run()
    return backup.path if backup else ""


@task()
def export_build(export_id: int) -> int:
    """Produce one customer data export (JSON and PDF)."""
    from caredesk.privacy.services.exports import export_build as build

    return build(export_id).pk
