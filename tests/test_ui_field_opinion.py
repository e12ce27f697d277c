"""The opinion step through a field day (issue 9 items 7–9): what was drawn and typed survives closing the page
and a restart; a wrong passphrase shows at the top; a dot is not a signature; 重签 starts empty."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from inspect_app.models.store import Store, open_store
from inspect_app.rules import Conclusion
from inspect_app.services import identity
from inspect_app.services.opinion_drafts import drafts_root, load_opinion_draft
from inspect_app.ui.opinion_page import OpinionPage
from inspect_app.ui.signature_pad import SignatureDialog, is_substantial
from inspect_app.ui.tasks import OpRunner
from tests.opinion_case import PASS, make_case
from tests.ui_helpers import draw_signature, issue_through_page, sign_through_dialog


def make_page(qtbot: QtBot, store: Store, inspection_id: str) -> OpinionPage:
    page = OpinionPage(store, inspection_id, runner=OpRunner())
    qtbot.addWidget(page, before_close_func=lambda _w: page.runner.wait_idle(10_000))
    page.resize(1280, 720)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.facts is not None and not page.busy(), timeout=10_000)
    return page


def test_signatures_and_explanations_survive_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        case = make_case(store, flags=[{"code": "no_gps", "message": "照片没有 GPS 位置信息", "severity": "info"}])
        page = make_page(qtbot, store, case.inspection_id)
        sign_through_dialog(qtbot, page, "signMember0")
        page.set_conclusion(Conclusion.RECHECK)
        page.ack_edit.setPlainText("拆除前照片由企业提供，已与现场核对一致")
        page.rep_name.setText("赵经理")
        page.rep_title.setText("总经理")
        sign_through_dialog(qtbot, page, "signRepresentative")
        first = page.signatures[0]
        qtbot.waitUntil(lambda: not page.has_unsaved_draft(), timeout=5000)
        page.runner.wait_idle(10_000)
        kept = load_opinion_draft(store, case.inspection_id)
        assert kept is not None and kept.acknowledgement.startswith("拆除前照片")
        page.close()  # the window closes; the draft is on disk
        store.close()

        store = open_store(tmp_path / "data")  # a restart
        again = make_page(qtbot, store, case.inspection_id)
        assert again.conclusion() is Conclusion.RECHECK
        assert again.acknowledgement() == "拆除前照片由企业提供，已与现场核对一致"
        assert again.representative() == {"name": "赵经理", "title": "总经理"}
        assert again.signatures[0].strokes == first.strokes and again.signatures[0].png == first.png
        assert again.representative_signature is not None
        assert again.member_signed(0) and not any("王建国" in m and "尚未签名" in m for m in again.blocker_messages())
    finally:
        store.close()


def test_a_wrong_passphrase_shows_at_the_top_and_success_clears_the_draft(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        case = make_case(store)
        identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局",
                                        passphrase=PASS)
        page = make_page(qtbot, store, case.inspection_id)
        for index in range(len(page._member_rows)):
            sign_through_dialog(qtbot, page, f"signMember{index}")
        sign_through_dialog(qtbot, page, "signRepresentative")
        qtbot.waitUntil(lambda: page.sign_button.isEnabled(), timeout=10_000)
        page.issue_with("wrong passphrase", tmp_path / "x.pdf")
        qtbot.waitUntil(lambda: not page.busy(), timeout=30_000)
        assert page.result_label.isVisible() and page.result_label.y() < page.splitter.y()
        assert "口令" in page.result_text()
        assert not (tmp_path / "x.pdf").exists()
        assert page.blockers_list.count() == 0  # the refusal is not dressed up as a blocker
        with qtbot.waitSignal(page.issued, timeout=60_000):
            page.issue_with(PASS, tmp_path / "ok.pdf")
        page.runner.wait_idle(10_000)
        assert "✓" in page.result_text()
        assert load_opinion_draft(store, case.inspection_id) is None
        assert not list(drafts_root(store).glob("*.json"))
    finally:
        store.close()


@pytest.mark.parametrize(("strokes", "ok"), [
    ([[(0.5, 0.5, 0.5, 0)]], False),  # a single dot
    ([[(0.5, 0.5, 0.5, 0), (0.51, 0.5, 0.5, 10)]], False),  # a tick
    ([[(0.1, 0.5, 0.5, 0), (0.3, 0.3, 0.5, 30), (0.5, 0.7, 0.5, 60), (0.7, 0.4, 0.5, 90)]], True),
])
def test_a_dot_is_not_a_signature(qtbot: QtBot, strokes: list[list[tuple[float, float, float, int]]],
                                  ok: bool) -> None:
    assert is_substantial(strokes) is ok
    dialog = SignatureDialog("张伟", strokes=strokes)
    qtbot.addWidget(dialog)
    assert dialog.ok_button.isEnabled() is ok
    assert bool(dialog.too_short.text()) is (not ok)


def test_clicking_once_on_the_pad_does_not_sign(qtbot: QtBot) -> None:
    dialog = SignatureDialog("张伟")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.pad, Qt.MouseButton.LeftButton, pos=QPoint(100, 80))
    assert not dialog.pad.is_empty() and not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.signature() is None
    dialog.pad.clear()
    draw_signature(qtbot, dialog.pad)
    assert dialog.ok_button.isEnabled()


def test_unsigned_members_the_dismantling_deadline_and_the_sign_off_survive_a_restart_and_print(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt
    import subprocess

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QCheckBox, QLineEdit

    from tests.tools import require
    from tests.ui_helpers import type_text

    store = open_store(tmp_path / "data")
    try:
        case = make_case(store, method="seal")
        identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局",
                                        passphrase=PASS)
        page = make_page(qtbot, store, case.inspection_id)
        # a sealed exit: the page asks for the dismantling deadline (a pass without one is refused by the service)
        assert not page.dismantle_panel.isHidden() and "水泥磨1号" in page.dismantle_hint.text()
        deadline = QDate.currentDate().addMonths(4)
        page.dismantle_edit.setDate(QDate.currentDate().addDays(-1))
        assert any("限时拆除期限应晚于今天" in m for m in page.blocker_messages())
        page.dismantle_edit.setDate(deadline)
        assert not any("限时拆除" in m for m in page.blocker_messages())
        # member 0 does not sign by hand: 未签 with a reason typed into the row
        box = page.findChild(QCheckBox, "unsignedMember0")
        reason = page.findChild(QLineEdit, "unsignedReason0")
        assert box is not None and reason is not None and not reason.isEnabled()
        box.click()
        assert box.isChecked() and reason.isEnabled()
        assert not page.findChild(type(page.sign_button), "signMember0").isEnabled()
        assert any("王建国" in m and "未签：请写明原因" in m for m in page.blocker_messages())
        type_text(qtbot, reason, "在外地出差")
        assert not any("王建国" in m for m in page.blocker_messages())
        # a recheck's reasons and deadline, the representative's agreement
        page.set_conclusion(Conclusion.RECHECK)
        page.reasons_edit.setPlainText("封条未加盖企业公章")
        page.deadline_edit.setDate(QDate.currentDate().addDays(20))
        page.rep_agrees.click()
        qtbot.waitUntil(lambda: not page.has_unsaved_draft(), timeout=5000)
        page.runner.wait_idle(10_000)
        kept = load_opinion_draft(store, case.inspection_id)
        assert kept is not None and kept.reasons == "封条未加盖企业公章" and kept.representative_agrees
        assert [(u.member["name"], u.reason) for u in kept.unsigned] == [("王建国", "在外地出差")]
        page.close()
        store.close()

        store = open_store(tmp_path / "data")  # a restart
        again = make_page(qtbot, store, case.inspection_id)
        assert again.conclusion() is Conclusion.RECHECK
        signoff = again.signoff()
        assert signoff.reasons == ("封条未加盖企业公章",)
        assert signoff.recheck_by is not None
        assert again.deadline_edit.date() == QDate.currentDate().addDays(20)
        assert again.dismantle_edit.date() == deadline
        assert dict(signoff.unsigned) == {"王建国": "在外地出差"} and signoff.representative_agrees
        box = again.findChild(QCheckBox, "unsignedMember0")
        assert box is not None and box.isChecked()

        # issue the pass: member 1 and the representative sign on the pad
        again.set_conclusion(Conclusion.PASS)
        sign_through_dialog(qtbot, again, "signMember1")
        # the representative first will not sign (未签 needs its reason), then does
        again.rep_unsigned.click()
        assert not again.findChild(type(again.sign_button), "signRepresentative").isEnabled()
        assert not again.rep_agrees.isEnabled()
        assert any("赵经理" in m and "未签：请写明原因" in m for m in again.blocker_messages())
        type_text(qtbot, again.rep_unsigned_reason, "拒绝签字")
        assert again.signoff().representative_unsigned == "拒绝签字"
        again.rep_unsigned.click()
        assert again.signoff().representative_unsigned == "" and again.rep_agrees.isEnabled()
        sign_through_dialog(qtbot, again, "signRepresentative")
        qtbot.waitUntil(lambda: not again.busy(), timeout=10_000)
        assert again.blocker_messages() == []
        out = tmp_path / "sealed.pdf"
        view = issue_through_page(qtbot, again, out, PASS, monkeypatch)
        assert view.dismantle_by == dt.date(deadline.year(), deadline.month(), deadline.day())
        require("pdftotext")
        text = "".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                      check=True).stdout.split())
        assert "未签（在外地出差）" in text and "本企业对上述核查情况无异议" in text
        assert f"企业应于{deadline.year()}年{deadline.month()}月{deadline.day()}日前拆除主体设备" in text
    finally:
        store.close()
