"""The opinion page on a real demo store: facts from the services, live blockers, signing members through the
signature dialog with real mouse drags, wording per conclusion, refusals shown as a list, and (with photos and a
device identity) issuing a signed PDF end to end, with the same body text as the command line."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspect_app.cli import main
from inspect_app.models.store import Store, open_store
from inspect_app.rules import Conclusion
from inspect_app.services import casework, identity, opinions
from inspect_app.ui.opinion_page import OpinionPage
from inspect_app.ui.tasks import OpRunner
from tests.opinion_case import PASS, make_case, signoff_args
from tests.ui_helpers import issue_through_page, sign_through_dialog

# Qt warnings fail a test through pytest-qt's qt_log_level_fail (pyproject.toml).


@pytest.fixture
def done_inspection(demo_store: Store) -> casework.InspectionView:
    with demo_store.reader() as session:
        done = casework.list_inspections(session, status="done")
    assert done, "the demo data has finished inspections"
    return done[0]


def make_page(qtbot: QtBot, store: Store, inspection_id: str | None) -> OpinionPage:
    page = OpinionPage(store, inspection_id, runner=OpRunner())  # threaded, as in the app

    def wait_idle(_widget: object) -> None:
        page.runner.wait_idle(10_000)  # no worker may touch the store after it is closed

    qtbot.addWidget(page, before_close_func=wait_idle)
    page.resize(1280, 860)
    page.show()
    qtbot.waitExposed(page)
    if inspection_id is not None:
        qtbot.waitUntil(lambda: page.facts is not None and not page.busy(), timeout=10_000)
    return page


def settle(qtbot: QtBot, page: OpinionPage) -> None:
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)


def test_page_shows_the_inspection(qtbot: QtBot, demo_store: Store, done_inspection: casework.InspectionView) -> None:
    page = make_page(qtbot, demo_store, done_inspection.id)
    assert page.enterprise_label.text() == done_inspection.enterprise_name
    assert page.uscc_label.text()
    assert page.equipment_label.text()
    assert page.method_label.text() in ("拆除", "封存")
    assert "已拆除主体设备" in page.checklist_label.text() or "已封存主体设备" in page.checklist_label.text()
    body = page.body()
    assert done_inspection.enterprise_name in body and "同意通过验收" in body
    assert page.method_label.text() in body
    # one signature row per team member, nobody signed yet
    names = [m["name"] for m in done_inspection.team]
    assert [r.name.text() for r in page._member_rows] == names
    assert not any(page.member_signed(i) for i in range(len(names)))


def test_blockers_listed_and_sign_button_disabled(qtbot: QtBot, demo_store: Store,
                                                  done_inspection: casework.InspectionView) -> None:
    page = make_page(qtbot, demo_store, done_inspection.id)
    messages = page.blocker_messages()
    assert page.blocker_state is not None
    assert any("拆除前照片" in m for m in messages), messages  # the demo inspection has no photos
    assert any("尚未签名" in m for m in messages)
    assert page.blockers_list.count() == len(messages) > 0
    assert not page.blockers_list.isHidden()
    assert not page.sign_button.isEnabled()
    assert "签发条件" in page.sign_button.toolTip()


def test_signing_a_member_through_the_dialog(qtbot: QtBot, demo_store: Store,
                                             done_inspection: casework.InspectionView) -> None:
    page = make_page(qtbot, demo_store, done_inspection.id)
    first = done_inspection.team[0]["name"]
    assert any(first in m for m in page.blocker_messages())
    before = page.blockers_list.count()
    sign_through_dialog(qtbot, page, "signMember0")
    assert page.member_signed(0)
    assert not page.member_signed(1)
    signature = page.signatures[0]
    assert signature.signer == first and len(signature.strokes) == 2
    assert signature.png.startswith(b"\x89PNG")
    row = page._member_rows[0]
    pixmap = row.preview.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    assert row.button.text() == "重签"
    assert not any(first in m for m in page.blocker_messages())
    assert page.blockers_list.count() == before - 1
    assert not page.sign_button.isEnabled()  # photos are still missing
    # 重签 opens an empty pad (issue 9 item 9: a new signature is drawn anew); cancelling keeps the old one
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    dialog = page.signature_dialog
    assert dialog is not None and dialog.pad.is_empty() and not dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert page.signatures[0] is signature


def test_representative_signature_belongs_to_the_name(qtbot: QtBot, demo_store: Store,
                                                      done_inspection: casework.InspectionView) -> None:
    page = make_page(qtbot, demo_store, done_inspection.id)
    assert page.rep_name.text()  # prefilled with the enterprise contact
    sign_through_dialog(qtbot, page, "signRepresentative")
    assert page.representative_signature is not None
    assert not any("企业代表" in m for m in page.blocker_messages())
    page.rep_name.setText("孙志强")
    assert page.representative_signature is None
    assert any("孙志强" in m for m in page.blocker_messages())
    page.rep_name.clear()
    assert not page.rep_row.button.isEnabled()
    assert not any("企业代表" in m for m in page.blocker_messages())


def test_conclusion_changes_the_standard_wording_unless_edited(qtbot: QtBot, demo_store: Store,
                                                               done_inspection: casework.InspectionView) -> None:
    page = make_page(qtbot, demo_store, done_inspection.id)
    qtbot.mouseClick(page.conclusion_buttons["fail"], Qt.MouseButton.LeftButton)
    assert page.conclusion() == "fail"
    assert "不予通过验收" in page.body()
    settle(qtbot, page)
    page.set_conclusion("recheck")
    assert "整改完成后" in page.body()
    page.body_edit.setPlainText("经现场核查，存在问题，限期三十日整改。")
    page.set_conclusion("pass")
    assert page.body() == "经现场核查，存在问题，限期三十日整改。"
    qtbot.mouseClick(page.reset_body_button, Qt.MouseButton.LeftButton)
    assert "同意通过验收" in page.body()
    page.body_edit.clear()
    assert "意见正文为空" in page.blocker_messages()
    settle(qtbot, page)


def test_issuing_while_blocked_shows_every_reason(qtbot: QtBot, demo_store: Store, tmp_path: Path,
                                                  done_inspection: casework.InspectionView) -> None:
    page = make_page(qtbot, demo_store, done_inspection.id)
    out = tmp_path / "opinion.pdf"
    page.issue_with("wrong", out)
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    text = page.result_text()
    assert "不能出具验收意见" in text
    assert "拆除前照片" in text
    assert not out.exists()
    assert page.last_result is None


def test_no_inspection_and_switching_inspections(qtbot: QtBot, demo_store: Store,
                                                 done_inspection: casework.InspectionView) -> None:
    page = make_page(qtbot, demo_store, None)
    assert page.facts is None and not page.sign_button.isEnabled()
    assert page.blockers_list.count() == 0
    page.set_inspection(done_inspection.id)
    qtbot.waitUntil(lambda: page.facts is not None and not page.busy(), timeout=10_000)
    sign_through_dialog(qtbot, page, "signMember0")
    with demo_store.reader() as session:
        others = [i for i in casework.list_inspections(session) if i.id != done_inspection.id]
    page.set_inspection(others[0].id)
    assert page.signatures == {}  # signatures never carry over to another inspection
    qtbot.waitUntil(lambda: page.facts is not None and not page.busy(), timeout=10_000)
    assert page.enterprise_label.text() == others[0].enterprise_name


def test_issue_end_to_end_after_everyone_signed(qtbot: QtBot, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(tmp_path / "data")
    try:
        case = make_case(store)
        identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局",
                                        passphrase=PASS)
        page = make_page(qtbot, store, case.inspection_id)
        remaining = [m for m in page.blocker_messages() if "尚未签名" not in m]
        assert remaining == []
        for index in range(len(page._member_rows)):
            sign_through_dialog(qtbot, page, f"signMember{index}")
        sign_through_dialog(qtbot, page, "signRepresentative")
        assert page.blocker_messages() == []
        assert page.sign_button.isEnabled()
        assert "已满足签发条件" in page.ready_label.text()

        out = tmp_path / "验收意见.pdf"
        view = issue_through_page(qtbot, page, out, PASS, monkeypatch)
        assert out.is_file() and out.read_bytes().startswith(b"%PDF")
        assert view.number and view.number in page.result_text()
        assert str(out) in page.result_text()
        # The signatures drawn on the pad are kept as evidence and drawn in the PDF's signature block.
        from pypdf import PdfReader

        assert all(m.get("signature_sha256") for m in view.team)
        assert view.representative.get("signature_sha256")
        drawn = sum(len(p.images) for p in PdfReader(str(out)).pages)
        # photos + the distinct signature images (the same drawing is embedded once)
        distinct = {m["signature_sha256"] for m in view.team} | {view.representative["signature_sha256"]}
        assert drawn == len(view.evidence_sha256) + len(distinct)
        settle(qtbot, page)
        # issued once: the page says so at the top, in green, and offers no second signing; the existing opinion
        # is the page's state, not a red blocker line with a --supersedes id (issue 9 item 8)
        assert page.result_label.isVisible() and view.number in page.result_text()
        assert page.result_label.y() < page.splitter.y()
        assert not any(view.id in m for m in page.blocker_messages())
        assert not page.sign_button.isEnabled() and page.sign_button.text() == "已签发"
        # after a restart the inspection shows as issued, not 未签名 with blockers
        again = make_page(qtbot, store, case.inspection_id)
        assert again.issued_opinion is not None and again.issued_opinion.id == view.id
        assert view.number in again.result_text() and "重新打开核查" in again.result_text()
        assert not any(view.id in m for m in again.blocker_messages())
        assert again.sign_button.text() == "已签发" and not again.sign_button.isEnabled()

        # The command line issues the correction of the same inspection: the same standard wording, word for word.
        assert page.facts is not None
        standard = page.facts.standard_body("pass")
        page.runner.wait_idle(10_000)
        store.close()
        monkeypatch.setenv("INSPECT_APP_PASSPHRASE", PASS)
        out_cli = tmp_path / "命令行.pdf"
        assert main(["--data-dir", str(tmp_path / "data"), "opinion", "issue", "--inspection", case.inspection_id,
                     "--conclusion", "pass", "--out", str(out_cli), "--supersedes", view.id, *signoff_args()]) == 0
        store = open_store(tmp_path / "data")
        with store.reader() as session:
            from_window, from_cli = opinions.list_opinions(session, inspection_id=case.inspection_id)
        assert (from_window.id, from_cli.supersedes_id) == (view.id, view.id)
        assert from_cli.body == from_window.body == standard
        assert "同意通过验收" in standard and case.name in standard
    finally:
        store.close()


def test_acknowledging_doubt_flags_refreshes_the_blockers(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        case = make_case(store, flags=[{"code": "time_gap", "message": "拍摄时间与核查日期相差 3 天"}])
        page = make_page(qtbot, store, case.inspection_id)
        assert any("存在疑点未说明" in m for m in page.blocker_messages())
        # QTest types ASCII only (other characters abort); the reason's language does not matter here
        qtbot.keyClicks(page.ack_edit, "photo provided by the enterprise, checked on site")
        assert page.busy()  # the blockers are asked again a moment after the last key, off the GUI thread
        qtbot.waitUntil(lambda: not page.busy() and not any("疑点" in m for m in page.blocker_messages()),
                        timeout=10_000)
        page.ack_edit.clear()
        qtbot.waitUntil(lambda: not page.busy() and any("疑点" in m for m in page.blocker_messages()),
                        timeout=10_000)
    finally:
        store.close()


def test_blockers_follow_the_ui_language(qtbot: QtBot, demo_store: Store,
                                         done_inspection: casework.InspectionView) -> None:
    """The service's blockers are core messages: the English window shows them in English (codes unchanged)."""
    from inspect_app.ui.i18n import Translations

    translations = Translations()
    translations.set_language("en")
    try:
        page = make_page(qtbot, demo_store, done_inspection.id)
        messages = page.blocker_messages()
        assert any("no Before dismantling photo (at least 1 needed)" in m for m in messages), messages
        assert "This device has no signing certificate yet: create one under Settings → Signing identity (or with inspect-app identity create)" in messages
        assert not any("拆除前" in m or "签名证书" in m for m in messages)
        assert page.conclusion_buttons[Conclusion.RECHECK].text() == "Rectify, then re-inspect"
        assert "同意通过验收" in page.body()  # the printed wording stays Chinese
    finally:
        translations.set_language("zh_CN")


def test_fail_and_recheck_ask_for_reasons_and_a_deadline(qtbot: QtBot, demo_store: Store,
                                                        done_inspection: casework.InspectionView) -> None:
    page = make_page(qtbot, demo_store, done_inspection.id)
    assert page.reasons_panel.isHidden()  # a pass has no reasons to give
    qtbot.mouseClick(page.conclusion_buttons["fail"], Qt.MouseButton.LeftButton)
    assert not page.reasons_panel.isHidden() and page.deadline_edit.isHidden()
    assert page.facts is not None and not page.facts.gaps  # the demo checklist is complete: reasons must be typed
    assert any("须写明理由" in m for m in page.blocker_messages())
    page.reasons_edit.setPlainText("主体设备未拆除\n")
    assert not any("须写明理由" in m for m in page.blocker_messages())
    assert page.signoff().reasons == ("主体设备未拆除",)
    page.set_conclusion("recheck")
    assert not page.deadline_edit.isHidden()
    assert page.signoff().recheck_by is not None and page.signoff().recheck_by > page.facts.visited_on  # type: ignore[operator]
    page.deadline_edit.setDate(page.deadline_edit.date().currentDate().addDays(-1))
    assert any("整改期限应晚于今天" in m for m in page.blocker_messages())
    page.set_conclusion("pass")
    assert page.signoff().reasons == () and page.signoff().recheck_by is None
    # the representative's agreement, or the enterprise's own words
    assert not page.signoff().representative_agrees and page.rep_opinion.isEnabled()
    page.rep_agrees.click()
    assert page.signoff().representative_agrees and not page.rep_opinion.isEnabled()
    settle(qtbot, page)
    qtbot.waitUntil(lambda: not page._preview_timer.isActive() and not page._preview_running, timeout=20_000)
