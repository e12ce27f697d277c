"""Rebuild the English catalogue: extract the UI's Chinese strings, fill them from en_glossary.json, compile.

Run from the repository root: ``python resources/i18n/build_en.py`` (needs pyside6-lupdate / pyside6-lrelease,
which PySide6 ships). Strings without a glossary entry stay unfinished and show in Chinese.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
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
    return list(dict.fromkeys(labels))


def fill(ctx: ET.Element, glossary: dict[str, str | list[str]]) -> int:
    """Fill the context's translations from the glossary (``context|source`` wins over ``source``)."""
    missing = 0
    name = ctx.findtext("name") or ""
    for message in ctx.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        value = glossary.get(f"{name}|{source}", glossary.get(source))
        if value is None:
            missing += 1
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


def main() -> None:
    sources = sorted(str(p) for p in (ROOT / "inspect_app" / "ui").glob("*.py"))
    subprocess.run([tool("lupdate"), "-no-obsolete", *sources, "-ts", str(TS)], check=True)
    glossary: dict[str, str | list[str]] = json.loads((HERE / "en_glossary.json").read_text(encoding="utf-8"))
    tree = ET.parse(TS)
    root = tree.getroot()
    root.set("language", "en")
    root.set("sourcelanguage", "zh_CN")
    for old in [c for c in root.findall("context") if c.findtext("name") == "domain"]:
        root.remove(old)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = "domain"
    for label in domain_labels():
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = label
        ET.SubElement(message, "translation", type="unfinished")
    missing = 0
    for ctx in root.iter("context"):
        missing += fill(ctx, glossary)
    ET.indent(tree)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([tool("lrelease"), str(TS), "-qm", str(QM)], check=True)
    print(f"{TS.name}: {missing} strings without an English translation")


if __name__ == "__main__":
    main()
