"""Find files shipped in ``resources/``, in a checkout, an installed wheel or a PyInstaller build."""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any


@cache
def resource_root() -> Path:
    """Return the folder that holds the shipped resources."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:  # PyInstaller unpacks data beside the code
        return Path(frozen_root) / "resources"
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources/ folder not found")


def resource_path(*parts: str) -> Path:
    """Return the path of a shipped resource file (it need not exist)."""
    return resource_root().joinpath(*parts)


def load_json(*parts: str) -> Any:
    """Load a shipped JSON data file."""
    with resource_path(*parts).open(encoding="utf-8") as fh:
        return json.load(fh)
