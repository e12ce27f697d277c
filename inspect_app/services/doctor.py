"""Health check of a data folder: what is wrong, how bad, and what to do (``inspect-app doctor`` and the window).

Each check yields findings with a stable code, a severity (``error``: the store is damaged or cannot be trusted;
``warning``: something to fix before it costs data; ``info``), a message for people and the items concerned.
Nothing here changes the store: orphan blobs are reported, and moved aside only by ``quarantine_orphans`` when
the user asks for it (never deleted).

The checks work from the data folder itself (a raw read-only SQLite connection), so they still report on a store
too damaged to open; the audit chain is checked through the ORM when the schema is current.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from inspect_app.errors import EnvironmentProblem
from inspect_app.fileio import fsync_dir
from inspect_app.i18n import Msg, Text
from inspect_app.models import datadir
from inspect_app.models.migrate import head_revision, known_revisions

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
LOW_SPACE_WARNING = 2 * 1024**3
LOW_SPACE_ERROR = 300 * 1024**2
ORPHANS_DIR = "orphans"
MAX_ITEMS = 200
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], None]
DriveType = Callable[[str], int]
"""GetDriveTypeW: a drive's root ("C:\\", "\\\\?\\Volume{…}\\") -> one of the DRIVE_* codes (DRIVE_FIXED …)."""


# File systems that live on another machine; a store there loses writes when the network does.
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "davfs", "fuse.sshfs",
                        "sshfs", "fuse.davfs2", "fuse.rclone", "ceph", "glusterfs", "fuse.glusterfs"})
# File systems of USB sticks and memory cards when they are mounted under the usual folders.
REMOVABLE_FS = frozenset({"vfat", "exfat", "msdos", "fuseblk"})


def _no_progress(_done: int, _total: int, _text: str) -> None:
    return None


def _no_cancel() -> None:
    return None


@dataclass(frozen=True)
class Finding:
    """One thing the health check found."""

    code: str
    severity: str
    message: Text
    """For people, in the current language (the window's or the command line's)."""
    items: tuple[str, ...] = ()
    more: int = 0
    """How many further items there were beyond ``items`` (lists are capped)."""


@dataclass
class DoctorReport:
    """Everything the health check found, worst first."""

    data_dir: Path
    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)

    @property
    def problems(self) -> list[Finding]:
        return sorted((f for f in self.findings if f.severity != INFO), key=lambda f: SEVERITY_ORDER[f.severity])

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def add(self, code: str, severity: str, message: Msg, items: list[str] | None = None) -> None:
        items = items or []
        self.findings.append(Finding(code, severity, message, tuple(items[:MAX_ITEMS]), max(0, len(items) - MAX_ITEMS)))


# --- where the data folder lives --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mount:
    """The mount a path lies on (Linux ``/proc/self/mountinfo``)."""

    point: str
    fstype: str
    source: str
    device: str
    """major:minor"""


def _unescape(field_text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field_text)


def parse_mountinfo(text: str) -> list[Mount]:
    """Parse ``/proc/self/mountinfo`` lines."""
    mounts = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 2:
            continue
        mounts.append(Mount(point=_unescape(fields[4]), fstype=tail[0], source=_unescape(tail[1]), device=fields[2]))
    return mounts


def mount_of(path: Path, mounts: list[Mount]) -> Mount | None:
    """Return the mount that holds ``path`` (the longest mount point above it)."""
    text = str(path)
    best: Mount | None = None
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        if (text == point or text.startswith(point + "/") or point == "/") and (
                best is None or len(point) >= len(best.point.rstrip("/") or "/")):
            best = mount
    return best


def _linux_removable(device: str, sys_root: Path) -> bool:
    """Tell from sysfs whether the block device ``major:minor`` (or the disk it is part of) is removable."""
    block = sys_root / "dev" / "block" / device
    with contextlib.suppress(OSError):
        resolved = block.resolve()
        for folder in (resolved, resolved.parent):
            flag = folder / "removable"
            if flag.is_file() and flag.read_text().strip() == "1":
                return True
    return False


def storage_kind(path: Path, *, mountinfo: str | None = None, sys_root: Path = Path("/sys"),
                 platform: str = sys.platform, drive_type: DriveType | None = None) -> tuple[str, str]:
    """Return ("network" | "removable" | "ramdisk" | "local" | "unknown", what it is) for the folder ``path``.

    On Windows ``drive_type`` answers GetDriveTypeW for a drive's root (the real call when None).
    """
    if platform == "win32":
        text = str(Path(path).resolve()) if os.name == "nt" else str(path)
        root = windows_drive_root(text)
        code = None if root is None else (drive_type or _get_drive_type)(root)
        return windows_storage_kind(text, code)
    path = Path(path).resolve()
    if platform.startswith("linux"):
        if mountinfo is None:
            try:
                mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
            except OSError:
                return "unknown", ""
        mount = mount_of(path, parse_mountinfo(mountinfo))
        if mount is None:
            return "unknown", ""
        what = f"{mount.source} ({mount.fstype}) on {mount.point}"
        if mount.fstype in NETWORK_FS or mount.source.startswith("//"):
            return "network", what
        if _linux_removable(mount.device, sys_root):
            return "removable", what
        if mount.fstype in REMOVABLE_FS and mount.point.startswith(("/media/", "/run/media/", "/mnt/")):
            return "removable", what
        return "local", what
    return "unknown", ""


# --- Windows: which kind of drive a folder is on -----------------------------------------------------------------

# winbase.h
DRIVE_UNKNOWN, DRIVE_NO_ROOT_DIR, DRIVE_REMOVABLE, DRIVE_FIXED, DRIVE_REMOTE, DRIVE_CDROM, DRIVE_RAMDISK = range(7)
_DRIVE_KINDS = {DRIVE_REMOVABLE: "removable", DRIVE_CDROM: "removable", DRIVE_REMOTE: "network",
                DRIVE_FIXED: "local", DRIVE_RAMDISK: "ramdisk"}
_UNC_PREFIXES = ("\\\\?\\UNC\\", "\\\\.\\UNC\\")
_VOLUME_ROOT = re.compile(r"^\\\\[?.]\\Volume\{[0-9A-Fa-f-]+\}\\?", re.IGNORECASE)
_LETTER_ROOT = re.compile(r"^(?:\\\\[?.]\\)?([A-Za-z]):(?:\\|$)")


def is_unc_path(path_text: str) -> bool:
    """Tell whether a Windows path names a share on another machine (\\\\server\\share, \\\\?\\UNC\\server\\share)."""
    text = path_text.replace("/", "\\")
    if text.upper().startswith(_UNC_PREFIXES):
        return True
    return text.startswith("\\\\") and not text.startswith(("\\\\?\\", "\\\\.\\"))


def windows_drive_root(path_text: str) -> str | None:
    """Return the root GetDriveTypeW is asked about for a Windows path ("D:\\"), or None (a share, or no drive)."""
    text = path_text.replace("/", "\\")
    if is_unc_path(text):
        return None
    volume = _VOLUME_ROOT.match(text)
    if volume:
        return volume.group(0).rstrip("\\") + "\\"
    letter = _LETTER_ROOT.match(text)
    return f"{letter.group(1).upper()}:\\" if letter else None


def windows_storage_kind(path_text: str, drive_type: int | None) -> tuple[str, str]:
    """Return (kind, what) for a Windows folder from its path and the GetDriveTypeW code of its drive's root.

    A share (UNC path) and a mapped network drive (DRIVE_REMOTE) are "network"; a USB stick or memory card
    (DRIVE_REMOVABLE) and an optical disc (DRIVE_CDROM) "removable"; a RAM disk, emptied at every shutdown,
    "ramdisk"; a fixed disk "local"; anything else (no drive, DRIVE_UNKNOWN, DRIVE_NO_ROOT_DIR) "unknown".
    """
    if is_unc_path(path_text):
        return "network", path_text
    root = windows_drive_root(path_text)
    if root is None or drive_type is None:
        return "unknown", path_text
    return _DRIVE_KINDS.get(drive_type, "unknown"), root


def _get_drive_type(root: str) -> int:
    """Ask Windows which kind of drive ``root`` is (GetDriveTypeW); only this touches the Win32 API."""
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


# --- the checks ---------------------------------------------------------------------------------------------------


def _connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)


def _file_sha256(path: Path, cancel: Cancel) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            cancel()
            digest.update(chunk)
    return digest.hexdigest()


def _iter_named(folder: Path, suffix: str = "") -> Iterator[tuple[str, Path]]:
    """Yield (hash, file) for the content-addressed files under ``folder/<aa>/``."""
    if not folder.is_dir():
        return
    for prefix in sorted(folder.iterdir()):
        if not prefix.is_dir():
            continue
        for path in sorted(prefix.iterdir()):
            name = path.name[: -len(suffix)] if suffix and path.name.endswith(suffix) else path.name
            if _HEX64.match(name) and path.is_file():
                yield name, path


def _check_database(report: DoctorReport, db: Path) -> str | None:
    """SQLite's own check and the schema version; return the revision when the database can be read."""
    if not db.exists():
        report.add("E_DOCTOR_NO_DATABASE", ERROR, Msg("数据目录中没有数据库文件 {name}", name=db.name))
        return None
    try:
        con = _connect(db)
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check").fetchall()]
            revision_row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        report.add("E_DOCTOR_DB_CORRUPT", ERROR, Msg("数据库文件已损坏，无法读取（{reason}）。请从备份恢复。", reason=str(exc)))
        return None
    if rows != ["ok"]:
        report.add("E_DOCTOR_DB_CORRUPT", ERROR, Msg("SQLite 完整性检查发现 {n} 处问题。请从备份恢复。", n=len(rows)), rows)
    revision = str(revision_row[0]) if revision_row else ""
    head = head_revision()
    if revision == head:
        report.add("I_DOCTOR_SCHEMA", INFO, Msg("数据库结构版本 {revision}（最新）", revision=revision))
    elif revision in known_revisions():
        report.add("W_DOCTOR_SCHEMA_OLD", WARNING, Msg("数据库结构版本 {revision}，下次打开时将升级到 {head}", revision=revision, head=head))
    else:
        report.add("E_DOCTOR_SCHEMA_UNKNOWN", ERROR,
                   Msg("数据库结构版本 {revision} 不是本程序所知的版本（本程序为 {head}），可能由更新版本的程序创建",
                       revision=revision or "?", head=head))
    return revision


def _named_blobs(db: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return {sha256: [photo ids]} and {sha256: [opinion numbers]} as the database names them."""
    photos: dict[str, list[str]] = {}
    documents: dict[str, list[str]] = {}
    con = _connect(db)
    try:
        for pid, sha in con.execute("SELECT id, sha256 FROM photo"):
            photos.setdefault(str(sha), []).append(str(pid))
        for number, sha in con.execute("SELECT number, pdf_sha256 FROM acceptance_opinion WHERE pdf_sha256 != ''"):
            documents.setdefault(str(sha), []).append(str(number))
    finally:
        con.close()
    return photos, documents


def _check_blobs(report: DoctorReport, data_dir: Path, db_readable: bool, progress: Progress,
                 cancel: Cancel) -> None:
    blobs = data_dir / datadir.BLOBS_DIR
    originals = list(_iter_named(blobs / "originals"))
    documents = list(_iter_named(blobs / "documents", ".pdf"))
    total = sum(path.stat().st_size for _h, path in originals + documents) or 1
    done = 0
    damaged = []
    for sha, path in originals + documents:
        cancel()
        try:
            if _file_sha256(path, cancel) != sha:
                damaged.append(str(path.relative_to(data_dir)))
        except OSError as exc:
            damaged.append(f"{path.relative_to(data_dir)}（{exc.strerror or exc}）")
        done += path.stat().st_size
        progress(done, total, path.name[:12])
    report.checked["blobs"] = len(originals) + len(documents)
    if damaged:
        report.add("E_DOCTOR_BLOB_DAMAGED", ERROR,
                   Msg("{n} 个证据文件的内容与其哈希不符（已被改动或损坏）。请从备份恢复这些文件。", n=len(damaged)),
                   damaged)
    temp = [str(p.relative_to(data_dir)) for p in blobs.rglob(".tmp-*") if p.is_file()] if blobs.is_dir() else []
    if temp:
        report.add("W_DOCTOR_TEMP_FILES", WARNING, Msg("有 {n} 个未完成写入留下的临时文件（程序中断所致，可删除）", n=len(temp)), temp)
    if not db_readable:
        return
    try:
        named_photos, named_documents = _named_blobs(data_dir / datadir.DB_FILE)
    except sqlite3.Error as exc:  # a schema from before photos or opinions existed
        report.add("I_DOCTOR_BLOBS_UNNAMED", INFO, Msg("数据库中没有照片或验收意见的记录表（{reason}），未核对引用", reason=str(exc)))
        return
    stored = {sha for sha, _p in originals}
    stored_documents = {sha for sha, _p in documents}
    missing = [Msg("{sha}…（照片 {ids}）", sha=sha[:12], ids=", ".join(i[:8] for i in ids)).render()
               for sha, ids in sorted(named_photos.items()) if sha not in stored]
    missing += [Msg("{sha}…（验收意见 {numbers}）", sha=sha[:12], numbers=", ".join(numbers)).render()
                for sha, numbers in sorted(named_documents.items()) if sha not in stored_documents]
    if missing:
        report.add("E_DOCTOR_BLOB_MISSING", ERROR,
                   Msg("数据库记录的 {n} 个证据文件在存储中找不到。请从备份恢复。", n=len(missing)), missing)
    thumbs = [sha for sha in named_photos if sha in stored and not (blobs / "thumbs" / sha[:2] / f"{sha}.jpg").is_file()]
    if thumbs:
        report.add("W_DOCTOR_THUMB_MISSING", WARNING, Msg("{n} 张照片缺少缩略图（原件完好）", n=len(thumbs)),
                   [s[:12] for s in thumbs])
    orphans = [str(path.relative_to(data_dir)) for sha, path in originals if sha not in named_photos]
    orphans += [str(path.relative_to(data_dir)) for sha, path in documents if sha not in named_documents]
    if orphans:
        report.add("W_DOCTOR_ORPHANS", WARNING,
                   Msg("有 {n} 个证据文件没有任何记录引用（仅报告，未删除）", n=len(orphans)), orphans)


def _check_audit(report: DoctorReport, data_dir: Path) -> None:
    from sqlalchemy.orm import Session

    from inspect_app.models.store import make_engine
    from inspect_app.services.audit import verify_audit

    engine = make_engine(f"sqlite:///{data_dir / datadir.DB_FILE}")
    try:
        with Session(engine) as session:
            audit = verify_audit(session)
            session.rollback()
    finally:
        engine.dispose()
    report.checked["audit_events"] = audit.events
    if audit.ok:
        report.add("I_DOCTOR_AUDIT", INFO, Msg("审计链完整：{events} 条记录，核对 {rows} 行数据", events=audit.events,
                       rows=audit.rows_checked))
    else:
        report.add("E_DOCTOR_AUDIT", ERROR, Msg("审计链核验失败：{n} 处问题（数据被程序以外的方式改动过）", n=len(audit.problems)),
                   [f"{p.code}: {p.message}" for p in audit.problems])


def _check_place(report: DoctorReport, data_dir: Path, *, mountinfo: str | None, sys_root: Path,
                 platform: str) -> None:
    try:
        usage = shutil.disk_usage(data_dir)
    except OSError as exc:
        report.add("W_DOCTOR_DISK_UNKNOWN", WARNING, Msg("无法查询剩余空间：{reason}", reason=exc.strerror or str(exc)))
    else:
        free_mb = usage.free / 1024**2
        report.checked["free_bytes"] = usage.free
        if usage.free < LOW_SPACE_ERROR:
            report.add("E_DOCTOR_DISK_FULL", ERROR, Msg("磁盘剩余空间只有 {mb} MB，导入照片和出具意见可能失败", mb=f"{free_mb:.0f}"))
        elif usage.free < LOW_SPACE_WARNING:
            report.add("W_DOCTOR_DISK_LOW", WARNING, Msg("磁盘剩余空间不足 2 GB（{mb} MB）", mb=f"{free_mb:.0f}"))
        else:
            report.add("I_DOCTOR_DISK", INFO, Msg("磁盘剩余空间 {gb} GB", gb=f"{free_mb / 1024:.1f}"))
    kind, what = storage_kind(data_dir, mountinfo=mountinfo, sys_root=sys_root, platform=platform)
    report_place(report, kind, what)


def report_place(report: DoctorReport, kind: str, what: str) -> None:
    """Warn about a data folder that is not on a local disk (``kind`` as ``storage_kind`` returns it)."""
    if kind == "network":
        report.add("W_DOCTOR_NETWORK_FOLDER", WARNING,
                   Msg("数据目录在网络共享上（{what}）。网络中断时数据库可能损坏，请把数据目录放在本机磁盘上。", what=what))
    elif kind == "removable":
        report.add("W_DOCTOR_REMOVABLE_FOLDER", WARNING,
                   Msg("数据目录在可移动磁盘上（{what}）。拔出时数据库可能损坏，请把数据目录放在本机磁盘上，U 盘只用于备份和同步。",
                       what=what))
    elif kind == "ramdisk":
        report.add("W_DOCTOR_RAMDISK_FOLDER", WARNING,
                   Msg("数据目录在内存盘上（{what}）。关机后其中的数据全部丢失，请把数据目录放在本机磁盘上。", what=what))


def run_doctor(data_dir: Path, *, progress: Progress = _no_progress, cancel: Cancel = _no_cancel,
               mountinfo: str | None = None, sys_root: Path = Path("/sys"), platform: str = sys.platform) -> DoctorReport:
    """Check the data folder ``data_dir`` (a SQLite store) and return what was found; changes nothing."""
    data_dir = Path(data_dir)
    report = DoctorReport(data_dir=data_dir)
    if (data_dir / datadir.RESTORE_JOURNAL).exists():
        report.add("E_DOCTOR_RESTORE_UNFINISHED", ERROR, Msg("上次从备份恢复未完成；打开程序会自动完成恢复。"))
    revision = _check_database(report, data_dir / datadir.DB_FILE)
    cancel()
    readable = revision is not None and not any(f.code == "E_DOCTOR_DB_CORRUPT" for f in report.findings)
    _check_blobs(report, data_dir, readable, progress, cancel)
    cancel()
    if readable and revision == head_revision():
        _check_audit(report, data_dir)
    elif readable:
        report.add("I_DOCTOR_AUDIT_SKIPPED", INFO, Msg("数据库结构不是最新版本，未核验审计链（打开程序升级后再检查）"))
    _check_place(report, data_dir, mountinfo=mountinfo, sys_root=sys_root, platform=platform)
    return report


def quarantine_orphans(data_dir: Path, report: DoctorReport, *, now: datetime | None = None) -> Path | None:
    """Move the orphan blobs ``report`` found into ``<data_dir>/orphans/<time>/`` (kept, not deleted)."""
    finding = next((f for f in report.findings if f.code == "W_DOCTOR_ORPHANS"), None)
    if finding is None:
        return None
    if finding.more:
        raise EnvironmentProblem(Msg("孤立文件过多，请分批处理（再次运行健康检查）"), code="E_DOCTOR_TOO_MANY")
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = Path(data_dir) / ORPHANS_DIR / moment
    for relative in finding.items:
        source = Path(data_dir) / relative
        if not source.is_file():
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, destination)
        fsync_dir(source.parent)
    return target
