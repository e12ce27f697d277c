"""Acceptance opinions through the service: real store on disk, real photos in the blob store, real PDFs
parsed back (pdftotext, pdfsig, zbarimg), refusals that change nothing, numbering, supersede, tampering."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy import func, select

from inspect_app import crypto
from inspect_app.errors import UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models import AcceptanceOpinion, Equipment, Inspection, Photo
from inspect_app.models.audit import record_event
from inspect_app.models.store import Store, open_store
from inspect_app.reports.qr import parse_qr_payload, verify_qr_payload
from inspect_app.services import identity, opinions
from inspect_app.services.audit import verify_audit
from tests.opinion_case import PASS, TODAY, Case, add_photo, make_case, signoff_for
from tests.pdf_fixtures import scan_qr
from tests.tools import POPPLER, ZBAR, require


def counts(store: Store) -> tuple[int, int]:
    with store.reader() as s:
        return (s.scalar(select(func.count()).select_from(AcceptanceOpinion)) or 0,
                s.scalar(select(func.count()).select_from(Photo)) or 0)


@pytest.fixture
def signer(store: Store) -> Store:
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局",
                                    passphrase=PASS)
    return store


def issue(store: Store, case: Case, out: Path, **kw: Any) -> opinions.OpinionView:
    kw.setdefault("conclusion", "pass")
    kw.setdefault("passphrase", PASS)
    kw.setdefault("today", TODAY)
    kw.setdefault("signoff", signoff_for(store, case.inspection_id, str(kw["conclusion"])))
    return opinions.issue_opinion(store, inspection_id=case.inspection_id, out_path=out, **kw)


def pdftext(path: Path) -> str:
    require(*POPPLER)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def codes(exc: pytest.ExceptionInfo[UserError]) -> list[str]:
    return [b["code"] for b in exc.value.details["blockers"]]


# --- identity ----------------------------------------------------------------------------------------------------


def test_identity_create_records_device_row_and_refuses_second(store: Store) -> None:
    view = identity.create_device_identity(store, common_name="王建国", organisation="郑州市工信局",
                                           passphrase=PASS)
    assert view.self_signed and view.common_name == "王建国" and len(view.fingerprint) == 16
    from inspect_app.models import Device

    with store.reader() as s:
        dev = s.scalars(select(Device).where(Device.is_self.is_(True))).one()
        assert dev.public_key_fingerprint == view.fingerprint
        assert dev.certificate_pem == view.certificate_pem and "BEGIN CERTIFICATE" in dev.certificate_pem
        assert dev.organisation == "郑州市工信局"
        assert verify_audit(s).ok
    assert identity.show_identity(store).fingerprint == view.fingerprint
    with pytest.raises(UserError) as exc:
        identity.create_device_identity(store, common_name="x", organisation="y", passphrase=PASS)
    assert exc.value.code == "E_IDENTITY_EXISTS"
    with pytest.raises(UserError) as exc:
        identity.export_request(store, "wrong")
    assert exc.value.code == "E_PASSPHRASE"
    # this device's own certificate is trusted for verification
    trusted = identity.trusted_certificates(store)
    assert [c.subject.rfc4514_string() for c in trusted] == [view.certificate.subject]


def test_ca_import_updates_device_row_and_trust(store: Store, tmp_path: Path) -> None:
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工信局", passphrase=PASS)
    ca = identity.create_office_ca(tmp_path / "ca", name="郑州市淘汰落后产能办公室", passphrase="ca-pass")
    csr = identity.export_request(store, PASS)
    issued = identity.issue_device_certificate(tmp_path / "ca", csr, passphrase="ca-pass")
    view = identity.import_device_certificate(store, issued, PASS)
    assert not view.self_signed and view.ca is not None and view.ca.common_name == ca.certificate.common_name
    from inspect_app.models import Device

    with store.reader() as s:
        dev = s.scalars(select(Device).where(Device.is_self.is_(True))).one()
        assert dev.certificate_pem == view.certificate_pem
    names = {c.subject.rfc4514_string() for c in identity.trusted_certificates(store)}
    assert ca.certificate.subject in names


# --- the full path -----------------------------------------------------------------------------------------------


def test_issue_full_path(signer: Store, tmp_path: Path) -> None:
    require(*POPPLER, *ZBAR)
    store = signer
    case = make_case(store)
    out = tmp_path / "意见一.pdf"
    view = issue(store, case, out)
    assert view.number == "郑淘汰落后验〔2021〕1号" and (view.year, view.serial) == (2021, 1)
    assert out.is_file() and view.pages >= 3 and view.bytes == out.stat().st_size
    pdf = out.read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == view.pdf_sha256
    stored = opinions.document_path(store, view.pdf_sha256)
    assert stored == view.stored_path and hashlib.sha256(stored.read_bytes()).hexdigest() == view.pdf_sha256
    assert not list(opinions.documents_root(store).glob(".tmp-*"))
    assert opinions.orphan_documents(store) == []

    text = pdftext(out)
    flat = text.replace(" ", "")
    assert "郑淘汰落后验〔2021〕1号" in flat
    assert case.uscc in flat and case.name in flat
    assert "验收结论：通过" in flat
    assert "王建国" in flat and "赵经理" in flat
    assert "已拆除主体设备" in flat
    sig = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True)
    assert "Signature is Valid" in sig.stdout, sig.stdout
    assert "Total document signed" in sig.stdout, sig.stdout

    payload = scan_qr(out, tmp_path)
    assert payload.startswith("IAO1|"), payload
    ident = identity.load_device_identity(store, PASS)
    fields = verify_qr_payload(payload, ident.private_key.public_key())
    assert fields.document_number == view.number and fields.uscc == case.uscc and fields.conclusion == "pass"
    assert fields.opinion_id == view.id and fields.issue_date == TODAY

    report = opinions.verify_opinion_file(store, out)
    assert report.ok, [c for c in report.checks if not c.ok]
    names = {c.name for c in report.checks}
    assert {"影像文件", "影像清单", "登记记录", "证书信任", "覆盖范围", "二维码"} <= names

    with store.reader() as s:
        row = s.get(AcceptanceOpinion, view.id)
        assert row is not None
        assert row.pdf_sha256 == view.pdf_sha256 and row.signer_fingerprint == ident.fingerprint
        assert row.signer_name == "王建国" and row.signed_at is not None
        assert len(row.evidence_sha256) == 3 and row.equipment_ids == case.equipment_ids
        assert row.checklist["dismantled"]["result"] == "yes" and row.team[0]["name"] == "王建国"
        assert row.representative == {"name": "赵经理", "title": "企业联系人", "agreed": False}
        eq = s.get(Equipment, case.equipment_ids[0])
        assert eq is not None and eq.status == "accepted"
        assert verify_audit(s).ok

    # a second inspection: the next number, no gap
    case2 = make_case(store)
    view2 = issue(store, case2, tmp_path / "意见二.pdf", representative="钱总:总经理")
    assert view2.number == "郑淘汰落后验〔2021〕2号" and view2.serial == 2
    assert "钱总" in pdftext(tmp_path / "意见二.pdf").replace(" ", "")
    with store.reader() as s:
        assert [v.number for v in opinions.list_opinions(s)] == [view.number, view2.number]
        assert opinions.get_opinion(s, view.number).id == view.id


def test_number_pattern_setting_and_year(signer: Store, tmp_path: Path) -> None:
    from inspect_app.services.settings import set_setting

    with signer.transaction() as s:
        set_setting(s, "opinion_number_pattern", "登淘汰验字〔{year}〕第{serial:03d}号")
    case = make_case(signer)
    view = issue(signer, case, tmp_path / "a.pdf", today=dt.date(2022, 1, 5))
    assert view.number == "登淘汰验字〔2022〕第001号" and view.year == 2022


def test_fail_conclusion_checklist_gaps_do_not_block_but_show(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer, checklist={"dismantled": {"result": "no", "note": "主机仍在原位"},
                                        "not_relocated": {"result": "yes", "note": ""}})
    with signer.reader() as s:
        blockers = opinions.opinion_blockers(s, case.inspection_id, acknowledge=None, conclusion="pass")
    assert [b.code for b in blockers] == ["E_CHECKLIST_GAP"] and "主体设备未拆除" in blockers[0].message
    with pytest.raises(UserError) as exc:
        issue(signer, case, tmp_path / "p.pdf")
    assert codes(exc) == ["E_CHECKLIST_GAP"]
    view = issue(signer, case, tmp_path / "f.pdf", conclusion="fail")
    flat = pdftext(tmp_path / "f.pdf").replace(" ", "")
    assert "不予通过" in flat and "主机仍在原位" in flat
    with signer.reader() as s:
        eq = s.get(Equipment, case.equipment_ids[0])
        assert eq is not None and eq.status == "dismantled"  # not accepted on fail
    assert view.conclusion_label == "不予通过"


# --- refusals change nothing -----------------------------------------------------------------------------------


def _nothing_changed(store: Store, before: tuple[int, int], out: Path) -> None:
    assert counts(store) == before
    assert not out.exists()
    assert opinions.orphan_documents(store) == []


def test_refused_missing_evidence(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer, stages=("before", "during"))
    before, out = counts(signer), tmp_path / "x.pdf"
    with pytest.raises(UserError) as exc:
        issue(signer, case, out)
    assert exc.value.code == "E_OPINION_BLOCKED" and codes(exc) == ["E_EVIDENCE_MISSING"]
    assert "拆除后" in exc.value.details["blockers"][0]["message"]
    _nothing_changed(signer, before, out)
    # the number is not consumed: once the photo is there, the opinion gets 1号
    add_photo(signer, case.inspection_id, case.equipment_ids[0], "after", 999_001)
    assert issue(signer, case, out).serial == 1


def test_photos_per_stage_setting(signer: Store, tmp_path: Path) -> None:
    from inspect_app.services.settings import set_setting

    with signer.transaction() as s:
        set_setting(s, "photos_per_stage", 2)
    case = make_case(signer)
    with signer.reader() as s:
        blockers = opinions.opinion_blockers(s, case.inspection_id, acknowledge=None)
    assert [b.code for b in blockers] == ["E_EVIDENCE_MISSING"] * 3
    assert "只有 1 张" in blockers[0].message


def test_open_flags_need_acknowledgement(signer: Store, tmp_path: Path) -> None:
    flag = {"code": "no_time", "message": "照片没有拍摄时间（EXIF 中无记录），无法确认何时拍摄", "severity": "warning"}
    acked = {"code": "no_gps", "message": "照片没有 GPS 位置信息", "severity": "info", "ack_reason": "室内拍摄"}
    case = make_case(signer, flags=[flag, acked])
    before, out = counts(signer), tmp_path / "x.pdf"
    for ack in (None, "   "):
        with pytest.raises(UserError) as exc:
            issue(signer, case, out, acknowledge=ack)
        assert codes(exc) == ["E_PHOTO_FLAGS"]
        assert "没有拍摄时间" in exc.value.message and "GPS" not in exc.value.message
        _nothing_changed(signer, before, out)
    view = issue(signer, case, out, acknowledge="相机时间未设置，现场核对无误")
    assert view.acknowledgement == "相机时间未设置，现场核对无误"
    with signer.reader() as s:
        row = s.get(AcceptanceOpinion, view.id)
        assert row is not None and row.acknowledgement == "相机时间未设置，现场核对无误"
    flat = pdftext(out).replace(" ", "").replace("\n", "")
    assert "没有拍摄时间" in flat
    assert "验收组说明如下：相机时间未设置，现场核对无误。" in flat


def test_refused_inspection_not_done_and_no_team(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer, finish=False, team=[])
    before, out = counts(signer), tmp_path / "x.pdf"
    with pytest.raises(UserError) as exc:
        issue(signer, case, out)
    assert codes(exc) == ["E_INSPECTION_NOT_DONE", "E_NO_TEAM"]
    assert exc.value.message.count("\n") == 2  # every reason on its own line
    _nothing_changed(signer, before, out)


def test_refused_wrong_passphrase_and_no_identity(store: Store, tmp_path: Path) -> None:
    case = make_case(store)
    before, out = counts(store), tmp_path / "x.pdf"
    with pytest.raises(UserError) as exc:
        issue(store, case, out)
    assert exc.value.code == "E_NO_IDENTITY"
    identity.create_device_identity(store, common_name="王建国", organisation="工信局", passphrase=PASS)
    with pytest.raises(UserError) as exc:
        issue(store, case, out, passphrase="not the passphrase")
    assert exc.value.code == "E_PASSPHRASE"
    _nothing_changed(store, before, out)


def test_refused_expired_certificate(signer: Store, tmp_path: Path) -> None:
    ca = crypto.create_ca(tmp_path / "ca", name="郑州市淘汰办", passphrase="ca-pass")
    csr = identity.export_request(signer, PASS)
    expired = crypto.issue_certificate(ca, csr, days=30,
                                       valid_from=dt.datetime.now(dt.UTC) - dt.timedelta(days=400))
    identity.import_device_certificate(signer, expired, PASS, ca_pem=ca.certificate_pem)
    assert identity.show_identity(signer).certificate.expired
    case = make_case(signer)
    before, out = counts(signer), tmp_path / "x.pdf"
    with pytest.raises(UserError) as exc:
        issue(signer, case, out)
    assert exc.value.code == "E_CERT_EXPIRED"
    _nothing_changed(signer, before, out)


def test_refused_existing_opinion_and_existing_out(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    first = issue(signer, case, tmp_path / "1.pdf")
    before = counts(signer)
    out = tmp_path / "2.pdf"
    with pytest.raises(UserError) as exc:
        issue(signer, case, out)
    assert codes(exc) == ["E_OPINION_EXISTS"] and first.number in exc.value.message
    _nothing_changed(signer, before, out)
    other = make_case(signer)
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(b"not mine")
    before = counts(signer)
    with pytest.raises(UserError) as exc:
        issue(signer, other, taken)
    assert exc.value.code == "E_FILE_EXISTS" and taken.read_bytes() == b"not mine"
    assert counts(signer) == before
    assert issue(signer, other, tmp_path / "3.pdf").serial == 2  # no number consumed by the refusals


def test_failed_commit_leaves_no_out_file_and_no_number(signer: Store, tmp_path: Path) -> None:
    """Another device's opinion with the same number arrives between check and insert (unique index)."""
    case = make_case(signer)
    other = make_case(signer)
    out = tmp_path / "x.pdf"
    # Simulate: a synced opinion of another device already holds the number of 2021 serial 1 under a
    # different (year, serial) pair, so the unique number column refuses the insert at flush.
    with signer.transaction() as s:
        insp = s.get(Inspection, other.inspection_id)
        assert insp is not None
        row = AcceptanceOpinion(inspection_id=insp.id, year=2020, serial=99, number="郑淘汰落后验〔2021〕1号",
                                conclusion="fail", issued_on=dt.date(2020, 12, 1))
        s.add(row)
        s.flush()
        record_event(s, action="opinion.sync", entity=row)
    before = counts(signer)
    with pytest.raises(Exception):  # noqa: B017 - an IntegrityError from the database
        issue(signer, case, out)
    assert counts(signer) == before and not out.exists()
    assert len(opinions.orphan_documents(signer)) == 1  # the signed PDF is kept as an orphan, reported


# --- supersede -----------------------------------------------------------------------------------------------


def test_supersede(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    first = issue(signer, case, tmp_path / "1.pdf", conclusion="recheck")
    second = issue(signer, case, tmp_path / "2.pdf", supersedes=first.id,
                   body="经复核，该企业主体设备已全部拆除。\n同意通过验收。")
    assert second.supersedes_id == first.id and second.serial == 2
    with signer.reader() as s:
        listed = {v.id: v for v in opinions.list_opinions(s, blob_root=signer.blob_root)}
    assert set(listed) == {first.id, second.id}
    assert listed[first.id].superseded and listed[first.id].superseded_by_id == second.id
    assert not listed[second.id].superseded
    assert second.body == "经复核，该企业主体设备已全部拆除。\n同意通过验收。"
    # the first file is untouched and still verifies, with a note that it is replaced
    report = opinions.verify_opinion_file(signer, tmp_path / "1.pdf")
    assert report.ok and any("更正替代" in c.detail for c in report.checks)
    with pytest.raises(UserError) as exc:
        issue(signer, case, tmp_path / "3.pdf", supersedes=first.id)
    assert "E_OPINION_SUPERSEDED" in codes(exc)
    third = issue(signer, case, tmp_path / "3.pdf", supersedes=second.id)
    assert third.serial == 3
    assert "经复核，该企业主体设备已全部拆除。" in pdftext(tmp_path / "2.pdf").replace(" ", "")


# --- tampering -----------------------------------------------------------------------------------------------


@pytest.fixture
def issued(signer: Store, tmp_path: Path) -> tuple[Store, Path, opinions.OpinionView]:
    case = make_case(signer)
    out = tmp_path / "signed.pdf"
    return signer, out, issue(signer, case, out)


def _failed(report: crypto.VerificationReport) -> set[str]:
    return {c.name for c in report.checks if not c.ok}


def test_tamper_flip_byte(issued: tuple[Store, Path, opinions.OpinionView], tmp_path: Path) -> None:
    store, out, view = issued
    data = bytearray(out.read_bytes())
    image = BlobStore(store.blob_root).derived_path("report", view.evidence_sha256[0]).read_bytes()
    at = data.find(image[:4000]) + 3000  # inside an embedded photo: the file still parses
    assert at > 3000
    data[at] ^= 0x01
    bad = tmp_path / "flip.pdf"
    bad.write_bytes(bytes(data))
    report = opinions.verify_opinion_file(store, bad)
    assert not report.ok and "签名完整性" in _failed(report)


def _append_update(out: Path, bad: Path, change: Any) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(out.read_bytes()))
    change(writer)
    buf = io.BytesIO()
    writer.write(buf)
    bad.write_bytes(buf.getvalue())


def test_tamper_incremental_update(issued: tuple[Store, Path, opinions.OpinionView], tmp_path: Path) -> None:
    store, out, _ = issued

    def change(writer: IncrementalPdfFileWriter) -> None:
        writer.root["/Lang"] = generic.TextStringObject("en")
        writer.update_root()

    _append_update(out, tmp_path / "incr.pdf", change)
    report = opinions.verify_opinion_file(store, tmp_path / "incr.pdf")
    assert not report.ok and {"覆盖范围", "登记记录"} <= _failed(report)


def test_tamper_added_page(issued: tuple[Store, Path, opinions.OpinionView], tmp_path: Path) -> None:
    store, out, _ = issued
    page = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
        generic.NameObject("/Resources"): generic.DictionaryObject(),
    })
    _append_update(out, tmp_path / "page.pdf", lambda w: w.insert_page(page))
    report = opinions.verify_opinion_file(store, tmp_path / "page.pdf")
    assert not report.ok and "覆盖范围" in _failed(report)


def test_missing_photo_blob_is_reported(issued: tuple[Store, Path, opinions.OpinionView]) -> None:
    store, out, view = issued
    assert opinions.verify_opinion_file(store, out).ok
    victim = BlobStore(store.blob_root).path(view.evidence_sha256[0])
    victim.chmod(0o644)
    victim.unlink()
    report = opinions.verify_opinion_file(store, out)
    assert not report.ok and _failed(report) == {"影像文件"}
    assert view.evidence_sha256[0][:16] in report.verdict
    # without the store only the document itself is checked
    assert opinions.verify_opinion_file(None, out, extra_trusted=identity.trusted_certificates(store)).ok


def test_untrusted_signer_fails_trust(issued: tuple[Store, Path, opinions.OpinionView], tmp_path: Path) -> None:
    _, out, _ = issued
    with open_store(tmp_path / "elsewhere") as other:
        report = opinions.verify_opinion_file(other, out)
    assert not report.ok and "证书信任" in _failed(report)


# --- performance (reported, not asserted) ------------------------------------------------------------------------


def test_24_photo_opinion_size_and_time(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer, photos_per_stage=8, photo_size=(1600, 1200))
    t0 = time.perf_counter()
    view = issue(signer, case, tmp_path / "24.pdf")
    elapsed = time.perf_counter() - t0
    size = (tmp_path / "24.pdf").stat().st_size
    print(f"\n24-photo opinion through issue_opinion: {elapsed:.2f} s, {size / 1e6:.2f} MB")
    assert len(view.evidence_sha256) == 24
    assert size < 8_000_000
    flat = pdftext(tmp_path / "24.pdf").replace(" ", "")
    assert "拆除后（8张）" in flat
    report = opinions.verify_opinion_file(signer, tmp_path / "24.pdf")
    assert report.ok
    assert parse_qr_payload(report.qr_payload or "").fields.document_number == view.number


def test_two_issuers_at_once_get_consecutive_numbers(signer: Store, tmp_path: Path) -> None:
    """Two issues racing on one store: the write transaction serialises them; numbers 1 and 2, no gap."""
    import threading

    cases = [make_case(signer), make_case(signer)]
    results: list[opinions.OpinionView] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(i: int) -> None:
        start.wait()
        try:
            results.append(issue(signer, cases[i], tmp_path / f"{i}.pdf"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(v.serial for v in results) == [1, 2]
    assert len({v.number for v in results}) == 2


def test_pass_moves_dismantling_equipment_through_dismantled(signer: Store, tmp_path: Path) -> None:
    case = make_case(signer)
    with signer.transaction() as s:
        eq = s.get(Equipment, case.equipment_ids[0])
        assert eq is not None
        eq.status = "dismantling"  # as left by an older workflow: the checklist says it is gone
        record_event(s, action="equipment.status", entity=eq)
    view = issue(signer, case, tmp_path / "a.pdf")
    assert view.moved_equipment == case.equipment_ids
    with signer.reader() as s:
        eq = s.get(Equipment, case.equipment_ids[0])
        assert eq is not None and eq.status == "accepted"


def _signature_png(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [(10 + i * 28, 50 + ((i * seed) % 5 - 2) * 12) for i in range(10)]
    draw.line(points, fill=(20, 40, 120, 255), width=4)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def test_handwritten_signatures_are_kept_and_drawn(signer: Store, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from inspect_app.evidence.blobstore import BlobStore

    store = signer
    case = make_case(store)
    strokes = [[(0.1, 0.5, 0.6, 0), (0.9, 0.5, 0.6, 120)]]
    sigs = {"王建国": opinions.HandSignature(_signature_png(3), strokes),
            opinions.REPRESENTATIVE_KEY: opinions.HandSignature(_signature_png(7), strokes)}
    plain = issue(store, case, tmp_path / "unsigned.pdf")
    case2 = make_case(store)
    view = issue(store, case2, tmp_path / "signed.pdf", signatures=sigs)
    blobs = BlobStore(store.blob_root)
    member = next(m for m in view.team if m["name"] == "王建国")
    assert blobs.verify(member["signature_sha256"]) and member["signature_strokes"] == [[list(p) for p in strokes[0]]]
    assert blobs.verify(view.representative["signature_sha256"])

    def images(path: Path) -> int:
        return sum(len(page.images) for page in PdfReader(str(path)).pages)

    assert images(tmp_path / "signed.pdf") == images(tmp_path / "unsigned.pdf") + 2
    assert plain.team[0].get("signature_sha256") is None
    with pytest.raises(UserError) as err:
        issue(store, make_case(store), tmp_path / "bad.pdf",
              signatures={"不在组内的人": opinions.HandSignature(_signature_png(1))})
    assert err.value.code == "E_SIGNATURE_INVALID"


# --- preview -----------------------------------------------------------------------------------------------------


def _pdf_bytes_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / f"preview-{hashlib.sha256(pdf).hexdigest()[:8]}.pdf"
    path.write_bytes(pdf)
    # content-stream order (-raw): the diagonal watermark, drawn last, does not split the lines it crosses
    require(*POPPLER)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(raw.split())


def _audit_count(store: Store) -> int:
    from inspect_app.models.audit import AuditEvent

    with store.reader() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _blob_files(store: Store) -> set[Path]:
    return {p for p in store.blob_root.rglob("*") if p.is_file()}


def test_preview_is_unsigned_takes_no_number_and_writes_nothing(signer: Store, tmp_path: Path) -> None:
    store = signer
    case = make_case(store)
    before_counts, before_audit, before_blobs = counts(store), _audit_count(store), _blob_files(store)
    sigs = {"王建国": opinions.HandSignature(_signature_png(3), [[(0.1, 0.5, 0.6, 0)]])}
    pdf = opinions.preview_opinion_pdf(store, inspection_id=case.inspection_id, conclusion="pass", today=TODAY,
                                       signatures=sigs)
    assert pdf.startswith(b"%PDF")
    text = _pdf_bytes_text(pdf, tmp_path)
    assert case.name in text and "预览" in text and "未签发" in text
    assert "郑淘汰落后验〔2021〕（预览）号" in text
    assert "验收结论：通过" in text
    assert crypto is not None and b"/ByteRange" not in pdf  # unsigned
    assert counts(store) == before_counts and _audit_count(store) == before_audit
    assert _blob_files(store) == before_blobs  # the signature PNG went to a temp folder, not the blob store
    fail = _pdf_bytes_text(opinions.preview_opinion_pdf(store, inspection_id=case.inspection_id, conclusion="fail",
                                                        today=TODAY), tmp_path)
    assert "不予通过" in fail
    view = issue(store, case, tmp_path / "real.pdf")
    assert view.serial == 1 and view.number == "郑淘汰落后验〔2021〕1号"


def test_preview_of_unfinished_inspection_without_photos(store: Store, tmp_path: Path) -> None:
    case = make_case(store, finish=False, stages=())
    with store.reader() as s:
        assert opinions.opinion_blockers(s, case.inspection_id, acknowledge=None)  # blocked, yet previewable
    pdf = opinions.preview_opinion_pdf(store, inspection_id=case.inspection_id, conclusion="recheck",
                                       representative={"name": "", "title": ""})
    text = _pdf_bytes_text(pdf, tmp_path)
    assert case.name in text and "预览" in text
    assert counts(store)[0] == 0


def test_preview_shows_a_photo_whose_files_are_missing(store: Store, tmp_path: Path) -> None:
    from pypdf import PdfReader

    case = make_case(store)
    with store.reader() as s:
        sha = s.scalars(select(Photo.sha256).where(Photo.inspection_id == case.inspection_id)).first()
    assert sha is not None
    blobs = BlobStore(store.blob_root)
    for path in (blobs.path(sha), blobs.derived_path("report", sha)):
        path.chmod(0o644)
        path.unlink()
    pdf = opinions.preview_opinion_pdf(store, inspection_id=case.inspection_id, conclusion="pass")
    assert case.name in _pdf_bytes_text(pdf, tmp_path)
    assert sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages) == 3  # two photos and the placeholder
    assert not blobs.has(sha) and not blobs.has_derived("report", sha)
