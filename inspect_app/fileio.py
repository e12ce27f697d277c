"""Durable file writes: temp file in the same folder → fsync → rename, so a crash leaves old or new, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from inspect_app.errors import EnvironmentProblem
from inspect_app.i18n import Msg


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, content: bytes, *, private: bool = False) -> None:
    """Write ``content`` to ``path`` (replacing it) atomically; ``private`` keeps it readable by the owner only.

    OS errors become ``EnvironmentProblem`` (``E_WRITE_FAILED``) with the path, and nothing is left behind.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            if private:  # mkstemp already creates 0600; keep it explicit for key files
                os.chmod(tmp, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        fsync_dir(path.parent)
    except OSError as exc:
        raise EnvironmentProblem(
            Msg("无法写入文件 {path}：{error}", path=path, error=exc.strerror or exc), code="E_WRITE_FAILED", details={"path": str(path)}
        ) from exc


def write_new(target: Path, content: bytes) -> bool:
    """Write ``content`` to a new file ``target`` atomically; return False when ``target`` already exists.

    Temp file in the same folder, fsync, then a hard link into place (which never replaces an existing
    file), so a reader sees either nothing or the whole file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:
            return False
        except OSError:
            # file systems without hard links (some network shares, FAT): check, then rename
            if target.exists():
                return False
            os.replace(tmp, target)
        fsync_dir(target.parent)
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
