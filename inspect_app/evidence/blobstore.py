"""Content-addressed store of photo originals and their derived images.

Layout under ``root``::

    originals/<aa>/<sha256>        the photo's bytes, never changed, never deleted here
    documents/<aa>/<sha256>.pdf    signed opinions (written by services/opinions.py), never changed
    thumbs/<aa>/<sha256>.jpg       256 px thumbnail (can be regenerated)
    report/<aa>/<sha256>.jpg       ~1600 px image for the opinion PDF (can be regenerated)

Every write goes to a temp file in the target directory, is flushed and fsynced, then moved into place, and
the directory is fsynced where the OS allows it: after a crash a blob is either complete or absent (plus a
``.tmp-*`` leftover that :meth:`BlobStore.remove_temp_files` clears).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from inspect_app.errors import EnvironmentProblem
from inspect_app.fileio import fsync_dir
from inspect_app.i18n import Msg

DerivedKind = Literal["thumb", "report"]

_HASH_RE = re.compile(r"^[0-9a-f]{64}$")
_DERIVED_DIRS: dict[str, str] = {"thumb": "thumbs", "report": "report"}
DOCUMENTS_DIR = "documents"
_TEMP_PREFIX = ".tmp-"
_CHUNK = 1 << 20


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def _check_hash(sha256: str) -> str:
    # The hash becomes a path: refuse anything that is not exactly 64 lowercase hex digits.
    if not isinstance(sha256, str) or not _HASH_RE.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _env_error(exc: OSError, action: Msg) -> EnvironmentProblem:
    if exc.errno == errno.ENOSPC:
        return EnvironmentProblem(Msg("磁盘空间不足，照片未能保存"), code="E_DISK_FULL", details={"error": str(exc)})
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return EnvironmentProblem(
            Msg("照片存储目录无法写入（只读或无权限）"), code="E_BLOB_READONLY", details={"error": str(exc)}
        )
    return EnvironmentProblem(Msg("照片存储{action}失败：{error}", action=action, error=exc.strerror or exc), code="E_BLOB_IO", details={"error": str(exc)})


class BlobStore:
    """Originals by SHA-256 plus derived JPEGs; writes are atomic and durable, originals are never replaced."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.originals_dir = self.root / "originals"

    # -- paths ---------------------------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        """Return where the original with this hash lives (whether or not it exists)."""
        _check_hash(sha256)
        return self.originals_dir / sha256[:2] / sha256

    def derived_path(self, kind: DerivedKind, sha256: str) -> Path:
        """Return where the derived image ``kind`` ("thumb" or "report") of this original lives."""
        _check_hash(sha256)
        try:
            folder = _DERIVED_DIRS[kind]
        except KeyError:
            raise ValueError(f"unknown derived kind: {kind!r}") from None
        return self.root / folder / sha256[:2] / f"{sha256}.jpg"

    def document_path(self, sha256: str) -> Path:
        """Return where the signed PDF with this hash lives."""
        _check_hash(sha256)
        return self.root / DOCUMENTS_DIR / sha256[:2] / f"{sha256}.pdf"

    def has(self, sha256: str) -> bool:
        """Return True if the original is present (not checked: see :meth:`verify`)."""
        return self.path(sha256).is_file()

    def has_derived(self, kind: DerivedKind, sha256: str) -> bool:
        """Return True if the derived image is present (an empty file, left by a crash, is not)."""
        try:
            return self.derived_path(kind, sha256).stat().st_size > 0
        except OSError:
            return False

    # -- writing -------------------------------------------------------------------------------------------

    def put_bytes(self, data: bytes, sha256: str | None = None) -> str:
        """Store an original and return its hash; an existing blob is verified, never overwritten.

        ``sha256`` may be passed when the caller has already hashed ``data`` (it is trusted: the import
        pipeline hashes the same bytes it hands over). A present blob whose content does not match its name
        is corruption: ``EnvironmentProblem(code="E_BLOB_CORRUPT")``.
        """
        digest = _check_hash(sha256) if sha256 is not None else sha256_hex(data)
        target = self.path(digest)
        if target.exists():
            self._check_existing(target, digest, len(data))
            return digest
        try:
            created = self._write_new(target, data, read_only=True)
        except OSError as exc:
            raise _env_error(exc, Msg("写入")) from exc
        if not created:
            # Another writer got there first between our check and our link: check what it wrote.
            self._check_existing(target, digest, len(data))
        return digest

    def put_derived(self, kind: DerivedKind, sha256: str, data: bytes) -> Path:
        """Store a derived image of an original; an existing one is kept (derivations are deterministic).

        Written atomically but not synced: a derived image is a cache of the original, made again when it is
        missing (an fsync of the file and its folder per image cost the import a third of its time). After a
        power loss it may be absent or empty; ``has_derived`` then says so and it is made again.
        """
        target = self.derived_path(kind, sha256)
        if self.has_derived(kind, sha256):
            return target
        try:
            self._ensure_dir(target.parent, durable=False)
            fd, tmp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".part", dir=target.parent)
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
        except OSError as exc:
            raise _env_error(exc, Msg("写入")) from exc
        return target
        try:
            self._write_new(target, data, read_only=False)
        except OSError as exc:
            raise _env_error(exc, Msg("写入")) from exc
        return target

    def stage_stream(self, target: Path, chunks: Iterable[bytes]) -> Path:
        """Write ``chunks`` durably to a temp file beside ``target``; return it (see :meth:`place_staged`).

        The caller checks the content (hash) before placing it; a temp file that is never placed is removed
        by the caller or, after a crash, by :meth:`remove_temp_files`.
        """
        directory = target.parent
        try:
            self._ensure_dir(directory)
            fd, tmp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".part", dir=directory)
        except OSError as exc:
            raise _env_error(exc, Msg("写入")) from exc
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise _env_error(exc, Msg("写入")) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return tmp

    def place_staged(self, tmp: Path, target: Path, *, read_only: bool = True, sync_dir: bool = True) -> bool:
        """Move a staged file into place without replacing an existing one; False if one was there.

        ``sync_dir=False`` leaves the folder's fsync to the caller (who places many and syncs each folder once).
        """
        try:
            if read_only:
                with contextlib.suppress(OSError):
                    os.chmod(tmp, 0o444)
            created = self._move_into_place(tmp, target)
        except OSError as exc:
            raise _env_error(exc, Msg("写入")) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        if created and sync_dir:
            fsync_dir(target.parent)
        return created

    def adopt(self, staging: BlobStore, sha256: str) -> None:
        """Move an original and its derived images written to ``staging`` (same file system) into this store.

        A file already here is kept (an original is checked against its hash first); the staged copy goes.
        """
        moves: list[tuple[Path, Path, bool]] = [(staging.path(sha256), self.path(sha256), True)]
        moves += [(staging.derived_path(kind, sha256), self.derived_path(kind, sha256), False)
                  for kind in ("thumb", "report")]
        for src, target, original in moves:
            if not src.exists():
                continue
            try:
                if not original:  # a cache, like put_derived: moved in, not synced
                    self._ensure_dir(target.parent, durable=False)
                    os.replace(src, target)
                    continue
                if target.exists():
                    self._check_existing(target, sha256, src.stat().st_size)
                    src.unlink()
                    continue
                self._ensure_dir(target.parent)
            except OSError as exc:
                raise _env_error(exc, Msg("写入")) from exc
            self.place_staged(src, target, read_only=True)

    def _check_existing(self, target: Path, digest: str, size: int) -> None:
        try:
            same = target.stat().st_size == size and _file_sha256(target) == digest
        except OSError as exc:
            raise _env_error(exc, Msg("读取")) from exc
        if not same:
            raise EnvironmentProblem(
                Msg("照片存储中的文件已损坏（内容与哈希不符），请联系管理员检查存储"),
                code="E_BLOB_CORRUPT",
                details={"sha256": digest, "path": str(target)},
            )

    def _write_new(self, target: Path, data: bytes, *, read_only: bool) -> bool:
        """Write ``data`` to ``target`` atomically; return False if ``target`` appeared meanwhile."""
        directory = target.parent
        self._ensure_dir(directory)
        fd, tmp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".part", dir=directory)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if read_only:
                # A read-only original is one more guard against an editor saving over the evidence.
                with contextlib.suppress(OSError):
                    os.chmod(tmp, 0o444)
            created = self._move_into_place(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        if created:
            fsync_dir(directory)
        return created

    @staticmethod
    def _move_into_place(tmp: Path, target: Path) -> bool:
        """Link ``tmp`` to ``target`` without replacing an existing file; False if one exists."""
        if os.name == "nt":
            # On Windows rename refuses an existing target, which is what we want.
            try:
                os.rename(tmp, target)
            except FileExistsError:
                return False
            return True
        try:
            os.link(tmp, target)
        except FileExistsError:
            return False
        except OSError as exc:
            # FAT/exFAT sticks and some shares have no hard links: fall back to the atomic rename.
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            if target.exists():
                return False
            os.replace(tmp, target)
        return True

    def _ensure_dir(self, directory: Path, *, durable: bool = True) -> None:
        if directory.is_dir():
            return
        if not durable:
            directory.mkdir(parents=True, exist_ok=True)
            return
        missing = []
        cur = directory
        while not cur.exists():
            missing.append(cur)
            cur = cur.parent
        directory.mkdir(parents=True, exist_ok=True)
        # New directory entries must reach the disk too, or a crash could lose a durable blob's folder.
        for made in reversed(missing):
            fsync_dir(made.parent)

    # -- reading and checking ------------------------------------------------------------------------------

    def read_bytes(self, sha256: str) -> bytes:
        """Return an original's bytes."""
        return self.path(sha256).read_bytes()

    def verify(self, sha256: str) -> bool:
        """Return True if the original exists and its content has this hash."""
        target = self.path(sha256)
        try:
            return _file_sha256(target) == sha256
        except FileNotFoundError:
            return False

    def iter_hashes(self) -> Iterator[str]:
        """Yield the hashes of all stored originals, sorted."""
        if not self.originals_dir.is_dir():
            return
        for prefix_dir in sorted(self.originals_dir.iterdir()):
            if not prefix_dir.is_dir() or len(prefix_dir.name) != 2:
                continue
            for entry in sorted(prefix_dir.iterdir()):
                name = entry.name
                if _HASH_RE.match(name) and name[:2] == prefix_dir.name and entry.is_file():
                    yield name

    def sweep_orphans(self, known: set[str]) -> list[str]:
        """Return the stored originals no record names (reported only: evidence is never deleted here)."""
        return [h for h in self.iter_hashes() if h not in known]

    def iter_temp_files(self) -> Iterator[Path]:
        """Yield leftover temp files of interrupted writes."""
        for folder in ("originals", DOCUMENTS_DIR, *_DERIVED_DIRS.values()):
            base = self.root / folder
            if not base.is_dir():
                continue
            for prefix_dir in sorted(base.iterdir()):
                if prefix_dir.is_dir():
                    yield from sorted(p for p in prefix_dir.iterdir() if p.name.startswith(_TEMP_PREFIX))

    def remove_temp_files(self) -> list[Path]:
        """Delete temp files left by a crash; call only while no import is writing to this store."""
        removed = []
        for tmp in self.iter_temp_files():
            try:
                tmp.unlink()
            except FileNotFoundError:
                continue
            removed.append(tmp)
        return removed
