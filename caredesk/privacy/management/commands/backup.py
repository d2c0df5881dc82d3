from django.core.management.base import BaseCommand, CommandError

from caredesk.lib.errors import DomainError
from caredesk.privacy.events import _size


class Command(BaseCommand):
    help = (
        "Write one archive with a consistent snapshot of the database (taken while the server "
        "and worker keep writing), the uploaded files and a manifest. PATH is a file or a "
        "directory (default: CAREDESK_BACKUP_DIR, else var/backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="archive file or directory")

    def handle(self, *args, **options):
        from caredesk.privacy.services.backups import backup_create

        try:
            backup, snap = backup_create(path=options["path"])
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            f"Backup written: {backup.path} ({_size(backup.size)}; {backup.rows} rows in "
            f"{len(snap.row_counts)} tables, {backup.files} files)."
        )
