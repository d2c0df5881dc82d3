"""Backup archives: what they hold, and every refusal of `caredesk restore` before it writes."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from caredesk.audit.models import Event
from caredesk.lib.errors import Conflict, Invalid
from caredesk.privacy.models import Backup
from caredesk.privacy.services import backups


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("uploads/photo.jpg", ContentFile(b"\xff\xd8 photo"))
    return settings.MEDIA_ROOT


def _members(path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def _rewrite(path: Path, out: Path, change) -> Path:
    """A copy of the archive at `out` with `change(members)` applied."""
    members = _members(path)
    change(members)
    with tarfile.open(out, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


@pytest.fixture
def archive(db, media, tmp_path):
    backup, _ = backups.backup_create(path=tmp_path / "out.tar.gz")
    return Path(backup.path)


def test_archive_holds_snapshot_files_and_manifest(archive, settings):
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["version"]
    assert ["audit", "0001_initial"] in manifest["migrations"]
    assert manifest["row_counts"]["auth_group"] >= 7  # the role groups
    database = backups.SQLITE_MEMBER if manifest["engine"] == "sqlite" else backups.PG_MEMBER
    assert set(manifest["checksums"]) == {database, "media/uploads/photo.jpg"}
    assert members["media/uploads/photo.jpg"] == b"\xff\xd8 photo"
    backup = Backup.objects.get()
    assert backup.status == Backup.Status.DONE and backup.size == archive.stat().st_size
    assert Event.objects.filter(action="backup.taken").count() == 1


def test_command_prints_where_and_how_big(db, media, tmp_path, capsys):
    call_command("backup", str(tmp_path) + "/")
    out = capsys.readouterr().out
    assert out.startswith(f"Backup written: {tmp_path}/caredesk-backup-")
    assert "1 files" in out


def test_restore_refuses_damaged_archive(archive, tmp_path):
    def damage(members):
        members["media/uploads/photo.jpg"] = b"tampered"

    damaged = _rewrite(archive, tmp_path / "damaged.tar.gz", damage)
    with pytest.raises(Invalid, match=r"Checksum mismatch for media/uploads/photo.jpg"):
        backups.backup_restore(archive=damaged)


def test_restore_refuses_newer_schema(archive, tmp_path):
    def newer(members):
        manifest = json.loads(members["manifest.json"])
        manifest["migrations"].append(["orders", "9999_from_the_future"])
        members["manifest.json"] = json.dumps(manifest).encode()

    future = _rewrite(archive, tmp_path / "future.tar.gz", newer)
    with pytest.raises(Conflict, match=r"newer than this code.*orders.9999_from_the_future"):
        backups.backup_restore(archive=future)


def test_restore_refuses_a_database_that_is_not_empty(archive):
    with pytest.raises(CommandError, match=r"Restore needs an empty database"):
        call_command("restore", str(archive))


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("notes.txt")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(Invalid, match=r"no manifest.json"):
        backups.backup_restore(archive=other)


def test_missing_postgres_client_names_the_package(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    with pytest.raises(Invalid, match=r"pg_dump was not found.*`postgresql-client`"):
        backups.postgres_tool("pg_dump")


def test_scheduled_backups_keep_the_newest(db, media, tmp_path, settings):
    settings.CAREDESK_BACKUP_DIR = str(tmp_path / "scheduled")
    settings.CAREDESK_BACKUP_KEEP = 2
    made = []
    for n in range(3):
        backup = backups.backup_scheduled()
        # Distinct names: the archive is named by its start time to the second.
        Backup.objects.filter(pk=backup.pk).update(
            started_at=backup.started_at.replace(year=2020 + n)
        )
        made.append(Path(backup.path))
        renamed = made[-1].with_name(f"b{n}.tar.gz")
        made[-1].rename(renamed)
        Backup.objects.filter(pk=backup.pk).update(path=str(renamed))
        made[-1] = renamed
    assert sorted(p.name for p in (tmp_path / "scheduled").iterdir()) == ["b1.tar.gz", "b2.tar.gz"]
    assert Backup.objects.filter(pruned_at__isnull=False).count() == 1


def test_no_scheduled_backup_without_a_directory(db, settings):
    settings.CAREDESK_BACKUP_DIR = ""
    assert backups.backup_scheduled() is None


def test_worker_schedules_the_backup_job(db):
    from caredesk.comms.schedule import enqueue_due

    assert enqueue_due({"backup": 3600.0}) == ["backup"]
    assert enqueue_due({"backup": 3600.0}) == []


def test_failed_backup_leaves_no_archive_and_says_why(db, tmp_path, monkeypatch):
    def broken(workdir):
        raise backups.Invalid("pg_dump failed: connection refused")

    monkeypatch.setattr(backups, "snapshot_take", broken)
    with pytest.raises(Invalid):
        backups.backup_create(path=tmp_path / "x.tar.gz")
    assert list(tmp_path.iterdir()) == []
    backup = Backup.objects.get()
    assert backup.status == Backup.Status.FAILED and "connection refused" in backup.error
