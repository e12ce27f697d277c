"""The house reads one way: rules ← models ← services/evidence/reports/crypto/sync ← ui/cli; only ui loads Qt.

Checked twice: by reading every module's imports (its syntax tree, imports inside functions included), and by
importing everything but ``ui`` in a fresh interpreter and seeing that PySide6 was not loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "inspect_app"

# Modules every layer may use: the package itself, errors, messages, resource lookup, durable writes, where the
# data folder is, the log.
BASE = {"inspect_app", "inspect_app.errors", "inspect_app.i18n", "inspect_app.resources", "inspect_app.fileio",
        "inspect_app.datadir", "inspect_app.applog"}
LAYERS = {
    "rules": 1,
    "models": 2,
    "services": 3, "evidence": 3, "reports": 3, "crypto": 3, "sync": 3,
    "ui": 4, "cli": 4, "cli_evidence": 4, "cli_opinions": 4, "__main__": 4,
}
NAMES = {1: "rules", 2: "models", 3: "services/evidence/reports/crypto/sync", 4: "ui/cli"}


def module_name(path: Path, repo: Path) -> str:
    parts = list(path.relative_to(repo).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def rank(module: str) -> int:
    """0 for the base modules, else the layer of ``inspect_app.<part>...``; -1 for modules outside the package."""
    if module in BASE:
        return 0
    parts = module.split(".")
    if parts[0] != "inspect_app":
        return -1
    part = parts[1] if len(parts) > 1 else ""
    if part.startswith("cli"):
        return 4
    if part not in LAYERS:
        raise AssertionError(f"{module}: a module outside the layers; add it to LAYERS or BASE")
    return LAYERS[part]


def is_module(name: str, repo: Path) -> bool:
    path = repo.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path, module: str, repo: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, anywhere in it (inside functions and ``if TYPE_CHECKING`` too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            # "from inspect_app import services" imports a module by name: judge it as such.
            found += [(node.lineno, f"{base}.{a.name}") for a in node.names if is_module(f"{base}.{a.name}", repo)]
    return found


def violations(repo: Path = REPO) -> list[str]:
    out: list[str] = []
    for path in sorted((repo / "inspect_app").rglob("*.py")):
        if "migrations" in path.parts:
            continue  # alembic's own scripts: they import only alembic, sqlalchemy and the models
        module = module_name(path, repo)
        mine = rank(module)
        for line, target in imports(path, module, repo):
            theirs = rank(target)
            where = f"{path.relative_to(repo).as_posix()}:{line}"
            if target.split(".")[0] in ("PySide6", "shiboken6") and mine != 4:
                out.append(f"{where}: only inspect_app.ui imports Qt ({target})")
            elif theirs < 0:
                continue
            elif mine == 0 and theirs > 0:
                out.append(f"{where}: base module imports {target}")
            elif theirs > mine:
                out.append(f"{where}: {NAMES[mine]} imports {target} ({NAMES[theirs]}, a higher layer)")
    return out


def test_no_module_imports_from_a_higher_layer() -> None:
    found = violations()
    assert not found, "imports against the layers:\n" + "\n".join(found)


def test_the_layer_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    """A lazy import in a function is still an import: the check finds it (one like it hid in models/store.py)."""
    package = tmp_path / "inspect_app"
    for folder in ("models", "services", "rules"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "services" / "audit.py").write_text("def record_event(): ...\n")
    (package / "models" / "store.py").write_text(
        "def open_store():\n    from inspect_app.services.audit import record_event\n    return record_event\n")
    (package / "rules" / "pure.py").write_text("from inspect_app import models\nimport PySide6\n")
    assert violations(tmp_path) == [
        "inspect_app/models/store.py:2: models imports inspect_app.services.audit "
        "(services/evidence/reports/crypto/sync, a higher layer)",
        "inspect_app/rules/pure.py:1: rules imports inspect_app.models (models, a higher layer)",
        "inspect_app/rules/pure.py:2: only inspect_app.ui imports Qt (PySide6)",
    ]


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
