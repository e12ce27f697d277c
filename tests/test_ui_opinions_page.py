"""The 验收意见 page on a store with real issued (signed) opinions: the table model, details, verifying the stored
PDF and a tampered external copy, saving a copy, the empty state and the main window's page."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspect_app.models.store import Store, open_store
from inspect_app.services import identity, opinions
from inspect_app.ui.context import AppContext
from inspect_app.ui.opinions_page import OpinionsPage
from inspect_app.ui.tasks import OpRunner
from tests.opinion_case import PASS, TODAY, make_case, signoff_for

# Qt warnings fail a test through pytest-qt's qt_log_level_fail (pyproject.toml).


@pytest.fixture
def issued_store(tmp_path: Path) -> Iterator[tuple[Store, list[opinions.OpinionView]]]:
    """A store with two real signed opinions; the first one superseded by a correction of the same case."""
    store = open_store(tmp_path / "data")
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局", passphrase=PASS)
    first, second = make_case(store), make_case(store)
    views = [
        opinions.issue_opinion(store, inspection_id=first.inspection_id, conclusion="pass", passphrase=PASS,
                               out_path=tmp_path / "first.pdf", today=TODAY,
                               signoff=signoff_for(store, first.inspection_id)),
        opinions.issue_opinion(store, inspection_id=second.inspection_id, conclusion="recheck", passphrase=PASS,
                               out_path=tmp_path / "second.pdf", today=TODAY,
                               signoff=signoff_for(store, second.inspection_id, "recheck")),
    ]
    yield store, views
    store.close()


def make_page(qtbot: QtBot, store: Store, tmp_path: Path, *, inline: bool = False) -> OpinionsPage:
    runner = OpRunner(inline=inline, store=store)
    ctx = AppContext(store=store, runner=runner, settings=QSettings(str(tmp_path / "ui.ini"),
                                                                    QSettings.Format.IniFormat))
    page = OpinionsPage(ctx)

    def wait_idle(_widget: object) -> None:
        runner.wait_idle(20_000)
        QApplication.processEvents()

    qtbot.addWidget(page, before_close_func=wait_idle)
    page.resize(1300, 800)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.loaded, timeout=20_000)
    return page


def settle(qtbot: QtBot, page: OpinionsPage) -> None:
    qtbot.waitUntil(lambda: not page.ctx.runner.busy, timeout=60_000)


def test_table_details_and_verify(qtbot: QtBot, qtmodeltester: Any, tmp_path: Path,
                                  issued_store: tuple[Store, list[opinions.OpinionView]]) -> None:
    store, views = issued_store
    page = make_page(qtbot, store, tmp_path)
    assert page.model.rowCount() == 2 and page.proxy.rowCount() == 2
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    assert page.stack.currentWidget() is page.splitter
    headers = [page.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(page.proxy.columnCount())]
    assert headers == ["文号", "企业", "结论", "签发日期", "签发人", "状态"]
    # newest first
    assert page.proxy.index(0, 0).data() == views[1].number
    assert page.proxy.index(0, 2).data() == "限期整改后复验"
    assert page.proxy.index(0, 5).data() == "有效"

    assert page.select_opinion(views[0].id)
    assert page.detail_values["number"].text() == views[0].number
    assert views[0].enterprise_name in page.detail_values["enterprise"].text()
    assert "水泥磨1号" in page.detail_values["equipment"].text()
    assert "王建国" in page.detail_values["team"].text() and "李红梅" in page.detail_values["team"].text()
    assert page.detail_values["evidence"].text() == "3 张照片"
    assert page.detail_values["sha"].text().startswith(views[0].pdf_sha256[:16])

    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_outcome is not None, timeout=60_000)
    assert page.last_outcome is not None and page.last_outcome.ok
    text = page.result_text()
    assert "验证通过" in text and "✓" in text and "✗" not in text
    assert "登记记录" in text

    # search
    page.search.setText(views[1].enterprise_name[-3:])
    assert page.proxy.rowCount() == 1
    page.search.setText("没有这家企业")
    assert page.proxy.rowCount() == 0
    page.search.clear()
    assert page.proxy.rowCount() == 2

    # save a copy of the stored PDF
    page.select_opinion(views[1].id)
    target = tmp_path / "copy.pdf"
    page.save_selected_to(target)
    settle(qtbot, page)
    assert target.read_bytes() == Path(views[1].stored_path or "").read_bytes()
    assert "已另存为" in page.result_text()


def test_a_tampered_external_copy_fails(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        issued_store: tuple[Store, list[opinions.OpinionView]]) -> None:
    store, _views = issued_store
    page = make_page(qtbot, store, tmp_path)
    pdf = bytearray((tmp_path / "second.pdf").read_bytes())
    middle = len(pdf) // 2
    pdf[middle] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(pdf))
    monkeypatch.setattr(page, "ask_open_path", lambda: tampered)
    qtbot.mouseClick(page.verify_external_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_outcome is not None, timeout=60_000)
    assert page.last_outcome is not None and not page.last_outcome.ok
    text = page.result_text()
    assert "验证失败" in text and "✗" in text and "tampered.pdf" in text
    # the untouched copy passes
    page.verify_file(tmp_path / "second.pdf")
    qtbot.waitUntil(lambda: page.last_outcome is not None, timeout=60_000)
    assert page.last_outcome is not None and page.last_outcome.ok


def test_superseded_opinion_is_grey_and_page_reloads_on_change(
        qtbot: QtBot, tmp_path: Path, issued_store: tuple[Store, list[opinions.OpinionView]]) -> None:
    store, views = issued_store
    page = make_page(qtbot, store, tmp_path)
    old = views[0]

    def correct(_p: object, _c: object) -> opinions.OpinionView:
        return opinions.issue_opinion(store, inspection_id=old.inspection_id, conclusion="pass", passphrase=PASS,
                                      out_path=tmp_path / "corrected.pdf", supersedes=old.id, today=TODAY,
                                      signoff=signoff_for(store, old.inspection_id))

    page.select_opinion(old.id)
    page.ctx.runner.run(correct)  # any op that issues: the store reports the change and the page hears it
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=60_000)
    settle(qtbot, page)
    assert page.selected_row() is not None and page.selected_row().id == old.id  # selection kept
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 0).data() == old.number)
    assert page.proxy.index(row, 5).data() == "已被更正替代"
    assert page.proxy.index(row, 1).data(Qt.ItemDataRole.ForegroundRole).name() == "#9aa5b1"
    assert "已被" in page.detail_values["status"].text() and "更正替代" in page.detail_values["status"].text()


def test_empty_state_says_how_opinions_come_to_exist(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        page = make_page(qtbot, store, tmp_path, inline=True)
        assert page.model.rowCount() == 0
        assert page.stack.currentWidget() is page.message
        assert "在「核查」中完成核查后，于第 4 步出具验收意见" in page.message.text()
        assert not page.verify_button.isEnabled()
    finally:
        store.close()
