"""Backups that restore: one archive holding a consistent database snapshot, the uploaded files
and a manifest, and the restore of such an archive into an empty database.

The snapshot is taken while the server and the worker keep writing:
- SQLite: `VACUUM INTO` on a separate connection — one read transaction, so the copy is the
  database as of one instant (WAL lets writers continue meanwhile). Never a file copy, which
  can catch a half-written page or miss what is still in the WAL.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot and `pg_dump -Fc --snapshot`
  dumps exactly that snapshot; the manifest's row counts and migrations are read in the same
  transaction, so they describe the dump, not a moment later.

The archive (`.tar.gz`) holds `manifest.json`, `database.sqlite3` or `database.pgdump`, and
`media/<name>` for every file in Django's default storage. The manifest lists the Caredesk
version, the engine, the migrations applied, each table's row count, and the SHA-256 of every
other member; restore refuses an archive whose checksums do not match, whose schema is newer
than the code, or a target database that is not empty.
"""

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import caredesk
from caredesk.audit.services import event_record
from caredesk.lib.errors import Conflict, Invalid
from caredesk.privacy.events import PrivacyEvent
from caredesk.privacy.models import Backup

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
POSTGRES_CLIENT_PACKAGE = "postgresql-client"
_CHUNK = 1024 * 1024


@dataclass
class Snapshot:
    """What one consistent look at the database found."""

    member: str
    path: Path
    migrations: list[list[str]]
    row_counts: dict[str, int]
    started_monotonic: float


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    warnings: list[str] = field(default_factory=list)


def engine_name() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise Invalid(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def postgres_tool(name: str) -> str:
    """Path of `pg_dump` / `pg_restore`, or a refusal naming the package that provides it."""
    path = shutil.which(name)
    if path is None:
        raise Invalid(
            f"{name} was not found: install the PostgreSQL client tools "
            f"(Debian/Ubuntu package `{POSTGRES_CLIENT_PACKAGE}`, same major version as the "
            "server or newer) and run the command again."
        )
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _count_sql(table: str) -> str:
    """`SELECT count(*)` of a table named by the database's own catalog (quoted)."""
    quoted = '"' + table.replace('"', '""') + '"'
    return f"SELECT count(*) FROM {quoted}"  # noqa: S608 - a catalog name, quoted


def _contents(db, tables_sql: str) -> tuple[dict[str, int], list[list[str]]]:
    """The row count of each table `tables_sql` lists and the applied migrations, read
    through the open connection `db` (so from the snapshot it sees)."""
    tables = [r[0] for r in db.execute(tables_sql)]
    counts = {t: db.execute(_count_sql(t)).fetchone()[0] for t in tables}
    migrations = [list(r) for r in db.execute("SELECT app, name FROM django_migrations")]
    return counts, migrations


# --- Snapshot --------------------------------------------------------------------------------


def _sqlite_snapshot(workdir: Path) -> Snapshot:
    out = workdir / SQLITE_MEMBER
    source = str(connection.settings_dict["NAME"])
    db = sqlite3.connect(source, timeout=60, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout=60000")
        started = time.monotonic()
        db.execute("VACUUM INTO ?", [str(out)])
    finally:
        db.close()
    snap = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    try:
        counts, migrations = _contents(
            snap,
            "SELECT name FROM sqlite_master WHERE type='table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
    finally:
        snap.close()
    return Snapshot(SQLITE_MEMBER, out, migrations, counts, started)


def _pg_env_and_args(settings_dict: dict) -> tuple[dict, list[str]]:
    """Environment and connection arguments for the PostgreSQL client tools (the password goes
    in the environment, never on the command line)."""
    import os

    env = {**os.environ}
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args += ["--no-password"]
    return env, args


def _pg_tool_run(
    tool: str, name: str, options: list[str], after_dbname: list[str] | None = None
) -> None:
    """Run a PostgreSQL client tool against this database; Invalid with its error when it fails."""
    env, args = _pg_env_and_args(connection.settings_dict)
    dbname = ["--dbname", str(connection.settings_dict["NAME"]), *(after_dbname or [])]
    result = subprocess.run(
        [tool, *options, *args, *dbname], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise Invalid(f"{name} failed: {result.stderr.strip()[:500]}")


def _pg_snapshot(workdir: Path) -> Snapshot:
    import psycopg

    pg_dump = postgres_tool("pg_dump")
    out = workdir / PG_MEMBER
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        started = time.monotonic()
        snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts, migrations = _contents(
            conn,
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename",
        )
        # The exporting transaction stays open until pg_dump has taken the snapshot over.
        _pg_tool_run(pg_dump, "pg_dump", ["-Fc", "--snapshot", snapshot_id, "--file", str(out)])
        conn.execute("COMMIT")
    return Snapshot(PG_MEMBER, out, migrations, counts, started)


def snapshot_take(workdir: Path) -> Snapshot:
    """A consistent copy of the whole database in `workdir`, with its migrations and counts."""
    if engine_name() == "sqlite":
        return _sqlite_snapshot(workdir)
    return _pg_snapshot(workdir)


# --- Archive ---------------------------------------------------------------------------------


def _media_names(directory: str = "") -> list[str]:
    """Every file in the default storage (recursively), by storage name."""
    try:
        dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{f}" if directory else f for f in files]
    for sub in dirs:
        names += _media_names(f"{directory}/{sub}" if directory else sub)
    return sorted(names)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _add_media(tar: tarfile.TarFile, workdir: Path, checksums: dict[str, str]) -> int:
    """Copy each stored file through a temporary file (its size known before it enters the
    archive, and its checksum computed over exactly the bytes archived)."""
    count = 0
    for name in _media_names():
        tmp = workdir / "media-file"
        digest = hashlib.sha256()
        try:
            with default_storage.open(name, "rb") as src, tmp.open("wb") as dst:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
        except FileNotFoundError:
            continue  # removed while the backup ran
        member = MEDIA_PREFIX + name
        tar.add(tmp, arcname=member, recursive=False)
        checksums[member] = digest.hexdigest()
        count += 1
    return count


def backup_default_dir() -> Path:
    return Path(settings.CAREDESK_BACKUP_DIR or settings.VAR_DIR / "backups")


def _archive_path(path: Path | str | None, started) -> Path:
    name = f"caredesk-backup-{started:%Y%m%dT%H%M%SZ}.tar.gz"
    if path is None:
        return backup_default_dir() / name
    if Path(path).is_dir() or str(path).endswith("/"):
        return Path(path) / name
    return Path(path)


def backup_create(
    *, path: Path | str | None = None, actor=None, trigger: str = Backup.Trigger.COMMAND
) -> tuple[Backup, Snapshot]:
    """Write one archive (snapshot, uploaded files, manifest) and return its `Backup` row and
    the snapshot it holds. The archive appears under its final name only when complete."""
    started = timezone.now()
    target = _archive_path(path, started.astimezone(UTC))
    engine = engine_name()
    backup = Backup.objects.create(
        started_at=started, trigger=trigger, engine=engine, path=str(target)
    )
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="caredesk-backup-") as tmp:
            workdir = Path(tmp)
            snap = snapshot_take(workdir)
            checksums = {snap.member: sha256_file(snap.path)}
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                tar.add(snap.path, arcname=snap.member, recursive=False)
                files = _add_media(tar, workdir, checksums)
                manifest = {
                    "format": FORMAT,
                    "application": "caredesk",
                    "version": caredesk.__version__,
                    "engine": engine,
                    "created_at": started.isoformat(),
                    "backup_id": backup.pk,
                    "database": snap.member,
                    "migrations": sorted(snap.migrations),
                    "row_counts": snap.row_counts,
                    "files": files,
                    "checksums": checksums,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            partial.replace(target)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        Backup.objects.filter(pk=backup.pk).update(
            status=Backup.Status.FAILED, finished_at=timezone.now(), error=str(exc)[:2000]
        )
        raise
    backup.status = Backup.Status.DONE
    backup.finished_at = timezone.now()
    backup.size = target.stat().st_size
    backup.rows = sum(snap.row_counts.values())
    backup.files = files
    backup.save(update_fields=["status", "finished_at", "size", "rows", "files"])
    event_record(
        actor=actor,
        action=PrivacyEvent.BACKUP_TAKEN,
        target=backup,
        after={"size": backup.size, "rows": backup.rows, "files": files, "trigger": trigger},
    )
    return backup, snap


def backups_prune(*, keep: int, directory: Path | None = None) -> list[Path]:
    """Delete all but the newest `keep` complete archives written by the schedule into
    `directory`. Archives an operator wrote elsewhere are never touched."""
    directory = Path(directory or backup_default_dir())
    removed = []
    rows = Backup.objects.filter(status=Backup.Status.DONE, pruned_at__isnull=True).order_by(
        "-started_at"
    )
    kept = 0
    for backup in rows:
        path = Path(backup.path)
        if path.parent.resolve() != directory.resolve():
            continue
        kept += 1
        if kept <= keep:
            continue
        path.unlink(missing_ok=True)
        Backup.objects.filter(pk=backup.pk).update(pruned_at=timezone.now())
        removed.append(path)
    return removed


def backup_scheduled() -> Backup | None:
    """The worker's backup: into CAREDESK_BACKUP_DIR, keeping CAREDESK_BACKUP_KEEP archives.
    Does nothing when no backup directory is configured."""
    if not settings.CAREDESK_BACKUP_DIR:
        return None
    directory = Path(settings.CAREDESK_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    backup, _ = backup_create(path=directory, trigger=Backup.Trigger.SCHEDULE)
    backups_prune(keep=settings.CAREDESK_BACKUP_KEEP, directory=directory)
    return backup


def last_backup() -> Backup | None:
    return Backup.objects.filter(status=Backup.Status.DONE).order_by("-started_at").first()


# --- Restore ---------------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts


def manifest_read(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise Invalid("Not a Caredesk backup: the archive has no manifest.json.") from None
    manifest = json.loads(tar.extractfile(member).read())
    if manifest.get("application") != "caredesk" or manifest.get("format") != FORMAT:
        raise Invalid("Not a Caredesk backup of a format this version reads.")
    return manifest


def schema_check(manifest: dict) -> list[str]:
    """Refuse a backup made by newer code (migrations this code does not have). Returns the
    migrations the code has beyond the backup (the restored database needs `migrate`)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    archived = {f"{app}.{name}" for app, name in manifest["migrations"]}
    ours = {a for a in archived if a.split(".", 1)[0] in loader.migrated_apps}
    unknown = sorted(ours - known)
    if unknown:
        raise Conflict(
            f"The backup's schema is newer than this code (Caredesk {caredesk.__version__}): "
            f"it has migrations this code does not know ({', '.join(unknown[:5])}"
            f"{', ...' if len(unknown) > 5 else ''}). Restore it with Caredesk "
            f"{manifest.get('version')} or newer.",
            code="newer_schema",
        )
    return sorted(known - archived)


def _target_empty() -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise Conflict(
            f"Restore needs an empty database; {connection.settings_dict['NAME']} already has "
            f"{len(tables)} tables. Create a new, empty database and point DATABASE_URL at it.",
            code="not_empty",
        )


def _extract_verified(tar: tarfile.TarFile, manifest: dict, workdir: Path) -> dict[str, Path]:
    """Every member the manifest lists, extracted and checked against its checksum."""
    paths: dict[str, Path] = {}
    checksums: dict[str, str] = manifest["checksums"]
    for name, expected in checksums.items():
        if not _safe_member(name):
            raise Invalid(f"The backup names an unsafe path: {name}")
        try:
            member = tar.getmember(name)
        except KeyError:
            raise Invalid(f"The backup is incomplete: {name} is missing.") from None
        dest = workdir / f"member-{len(paths)}"
        digest = hashlib.sha256()
        with tar.extractfile(member) as src, dest.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
        if digest.hexdigest() != expected:
            raise Invalid(f"Checksum mismatch for {name}: the backup is damaged; nothing restored.")
        paths[name] = dest
    if manifest["database"] not in paths:
        raise Invalid("The backup holds no database snapshot.")
    return paths


def _sqlite_restore(source: Path) -> None:
    connection.close()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(connection.settings_dict["NAME"]))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _pg_restore(source: Path) -> None:
    pg_restore = postgres_tool("pg_restore")
    connection.close()
    _pg_tool_run(
        pg_restore,
        "pg_restore",
        ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"],
        after_dbname=[str(source)],
    )


def _media_restore(paths: dict[str, Path]) -> tuple[int, list[str]]:
    count, warnings = 0, []
    for name, path in paths.items():
        if not name.startswith(MEDIA_PREFIX):
            continue
        storage_name = name[len(MEDIA_PREFIX) :]
        with path.open("rb") as fh:
            saved = default_storage.save(storage_name, File(fh))
        if saved != storage_name:
            warnings.append(f"{storage_name} already existed; the restored copy is {saved}")
        count += 1
    return count, warnings


def _counts_check(manifest: dict) -> int:
    with connection.cursor() as cursor:
        total = 0
        for table, expected in manifest["row_counts"].items():
            cursor.execute(_count_sql(table))
            found = cursor.fetchone()[0]
            if found != expected:
                raise Invalid(
                    f"Restored table {table} has {found} rows, the backup says {expected}."
                )
            total += found
    return total


def backup_restore(*, archive: Path) -> RestoreResult:
    """Restore `archive` into the configured (empty) database and storage. Everything is
    checked before anything is written: the format, the schema, the checksums, the target."""
    archive = Path(archive)
    if not archive.is_file():
        raise Invalid(f"No backup at {archive}.")
    engine = engine_name()
    with tarfile.open(archive, "r:*") as tar:
        manifest = manifest_read(tar)
        if manifest["engine"] != engine:
            raise Invalid(
                f"This backup is of a {manifest['engine']} database; the configured database is "
                f"{engine}. Point DATABASE_URL at an empty {manifest['engine']} database."
            )
        pending = schema_check(manifest)
        with tempfile.TemporaryDirectory(prefix="caredesk-restore-") as tmp:
            paths = _extract_verified(tar, manifest, Path(tmp))
            _target_empty()
            database = paths[manifest["database"]]
            if engine == "sqlite":
                _sqlite_restore(database)
            else:
                _pg_restore(database)
            files, warnings = _media_restore(paths)
    rows = _counts_check(manifest)
    # The snapshot shows its own backup as still running: it is the archive just restored.
    Backup.objects.filter(pk=manifest.get("backup_id"), status=Backup.Status.RUNNING).update(
        status=Backup.Status.DONE, size=archive.stat().st_size, rows=rows, files=files
    )
    if not pending:
        event_record(
            actor=None,
            action=PrivacyEvent.BACKUP_RESTORED,
            target=("privacy.backup", str(manifest.get("backup_id") or ""), archive.name[:200]),
            after={"backup_created_at": manifest["created_at"], "rows": rows, "files": files},
        )
    if pending:
        warnings.append(
            f"This code has {len(pending)} migration(s) the backup predates; run "
            "`caredesk migrate` before starting the server."
        )
    return RestoreResult(len(manifest["row_counts"]), rows, files, warnings)
