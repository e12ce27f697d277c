"""Small file helpers shared by the crypto modules."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from inspect_app.errors import EnvironmentProblem


def write_atomic(path: Path, content: bytes, *, private: bool = False) -> None:
    """Write ``content`` to ``path`` via a temp file in the same folder, fsync and rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            if private:  # mkstemp already creates 0600; keep it explicit for the key files
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
    except OSError as exc:
        raise EnvironmentProblem(
            f"无法写入文件 {path}：{exc.strerror or exc}", code="E_WRITE_FAILED", details={"path": str(path)}
        ) from exc


def read_file(path: Path) -> bytes:
    """Read a file, turning OS errors into ``EnvironmentProblem``."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblem(
            f"无法读取文件 {path}：{exc.strerror or exc}", code="E_READ_FAILED", details={"path": str(path)}
        ) from exc
