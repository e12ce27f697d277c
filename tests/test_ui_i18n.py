"""The English catalogue: every UI string translated, the .qm current, and the real window in English."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QGroupBox, QLabel

from inspect_app.models import Inspection
from inspect_app.ui.evidence_step import EvidenceStep
from inspect_app.ui.main_window import PAGE_DASHBOARD, PAGE_INSPECTIONS, MainWindow
from inspect_app.ui.opinion_step import OpinionStep
from tests.tools import require
from tests.ui_helpers import make_window

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
TS = I18N / "inspect_app_en.ts"
QM = I18N / "inspect_app_en.qm"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{\w*\}|%n|%\d+")


def build_en() -> ModuleType:
    """``resources/i18n/build_en.py``: the extractor and the catalogue builder."""
    spec = importlib.util.spec_from_file_location("build_en", I18N / "build_en.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_en", module)
    spec.loader.exec_module(module)
    return module


def catalogue(path: Path = TS) -> dict[tuple[str, str], ET.Element]:
    """(context, source) -> the <translation> element of the .ts."""
    root = ET.parse(path).getroot()
    found: dict[tuple[str, str], ET.Element] = {}
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for message in ctx.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[(name, message.findtext("source") or "")] = translation
    return found


def english(translation: ET.Element) -> list[str]:
    forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
    return [] if translation.get("type") in ("unfinished", "obsolete", "vanished") else forms


# -- (a) every string of the UI has English -----------------------------------------------------------------------


def test_every_ui_string_has_english() -> None:
    extraction = build_en().extract()
    assert len(extraction.messages) > 400  # the extractor still finds the UI's strings
    assert not extraction.problems, "tr() calls that cannot be translated as written:\n" + "\n".join(extraction.problems)
    ts = catalogue()
    missing = sorted({f"{m.filename}:{m.line} [{m.context}] {m.source!r}" for m in extraction.messages
                      if not any(f.strip() for f in english(ts.get((m.context, m.source), ET.Element("x"))))})
    assert not missing, (f"{len(missing)} UI strings without English — add them to resources/i18n/en_glossary.json "
                         "and run resources/i18n/build_en.py:\n" + "\n".join(missing))


def test_translations_keep_placeholders_and_have_no_chinese() -> None:
    wrong = []
    for (context, source), translation in catalogue().items():
        for form in english(translation):
            if CJK.search(form):
                wrong.append(f"[{context}] {source!r}: Chinese left in {form!r}")
            want = sorted(p for p in PLACEHOLDER.findall(source) if p != "%n")  # a singular form may spell out 1
            got = sorted(p for p in PLACEHOLDER.findall(form) if p != "%n")
            if want != got:
                wrong.append(f"[{context}] {source!r}: placeholders {want} became {got} in {form!r}")
    assert not wrong, "\n".join(wrong)


def test_ts_is_current_with_sources_and_glossary() -> None:
    """The committed .ts is what build_en.py makes now: no string or translation left behind."""
    tree, _extraction, missing = build_en().build_ts()
    assert not missing
    fresh = {(c.findtext("name"), m.findtext("source"), tuple(english(m.find("translation"))))  # type: ignore[arg-type]
             for c in tree.getroot().iter("context") for m in c.iter("message")}
    committed = {(ctx, src, tuple(english(t))) for (ctx, src), t in catalogue().items()}
    assert fresh == committed, ("resources/i18n/inspect_app_en.ts is stale; run resources/i18n/build_en.py\n"
                                f"new: {sorted(fresh - committed)[:10]}\ngone: {sorted(committed - fresh)[:10]}")


# -- (b) the compiled .qm matches the .ts and works in the real contexts --------------------------------------------


def lrelease() -> str | None:
    return shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which("pyside6-lrelease")


def test_qm_is_compiled_from_the_current_ts(tmp_path: Path) -> None:
    tool = lrelease()
    require("pyside6-lrelease", found=tool)
    assert tool is not None
    fresh = tmp_path / "fresh.qm"
    subprocess.run([tool, "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), "inspect_app_en.qm is stale; run resources/i18n/build_en.py"


SAMPLES = [
    ("PhotoEvidenceWidget", "导入照片…", "Import photos…"),  # ui/photos.py
    ("StagePhotoModel", "拍摄时间：", "Taken at: "),  # ui/photos.py
    ("OpinionPage", "书面验收意见", "Written acceptance opinion"),  # ui/opinion_page.py
    ("OpinionPage", "以下 {n} 项须先解决：", "Resolve these {n} item(s) first:"),
    ("OpinionsPage", "打开 PDF", "Open PDF"),  # ui/opinions_page.py
    ("OpinionPreview", "适应宽度", "Fit width"),  # ui/opinion_preview.py
    ("SignatureDialog", "撤销一笔", "Undo stroke"),  # ui/signature_pad.py
    ("CaptureDialog", "拍照：{stage}", "Take photos: {stage}"),  # ui/capture.py
    ("QToolButton", "拍照", "Take photo"),  # ui/capture.py: button.tr() on a plain QToolButton
    ("MainWindow", "工作台", "Dashboard"),  # ui/main_window.py: the _tr() wrapper
    ("errors", "无法完成操作", None),  # ui/errors_dialog.py: the _tr() wrapper
]


def test_qm_translates_in_the_runtime_contexts(qapp: Any) -> None:
    translator = QTranslator()
    assert translator.load(str(QM))
    ts = catalogue()
    for context, source, expected in SAMPLES:
        got = translator.translate(context, source)
        assert got, f"[{context}] {source!r} is not in the .qm"
        assert got == (expected or english(ts[(context, source)])[0])
    assert translator.translate("EnterprisePage", "共 %n 家企业", None, 1) in ("%n enterprise", "1 enterprise")
    assert translator.translate("EnterprisePage", "共 %n 家企业", None, 3) in ("%n enterprises", "3 enterprises")


def test_self_tr_context_is_the_runtime_class(qapp: Any) -> None:
    """Why the extractor files ``self.tr`` under every subclass: PySide6 looks up the *runtime* class name."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QToolButton, QWidget

    seen: list[str] = []

    class Spy(QTranslator):
        def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
            seen.append(context)
            return ""

    class Base(QWidget):
        def text(self) -> str:
            return self.tr("x")

    class Derived(Base):
        pass

    spy = Spy()
    QCoreApplication.installTranslator(spy)
    try:
        Base().text()
        Derived().text()
        QToolButton().tr("y")
    finally:
        QCoreApplication.removeTranslator(spy)
    assert seen == ["Base", "Derived", "QToolButton"]


# -- (c) the real window in English ---------------------------------------------------------------------------------


def english_window(qtbot: Any, window: MainWindow) -> None:
    window.translations.set_language("en")
    qtbot.waitUntil(lambda: window.nav.item(PAGE_DASHBOARD).text() == "Dashboard", timeout=3000)


def finished_inspection(window: MainWindow) -> str:
    """The demo's finished inspection with the most site photos."""
    from sqlalchemy import func, select

    from inspect_app.models import Photo

    with window.ctx.store.reader() as session:
        photos = func.count(Photo.id)
        ids = session.execute(select(Inspection.id, photos).join(Photo, Photo.inspection_id == Inspection.id, isouter=True)
                              .where(Inspection.status == "done").group_by(Inspection.id)
                              .order_by(photos.desc(), Inspection.id)).all()
    assert ids, "the demo has finished inspections"
    return str(ids[0][0])


def no_cjk(texts: dict[str, str]) -> list[str]:
    return [f"{where}: {text!r}" for where, text in texts.items() if not text.strip() or CJK.search(text)]


def test_main_window_in_english(qtbot: Any, demo_store: Any, tmp_path: Path, qt_warnings: Any) -> None:
    window = make_window(qtbot, demo_store, tmp_path)
    try:
        english_window(qtbot, window)
        nav = {f"nav {i}": window.nav.item(i).text() for i in range(window.nav.count())}
        assert not no_cjk(nav), no_cjk(nav)
        window.go_to(PAGE_INSPECTIONS)
        window.inspections.open_inspection(finished_inspection(window))
        workflow = window.inspections.workflow
        workflow.go_to(3)
        step = workflow.opinion_step
        assert isinstance(step, OpinionStep)
        qtbot.waitUntil(step.opinion.isVisible, timeout=3000)
        page = step.opinion
        titles = {"title": page.title.text()}
        titles |= {f"box {box.objectName() or i}": box.title() for i, box in enumerate(page.findChildren(QGroupBox))}
        assert not no_cjk(titles), no_cjk(titles)
        assert isinstance(workflow.evidence_step, EvidenceStep)
        evidence = workflow.evidence_step.evidence
        stages = {f"stage {stage}": label.text() for stage, label in evidence.stage_titles.items()}
        for label in stages.values():
            assert re.search(r"\(\d+\)", label), label  # "{stage} ({n})" came through English
        assert not no_cjk(stages), no_cjk(stages)  # the stage names come through ui.i18n.stage_label
    finally:
        window.translations.set_language("zh_CN")
        window.close()
        window.ctx.runner.wait_idle()


def test_all_labels_of_the_english_window_have_no_chinese_in_static_texts(qtbot: Any, demo_store: Any,
                                                                           tmp_path: Path, qt_warnings: Any) -> None:
    """Static captions (QLabel set by retranslate_ui) on the dashboard are English; data may stay Chinese."""
    window = make_window(qtbot, demo_store, tmp_path)
    try:
        english_window(qtbot, window)
        window.go_to(PAGE_DASHBOARD)
        ts = catalogue()
        sources = {src for (_ctx, src) in ts}
        leftovers = [label.text() for label in window.dashboard.findChildren(QLabel) if label.text() in sources]
        assert not leftovers, f"untranslated captions on the dashboard: {leftovers}"
    finally:
        window.translations.set_language("zh_CN")
        window.close()
        window.ctx.runner.wait_idle()
