"""The inspector's field day in the core (issue 9): locked evidence after issue, withdrawing a wrong photo,
reopening with a reason, the geofence measured from a site position set later, a pass that records the exit,
arrival times — on a real store with real JPEGs and real PDFs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from inspect_app import rules
from inspect_app.errors import UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models import AuditEvent, Equipment, Inspection, Photo
from inspect_app.models.store import Store
from inspect_app.services import casework, enterprises, identity, opinions, photos
from inspect_app.services.overview import overview
from tests import opinion_case
from tests.opinion_case import PASS, TODAY, make_case, signoff_for
from tests.photo_case import FAR, NOW, shot, write
from tests.tools import POPPLER, require

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def signer(store: Store) -> Store:
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局", passphrase=PASS)
    return store


def _issue(store: Store, inspection_id: str, out: Path, **kw: object) -> opinions.OpinionView:
    conclusion = str(kw.pop("conclusion", "pass"))
    kw.setdefault("signoff", signoff_for(store, inspection_id, conclusion))  # members 未签 with a reason
    return opinions.issue_opinion(store, inspection_id=inspection_id, conclusion=conclusion,
                                  passphrase=PASS, out_path=out, today=TODAY, **kw)  # type: ignore[arg-type]


@dataclasses.dataclass
class Event:
    entity_id: str
    detail: dict[str, Any]


def _events(store: Store, action: str) -> list[Event]:
    with store.reader() as s:
        return [Event(e.entity_id, json.loads(e.change)["detail"])
                for e in s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def _live_photos(store: Store, inspection_id: str) -> int:
    with store.reader() as s:
        return len(s.scalars(select(Photo.id).where(Photo.inspection_id == inspection_id,
                                                    Photo.deleted_at.is_(None))).all())


# --- item 1: evidence locked after issue ------------------------------------------------------------------------------


def test_issued_opinion_locks_the_evidence_and_a_reopened_inspection_opens_it(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    first = _issue(signer, case.inspection_id, tmp_path / "1.pdf")
    before = _live_photos(signer, case.inspection_id)
    extra = write(tmp_path / "late", {"late.jpg": shot(901, "2021:10:26 11:00:00")})
    with pytest.raises(UserError) as exc:
        photos.import_photos(signer, inspection_id=case.inspection_id, stage="after", paths=extra)
    assert exc.value.code == "E_EVIDENCE_LOCKED"
    message = str(exc.value.text)
    assert first.number in message and "重新打开核查" in message and "更正意见" in message
    assert _live_photos(signer, case.inspection_id) == before
    with signer.reader() as s:
        photo_id = s.scalars(select(Photo.id).where(Photo.inspection_id == case.inspection_id)).first()
        assert photos.evidence_lock(s, case.inspection_id) == first.number
    assert photo_id is not None
    for attempt in (lambda s: photos.move_photo(s, photo_id, "during"),
                    lambda s: photos.withdraw_photo(s, photo_id, reason="导入错了")):
        with pytest.raises(UserError) as exc, signer.transaction() as s:
            attempt(s)
        assert exc.value.code == "E_EVIDENCE_LOCKED"

    # The way forward: reopen with a reason (recorded), add the photo, finish, supersede.
    with pytest.raises(UserError) as exc, signer.transaction() as s:
        casework.reopen_inspection(s, case.inspection_id, reason="  ")
    assert exc.value.code == "E_REASON_REQUIRED"
    with signer.transaction() as s:
        view = casework.reopen_inspection(s, case.inspection_id, reason="补充拆除后全景照片")
    assert view.status == "draft"
    event = _events(signer, "inspection.reopen")[-1]
    assert "补充拆除后全景照片" in str(event.detail) and first.number in str(event.detail)
    added = photos.import_photos(signer, inspection_id=case.inspection_id, stage="after", paths=extra, now=NOW)
    assert [r.status for r in added] == ["imported"]
    with signer.transaction() as s:
        casework.record_inspection(s, case.inspection_id, finish=True, today=TODAY)
        # a serious doubt on the new photo (far from the site) is explained on the photo before a pass
        for code in ("far_from_site", "stage_order"):
            if any(f.code == code for f in photos.get_photo(s, str(added[0].photo_id)).flags):
                photos.explain_flag(s, str(added[0].photo_id), code, reason="补拍于设备回收站", by="王建国")
    second = _issue(signer, case.inspection_id, tmp_path / "2.pdf", supersedes=first.id, acknowledge="补拍照片时间晚")
    assert second.supersedes_id == first.id
    assert len(second.evidence_sha256) == len(first.evidence_sha256) + 1


def test_photos_import_on_the_command_line_is_refused_after_issue(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    _issue(signer, case.inspection_id, tmp_path / "1.pdf")
    data_dir = signer.data_dir
    signer.close()
    extra = write(tmp_path / "late", {"late.jpg": shot(902, "2021:10:26 11:00:00")})

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data_dir), *args],
                              capture_output=True, text=True, cwd=REPO, timeout=120,
                              env={"PATH": "/usr/bin:/bin", "INSPECT_APP_LANG": "zh_CN"})

    importing = ("photos", "import", "--inspection", case.inspection_id, "--stage", "after", str(extra[0]))
    proc = cli(*importing)
    assert proc.returncode == 1
    assert proc.stderr.startswith("E_EVIDENCE_LOCKED"), proc.stderr
    assert "重新打开核查" in proc.stderr
    assert cli("inspection", "reopen", case.inspection_id, "--reason", "补拍").returncode == 0
    proc = cli(*importing)
    assert proc.returncode == 0, proc.stderr
    photo_id = proc.stdout.split()[2]
    proc = cli("photos", "withdraw", photo_id, "--reason", "拍错了")
    assert proc.returncode == 0 and "已撤回" in proc.stdout, proc.stderr


# --- item 13: withdrawing a wrong photo before issue ------------------------------------------------------------------


def test_withdraw_a_wrong_photo_keeps_the_blob_and_records_the_reason(store: Store, tmp_path: Path) -> None:
    case = make_case(store, finish=False)
    with store.reader() as s:
        row = s.scalars(select(Photo).where(Photo.inspection_id == case.inspection_id, Photo.stage == "after")).one()
        photo_id, sha = row.id, row.sha256
        assert photos.check_inspection(s, case.inspection_id).ok
    with pytest.raises(UserError) as exc, store.transaction() as s:
        photos.withdraw_photo(s, photo_id, reason="")
    assert exc.value.code == "E_REASON_REQUIRED"
    with store.transaction() as s:
        view = photos.withdraw_photo(s, photo_id[:10], reason="误将另一企业的照片导入")
    assert view.id == photo_id
    with store.reader() as s:
        row = s.get(Photo, photo_id)
        assert row is not None and row.deleted_at is not None  # a tombstone, not a deletion
        check = photos.check_inspection(s, case.inspection_id)
        assert not check.ok and [g.stage for g in check.gaps] == ["after"]
        assert photo_id not in {p.id for p in photos.list_photos(s, inspection_id=case.inspection_id)}
    assert BlobStore(store.blob_root).has(sha)
    event = _events(store, "photo.withdraw")[-1]
    assert event.entity_id == photo_id and "误将另一企业的照片导入" in str(event.detail)
    with pytest.raises(UserError) as exc, store.transaction() as s:
        photos.withdraw_photo(s, photo_id, reason="again")
    assert exc.value.code == "E_PHOTO_NOT_FOUND"
    from inspect_app.services.audit import verify_audit

    with store.reader() as s:
        assert verify_audit(s).ok


# --- item 2: the geofence ---------------------------------------------------------------------------------------------


def test_a_site_position_added_later_recomputes_the_flags(store: Store, tmp_path: Path) -> None:
    from tests.photo_case import SITE
    from tests.photo_case import make_case as photo_case

    case = photo_case(store, 9101, site=SITE)
    with store.transaction() as s:
        enterprises.update_enterprise(s, case.enterprise_id, clear_location=True)
    far = photos.import_photos(store, inspection_id=case.inspection_id, stage="before", now=NOW,
                               paths=write(tmp_path / "b", {"far.jpg": shot(911, "2021:05:02 09:00:00", gps=FAR)}))
    assert "far_from_site" not in far[0].flags  # nothing to measure from yet
    with store.reader() as s:
        suggestion = photos.site_position_suggestion(s, case.inspection_id)
    assert suggestion is not None and suggestion.photo_name == "far.jpg"
    assert (round(suggestion.lat, 4), round(suggestion.lon, 4)) == FAR
    with store.transaction() as s:
        enterprises.update_enterprise(s, case.enterprise_id, lat=SITE[0], lon=SITE[1], sector="steel")
    with store.reader() as s:
        view = photos.get_photo(s, far[0].photo_id or "")
        assert photos.site_position_suggestion(s, case.inspection_id) is None
        assert enterprises.get_enterprise(s, case.enterprise_id).sector_code == "steel"
    flag = next(f for f in view.flags if f.code == "far_from_site")
    assert "约 5.0 公里" in flag.message
    assert any(e.entity_id == case.enterprise_id for e in _events(store, "photo.reflag"))


def test_the_opinion_prints_distances_above_1_km_in_km(signer: Store, tmp_path: Path) -> None:
    require(*POPPLER)
    case = make_case(signer)
    with signer.transaction() as s:
        row = s.scalars(select(Photo).where(Photo.inspection_id == case.inspection_id, Photo.stage == "after")).one()
        row.lat = opinion_case.SITE[0] + 0.53  # ~58.9 km north
        from inspect_app.models.audit import record_event

        record_event(s, action="photo.test", entity=row)
    out = tmp_path / "far.pdf"
    _issue(signer, case.inspection_id, out, acknowledge="复核")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "").replace("\n", "")
    assert "距厂址约58.9公里" in text
    assert "58935米" not in text and "距厂址约33米" in text


# --- item 4: a pass records the exit and the acceptance ---------------------------------------------------------------


def test_a_pass_records_the_exit_and_the_acceptance_and_the_dashboard_counts_it(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    with signer.transaction() as s:
        eq = s.get(Equipment, case.equipment_ids[0])
        assert eq is not None
        eq.status, eq.exited_on = "identified", None  # nobody recorded the dismantling before the visit
        from inspect_app.models.audit import record_event

        record_event(s, action="equipment.status", entity=eq)
    with signer.reader() as s:
        before = overview(s, today=TODAY).equipment_by_status["accepted"]
    view = _issue(signer, case.inspection_id, tmp_path / "a.pdf")
    assert view.moved_equipment == case.equipment_ids
    with signer.reader() as s:
        eq = s.get(Equipment, case.equipment_ids[0])
        assert eq is not None and eq.status == "accepted" and eq.exited_on == TODAY
        assert overview(s, today=TODAY).equipment_by_status["accepted"] == before + 1
    moves = _events(signer, "opinion.issue")[-1].detail["status_moves"]
    assert moves[case.equipment_ids[0]] == ["identified", "dismantling", "dismantled", "accepted"]


def test_a_pass_is_blocked_while_the_exit_cannot_be_recorded(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    with signer.transaction() as s:
        eq = s.get(Equipment, case.equipment_ids[0])
        assert eq is not None
        eq.status = "rectified"  # left the list: nothing to accept
        from inspect_app.models.audit import record_event

        record_event(s, action="equipment.status", entity=eq)
    with pytest.raises(UserError) as exc:
        _issue(signer, case.inspection_id, tmp_path / "a.pdf")
    assert "E_EXIT_NOT_RECORDED" in [b["code"] for b in exc.value.details["blockers"]]
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize(("status", "method", "path"), [
    ("identified", "dismantle", ["dismantling", "dismantled", "accepted"]),
    ("identified", "seal", ["sealed", "accepted"]),
    ("rectifying", "seal", ["closed", "sealed", "accepted"]),
    ("red_card", "shutdown", ["accepted"]),
    ("dismantled", "seal", ["accepted"]),
    ("accepted", "dismantle", []),
    ("rectified", "dismantle", None),
])
def test_acceptance_path(status: str, method: str, path: list[str] | None) -> None:
    found = rules.acceptance_path(status, method)
    assert (None if found is None else [s.value for s in found]) == path


# --- item 13 (rules): sealing requires the public commitment --------------------------------------------------------


def test_a_pass_by_sealing_is_refused_with_public_commitment_no(signer: Store, tmp_path: Path) -> None:
    checklist = {code: {"result": "yes", "note": ""} for code in rules.required_checklist("seal")}
    checklist["public_commitment"] = {"result": "no", "note": "企业拒绝"}
    case = make_case(signer, checklist=checklist)
    with signer.transaction() as s:
        for eq_id in case.equipment_ids:
            casework.plan_exit(s, equipment_id=eq_id, year=2021, method="seal", target_date=dt.date(2021, 10, 30))
    with pytest.raises(UserError) as exc:
        _issue(signer, case.inspection_id, tmp_path / "seal.pdf")
    blockers = exc.value.details["blockers"]
    assert any(b["code"] == "E_CHECKLIST_GAP" and "公开承诺" in b["message"] for b in blockers)


# --- item 5: times ----------------------------------------------------------------------------------------------------


def test_an_arrival_time_in_the_future_is_refused(store: Store) -> None:
    case = make_case(store, finish=False)
    future = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    with pytest.raises(UserError) as exc, store.transaction() as s:
        casework.record_inspection(s, case.inspection_id, arrived_at=future)
    assert exc.value.code == "E_DATE_FUTURE" and "北京时间" in str(exc.value.text)
    ok = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with store.transaction() as s:
        view = casework.record_inspection(s, case.inspection_id, arrived_at=ok)
    assert view.arrived_at == ok.replace(microsecond=view.arrived_at.microsecond if view.arrived_at else 0)


def test_demo_inspections_have_real_arrival_times(tmp_path: Path) -> None:
    from inspect_app.models.store import open_store
    from inspect_app.rules.china_time import CHINA_TZ
    from inspect_app.services.demo import load_demo

    store = open_store(tmp_path / "demo")
    try:
        with store.transaction() as s:
            load_demo(s)
        with store.reader() as s:
            done = list(s.scalars(select(Inspection).where(Inspection.status == "done")))
            assert done
            for insp in done:
                assert insp.arrived_at is not None and insp.visited_on is not None
                local = insp.arrived_at.astimezone(CHINA_TZ)
                assert local.date() == insp.visited_on and 8 <= local.hour <= 10
    finally:
        store.close()


def test_china_time_whatever_the_laptop_zone() -> None:
    from inspect_app.rules.china_time import format_china

    moment = dt.datetime(2021, 10, 26, 1, 30, tzinfo=dt.UTC)
    assert format_china(moment) == "2021-10-26 09:30"
    assert format_china(moment.replace(tzinfo=None)) == "2021-10-26 09:30"  # naive = stored UTC
    assert format_china(None) == ""


# --- item 13: editing equipment ---------------------------------------------------------------------------------------


def test_edit_equipment_and_refuse_bad_values(store: Store) -> None:
    case = make_case(store, finish=False)
    eq_id = case.equipment_ids[0]
    with store.reader() as s:
        version = enterprises.list_equipment(s, enterprise_id=case.enterprise_id)[0].version
    with store.transaction() as s:
        view = enterprises.update_equipment(s, eq_id, expected_version=version, name="2号水泥磨", capacity="25.5",
                                            quantity=3, model="Φ2.4×7m")
    assert (view.name, str(view.capacity), view.quantity, view.model) == ("2号水泥磨", "25.5", 3, "Φ2.4×7m")
    with pytest.raises(UserError) as exc, store.transaction() as s:
        enterprises.update_equipment(s, eq_id, expected_version=version, name="x")
    assert exc.value.code == "E_STALE"
    with pytest.raises(UserError) as exc, store.transaction() as s:
        enterprises.update_equipment(s, eq_id, capacity="")
    # An empty value says what to enter, not "产能必须是正数：" with nothing after the colon (item 11).
    assert exc.value.code == "E_CAPACITY_REQUIRED" and str(exc.value.text) == "请填写产能（正数，如 40）"
    assert _events(store, "equipment.update")[-1].detail["changed"] == ["capacity", "model", "name", "quantity"]
