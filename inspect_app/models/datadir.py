"""The data folder's layout, its lock, and the swap that puts a restored store in place of the live one.

A data folder holds the store (``inspect.db``, the blob store ``blobs/``, the device identity ``identity/`` and the
certificates trusted for verification ``trusted/``) and what the program keeps beside it (``logs/``, the copies
made before migrations ``backups/``, copies kept by restores ``restore-kept/``, the lock file).

A restore never writes into the live store: the backup is unpacked and checked in ``.restore-staging/`` first;
then a journal is written and each store item is *moved* aside into ``restore-kept/<stamp>/`` and the restored
one moved in (renames in one folder). A crash in between leaves the journal, and the next ``open_store`` (or
``finish_interrupted_restore``) completes the same moves: the store is never half old, half restored, and the
previous one is always kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from inspect_app.errors import EnvironmentProblem, StoreLocked, StoreReadOnly
from inspect_app.fileio import fsync_dir, write_atomic
from inspect_app.i18n import Msg

DB_FILE = "inspect.db"
LOCK_FILE = "inspect.lock"
BLOBS_DIR = "blobs"
IDENTITY_DIR = "identity"
TRUSTED_DIR = "trusted"
LOGS_DIR = "logs"
MIGRATION_BACKUPS_DIR = "backups"
RESTORE_KEPT_DIR = "restore-kept"
RESTORE_STAGING_DIR = ".restore-staging"
RESTORE_JOURNAL = "restore-journal.json"

# What a backup holds and a restore replaces, in the order a restore moves them (the database last in, so a
# crash before it leaves no database that names blobs not yet in place).
STORE_ITEMS: tuple[str, ...] = (BLOBS_DIR, IDENTITY_DIR, TRUSTED_DIR, DB_FILE)
# SQLite's side files belong to the database beside them: they leave with it and never meet the restored one.
SQLITE_SIDE_FILES: tuple[str, ...] = (f"{DB_FILE}-wal", f"{DB_FILE}-shm", f"{DB_FILE}-journal")


@contextmanager
def locked(directory: Path) -> Iterator[object]:
    """Hold the data folder's single-instance lock (the same one ``open_store`` takes) while the block runs."""
    from filelock import FileLock, Timeout  # only writers lock: readers start without loading it

    lock = FileLock(str(Path(directory) / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise StoreLocked(Msg("数据目录 {directory} 正被另一个核查程序使用，请先关闭它。", directory=directory),
                          details={"path": str(directory)}) from exc
    except OSError as exc:
        raise StoreReadOnly(Msg("无法在数据目录 {directory} 中加锁：{strerror}", directory=directory, strerror=exc.strerror), details={"path": str(directory)}) from exc
    try:
        yield lock
    finally:
        lock.release()


@dataclass(frozen=True)
class RestoreJournal:
    """What a restore is doing: where the previous store goes and which items the backup brings."""

    kept: str
    """Folder (relative to the data folder) that receives the previous store's items."""
    restored: tuple[str, ...]
    """The store items present in the staging folder (a backup of a device without an identity has none)."""

    def to_json(self) -> bytes:
        return json.dumps({"format": 1, "kept": self.kept, "restored": list(self.restored)}, indent=2).encode()

    @staticmethod
    def from_json(raw: bytes) -> RestoreJournal:
        data = json.loads(raw)
        restored = tuple(str(item) for item in data["restored"])
        if any(item not in STORE_ITEMS for item in restored) or not str(data["kept"]).startswith(RESTORE_KEPT_DIR):
            raise ValueError("unexpected restore journal")
        return RestoreJournal(kept=str(data["kept"]), restored=restored)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def swap_in(directory: Path, journal: RestoreJournal) -> Path:
    """Move the live store aside and the staged one in, as ``journal`` says; safe to run again after a crash.

    Returns the folder that keeps the previous store.
    """
    directory = Path(directory)
    staging = directory / RESTORE_STAGING_DIR
    kept = directory / journal.kept
    try:
        kept.mkdir(parents=True, exist_ok=True)
        for item in STORE_ITEMS:
            live, staged = directory / item, staging / item
            restoring = item in journal.restored
            if restoring and not staged.exists():
                continue  # moved in by an earlier run that crashed later: the live one is the restored one
            if live.exists() and not (kept / item).exists():
                _move(live, kept / item)
            elif live.exists():
                # kept/ already has the previous one from an earlier run: whatever appeared since is kept too
                _move(live, _free_name(kept / f"{item}.after-crash"))
            if item == DB_FILE:
                for side in SQLITE_SIDE_FILES:
                    if (directory / side).exists():
                        _move(directory / side, kept / side)
            if restoring:
                _move(staged, live)
        fsync_dir(directory)
        (directory / RESTORE_JOURNAL).unlink(missing_ok=True)
        fsync_dir(directory)
        shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise EnvironmentProblem(
            Msg("恢复时移动文件失败：{reason}。原数据保存在 {kept}；再次运行恢复或打开程序会继续完成。",
                reason=exc.strerror or str(exc), kept=kept),
            code="E_RESTORE_SWAP", details={"kept": str(kept)}) from exc
    return kept


def begin_swap(directory: Path, journal: RestoreJournal) -> Path:
    """Write the journal (the point after which a restore completes even across a crash), then swap."""
    write_atomic(Path(directory) / RESTORE_JOURNAL, journal.to_json())
    return swap_in(directory, journal)


def finish_interrupted_restore(directory: Path) -> Path | None:
    """Complete a restore that a crash interrupted after its journal was written; return the kept folder."""
    path = Path(directory) / RESTORE_JOURNAL
    if not path.is_file():
        return None
    try:
        journal = RestoreJournal.from_json(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EnvironmentProblem(Msg("恢复记录 {path} 无法读取，请联系技术支持（原数据未被删除）", path=path),
                                 code="E_RESTORE_JOURNAL", details={"path": str(path)}) from exc
    return swap_in(Path(directory), journal)


def discard_staging(directory: Path) -> None:
    """Remove an unfinished staging folder (a restore that stopped before its journal: nothing was moved)."""
    if not (Path(directory) / RESTORE_JOURNAL).exists():
        with contextlib.suppress(OSError):
            shutil.rmtree(Path(directory) / RESTORE_STAGING_DIR)
