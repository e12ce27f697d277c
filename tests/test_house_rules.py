"""House rules read from the code: the transaction convention of the services, no private names across modules.

The transaction convention (README, "How it is built"): a public service function takes either the caller's
``session`` first — it works inside the caller's one transaction and never commits, begins or opens another — or
the ``store`` first — it owns every transaction it opens (files written before a commit, steps committed apart).
Never both.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVICES = REPO / "inspect_app" / "services"
TRANSACTION_CALLS = {"commit", "rollback", "begin", "begin_nested", "transaction", "reader", "close"}


def _annotation(arg: ast.arg) -> str:
    return ast.unparse(arg.annotation) if arg.annotation is not None else ""


def convention_breaches(folder: Path = SERVICES) -> list[str]:
    out: list[str] = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            where = f"{path.name}:{node.lineno} {node.name}()"
            params = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            names = {a.arg: _annotation(a) for a in params}
            first = (node.args.posonlyargs + node.args.args or [None])[0]
            if "session" in names and "store" in names:
                out.append(f"{where}: takes both a session and the store")
            for name, kind in (("session", "Session"), ("store", "Store")):
                if name in names and kind not in names[name]:
                    out.append(f"{where}: '{name}' is not a {kind} ({names[name] or 'no annotation'})")
                if name in names and (first is None or first.arg != name):
                    out.append(f"{where}: '{name}' must be the first parameter")
            if "session" in names:
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                            and call.func.attr in TRANSACTION_CALLS):
                        out.append(f"{where}: calls .{call.func.attr}() on the caller's transaction "
                                   f"(line {call.lineno}); a session-taking function never ends or opens one")
    return out


def test_services_follow_the_transaction_convention() -> None:
    found = convention_breaches()
    assert not found, "\n".join(found)


def test_the_convention_check_finds_a_breach(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(
        "def save(session: Session, x: int) -> None:\n    session.add(x)\n    session.commit()\n\n"
        "def both(store: Store, session: Session) -> None: ...\n\n"
        "def _helper(session: Session) -> None:\n    session.commit()\n", encoding="utf-8")
    assert convention_breaches(tmp_path) == [
        "bad.py:1 save(): calls .commit() on the caller's transaction (line 3); a session-taking function never "
        "ends or opens one",
        "bad.py:5 both(): takes both a session and the store",
        "bad.py:5 both(): 'session' must be the first parameter",
    ]


def test_no_module_imports_another_modules_private_names() -> None:
    found: list[str] = []
    for root in ("inspect_app", "tests", "bench"):
        for path in sorted((REPO / root).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("inspect_app", "tests")):
                    private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                    if private:
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}: {', '.join(private)} from {node.module}")
    assert not found, "\n".join(found)


def test_no_test_module_imports_another() -> None:
    """Shared test code lives in conftest.py (fixtures) or plain helper modules, never in a test module."""
    found: list[str] = []
    for path in sorted((REPO / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                last = name.rpartition(".")[2]
                if last.startswith("test_") or last in ("conftest", "ui_conftest") or "importorskip" in name:
                    found.append(f"{path.name}:{node.lineno}: imports {name}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "importorskip"):
                found.append(f"{path.name}:{node.lineno}: importorskip (a missing module must fail, not skip)")
    assert not found, "\n".join(found)
