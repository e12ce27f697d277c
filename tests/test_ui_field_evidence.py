"""Withdrawing a wrong photo and reopening an issued inspection in the window (issue 9 items 1 and 13)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from inspect_app.models import AuditEvent, Photo
from inspect_app.models.store import Store
from inspect_app.services import identity, opinions
from inspect_app.ui.context import AppContext
from inspect_app.ui.inspections import InspectionWorkflow
from inspect_app.ui.main_window import make_settings
from inspect_app.ui.tasks import OpRunner
from tests.opinion_case import PASS, TODAY, make_case, signoff_for
from tests.ui_helpers import evidence_widget

LEFT = Qt.MouseButton.LeftButton


def _live(store: Store, inspection_id: str) -> list[str]:
    with store.reader() as s:
        return list(s.scalars(select(Photo.id).where(Photo.inspection_id == inspection_id,
                                                     Photo.deleted_at.is_(None))))


def test_withdraw_a_photo_from_the_viewer(qtbot: QtBot, store: Store) -> None:
    case = make_case(store)
    w = evidence_widget(qtbot, store, case.inspection_id)
    try:
        before = _live(store, case.inspection_id)
        photo = w.models["before"].photo_at(0)
        assert photo is not None
        viewer = w.open_viewer(photo)
        dialog = viewer.ask_withdraw()
        assert not dialog.ok_button.isEnabled()  # no reason, no withdrawal
        dialog.reason_edit.setPlainText("误将另一台设备的照片导入")
        assert dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, LEFT)
        assert _live(store, case.inspection_id) == [i for i in before if i != photo.id]
        assert photo.id not in [p.id for m in w.models.values() for p in m.photos]
        assert photo.id not in [p.id for p in viewer.sequence]
        with store.reader() as s:
            row = s.get(Photo, photo.id)
            assert row is not None and row.deleted_at is not None  # a tombstone, the blob kept
            change = s.scalars(select(AuditEvent.change).where(AuditEvent.action == "photo.withdraw")).one()
        assert json.loads(change)["detail"]["reason"] == "误将另一台设备的照片导入"
        assert Path(photo.original_path).is_file()
    finally:
        w.shutdown()


def test_issued_evidence_refuses_withdrawal_and_reopen_opens_it(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局", passphrase=PASS)
    case = make_case(store)
    issued = opinions.issue_opinion(store, inspection_id=case.inspection_id, conclusion="pass", passphrase=PASS,
                                    out_path=tmp_path / "1.pdf", today=TODAY,
                                    signoff=signoff_for(store, case.inspection_id))
    w = evidence_widget(qtbot, store, case.inspection_id)
    try:
        before = _live(store, case.inspection_id)
        photo = w.models["after"].photo_at(0)
        assert photo is not None
        viewer = w.open_viewer(photo)
        dialog = viewer.ask_withdraw()
        dialog.reason_edit.setPlainText("拍错了")
        qtbot.mouseClick(dialog.ok_button, LEFT)
        # Refused where the user looks, naming the opinion and the way forward; nothing changed.
        assert issued.number in viewer.status.text() and "重新打开核查" in viewer.status.text()
        assert _live(store, case.inspection_id) == before
        viewer.close()
    finally:
        w.shutdown()

    ctx = AppContext(store=store, runner=OpRunner(inline=True, store=store),
                     settings=make_settings(str(tmp_path / "ui.ini")))
    workflow = InspectionWorkflow(ctx)
    qtbot.addWidget(workflow)
    workflow.show()
    workflow.open(case.inspection_id)
    assert workflow.bundle is not None and workflow.bundle.inspection.status == "done"
    assert workflow.reopen_button.isVisible() and not workflow.finish_button.isEnabled()
    qtbot.mouseClick(workflow.reopen_button, LEFT)
    reason = workflow.reason_dialog
    assert reason is not None
    reason.reason_edit.setPlainText("补充拆除后全景照片")
    qtbot.mouseClick(reason.ok_button, LEFT)
    assert workflow.bundle is not None and workflow.bundle.inspection.status == "draft"
    assert not workflow.reopen_button.isVisible() and workflow.finish_button.isEnabled()
    assert workflow.team_step.isEnabled()
    with store.reader() as s:
        change = s.scalars(select(AuditEvent.change).where(AuditEvent.action == "inspection.reopen")).one()
    assert json.loads(change)["detail"]["reason"] == "补充拆除后全景照片"
    workflow.close()
    ctx.runner.wait_idle()


def test_site_position_offered_from_the_first_photo_and_flags_follow(qtbot: QtBot, store: Store,
                                                                     tmp_path: Path) -> None:
    from inspect_app.services import enterprises
    from inspect_app.services.photos import list_photos
    from tests import photo_case

    case = photo_case.make_case(store, 77)
    with store.transaction() as s:
        ent_id = enterprises.update_enterprise(s, case.enterprise_id, clear_location=True).id
    w = evidence_widget(qtbot, store, case.inspection_id)
    try:
        assert not w.site_banner.isVisible()  # no photo with GPS yet: nothing to offer
        w.import_paths("before", photo_case.write(tmp_path / "b", {
            "first.jpg": photo_case.shot(1, "2021:05:01 09:00:00", photo_case.SITE)}))
        w.import_paths("after", photo_case.write(tmp_path / "a", {
            "far.jpg": photo_case.shot(2, "2021:05:05 15:00:00", photo_case.FAR)}))
        assert w.site_banner.isVisible() and "first.jpg" in w.site_label.text()
        with store.reader() as s:
            far = next(p for p in list_photos(s, inspection_id=case.inspection_id) if p.original_name == "far.jpg")
        assert not [f for f in far.flags if f.code == "far_from_site"]  # unmeasurable without a site
        qtbot.mouseClick(w.use_site_button, LEFT)
        with store.reader() as s:
            ent = enterprises.get_enterprise(s, ent_id)
            far = next(p for p in list_photos(s, inspection_id=case.inspection_id) if p.original_name == "far.jpg")
        assert (ent.lat, ent.lon) == photo_case.SITE
        assert [f for f in far.flags if f.code == "far_from_site"], far.flags  # recomputed from the new site
        assert not w.site_banner.isVisible()
    finally:
        w.shutdown()
