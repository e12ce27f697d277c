"""Only inspect_app.ui may load Qt: everything else runs headless (CLI, office, tests, servers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_importing_everything_but_ui_does_not_load_pyside6() -> None:
    code = """
import importlib, pkgutil, sys
import inspect_app
names = []
for mod in pkgutil.walk_packages(inspect_app.__path__, "inspect_app."):
    if mod.name.startswith("inspect_app.ui") or ".migrations" in mod.name or mod.name.endswith("__main__"):
        continue
    importlib.import_module(mod.name)
    names.append(mod.name)
assert "inspect_app.cli" in names and "inspect_app.services.casework" in names, names
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(len(names), loaded)
sys.exit(1 if loaded else 0)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
