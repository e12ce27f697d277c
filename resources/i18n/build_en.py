"""Rebuild the English catalogue: extract the UI's Chinese strings, fill them from en_glossary.json, compile.

Run from the repository root: ``python resources/i18n/build_en.py`` (needs pyside6-lrelease, which PySide6 ships).
Strings without a glossary entry stay unfinished and show in Chinese.

Extraction reads the UI modules' syntax trees rather than running pyside6-lupdate, because lupdate files strings
under the wrong context in cases PySide6 resolves at run time: ``self.tr`` uses the *runtime* class (a subclass
inheriting the call looks it up under its own name), ``button.tr`` on a ``QToolButton`` uses ``QToolButton``, and
lupdate misses ``tr()`` inside f-string expressions and module wrappers such as
``def _tr(text): return QCoreApplication.translate("ctx", text)``.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TS = HERE / "inspect_app_en.ts"
QM = HERE / "inspect_app_en.qm"


def tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(f"pyside6-{name} not found")
    return found


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    filename: str
    line: int


@dataclass
class Extraction:
    messages: list[Message] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "file:line: why" for calls that cannot be translated as written


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _argument(call: ast.Call, index: int, name: str) -> ast.AST | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_translate(func: ast.AST) -> bool:
    """``QCoreApplication.translate`` / ``QApplication.translate`` (any ``*Application.translate``)."""
    return (isinstance(func, ast.Attribute) and func.attr == "translate" and isinstance(func.value, ast.Name)
            and func.value.id.endswith("Application"))


def _wrappers(tree: ast.Module) -> dict[str, str]:
    """Module functions like ``def _tr(text): return QCoreApplication.translate("ctx", text)``: name -> context."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.args.args:
            param = node.args.args[0].arg
            for ret in ast.walk(node):
                if (isinstance(ret, ast.Return) and isinstance(ret.value, ast.Call) and _is_translate(ret.value.func)
                        and len(ret.value.args) >= 2 and _literal(ret.value.args[0]) is not None
                        and isinstance(ret.value.args[1], ast.Name) and ret.value.args[1].id == param):
                    found[node.name] = _literal(ret.value.args[0]) or ""
    return found


def _class_bases(trees: dict[str, ast.Module]) -> dict[str, list[str]]:
    bases: dict[str, list[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
    return bases


def _subclasses(name: str, bases: dict[str, list[str]]) -> list[str]:
    """``name`` and every class in the UI that inherits from it: PySide6's ``self.tr`` uses the *runtime* class."""
    result = [name]
    for cls, parents in bases.items():
        if name in parents:
            result += [c for c in _subclasses(cls, bases) if c not in result]
    return result


class _Visitor(ast.NodeVisitor):
    def __init__(self, filename: str, wrappers: dict[str, str], bases: dict[str, list[str]], out: Extraction) -> None:
        self.filename = filename
        self.wrappers = wrappers
        self.bases = bases
        self.out = out
        self.classes: list[str] = []
        self.locals: list[dict[str, str]] = [{}]  # variable -> class it was constructed from, per function
        self.params: list[set[str]] = [set()]  # a wrapper's own ``translate(ctx, text)`` is not a message

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.locals.append({})
        self.params.append({a.arg for a in node.args.args})
        self.generic_visit(node)
        self.locals.pop()
        self.params.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Assign(self, node: ast.Assign) -> None:
        if isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.locals[-1][target.id] = node.value.func.id
        self.generic_visit(node)

    def _add(self, contexts: list[str], call: ast.Call, source_node: ast.AST | None, comment_node: ast.AST | None,
             n_node: ast.AST | None) -> None:
        where = f"{self.filename}:{call.lineno}"
        if isinstance(source_node, ast.JoinedStr):
            self.out.problems.append(f"{where}: f-string passed to tr(): cannot be translated")
            return
        source = _literal(source_node)
        if source is None:
            self.out.problems.append(f"{where}: tr() with a non-literal source: not extracted")
            return
        comment = _literal(comment_node) or ""
        for context in contexts:
            self.out.messages.append(Message(context, source, comment, n_node is not None, self.filename, call.lineno))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "tr":
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls") and self.classes:
                contexts = _subclasses(self.classes[-1], self.bases)
            elif isinstance(owner, ast.Name) and any(owner.id in scope for scope in self.locals):
                cls = next(scope[owner.id] for scope in reversed(self.locals) if owner.id in scope)
                contexts = _subclasses(cls, self.bases)
            elif isinstance(owner, ast.Name) and owner.id[:1].isupper():
                contexts = [owner.id]  # Class.tr(...)
            else:
                self.out.problems.append(f"{self.filename}:{node.lineno}: tr() on an object of unknown class")
                contexts = []
            if contexts:
                self._add(contexts, node, _argument(node, 0, "sourceText"), _argument(node, 1, "disambiguation"),
                          _argument(node, 2, "n"))
        elif _is_translate(func):
            context = _literal(_argument(node, 0, "context"))
            context_arg = _argument(node, 0, "context")
            if context is None and isinstance(context_arg, ast.Name) and context_arg.id in self.params[-1]:
                pass  # a helper that translates data labels passed to it; the catalogue lists those itself
            elif context is None:
                self.out.problems.append(f"{self.filename}:{node.lineno}: translate() with a non-literal context")
            elif not (isinstance(_argument(node, 1, "sourceText"), ast.Name)
                      and getattr(_argument(node, 1, "sourceText"), "id", None) in self.params[-1]):
                self._add([context], node, _argument(node, 1, "sourceText"), _argument(node, 2, "disambiguation"),
                          _argument(node, 3, "n"))
        elif isinstance(func, ast.Name) and func.id in self.wrappers:
            self._add([self.wrappers[func.id]], node, _argument(node, 0, "text"), None, None)
        self.generic_visit(node)


def extract(paths: list[Path] | None = None) -> Extraction:
    """Every translatable string of the UI modules, in the context Qt looks it up in at run time."""
    paths = paths or sorted((ROOT / "inspect_app" / "ui").glob("*.py"))
    trees = {str(p): ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in paths}
    bases = _class_bases(trees)
    out = Extraction()
    for path, tree in trees.items():
        rel = Path(path).resolve().relative_to(ROOT).as_posix()
        _Visitor(rel, _wrappers(tree), bases, out).visit(tree)
    return out


def domain_labels() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from inspect_app import rules

    labels: list[str] = []
    for table in (rules.EQUIPMENT_LABELS, rules.ENTERPRISE_LABELS, rules.EXIT_METHOD_LABELS, rules.CARD_LABELS):
        labels += list(table.values())
    labels += list(rules.MILESTONE_NAMES.values())
    labels += [item.label for item in rules.CHECKLIST]
    labels += [rule.name for rule in rules.ASPECTS.values()]
    from inspect_app.services.history import ACTION_LABELS

    labels += list(ACTION_LABELS.values())
    # The shipped sectors (reference data): their names show in lists and choosers.
    sectors = json.loads((ROOT / "resources" / "reference" / "sectors.json").read_text(encoding="utf-8"))
    labels += [sector["name"] for sector in sectors["sectors"]]
    return list(dict.fromkeys(labels))


def fill(ctx: ET.Element, glossary: dict[str, str | list[str]]) -> list[ET.Element]:
    """Fill the context's translations from the glossary (``context|source`` wins over ``source``); return the rest."""
    missing: list[ET.Element] = []
    name = ctx.findtext("name") or ""
    for message in ctx.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        value = glossary.get(f"{name}|{source}", glossary.get(source))
        if value is None:
            missing.append(message)
            continue
        for child in list(translation):
            translation.remove(child)
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            forms = value if isinstance(value, list) else [value, value]
            translation.text = None
            for form in forms:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = value if isinstance(value, str) else value[-1]
    return missing


def build_ts(glossary: dict[str, str | list[str]] | None = None) -> tuple[ET.ElementTree, Extraction, list[str]]:
    """The catalogue as XML: every extracted message and the rule labels, translated from the glossary.

    Returns the tree, the extraction and the ``context|source`` keys still without English.
    """
    if glossary is None:
        glossary = json.loads((HERE / "en_glossary.json").read_text(encoding="utf-8"))
    extraction = extract()
    root = ET.Element("TS", version="2.1", language="en", sourcelanguage="zh_CN")
    grouped: dict[str, dict[tuple[str, str, bool], list[Message]]] = {}
    for message in extraction.messages:
        grouped.setdefault(message.context, {}).setdefault((message.source, message.comment, message.numerus), []).append(message)
    grouped["domain"] = {(label, "", False): [] for label in domain_labels()}
    missing: list[str] = []
    for name in sorted(grouped):
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = name
        for (source, comment, numerus), where in grouped[name].items():
            message = ET.SubElement(context, "message", numerus="yes") if numerus else ET.SubElement(context, "message")
            for m in where:
                ET.SubElement(message, "location", filename=f"../../{m.filename}", line=str(m.line))
            ET.SubElement(message, "source").text = source
            if comment:
                ET.SubElement(message, "comment").text = comment
            ET.SubElement(message, "translation", type="unfinished")
        missing += [f"{name}|{m.findtext('source')}" for m in fill(context, glossary)]
    ET.indent(root)
    return ET.ElementTree(root), extraction, missing


def main() -> None:
    tree, extraction, missing = build_ts()
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    with TS.open("a", encoding="utf-8") as fh:
        fh.write("\n")
    subprocess.run([tool("lrelease"), str(TS), "-qm", str(QM)], check=True)
    for problem in extraction.problems:
        print(f"cannot translate as written: {problem}")
    for key in missing:
        print(f"untranslated: {key}")
    print(f"{TS.name}: {sum(1 for _ in tree.getroot().iter('message'))} messages, {len(missing)} without an English translation")


if __name__ == "__main__":
    main()
