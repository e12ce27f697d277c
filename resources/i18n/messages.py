"""Check the English catalogue of the core's messages (``messages_en.json``) against the code.

Run from the repository root: ``python resources/i18n/messages.py``. It reads every module of ``inspect_app`` (its
syntax tree), finds each ``Msg("…")``, imports the rules for their fixed labels, and lists the texts
that lack English, whose English lost or gained a placeholder, or that still contain Chinese. With ``--add`` it
writes the missing keys into the catalogue with an empty English text to fill in. ``tests/test_i18n.py`` runs
the same check and fails while anything is listed.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PACKAGE = ROOT / "inspect_app"
CATALOGUE = HERE / "messages_en.json"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Module-level dicts whose values are Chinese labels shown through ``i18n.Label``/``translate``.
LABEL_TABLES = ("_LABELS", "_NAMES")
LABEL_MODULES = ("inspect_app.rules", "inspect_app.evidence.flags", "inspect_app.services.photos")


@dataclass(frozen=True)
class Found:
    key: str
    filename: str
    line: int


@dataclass
class Extraction:
    messages: list[Found]
    labels: list[Found]
    problems: list[str]  # "file:line: why" for Msg calls that cannot be checked as written


def _is_msg(func: ast.AST) -> bool:
    return (isinstance(func, ast.Name) and func.id == "Msg") or (isinstance(func, ast.Attribute) and func.attr == "Msg")


def extract(package: Path = PACKAGE) -> Extraction:
    """Return every ``Msg`` key and rules label under ``package``."""
    out = Extraction([], labels(), [])
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_msg(node.func):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    out.messages.append(Found(first.value, rel, node.lineno))
                    given = {kw.arg for kw in node.keywords}
                    if None in given:
                        out.problems.append(f"{rel}:{node.lineno}: Msg(**values) cannot be checked; name each value")
                    wanted = placeholders(first.value)
                    if wanted != given - {None}:
                        out.problems.append(f"{rel}:{node.lineno}: placeholders {sorted(wanted)} but values "
                                            f"{sorted(k for k in given if k)} in {first.value!r}")
                elif rel != "inspect_app/i18n.py":
                    out.problems.append(f"{rel}:{node.lineno}: Msg() needs the Chinese text itself as its first "
                                        "argument (a literal), so the catalogue can be checked")
    return out


def labels() -> list[Found]:
    """Return the fixed labels of the rules (status names, aspects, stages …): imported, as some are built."""
    import importlib
    import inspect

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from inspect_app import rules

    found: list[Found] = []
    for module_name in LABEL_MODULES:
        module = importlib.import_module(module_name)
        for name, table in vars(module).items():
            if name.endswith(LABEL_TABLES) and isinstance(table, dict):
                where = Path(inspect.getfile(module)).relative_to(ROOT).as_posix()
                found += [Found(v, where, 0) for v in table.values() if isinstance(v, str)]
    found += [Found(rule.name, "inspect_app/rules/aspects.py", 0) for rule in rules.ASPECTS.values()]
    found += [Found(text, "inspect_app/rules/exit_methods.py", 0)
              for item in rules.CHECKLIST for text in (item.label, item.missing) if text]
    found += [Found(unit, "inspect_app/rules/units.py", 0) for unit in rules.CAPACITY_UNITS]
    return found


def placeholders(text: str) -> set[str]:
    """Return the ``{name}`` placeholders of a text."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def load() -> dict[str, str]:
    with CATALOGUE.open(encoding="utf-8") as fh:
        return dict(json.load(fh))


def check(extraction: Extraction, catalogue: dict[str, str]) -> list[str]:
    """Return a line per text without proper English."""
    wrong: list[str] = list(extraction.problems)
    seen: set[str] = set()
    for found in [*extraction.messages, *extraction.labels]:
        if found.key in seen:
            continue
        seen.add(found.key)
        english = catalogue.get(found.key, "")
        where = f"{found.filename}:{found.line}"
        if not english.strip():
            wrong.append(f"{where}: no English for {found.key!r}")
        elif CJK.search(english):
            wrong.append(f"{where}: Chinese left in the English of {found.key!r}: {english!r}")
        elif placeholders(english) != placeholders(found.key):
            wrong.append(f"{where}: placeholders {sorted(placeholders(found.key))} became "
                         f"{sorted(placeholders(english))} in {english!r}")
    return wrong


def unused(extraction: Extraction, catalogue: dict[str, str]) -> list[str]:
    """Return catalogue keys the code no longer uses."""
    used = {f.key for f in extraction.messages} | {f.key for f in extraction.labels}
    return sorted(k for k in catalogue if k not in used and not k.startswith("//"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", action="store_true", help="add missing keys with an empty English text")
    parser.add_argument("--prune", action="store_true", help="drop keys the code no longer uses")
    args = parser.parse_args(argv)
    extraction = extract()
    catalogue = load()
    if args.add or args.prune:
        for found in [*extraction.messages, *extraction.labels]:
            if args.add:
                catalogue.setdefault(found.key, "")
        if args.prune:
            for key in unused(extraction, catalogue):
                del catalogue[key]
        CATALOGUE.write_text(json.dumps(dict(sorted(catalogue.items())), ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    wrong = check(extraction, catalogue)
    stale = unused(extraction, catalogue)
    for line in wrong:
        print(line)
    for key in stale:
        print(f"unused: {key!r}")
    print(f"{len(extraction.messages)} messages, {len(extraction.labels)} labels; "
          f"{len(wrong)} without proper English, {len(stale)} unused", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
