"""Backup and restore of a SQLite store: one verified archive of the database, the blob store and the identity.

The archive is a zip file (``.inspect-backup``): ``inspect.db`` (an online copy made with SQLite's backup API, so
the app may keep running), every file of ``blobs/`` (originals, derived images, signed PDFs), ``identity/`` (the
device key, still encrypted with the inspector's passphrase, and its certificates) and ``trusted/``, and last
``manifest.json`` listing every entry with its size and SHA-256. Photos and PDFs are stored as they are, the
database and the manifest deflated. It is written to a temp file, read back and checked entry by entry, and only
then renamed to its name; the time of the last good backup is kept as a store setting for the reminder.

A restore checks the whole archive before it touches anything (every name, size and hash, SQLite's
``integrity_check``, a schema this version knows), unpacks it into a staging folder inside the data folder, and
swaps it in with ``models.datadir``: the live store is moved aside into ``restore-kept/<time>/``, never
overwritten and never deleted. Migrations then bring an older backup up to date when the store is opened.

The database is copied first and the blobs after it: a blob is always on disk before a row names it, so every
blob the copied database names is there when the copying reaches it (later ones are extra, found as orphans).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from inspect_app import __version__
from inspect_app.errors import EnvironmentProblem, UserError
from inspect_app.evidence.flags import CHINA_TZ
from inspect_app.fileio import fsync_dir
from inspect_app.i18n import Msg
from inspect_app.models import datadir
from inspect_app.models.migrate import head_revision, known_revisions
from inspect_app.models.store import Store, backup_sqlite
from inspect_app.services.settings import get_setting, set_setting
from inspect_app.sync.zipio import StrictZip, ZipStreamWriter

FORMAT = "inspect-app-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUFFIX = ".inspect-backup"
LAST_BACKUP_KEY = "last_backup"
REMINDER_DAYS_KEY = "backup_reminder_days"
MAX_MANIFEST_SIZE = 64 * 1024**2
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")
_BLOB_TEMP_PREFIX = ".tmp-"

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], None]


def _no_progress(_done: int, _total: int, _text: str) -> None:
    return None


def _no_cancel() -> None:
    return None


@dataclass(frozen=True)
class BackupEntry:
    """One file of a backup archive."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BackupManifest:
    """What a backup archive says about itself."""

    created_at: datetime
    app_version: str
    schema_revision: str
    device_id: str
    counts: dict[str, int]
    entries: tuple[BackupEntry, ...]

    @property
    def total_size(self) -> int:
        return sum(entry.size for entry in self.entries)

    def to_json(self) -> bytes:
        return json.dumps({
            "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": self.app_version,
            "created_at": self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "schema_revision": self.schema_revision,
            "device_id": self.device_id, "counts": self.counts,
            "entries": [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in self.entries],
        }, ensure_ascii=False, indent=1).encode("utf-8")


@dataclass(frozen=True)
class BackupResult:
    """A backup written and checked."""

    path: Path
    size: int
    manifest: BackupManifest


@dataclass(frozen=True)
class BackupStatus:
    """When the last good backup was made, and whether it is time for another."""

    last_at: datetime | None
    last_path: str
    reminder_days: int
    now: datetime

    @property
    def age_days(self) -> int | None:
        return None if self.last_at is None else max(0, (self.now - self.last_at).days)

    @property
    def due(self) -> bool:
        return self.last_at is None or self.now - self.last_at >= timedelta(days=self.reminder_days)


@dataclass(frozen=True)
class RestoreResult:
    """A restore done: what came in and where the previous store was kept."""

    manifest: BackupManifest
    kept: Path
    data_dir: Path
    notes: list[Msg] = field(default_factory=list)


# --- errors -----------------------------------------------------------------------------------------------------

_REASONS = {
    "E_BUNDLE_TRUNCATED": Msg("文件不完整或不是备份文件（可能复制时中断或 U 盘被拔出）"),
    "E_BUNDLE_NOT_FOUND": Msg("找不到文件"),
    "E_BUNDLE_READ": Msg("文件无法读取"),
    "E_BUNDLE_HASH": Msg("内容与清单记录的哈希不符（已被改动或损坏）"),
    "E_BUNDLE_CORRUPT": Msg("内容已损坏"),
    "E_BUNDLE_TOO_BIG": Msg("大小或压缩比异常"),
}


def invalid(reason: Msg, **details: object) -> UserError:
    """Return the error for an archive that fails its checks (nothing was changed)."""
    return UserError(Msg("备份文件未通过检查，未做任何更改：{reason}", reason=reason), code="E_BACKUP_INVALID",
                     details={k: v for k, v in details.items() if v is not None})


@contextlib.contextmanager
def _archive_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except UserError as exc:
        if exc.code == "E_BACKUP_INVALID":
            raise
        reason = _REASONS.get(exc.code, Msg("含有不允许的条目"))
        entry = exc.details.get("entry")
        if entry:
            reason = Msg("{reason}（{entry}）", reason=reason, entry=entry)
        raise invalid(reason, path=str(path), cause=exc.code) from exc


def _disk_error(exc: OSError, path: Path, action: Msg) -> EnvironmentProblem:
    return EnvironmentProblem(Msg("{action} {path} 失败：{reason}", action=action, path=path,
                                  reason=exc.strerror or str(exc)), code="E_BACKUP_IO", details={"path": str(path)})


# --- what goes in --------------------------------------------------------------------------------------------------


def _entry_name(item: str, relative: Path) -> str:
    parts = relative.parts
    if all(_SAFE_SEGMENT.match(part) for part in parts):
        return "/".join((item, *parts))
    # A name the archive cannot carry as it is (a trusted certificate saved under a Chinese name): keep the content,
    # named by its hash; certificates are found by content, not by name.
    return f"{item}/renamed-{hashlib.sha256('/'.join(parts).encode()).hexdigest()[:16]}{relative.suffix.lower()}"


def _store_files(data_dir: Path) -> list[tuple[str, Path]]:
    """Return (entry name, file) for every file of the store's folders, without temp files of unfinished writes."""
    files: list[tuple[str, Path]] = []
    for item in (datadir.BLOBS_DIR, datadir.IDENTITY_DIR, datadir.TRUSTED_DIR):
        base = data_dir / item
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.name.startswith(_BLOB_TEMP_PREFIX):
                continue
            files.append((_entry_name(item, path.relative_to(base)), path))
    return files


def _counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table in ("enterprise", "inspection", "photo", "acceptance_opinion", "audit_event"):
            with contextlib.suppress(sqlite3.Error):
                out[table] = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return out
    finally:
        con.close()


def _revision(db: Path) -> str:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else ""
    except sqlite3.Error:
        return ""
    finally:
        con.close()


def default_backup_name(now: datetime | None = None) -> str:
    """Return a file name for a backup made now (China Standard Time in the name: what people look for)."""
    moment = (now or datetime.now(UTC)).astimezone(CHINA_TZ)
    return f"inspect-backup-{moment:%Y%m%d-%H%M}{SUFFIX}"


# --- backup ---------------------------------------------------------------------------------------------------------


def create_backup(store: Store, out: Path, *, overwrite: bool = False, progress: Progress = _no_progress,
                  cancel: Cancel = _no_cancel, now: datetime | None = None) -> BackupResult:
    """Write a checked backup archive of ``store`` to ``out`` and remember it as the last backup."""
    if not store.is_sqlite or store.db_path is None:
        raise UserError(Msg("PostgreSQL 数据库请使用 pg_dump 备份（本功能备份本机 SQLite 数据库与照片存储）"),
                        code="E_BACKUP_UNSUPPORTED")
    out = Path(out)
    if out.is_dir():
        out = out / default_backup_name(now)
    if out.exists() and not overwrite:
        raise UserError(Msg("目标文件已存在：{out}（不会覆盖）", out=out), code="E_FILE_EXISTS", details={"path": str(out)})
    if datadir_contains(store.data_dir, out):
        raise UserError(Msg("备份文件不能放在数据目录里面（数据目录损坏时备份也会一起丢失），请选择其他位置，如 U 盘"),
                        code="E_BACKUP_INSIDE_STORE", details={"path": str(out)})
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".backup-", dir=out.parent))
    except OSError as exc:
        raise _disk_error(exc, out.parent, Msg("写入")) from exc
    part = work / (out.name + ".part")
    try:
        db_copy = backup_sqlite(store.db_path, work / datadir.DB_FILE)
        files = [(datadir.DB_FILE, db_copy), *_store_files(store.data_dir)]
        total = sum(path.stat().st_size for _name, path in files)
        done = 0
        entries: list[BackupEntry] = []
        with part.open("wb") as fh:
            writer = ZipStreamWriter(fh, moment)
            try:
                for name, path in files:
                    cancel()
                    if name == datadir.DB_FILE:
                        written = writer.add_bytes(name, path.read_bytes(), deflate=True)
                    else:
                        written = writer.add_file(name, path, cancel=cancel)
                    entries.append(BackupEntry(written.path, written.size, written.sha256))
                    done += written.size
                    progress(done, total, name)
                manifest = BackupManifest(created_at=moment, app_version=__version__,
                                          schema_revision=_revision(db_copy), device_id=store.device_id,
                                          counts=_counts(db_copy), entries=tuple(entries))
                writer.add_bytes(MANIFEST, manifest.to_json(), deflate=True)
                writer.close()
            except BaseException:
                writer.abort()
                raise
            fh.flush()
            os.fsync(fh.fileno())
        progress(total, total, "核对备份…")
        checked = verify_backup(part, cancel=cancel)
        if checked.entries != manifest.entries:
            raise EnvironmentProblem(Msg("备份写入后读回不一致，请换一个位置（或 U 盘）再试"), code="E_BACKUP_IO")
        os.replace(part, out)
        fsync_dir(out.parent)
    except OSError as exc:
        raise _disk_error(exc, out, Msg("写入备份")) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = out.stat().st_size
    with store.transaction() as session:
        set_setting(session, LAST_BACKUP_KEY, {"at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "path": str(out),
                                               "size": size})
    return BackupResult(path=out, size=size, manifest=manifest)


def datadir_contains(data_dir: Path, path: Path) -> bool:
    """Tell whether ``path`` lies inside the data folder."""
    try:
        Path(path).resolve().relative_to(Path(data_dir).resolve())
    except ValueError:
        return False
    return True


# --- checking an archive ----------------------------------------------------------------------------------------------


def _parse_manifest(raw: bytes, path: Path) -> BackupManifest:
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != FORMAT:
            raise invalid(Msg("不是本程序的备份文件"), path=str(path))
        if int(data["format_version"]) > FORMAT_VERSION:
            raise invalid(Msg("备份由更新版本的程序制作，请升级本程序"), path=str(path))
        entries = tuple(BackupEntry(str(e["path"]), int(e["size"]), str(e["sha256"])) for e in data["entries"])
        created = datetime.strptime(str(data["created_at"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return BackupManifest(created_at=created, app_version=str(data["app_version"]),
                              schema_revision=str(data["schema_revision"]), device_id=str(data.get("device_id", "")),
                              counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
                              entries=entries)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise invalid(Msg("清单（manifest.json）无法读取"), path=str(path)) from exc


def _check_entries(archive: StrictZip, manifest: BackupManifest, path: Path) -> None:
    listed = {e.path for e in manifest.entries}
    if len(listed) != len(manifest.entries):
        raise invalid(Msg("清单中文件名重复"), path=str(path))
    present = set(archive.entries) - {MANIFEST}
    if present - listed:
        raise invalid(Msg("含有清单以外的文件（{entry}）", entry=sorted(present - listed)[0]), path=str(path))
    if listed - present:
        raise invalid(Msg("缺少清单中的文件（{entry}）", entry=sorted(listed - present)[0]), path=str(path))
    if datadir.DB_FILE not in listed:
        raise invalid(Msg("缺少数据库"), path=str(path))
    for entry in manifest.entries:
        top = entry.path.split("/")[0]
        if entry.path != datadir.DB_FILE and top not in (datadir.BLOBS_DIR, datadir.IDENTITY_DIR, datadir.TRUSTED_DIR):
            raise invalid(Msg("含有不属于数据目录的文件（{entry}）", entry=entry.path), path=str(path))
        if archive.entries[entry.path].size != entry.size:
            raise invalid(Msg("文件长度与清单不符（{entry}）", entry=entry.path), path=str(path))


def _check_database(db: Path, path: Path) -> str:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check").fetchall()]
            revision_row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise invalid(Msg("其中的数据库无法打开（{reason}）", reason=str(exc)), path=str(path)) from exc
    if rows != ["ok"]:
        raise invalid(Msg("其中的数据库已损坏（{reason}）", reason=rows[0] if rows else "-"), path=str(path))
    revision = str(revision_row[0]) if revision_row else ""
    if revision not in known_revisions():
        raise UserError(Msg("备份的数据库结构版本 {revision} 比本程序新（本程序为 {head}），请升级本程序后再恢复",
                            revision=revision or "?", head=head_revision()),
                        code="E_STORE_TOO_NEW", details={"revision": revision})
    return revision


def _extract(archive: StrictZip, manifest: BackupManifest, target: Path, *, progress: Progress,
             cancel: Cancel) -> None:
    total = manifest.total_size
    done = 0
    for entry in manifest.entries:
        cancel()
        destination = target.joinpath(*entry.path.split("/"))
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("wb") as out:
            for chunk in archive.stream(entry.path, expect_sha256=entry.sha256, cancel=cancel):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if entry.path.startswith(f"{datadir.BLOBS_DIR}/originals/"):
            with contextlib.suppress(OSError):
                os.chmod(destination, 0o444)  # as the blob store keeps originals
        done += entry.size
        progress(done, total, entry.path)


def verify_backup(path: Path, *, progress: Progress = _no_progress, cancel: Cancel = _no_cancel,
                  scratch: Path | None = None) -> BackupManifest:
    """Check every entry of a backup archive and its database; return its manifest (raises ``E_BACKUP_INVALID``)."""
    path = Path(path)
    with _archive_errors(path), StrictZip(path) as archive:
        manifest = _parse_manifest(archive.read_small(MANIFEST, MAX_MANIFEST_SIZE), path)
        _check_entries(archive, manifest, path)
        done = 0
        for entry in manifest.entries:
            if entry.path == datadir.DB_FILE:
                continue
            for chunk in archive.stream(entry.path, expect_sha256=entry.sha256, cancel=cancel):
                done += len(chunk)
            progress(done, manifest.total_size, entry.path)
        work = Path(tempfile.mkdtemp(prefix=".backup-check-", dir=scratch))
        try:
            db = work / datadir.DB_FILE
            db_entry = next(e for e in manifest.entries if e.path == datadir.DB_FILE)
            with db.open("wb") as out:
                for chunk in archive.stream(datadir.DB_FILE, expect_sha256=db_entry.sha256, cancel=cancel):
                    out.write(chunk)
            _check_database(db, path)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return manifest


# --- restore ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StagedRestore:
    """A backup unpacked and checked beside the live store, ready to be swapped in."""

    archive: Path
    data_dir: Path
    manifest: BackupManifest
    journal: datadir.RestoreJournal


def stage_restore(path: Path, data_dir: Path, *, progress: Progress = _no_progress, cancel: Cancel = _no_cancel,
                  now: datetime | None = None) -> StagedRestore:
    """Check the whole archive and unpack it into the data folder's staging area; the live store is untouched.

    Safe while the store is open (the window stages, then closes the store and completes). An archive that fails
    any check leaves nothing behind (``E_BACKUP_INVALID``, ``E_STORE_TOO_NEW``).
    """
    path, data_dir = Path(path), Path(data_dir)
    if datadir_contains(data_dir, path):
        raise UserError(Msg("请先把备份文件复制到数据目录以外（恢复会移动数据目录中的内容）"), code="E_BACKUP_INSIDE_STORE")
    datadir.discard_staging(data_dir)
    staging = data_dir / datadir.RESTORE_STAGING_DIR
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    try:
        staging.mkdir(parents=True)
        with _archive_errors(path), StrictZip(path) as archive:
            manifest = _parse_manifest(archive.read_small(MANIFEST, MAX_MANIFEST_SIZE), path)
            _check_entries(archive, manifest, path)
            _extract(archive, manifest, staging, progress=progress, cancel=cancel)
        _check_database(staging / datadir.DB_FILE, path)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _disk_error(exc, staging, Msg("展开备份到")) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    restored = tuple(item for item in datadir.STORE_ITEMS if (staging / item).exists())
    journal = datadir.RestoreJournal(kept=f"{datadir.RESTORE_KEPT_DIR}/{moment:%Y%m%dT%H%M%SZ}", restored=restored)
    return StagedRestore(archive=path, data_dir=data_dir, manifest=manifest, journal=journal)


def complete_restore(staged: StagedRestore) -> RestoreResult:
    """Swap the staged store in (the live one moves to ``restore-kept/``); nothing may have the database open.

    The caller holds the data folder's lock (``datadir.locked``, or the closed store's). Opening the store
    afterwards runs the migrations an older backup needs.
    """
    kept = datadir.begin_swap(staged.data_dir, staged.journal)
    notes = []
    if staged.manifest.schema_revision != head_revision():
        notes.append(Msg("备份的结构版本为 {revision}，打开时将升级到 {head}", revision=staged.manifest.schema_revision,
                         head=head_revision()))
    return RestoreResult(manifest=staged.manifest, kept=kept, data_dir=staged.data_dir, notes=notes)


def discard_staged(staged: StagedRestore) -> None:
    """Forget a staged restore the user did not confirm."""
    datadir.discard_staging(staged.data_dir)


def restore_backup(path: Path, data_dir: Path, *, progress: Progress = _no_progress, cancel: Cancel = _no_cancel,
                   now: datetime | None = None) -> RestoreResult:
    """Replace the store in ``data_dir`` by the archive's, keeping the previous one in ``restore-kept/``.

    The caller holds the data folder's lock, and no connection to its database is open.
    """
    datadir.finish_interrupted_restore(Path(data_dir))
    return complete_restore(stage_restore(path, data_dir, progress=progress, cancel=cancel, now=now))


# --- the reminder ---------------------------------------------------------------------------------------------------


def backup_status(store: Store, *, now: datetime | None = None) -> BackupStatus:
    """Return when the last good backup was made and whether a reminder is due."""
    with store.reader() as session:
        last: Any = get_setting(session, LAST_BACKUP_KEY)
        days = int(get_setting(session, REMINDER_DAYS_KEY))
    last_at: datetime | None = None
    if isinstance(last, dict) and last.get("at"):
        with contextlib.suppress(ValueError):
            last_at = datetime.strptime(str(last["at"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return BackupStatus(last_at=last_at, last_path=str(last.get("path", "")) if isinstance(last, dict) else "",
                        reminder_days=days, now=now or datetime.now(UTC))
