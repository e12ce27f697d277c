"""Where the data lives: the platform's per-user data folder, or the one named by --data-dir / the environment.

Kept apart from ``models.store`` so that a command can know its data folder before importing the database
layer (``photos import`` starts its workers first, see ``evidence.pipeline.Ingest``).
"""

from __future__ import annotations

import os
from pathlib import Path

from inspect_app import APP_NAME
from inspect_app.errors import UserError
from inspect_app.i18n import Msg

DATA_DIR_ENV = "INSPECT_APP_DATA_DIR"


def default_data_dir() -> Path:
    """Return the platform's per-user data directory for the app."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(given: str | Path | None) -> Path:
    """Return the data folder: ``given``, else ``INSPECT_APP_DATA_DIR``, else the default.

    An empty ``given`` ("--data-dir ''" in a script) is refused rather than taken for the default folder;
    an empty environment variable counts as unset.
    """
    if isinstance(given, str) and not given.strip():
        raise UserError(Msg("数据目录不能为空（--data-dir 需要一个文件夹路径）"), code="E_DATA_DIR_INVALID")
    if given is not None:
        return Path(given)
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else default_data_dir()
