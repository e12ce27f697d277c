"""A pass means something (issue 11 part 2), on a real store with real photos and real signed PDFs read back:
serious doubts block a pass until explained on the photo (printed beside it, with who and when in Beijing time),
a fail or recheck needs its reasons (and a recheck its deadline), every team member signs or is 未签 with a
reason, and the enterprise's 无异议 is printed only when its representative signed and agreed."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from inspect_app.errors import UserError
from inspect_app.models import AcceptanceOpinion, Photo
from inspect_app.models.audit import AuditEvent
from inspect_app.models.store import Store
from inspect_app.services import identity, opinions, photos
from inspect_app.services.opinions import HandSignature, SignOff
from tests.opinion_case import PASS, SITE, TODAY, UNSIGNED_REASON, Case, add_photo, make_case, signoff_for
from tests.pdf_fixtures import write_signature_png
from tests.tools import require

SERIOUS = ("far_from_site", "duplicate_other_enterprise", "stage_order", "before_case")


@pytest.fixture
def signer(store: Store) -> Store:
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局",
                                    passphrase=PASS)
    return store


def issue(store: Store, case: Case, out: Path, conclusion: str = "pass", **kw: Any) -> opinions.OpinionView:
    kw.setdefault("signoff", signoff_for(store, case.inspection_id, conclusion))
    return opinions.issue_opinion(store, inspection_id=case.inspection_id, conclusion=conclusion, passphrase=PASS,
                                  out_path=out, today=TODAY, **kw)


def codes(exc: pytest.ExceptionInfo[UserError]) -> list[str]:
    return [b["code"] for b in exc.value.details["blockers"]]


def flat_text(pdf: Path) -> str:
    """The document's text without white space and without the page numbers (a paragraph may cross a page)."""
    require("pdftotext")
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.replace("\f", "\n").splitlines() if not re.fullmatch(r"[\s—–-]*\d{1,3}[\s—–-]*", line)]
    return "".join("".join(lines).split())


def photo_ids(store: Store, case: Case) -> list[str]:
    with store.reader() as s:
        return list(s.scalars(select(Photo.id).where(Photo.inspection_id == case.inspection_id)
                              .order_by(Photo.original_name)))


def open_codes(store: Store, case: Case) -> dict[str, list[str]]:
    with store.reader() as s:
        rows = s.scalars(select(Photo).where(Photo.inspection_id == case.inspection_id)).all()
        return {r.id: [f["code"] for f in r.flags or [] if not f.get("ack_reason")] for r in rows}


# --- serious doubts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", SERIOUS)
def test_each_serious_doubt_blocks_a_pass_despite_a_blanket_acknowledgement(
        signer: Store, tmp_path: Path, code: str) -> None:
    case = make_case(signer, flags=[{"code": code, "message": f"疑点 {code}", "severity": "serious"}])
    out = tmp_path / "x.pdf"
    with pytest.raises(UserError) as exc:
        issue(signer, case, out, acknowledge="已现场核对，均无问题")
    assert codes(exc) == ["E_SERIOUS_DOUBT"] and f"疑点 {code}" in exc.value.message
    assert not out.exists()
    # a fail may still be issued over it (the doubts support it), with the one-line acknowledgement
    view = issue(signer, case, out, "fail", acknowledge="照片存疑，另行核查")
    assert view.conclusion.value == "fail"


def test_missing_stage_blocks_a_pass(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer, stages=("before", "after"))
    with pytest.raises(UserError) as exc:
        issue(signer, case, tmp_path / "x.pdf", acknowledge="一切正常")
    assert "E_EVIDENCE_MISSING" in codes(exc)


def test_far_photo_computed_blocks_until_explained_and_the_reason_prints_beside_it(
        signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    first = photo_ids(signer, case)[0]
    with signer.transaction() as s:
        row = s.get(Photo, first)
        assert row is not None
        row.lat = SITE[0] + 0.5  # ~55 km north of the site
        s.flush()
        photos.refresh_flags(s, case.inspection_id)
    assert "far_from_site" in open_codes(signer, case)[first]
    with pytest.raises(UserError) as exc:
        issue(signer, case, tmp_path / "x.pdf", acknowledge="已核对")
    assert "E_SERIOUS_DOUBT" in codes(exc)

    # refusals change nothing
    with signer.transaction() as s:
        with pytest.raises(UserError) as err:
            photos.explain_flag(s, first, "far_from_site", reason="   ", by="王建国")
        assert err.value.code == "E_REASON_REQUIRED"
        with pytest.raises(UserError) as err:
            photos.explain_flag(s, first, "no_such_doubt", reason="x", by="王建国")
        assert err.value.code == "E_FLAG_NOT_FOUND"
    assert "far_from_site" in open_codes(signer, case)[first]

    at = dt.datetime(2021, 10, 26, 23, 40, tzinfo=dt.UTC)  # 27 October 07:40 in Beijing
    # who: the signing identity's name, not the login user the store runs under
    signer_name = identity.show_identity(signer).common_name
    assert signer_name != signer.actor
    view = photos.explain_flag_as_signer(signer, first, "far_from_site", reason="设备拆除后运往县回收站，现场拍摄运输车辆",
                                         now=at)
    (flag,) = [f for f in view.flags if f.code == "far_from_site"]
    assert (flag.ack_by, flag.ack_at) == (signer_name, at) and flag.serious
    with signer.reader() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "photo.flag_explain")).one()
        assert event.entity_id == first and "运往县回收站" in event.change
    # recomputing the flags keeps the explanation while the doubt stands
    with signer.transaction() as s:
        photos.refresh_flags(s, case.inspection_id)
    assert "far_from_site" not in open_codes(signer, case)[first]

    out = tmp_path / "pass.pdf"
    issue(signer, case, out, acknowledge="其余疑点已核对")
    text = flat_text(out)
    assert "说明：" in text and f"设备拆除后运往县回收站，现场拍摄运输车辆（{signer_name}，2021年10月27日07:40北京时间）" in text


def test_an_explanation_needs_a_signing_identity(store: Store, tmp_path: Path) -> None:
    case = make_case(store)
    first = photo_ids(store, case)[0]
    with pytest.raises(UserError) as exc:
        photos.explain_flag_as_signer(store, first, "far_from_site", reason="设备已运往回收站")
    assert exc.value.code == "E_NO_IDENTITY"


def test_photo_used_for_another_enterprise_blocks_a_pass(signer: Store, tmp_path: Path) -> None:
    case, other = make_case(signer), make_case(signer)
    sha = add_photo(signer, case.inspection_id, case.equipment_ids[0], "after", 424242)
    with signer.transaction() as s:  # the other enterprise's after-photo is the very same file
        theirs = s.scalars(select(Photo).where(Photo.inspection_id == other.inspection_id,
                                               Photo.stage == "after")).one()
        theirs.sha256 = sha
        s.flush()
        photos.refresh_flags(s, case.inspection_id)
    assert any("duplicate_other_enterprise" in c for c in open_codes(signer, case).values())
    with pytest.raises(UserError) as exc:
        issue(signer, case, tmp_path / "x.pdf", acknowledge="已核对")
    assert "E_SERIOUS_DOUBT" in codes(exc)


def test_lesser_doubts_keep_the_blanket_acknowledgement(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer, flags=[{"code": "no_time", "message": "照片没有拍摄时间", "severity": "warning"}])
    with pytest.raises(UserError) as exc:
        issue(signer, case, tmp_path / "x.pdf")
    assert codes(exc) == ["E_PHOTO_FLAGS"]
    assert issue(signer, case, tmp_path / "x.pdf", acknowledge="相机时间未设置，现场核对无误").conclusion.value == "pass"


# --- fail and recheck -------------------------------------------------------------------------------------------


def test_fail_needs_its_reasons_and_prints_them(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)  # every checklist item answered yes: nothing to name by itself
    out = tmp_path / "fail.pdf"
    bare = signoff_for(signer, case.inspection_id, "fail", reasons=())
    with pytest.raises(UserError) as exc:
        issue(signer, case, out, "fail", signoff=bare)
    assert codes(exc) == ["E_REASONS_REQUIRED"] and not out.exists()
    view = issue(signer, case, out, "fail", signoff=signoff_for(
        signer, case.inspection_id, "fail", reasons=("主体设备未拆除，仅断电停用", "未向社会公开承诺")))
    assert view.reasons == ["主体设备未拆除，仅断电停用", "未向社会公开承诺"] and view.recheck_by is None
    text = flat_text(out)
    assert "不予通过验收的理由：一是主体设备未拆除，仅断电停用；二是未向社会公开承诺。" in text


def test_fail_names_the_checklist_items_still_lacking(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer, checklist={"dismantled": {"result": "no", "note": "仅拆除电机"},
                                        "not_relocated": {"result": "yes"}, "water_cut": {"result": "yes"}})
    out = tmp_path / "fail.pdf"
    issue(signer, case, out, "fail", signoff=signoff_for(signer, case.inspection_id, "fail", reasons=()))
    with signer.reader() as s:
        body = s.scalars(select(AcceptanceOpinion.body)).one()
    assert "不予通过验收" in body and "主体设备" in body


def test_sealed_exit_needs_its_dismantling_deadline_and_names_the_stages_for_sealing(
        signer: Store, tmp_path: Path) -> None:
    case = make_case(signer, method="seal")
    out = tmp_path / "sealed.pdf"
    for deadline in (None, TODAY):
        with pytest.raises(UserError) as exc:
            issue(signer, case, out, signoff=signoff_for(signer, case.inspection_id, dismantle_by=deadline))
        assert codes(exc) == ["E_DISMANTLE_DEADLINE"] and not out.exists()
    view = issue(signer, case, out, signoff=signoff_for(signer, case.inspection_id,
                                                        dismantle_by=dt.date(2022, 3, 31)))
    assert view.dismantle_by == dt.date(2022, 3, 31)
    with signer.reader() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "opinion.issue")).one()
        assert "2022-03-31" in event.change
    text = flat_text(out)
    assert "限时拆除：Φ2.2×6.5m水泥磨1号已封存，企业应于2022年3月31日前拆除主体设备（生产线）" in text
    assert "封存主体设备" in text and "限时拆除。" in text  # the exit method's own words
    # the annex names the stages for sealing: nothing is dismantled yet
    assert "附件：影像资料（封存前、中、后共3张）" in text
    for heading in ("一、封存前（1张）", "二、封存中（1张）", "三、封存后（1张）"):
        assert heading in text
    assert "拆除前（" not in text and "拆除后（" not in text
    assert "水泥磨1号封存前" in text  # the default caption of a photo of the sealed equipment


def test_blockers_name_a_sealed_photo_by_its_sealing_stage(signer: Store) -> None:
    doubt = [{"code": "far_from_site", "message": "拍摄地点距厂址 55 公里", "severity": "serious"}]
    sealed = make_case(signer, method="seal", flags=doubt)
    dismantled = make_case(signer, flags=doubt)
    said = [b.message for b in opinions.check_opinion(signer, sealed.inspection_id).blockers
            if b.code == "E_SERIOUS_DOUBT"]
    assert len(said) == 1 and "（封存前）" in said[0], said
    said = [b.message for b in opinions.check_opinion(signer, dismantled.inspection_id).blockers
            if b.code == "E_SERIOUS_DOUBT"]
    assert len(said) == 1 and "（拆除前）" in said[0], said
    # a missing stage is named for sealing too
    without_after = make_case(signer, method="seal", stages=("before", "during"))
    said = [b.message for b in opinions.check_opinion(signer, without_after.inspection_id).blockers
            if b.code == "E_EVIDENCE_MISSING"]
    assert len(said) == 1 and "缺少封存后照片" in said[0], said


def test_a_dismantled_exit_needs_no_dismantling_deadline(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    out = tmp_path / "dismantled.pdf"
    view = issue(signer, case, out)
    assert view.dismantle_by is None
    text = flat_text(out)
    assert "限时拆除：" not in text and "一、拆除前（1张）" in text and "附件：影像资料（拆除前、中、后共3张）" in text


def test_recheck_needs_a_deadline_after_the_issue_date_and_prints_it(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    out = tmp_path / "recheck.pdf"
    for deadline in (None, TODAY):
        with pytest.raises(UserError) as exc:
            issue(signer, case, out, "recheck",
                  signoff=signoff_for(signer, case.inspection_id, "recheck", recheck_by=deadline))
        assert codes(exc) == ["E_RECHECK_DEADLINE"]
    view = issue(signer, case, out, "recheck", signoff=signoff_for(
        signer, case.inspection_id, "recheck", recheck_by=dt.date(2021, 11, 30)))
    assert view.recheck_by == dt.date(2021, 11, 30)
    text = flat_text(out)
    assert "须整改的问题：主体设备未拆除，仅断电停用。" in text and "整改期限：请企业于2021年11月30日前完成整改。" in text


# --- signatures -------------------------------------------------------------------------------------------------


def test_each_member_signs_or_is_unsigned_with_a_reason(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    out = tmp_path / "x.pdf"
    with pytest.raises(UserError) as exc:
        issue(signer, case, out, signoff=SignOff(unsigned={"王建国": UNSIGNED_REASON}))
    assert codes(exc) == ["E_TEAM_UNSIGNED"] and "李红梅" in exc.value.message
    sig = HandSignature(write_signature_png(tmp_path / "sig.png", 1).read_bytes(), [[[0, 0], [10, 5]]])
    issue(signer, case, out, signoff=SignOff(unsigned={"李红梅": "因病未到场"}), signatures={"王建国": sig})
    text = flat_text(out)
    assert "未签（因病未到场）" in text and "王建国" in text
    with signer.reader() as s:
        team = s.scalars(select(AcceptanceOpinion.team)).one()
    assert team[0]["signature_sha256"] and team[1]["unsigned_reason"] == "因病未到场"


def test_no_objection_only_when_the_representative_signed_and_agreed(signer: Store, tmp_path: Path) -> None:
    rep_sig = HandSignature(write_signature_png(tmp_path / "rep.png", 2).read_bytes(), [[[0, 0], [10, 5]]])
    agreed_unsigned, agreed_signed, objected = (make_case(signer) for _ in range(3))
    issue(signer, agreed_unsigned, tmp_path / "a.pdf", representative="赵长海:总经理",
          signoff=signoff_for(signer, agreed_unsigned.inspection_id, representative_agrees=True))
    issue(signer, agreed_signed, tmp_path / "b.pdf", representative="赵长海:总经理",
          signatures={opinions.REPRESENTATIVE_KEY: rep_sig},
          signoff=signoff_for(signer, agreed_signed.inspection_id, representative_agrees=True))
    issue(signer, objected, tmp_path / "c.pdf", representative="赵长海:总经理",
          signatures={opinions.REPRESENTATIVE_KEY: rep_sig},
          signoff=signoff_for(signer, objected.inspection_id, representative_opinion="对拆除时间有异议"))
    a, b, c = (flat_text(tmp_path / n) for n in ("a.pdf", "b.pdf", "c.pdf"))
    assert "无异议" not in a and "企业意见：＿" in a
    assert "本企业对上述核查情况无异议" in b
    assert "无异议" not in c.replace("有异议", "") and "企业意见：对拆除时间有异议" in c


def test_a_representative_who_does_not_sign_is_printed_unsigned_with_why(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    out = tmp_path / "refused.pdf"
    view = issue(signer, case, out, representative="赵长海:总经理", signoff=signoff_for(
        signer, case.inspection_id, representative_unsigned="拒绝签字", representative_opinion="对核查结论有异议"))
    assert view.representative["unsigned_reason"] == "拒绝签字"
    text = flat_text(out)
    assert "未签（拒绝签字）" in text and "企业意见：对核查结论有异议" in text
    # printed in red, as the members' 未签
    import pdfplumber

    with pdfplumber.open(out) as pdf:
        reds = "".join(ch["text"] for page in pdf.pages for ch in page.chars
                       if tuple(ch.get("non_stroking_color") or ()) == (0.85, 0.0, 0.0))
    assert "未签（拒绝签字）" in reds


# --- dates ------------------------------------------------------------------------------------------------------


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the process's time zone (what ``date.today()`` follows), restored afterwards."""
    import time

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_documents_are_dated_in_china_whatever_the_machine_zone(signer: Store, tmp_path: Path,
                                                                machine_zone: Any) -> None:
    from inspect_app.cli import today as cli_today
    from inspect_app.rules.opinion_wording import china_today

    china = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    differs = []
    # UTC-12 and UTC+14 never both agree with UTC+8 on the date: at any moment one of them is a day off
    for zone in ("Etc/GMT+12", "Etc/GMT-14"):
        machine_zone(zone)
        assert china_today() == china and cli_today() == china
        if dt.date.today() != china:
            differs.append(zone)
    assert differs  # the test ran where the machine's own date was wrong for China
    machine_zone(differs[0])
    case = make_case(signer)
    view = opinions.issue_opinion(signer, inspection_id=case.inspection_id, conclusion="pass", passphrase=PASS,
                                  out_path=tmp_path / "x.pdf", signoff=signoff_for(signer, case.inspection_id))
    assert view.issued_on == china
    assert f"{china.year}年{china.month}月{china.day}日" in flat_text(tmp_path / "x.pdf")
