from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from caredesk.lib.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore a `caredesk backup` archive into the configured database, which must be "
        "empty. Refuses a backup whose schema is newer than this code or whose checksums do "
        "not match; ends by verifying the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive written by `caredesk backup`")

    def handle(self, *args, **options):
        from caredesk.privacy.services.backups import backup_restore

        try:
            result = backup_restore(archive=options["path"])
        except DomainError as exc:
            raise CommandError(f"Restore refused: {exc.detail}") from None
        self.stdout.write(
            f"Restored {result.rows} rows in {result.tables} tables and {result.files} files."
        )
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        call_command("audit", "verify", stdout=self.stdout, stderr=self.stderr)
