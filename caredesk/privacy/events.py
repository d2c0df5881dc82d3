"""Event types of data safety: backups, customers' data exports and erasures."""

from enum import StrEnum

from django.template.defaultfilters import filesizeformat

from caredesk.lib.display import when
from caredesk.lib.events import lines, renders


class PrivacyEvent(StrEnum):
    BACKUP_TAKEN = "backup.taken"
    BACKUP_RESTORED = "backup.restored"
    EXPORT_REQUESTED = "customer.export_requested"
    EXPORT_READY = "customer.export_ready"
    EXPORT_DOWNLOADED = "customer.export_downloaded"
    ERASED = "customer.erased"


lines(
    {
        PrivacyEvent.EXPORT_REQUESTED: (
            "Data export requested",
            "Export of the personal data requested",
        ),
        PrivacyEvent.EXPORT_READY: (
            "Data export ready",
            "Export of the personal data ready to download",
        ),
        PrivacyEvent.ERASED: (
            "Personal data erased",
            "Personal data erased at the request of the customer (approved by a manager)",
        ),
    }
)


def _size(num: int | None) -> str:
    return filesizeformat(num or 0).replace("\xa0", " ")


@renders(PrivacyEvent.BACKUP_TAKEN, label="Backup taken")
def _backup_taken(event) -> str:
    after = event.after or {}
    how = "by the worker's schedule" if after.get("trigger") == "schedule" else "by command"
    return f"Backup taken {how}: {_size(after.get('size'))}, {after.get('files', 0)} files"


@renders(PrivacyEvent.BACKUP_RESTORED, label="Backup restored")
def _backup_restored(event) -> str:
    after = event.after or {}
    created = after.get("backup_created_at")
    return f"Restored from the backup of {when(created)}" if created else "Restored from a backup"


@renders(PrivacyEvent.EXPORT_DOWNLOADED, label="Data export downloaded")
def _export_downloaded(event) -> str:
    kind = str((event.data or {}).get("file", "")).upper()
    return f"Export of the personal data downloaded ({kind or 'file'})"
