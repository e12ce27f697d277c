"""Small file helpers shared by the crypto modules."""

from __future__ import annotations

from pathlib import Path

from inspect_app.errors import EnvironmentProblem
from inspect_app.fileio import write_atomic
from inspect_app.i18n import Msg


def read_file(path: Path) -> bytes:
    """Read a file, turning OS errors into ``EnvironmentProblem``."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblem(
            Msg("无法读取文件 {path}：{error}", path=path, error=exc.strerror or exc), code="E_READ_FAILED", details={"path": str(path)}
        ) from exc

__all__ = ["read_file", "write_atomic"]
