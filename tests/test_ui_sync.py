"""The 同步 page on real stores: export from a laptop, import at the office (file, drag and drop, the inbox
folder), the import report, refused bundles, devices with register/revoke, history, and the conflict resolver."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models.store import Store
from inspect_app.services.identity import export_request
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle
from inspect_app.ui.context import AppContext
from inspect_app.ui.sync_page import SyncPage
from inspect_app.ui.tasks import OpRunner
from tests.sync_fixtures import (
    PASS,
    Laptop,
    Office,
    add_photos,
    assign_and_edit_on_both,
    make_laptop,
    make_office,
    snapshot,
)


@dataclass
class World:
    office: Office
    laptop: Laptop
    ids: dict[str, str]
    root: Path


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """An office and a registered laptop that share a case; both edited its address since (a conflict)."""
    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office)
    ids = assign_and_edit_on_both(office, laptop, tmp_path)
    yield World(office, laptop, ids, tmp_path)
    laptop.store.close()
    office.store.close()


def make_page(qtbot: QtBot, store: Store, tmp_path: Path, name: str = "ui") -> SyncPage:
    runner = OpRunner(inline=True, store=store)
    ctx = AppContext(store=store, runner=runner, settings=QSettings(str(tmp_path / f"{name}.ini"),
                                                                    QSettings.Format.IniFormat))
    page = SyncPage(ctx)
    qtbot.addWidget(page, before_close_func=lambda _w: runner.wait_idle(20_000))
    page.resize(1238, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.loaded, timeout=20_000)
    return page


def report_text(page: SyncPage) -> str:
    return page.report_view.toPlainText()


def test_export_then_import_with_a_report_and_the_conflict_resolver(qtbot: QtBot, world: World) -> None:
    laptop_page = make_page(qtbot, world.laptop.store, world.root, "laptop")
    assert "核查人员" in laptop_page.role_label.text()
    assert not laptop_page.inbox_box.isVisible() and not laptop_page.target.isVisible()
    out = world.root / "usb"
    out.mkdir()
    laptop_page.export_to(out, PASS)
    assert "已导出并复核同步包" in report_text(laptop_page)
    [bundle] = list(out.glob("*.icb"))

    office_page = make_page(qtbot, world.office.store, world.root, "office")
    assert "市办公室" in office_page.role_label.text() and office_page.inbox_box.isVisible()
    assert office_page.devices_model.rowCount() == 1
    assert office_page.target.count() == 1
    office_page.import_files([bundle])
    text = report_text(office_page)
    assert "已导入" in text and "冲突" in text and "王建国" in text
    [report] = office_page.last_reports
    assert report.status == "applied" and report.conflicts == 1

    # the conflict resolver: both values side by side, with who and when
    assert office_page.tabs.tabText(3) == "冲突（1）"
    office_page.tabs.setCurrentIndex(3)
    assert office_page.conflicts_model.rowCount() == 1
    assert len(office_page.cards) == 2
    values = {card.value.text() for card in office_page.cards}
    assert values == {"登封市告成镇", "登封市大冶镇"}
    who = "".join(card.who.text() for card in office_page.cards)
    assert "王建国" in who and "修改人" in who and "时间" in who
    laptop_card = next(c for c in office_page.cards if c.value.text() == "登封市告成镇")
    qtbot.mouseClick(laptop_card.take, Qt.MouseButton.LeftButton)
    assert office_page.conflicts_model.rowCount() == 0 and office_page.tabs.tabText(3) == "冲突"
    from inspect_app.models import Enterprise

    with world.office.store.reader() as s:
        ent = s.get(Enterprise, world.ids["enterprise"])
        assert ent is not None and ent.address == "登封市告成镇"

    # history per device
    office_page.tabs.setCurrentIndex(2)
    assert office_page.history_model.rowCount() >= 2
    office_page.history_filter.setCurrentIndex(office_page.history_filter.findData(world.laptop.store.device_id))
    assert {r.peer for r in office_page.history_model.rows} == {world.laptop.store.device_id}


def test_a_refused_bundle_says_why_and_changes_nothing(qtbot: QtBot, world: World) -> None:
    bad = world.root / "bad.icb"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 100)  # a stick pulled out early
    page = make_page(qtbot, world.office.store, world.root)
    page.import_files([bad])
    text = report_text(page)
    assert "已拒绝" in text and "U 盘被拔出" in text and "本机数据未做任何更改" in text and "隔离" in text


def test_drag_and_drop_imports(qtbot: QtBot, world: World) -> None:
    bundle = export_bundle(world.laptop.store, world.laptop.identity, world.root).path
    page = make_page(qtbot, world.office.store, world.root)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bundle)), QUrl.fromLocalFile(str(world.root / "notes.txt"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.drop.dropEvent(event)
    assert [Path(r.path).name for r in page.last_reports] == [bundle.name]
    assert page.last_reports[0].status == "applied"


def test_the_inbox_folder_imports_what_laptops_drop(qtbot: QtBot, world: World) -> None:
    inbox = world.root / "share"
    inbox.mkdir()
    bundle = export_bundle(world.laptop.store, world.laptop.identity, inbox).path
    old = time.time() - 60
    os.utime(bundle, (old, old))  # copied a minute ago: complete
    page = make_page(qtbot, world.office.store, world.root)
    page.set_inbox(inbox, auto=True)
    assert page.watcher.directories() == [str(inbox)]
    qtbot.waitUntil(lambda: bool(page.last_reports), timeout=20_000)
    assert page.last_reports[0].status == "applied"
    assert not bundle.exists()  # moved out of the inbox into the data folder
    assert "待导入 0 个" in page.inbox_status.text()


def test_devices_register_and_revoke(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    other = make_laptop(tmp_path / "other", None, name="李四")
    try:
        csr = tmp_path / "lisi.csr"
        csr.write_bytes(export_request(other.store, PASS))
        page = make_page(qtbot, world.office.store, world.root)
        page.tabs.setCurrentIndex(1)
        page.register_file(csr, ca_folder=world.office.ca_folder, ca_passphrase=PASS)
        names = [d.inspector for d in page.devices_model.rows]
        assert "李四" in names
        row = names.index("李四")
        page.devices_table.selectRow(row)
        assert page.revoke_button.isEnabled()
        page.revoke(page.devices_model.rows[row].device_id, "调离")
        assert page.devices_model.rows[names.index("李四")].revoked
        assert page.devices_model.data(page.devices_model.index(row, 4)) == "已吊销"
    finally:
        other.store.close()
    QApplication.processEvents()


def test_the_refusal_follows_the_language_and_the_quarantine_keeps_chinese(qtbot: QtBot, world: World) -> None:
    import json

    from inspect_app import i18n

    bad = world.root / "cut.icb"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    page = make_page(qtbot, world.office.store, world.root)
    i18n.set_language("en")
    try:
        page.import_files([bad])
    finally:
        i18n.set_language("zh_CN")
    [report] = page.last_reports
    assert "USB stick was pulled" in report_text(page) and "U 盘" in report.message_zh
    reason = json.loads(Path(report.quarantined_to + ".reason.json").read_text(encoding="utf-8"))
    assert reason["message"] == report.message_zh


class Gate:
    """Holds a real export or import at its first measured progress report until the test has pressed 取消 (so
    the progress dialog is seen and the cancel lands part-way, whatever the machine's speed)."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.go = threading.Event()
        self.reports: list[tuple[int, int, str]] = []

    def wrap(self, real: Any) -> Any:
        def gated(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
            def hold(done: int, total: int, text: str) -> None:
                self.reports.append((done, total, text))
                if progress is not None:
                    progress(done, total, text)
                if total > 0 and not self.reached.is_set():
                    self.reached.set()
                    assert self.go.wait(30), "the test never let the op go on"
            return real(*args, progress=hold, **kwargs)
        return gated


def threaded_page(qtbot: QtBot, store: Store, tmp_path: Path, name: str) -> tuple[SyncPage, OpRunner]:
    runner = OpRunner(store=store)  # the real worker thread, as in the window
    ctx = AppContext(store=store, runner=runner, settings=QSettings(str(tmp_path / f"{name}.ini"),
                                                                    QSettings.Format.IniFormat))
    page = SyncPage(ctx)
    qtbot.addWidget(page, before_close_func=lambda _w: runner.wait_idle(20_000))
    page.resize(1238, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.loaded, timeout=20_000)
    return page, runner


def press_cancel(qtbot: QtBot, page: SyncPage, gate: Gate, label: str) -> None:
    assert gate.reached.wait(30)
    qtbot.waitUntil(lambda: page.handle.dialog is not None, timeout=10_000)  # shown after the delay, op still running
    dialog = page.handle.dialog
    assert dialog is not None and label in dialog.labelText() and dialog.maximum() > 0
    button = dialog.findChild(QPushButton)
    assert button is not None and button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    gate.go.set()
    qtbot.waitUntil(lambda: page.handle.finished, timeout=30_000)


def test_export_and_import_show_progress_and_cancel_leaves_nothing(qtbot: QtBot, world: World,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect_app.sync.export as export_module
    import inspect_app.sync.importer as importer_module

    add_photos(world.laptop.store, world.root / "dcim", world.ids["inspection"], n=4)
    out = world.root / "usb"
    out.mkdir()

    # export on the laptop: the progress dialog shows, 取消 stops it, no file is left on the stick
    laptop_page, _runner = threaded_page(qtbot, world.laptop.store, world.root, "laptop")
    gate = Gate()
    monkeypatch.setattr(export_module, "export_bundle", gate.wrap(export_module.export_bundle))
    laptop_page.export_to(out, PASS)
    press_cancel(qtbot, laptop_page, gate, "正在导出同步包")
    assert "已取消导出" in report_text(laptop_page) and "导出失败" not in report_text(laptop_page)
    assert list(out.iterdir()) == []
    monkeypatch.undo()
    laptop_page.export_to(out, PASS)
    qtbot.waitUntil(lambda: laptop_page.handle.finished, timeout=60_000)
    assert "已导出并复核同步包" in report_text(laptop_page)
    [bundle] = list(out.glob("*.icb"))
    assert [p.name for p in out.iterdir()] == [bundle.name]

    # import at the office: the same, and the office store is as before; the re-import then applies
    office_page, _runner = threaded_page(qtbot, world.office.store, world.root, "office")
    before = snapshot(world.office.store)
    gate = Gate()
    monkeypatch.setattr(importer_module, "import_bundle", gate.wrap(importer_module.import_bundle))
    office_page.import_files([bundle])
    press_cancel(qtbot, office_page, gate, "正在导入同步包")
    assert "已取消导入" in report_text(office_page)
    assert snapshot(world.office.store) == before
    assert list(BlobStore(world.office.store.blob_root).iter_temp_files()) == []
    assert bundle.is_file()  # a cancel is no refusal: nothing is quarantined
    assert not office_page.import_running
    monkeypatch.undo()
    office_page.import_files([bundle])
    qtbot.waitUntil(lambda: office_page.handle.finished, timeout=60_000)
    [report] = office_page.last_reports
    assert report.status == "applied" and report.blobs_added == 4
    assert "已导入" in report_text(office_page)
    qtbot.waitUntil(lambda: office_page.tabs.tabText(3) == "冲突（1）", timeout=20_000)


def test_the_history_speaks_the_windows_language(qtbot: QtBot, world: World) -> None:
    from inspect_app import i18n

    bundle = export_bundle(world.laptop.store, world.laptop.identity, world.root).path
    bad = world.root / "cut.icb"
    bad.write_bytes(bundle.read_bytes()[:2000])
    page = make_page(qtbot, world.office.store, world.root)
    page.import_files([bundle, bad])
    page.tabs.setCurrentIndex(2)
    chinese = {r.status: r.summary for r in page.history_model.rows}
    assert "新增" in chinese["applied"] and "冲突 1" in chinese["applied"] and "U 盘" in chinese["refused"]
    i18n.set_language("en")
    try:
        page.reload()
        english = {r.status: r.summary for r in page.history_model.rows}
    finally:
        i18n.set_language("zh_CN")
    assert "added" in english["applied"] and "1 in conflict" in english["applied"]
    assert "USB stick was pulled" in english["refused"]
    [kept] = [p for p in (world.office.store.data_dir / "sync" / "quarantine").glob("*.reason.json")]
    import json

    assert "U 盘" in json.loads(kept.read_text(encoding="utf-8"))["message"]  # the kept reason stays Chinese


def test_a_laptop_shows_its_conflicts_but_only_the_office_resolves_them(qtbot: QtBot, world: World) -> None:
    """The office's value meets the laptop's edit on the laptop: the laptop lists the conflict with both values,
    its take/keep/delete buttons are disabled with a tooltip saying why, and a forced resolve is refused."""
    from inspect_app.models.sync import SyncConflict

    submitted = export_bundle(world.laptop.store, world.laptop.identity, world.root)  # before it sees the office's
    sent = export_bundle(world.office.store, world.office.identity, world.root, target=world.laptop.store.device_id)
    assert import_bundle(world.laptop.store, sent.path).conflicts == 1
    page = make_page(qtbot, world.laptop.store, world.root, "laptop")
    assert page.tabs.tabText(3) == "冲突（1）"
    page.tabs.setCurrentIndex(3)
    assert {card.value.text() for card in page.cards} == {"登封市告成镇", "登封市大冶镇"}
    for card in page.cards:
        assert card.take.isVisible() and not card.take.isEnabled()
        assert "市办公室" in card.take.toolTip() and "只能查看" in card.take.toolTip()
    assert "冲突由市办公室处理" in page.resolver_hint.text()
    qtbot.mouseClick(page.cards[0].take, Qt.MouseButton.LeftButton)  # disabled: nothing happens
    page.resolve("1")  # and were it forced, the service refuses it
    assert "E_OFFICE_ONLY" in page.resolver_hint.text() and "市办公室" in page.resolver_hint.text()
    with world.laptop.store.reader() as s:
        assert [c.status for c in s.query(SyncConflict)] == ["open"]

    office_page = make_page(qtbot, world.office.store, world.root, "office")
    office_page.tabs.setCurrentIndex(3)
    office_page.import_files([submitted.path])
    qtbot.waitUntil(lambda: office_page.tabs.tabText(3) == "冲突（1）", timeout=20_000)
    office_page.tabs.setCurrentIndex(3)
    assert office_page.cards and all(card.take.isEnabled() and not card.take.toolTip() for card in office_page.cards)
    assert "市办公室处理" not in office_page.resolver_hint.text()


def test_a_laptop_says_why_it_cannot_resolve_in_english_too(qtbot: QtBot, world: World) -> None:
    from inspect_app.ui.i18n import Translations

    sent = export_bundle(world.office.store, world.office.identity, world.root, target=world.laptop.store.device_id)
    assert import_bundle(world.laptop.store, sent.path).conflicts == 1
    page = make_page(qtbot, world.laptop.store, world.root, "laptop")
    page.tabs.setCurrentIndex(3)
    translations = Translations()
    translations.set_language("en")
    try:
        qtbot.waitUntil(lambda: page.tabs.tabText(3).startswith("Conflicts"), timeout=5000)
        for text in (page.cards[0].take.toolTip(), page.resolver_hint.text()):
            assert "office" in text and not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        assert not page.cards[0].take.isEnabled()
    finally:
        translations.set_language("zh_CN")


def test_assign_to_defaults_to_the_laptop_with_work_waiting_and_says_why(qtbot: QtBot, world: World,
                                                                        tmp_path: Path) -> None:
    """A second laptop registered later is listed first; the default is still the laptop whose visit changed at
    the office since its last assignment, and the page says why; a user's pick holds until an export."""
    other = make_laptop(tmp_path / "other", world.office, name="李四")
    try:
        page = make_page(qtbot, world.office.store, world.root, "office")
        wang, li = world.laptop.store.device_id, other.store.device_id
        items = {page.target.itemData(i): page.target.itemText(i) for i in range(page.target.count())}
        assert page.target.itemData(0) == li  # the newest registration comes first …
        assert page.target.currentData() == wang  # … but the work waits for 王建国
        assert "1 项核查待下发" in items[wang] and "无待下发" in items[li]
        note = page.target_note.text()
        assert page.target_note.isVisible() and "默认选中 王建国" in note and "1 项的更改尚未下发" in note
        assert "上次下发" in note  # the fixture sent it one assignment already
        for i in range(page.target.count()):  # each item shown whole, waiting count included
            text_width = page.target.fontMetrics().horizontalAdvance(page.target.itemText(i))
            assert page.target.width() > text_width, page.target.itemText(i)

        page.target.setCurrentIndex(page.target.findData(li))
        page.target.activated.emit(page.target.currentIndex())
        assert "已改选 李四" in page.target_note.text()
        page.reload()
        assert page.target.currentData() == li  # the user's pick survives a reload

        usb = world.root / "usb-office"
        usb.mkdir()
        page.export_to(usb, PASS, target=wang)
        qtbot.waitUntil(lambda: "各设备都没有待下发的核查" in page.target_note.text(), timeout=20_000)
        assert page.target.currentData() == wang and "王建国" in page.target_note.text()
    finally:
        other.store.close()

    laptop_page = make_page(qtbot, world.laptop.store, world.root, "laptop")
    assert not laptop_page.target_note.isVisible() and not laptop_page.target.isVisible()


def test_english_names_kinds_of_records_in_the_plural_and_one_record_in_the_singular(qtbot: QtBot,
                                                                                    world: World) -> None:
    """Counts per kind read "Enterprises", "Device records" (all plural); one record reads "Enterprise “…”"."""
    from inspect_app.sync.conflicts import TABLE_LABELS
    from inspect_app.ui.i18n import Translations

    bundle = export_bundle(world.laptop.store, world.laptop.identity, world.root).path
    page = make_page(qtbot, world.office.store, world.root, "office")
    translations = Translations()
    translations.set_language("en")
    try:
        qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Import report", timeout=5000)
        page.import_files([bundle])
        text = report_text(page)
        assert "Device records" in text and "Enterprises" in text and "(s)" not in text, text
        assert "Conflicts: 1." in text
        plural = {t: page.table_label(t) for t in TABLE_LABELS}
        single = {t: page.record_label(t) for t in TABLE_LABELS}
        for table in TABLE_LABELS:
            assert plural[table] != single[table], table
            assert plural[table].endswith("s") or plural[table].lower().endswith("equipment"), plural[table]
            assert not single[table].endswith("s") and plural[table].startswith(single[table].split()[0]), single[table]
        page.tabs.setCurrentIndex(3)
        record = page.conflicts_model.data(page.conflicts_model.index(0, 0))
        assert str(record).startswith("Enterprise “") or str(record).startswith("Enterprise「"), record
        assert page.resolver_title.text().startswith("Enterprise")
    finally:
        translations.set_language("zh_CN")
