"""External programs some tests drive (poppler, zbar, lrelease): present, or the test says so — never silently.

``require("pdftotext", …)`` returns when every program is on the PATH; otherwise it skips the test locally (the
reason shows in the ``-ra`` summary) and fails it under CI (``CI=true``), where ``dev.py`` installs them all.
"""

from __future__ import annotations

import os
import shutil

import pytest

POPPLER = ("pdftotext", "pdfsig", "pdftoppm")
ZBAR = ("zbarimg",)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(*programs: str, found: str | None = None) -> None:
    """Skip (locally) or fail (CI) unless every program is available; ``found`` is a path already looked up."""
    missing = [p for p in programs if (found if found is not None else shutil.which(p)) is None]
    if not missing:
        return
    why = f"needs {', '.join(missing)} (dev.py installs them)"
    if in_ci():
        pytest.fail(f"CI must provide {', '.join(missing)}")
    pytest.skip(why)
