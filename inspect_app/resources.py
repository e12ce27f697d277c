"""Find files shipped in ``resources/``, in a checkout, an installed wheel or a PyInstaller build."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent

# The repository keeps one copy, in resources/ at its top. The wheel (pyproject's package-dir mapping) and the
# PyInstaller build (build.spec) both carry it inside the package as inspect_app/_resources. The packaged copy is
# looked for first: beside an installed package, "../resources" would be site-packages/resources, which belongs
# to nobody we know.
CANDIDATES = (PACKAGE_DIR / "_resources", PACKAGE_DIR.parent / "resources")


@cache
def resource_root() -> Path:
    """Return the folder that holds the shipped resources."""
    for candidate in CANDIDATES:
        if (candidate / "reference").is_dir():
            return candidate
    raise FileNotFoundError(f"resources/ folder not found (looked in {', '.join(map(str, CANDIDATES))})")


def resource_path(*parts: str) -> Path:
    """Return the path of a shipped resource file (it need not exist)."""
    return resource_root().joinpath(*parts)


def load_json(*parts: str) -> Any:
    """Load a shipped JSON data file."""
    with resource_path(*parts).open(encoding="utf-8") as fh:
        return json.load(fh)
