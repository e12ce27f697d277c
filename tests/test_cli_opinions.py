"""The opinion, identity and ca commands as real processes on a real store: issue, refusals, verify, tampering,
the office CA flow, supersede. The case data (enterprise, inspection, photos) is put into the store in-process."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy import func, select

from inspect_app import crypto
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models import AcceptanceOpinion, Equipment, Photo
from inspect_app.models.store import open_store
from inspect_app.reports.qr import verify_qr_payload
from tests.opinion_case import PASS, Case, make_case, signoff_args
from tests.pdf_fixtures import scan_qr
from tests.tools import POPPLER, ZBAR, require

REPO = Path(__file__).resolve().parents[1]
CA_PASS = "市办公室 CA 口令"
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "d"


@pytest.fixture
def cli(data_dir: Path) -> Run:
    def run(*args: str, passphrase: str | None = PASS, data: Path | None = None,
            today: str = "2021-10-28") -> subprocess.CompletedProcess[str]:
        env = {"INSPECT_APP_TODAY": today, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
               "INSPECT_APP_CA_PASSPHRASE": CA_PASS}
        if passphrase is not None:
            env["INSPECT_APP_PASSPHRASE"] = passphrase
        return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data or data_dir), *args],
                              capture_output=True, text=True, cwd=REPO, env=env, stdin=subprocess.DEVNULL)
    return run


def case_in(data_dir: Path, **kw: Any) -> Case:
    with open_store(data_dir) as store:
        return make_case(store, **kw)


def opinion_rows(data_dir: Path) -> int:
    with open_store(data_dir) as store, store.reader() as s:
        return s.scalar(select(func.count()).select_from(AcceptanceOpinion)) or 0


@pytest.fixture
def signer(cli: Run, data_dir: Path) -> Run:
    made = cli("identity", "create", "--name", "王建国", "--organisation", "郑州市工业和信息化局")
    assert made.returncode == 0, made.stderr
    assert "密钥指纹" in made.stdout
    return cli


def issue(cli: Run, case: Case, out: Path, *extra: str, conclusion: str = "pass",
          passphrase: str | None = PASS) -> subprocess.CompletedProcess[str]:
    return cli("opinion", "issue", "--inspection", case.inspection_id, "--conclusion", conclusion,
               "--out", str(out), *signoff_args(conclusion), *extra, passphrase=passphrase)


# --- the full path ---------------------------------------------------------------------------------------------


def test_issue_verify_full_path(signer: Run, data_dir: Path, tmp_path: Path) -> None:
    require(*POPPLER, *ZBAR)
    cli = signer
    case = case_in(data_dir)
    out = tmp_path / "验收意见.pdf"
    done = issue(cli, case, out)
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first == f"郑淘汰落后验〔2021〕1号  {out}"
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    flat = text.replace(" ", "")
    assert "郑淘汰落后验〔2021〕1号" in flat and case.uscc in flat and "验收结论：通过" in flat
    sig = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in sig and "Total document signed" in sig, sig
    payload = scan_qr(out, tmp_path)
    ident = crypto.load_identity(data_dir / "identity", PASS)
    fields = verify_qr_payload(payload, ident.private_key.public_key())
    assert fields.document_number == "郑淘汰落后验〔2021〕1号" and fields.uscc == case.uscc

    ok = cli("opinion", "verify", str(out), passphrase=None)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("验证通过") and "[通过] 影像文件" in ok.stdout
    as_json = json.loads(cli("--json", "opinion", "verify", str(out), passphrase=None).stdout)
    assert as_json["ok"] is True and {c["name"] for c in as_json["checks"]} >= {"签名完整性", "覆盖范围", "二维码"}

    with open_store(data_dir) as store, store.reader() as s:
        row = s.scalars(select(AcceptanceOpinion)).one()
        stored = BlobStore(store.blob_root).root / "documents" / row.pdf_sha256[:2] / f"{row.pdf_sha256}.pdf"
        import hashlib

        assert hashlib.sha256(stored.read_bytes()).hexdigest() == row.pdf_sha256 == hashlib.sha256(
            out.read_bytes()).hexdigest()
        eq = s.get(Equipment, case.equipment_ids[0])
        assert eq is not None and eq.status == "accepted"

    case2 = case_in(data_dir)
    second = cli("--json", "opinion", "issue", "--inspection", case2.inspection_id, "--conclusion", "pass",
                 "--representative", "钱多多:总经理", "--out", str(tmp_path / "2.pdf"), *signoff_args())
    assert second.returncode == 0, second.stderr
    data = json.loads(second.stdout)
    assert data["number"] == "郑淘汰落后验〔2021〕2号" and data["path"] == str(tmp_path / "2.pdf")
    assert data["opinion"]["representative"] == {"name": "钱多多", "title": "总经理", "agreed": False}
    listed = cli("opinion", "list")
    assert listed.returncode == 0
    assert "〔2021〕1号" in listed.stdout and "〔2021〕2号" in listed.stdout and "共 2 份" in listed.stdout
    shown = cli("opinion", "show", "郑淘汰落后验〔2021〕2号")
    assert shown.returncode == 0 and "钱多多" in shown.stdout and case2.uscc in shown.stdout


# --- refusals --------------------------------------------------------------------------------------------------


def test_blocked_lists_every_reason(signer: Run, data_dir: Path, tmp_path: Path) -> None:
    flag = {"code": "edited", "message": "照片经过图片编辑软件处理（美图秀秀），可能不是原始照片", "severity": "warning"}
    case = case_in(data_dir, finish=False, stages=("before", "during"), flags=[flag])
    out = tmp_path / "x.pdf"
    refused = issue(signer, case, out)
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert lines[0].startswith("E_OPINION_BLOCKED: ")
    reasons = [ln.strip() for ln in lines[1:]]
    assert len(reasons) == 3, refused.stderr
    assert any("完成核查" in r for r in reasons) and any("拆除后" in r for r in reasons)
    assert any("美图秀秀" in r for r in reasons)
    as_json = issue(signer, case, out, "--json")
    assert as_json.returncode == 1
    err = json.loads(as_json.stdout)["error"]
    assert err["code"] == "E_OPINION_BLOCKED"
    assert [b["code"] for b in err["details"]["blockers"]] == ["E_INSPECTION_NOT_DONE", "E_EVIDENCE_MISSING",
                                                               "E_PHOTO_FLAGS"]
    with_ack = issue(signer, case, out, "--acknowledge", "企业提供了原图，已核对")
    assert [b for b in with_ack.stderr.splitlines()[1:] if "美图秀秀" in b] == []
    assert with_ack.returncode == 1  # still not done, still missing evidence
    assert not out.exists() and opinion_rows(data_dir) == 0


def test_refusals_change_nothing(signer: Run, data_dir: Path, tmp_path: Path) -> None:
    case = case_in(data_dir)
    out = tmp_path / "x.pdf"
    wrong = issue(signer, case, out, passphrase="不是这个口令")
    assert wrong.returncode == 1 and wrong.stderr.startswith("E_PASSPHRASE"), wrong.stderr
    no_pass = issue(signer, case, out, passphrase=None)  # no variable, no terminal
    assert no_pass.returncode == 1 and "E_PASSPHRASE" in no_pass.stderr
    out.write_bytes(b"keep me")
    exists = issue(signer, case, out)
    assert exists.returncode == 1 and "E_FILE_EXISTS" in exists.stderr and out.read_bytes() == b"keep me"
    bad = signer("opinion", "issue", "--inspection", case.inspection_id, "--conclusion", "maybe", "--out", "y.pdf")
    assert bad.returncode == 2
    assert opinion_rows(data_dir) == 0
    good = issue(signer, case, tmp_path / "ok.pdf")
    assert good.returncode == 0 and "〔2021〕1号" in good.stdout
    again = issue(signer, case, tmp_path / "again.pdf")
    assert again.returncode == 1 and "E_OPINION_EXISTS" in json.loads(
        issue(signer, case, tmp_path / "again.pdf", "--json").stdout)["error"]["details"]["blockers"][0]["code"]
    assert not (tmp_path / "again.pdf").exists() and opinion_rows(data_dir) == 1


def test_no_identity_and_expired_certificate(cli: Run, data_dir: Path, tmp_path: Path) -> None:
    case = case_in(data_dir)
    none = issue(cli, case, tmp_path / "x.pdf")
    assert none.returncode == 1 and "E_NO_IDENTITY" in none.stderr
    assert cli("identity", "show").returncode == 1
    assert cli("identity", "create", "--name", "王建国", "--organisation", "工信局").returncode == 0
    ca = crypto.create_ca(tmp_path / "ca", name="郑州市淘汰办", passphrase=CA_PASS)
    assert cli("identity", "export-request", "--out", str(tmp_path / "req.pem")).returncode == 0
    expired = crypto.issue_certificate(ca, (tmp_path / "req.pem").read_bytes(), days=10,
                                       valid_from=dt.datetime.now(dt.UTC) - dt.timedelta(days=100))
    (tmp_path / "old.pem").write_bytes(expired + ca.certificate_pem)
    assert cli("identity", "import-cert", str(tmp_path / "old.pem")).returncode == 0
    assert "已失效" in cli("identity", "show").stdout
    refused = issue(cli, case, tmp_path / "x.pdf")
    assert refused.returncode == 1 and refused.stderr.startswith("E_CERT_EXPIRED"), refused.stderr
    assert not (tmp_path / "x.pdf").exists() and opinion_rows(data_dir) == 0


# --- tampering -------------------------------------------------------------------------------------------------


@pytest.fixture
def issued(signer: Run, data_dir: Path, tmp_path: Path) -> Path:
    case = case_in(data_dir)
    out = tmp_path / "signed.pdf"
    assert issue(signer, case, out).returncode == 0
    return out


def _update(src: Path, dest: Path, change: Callable[[IncrementalPdfFileWriter], None]) -> Path:
    writer = IncrementalPdfFileWriter(io.BytesIO(src.read_bytes()))
    change(writer)
    buf = io.BytesIO()
    writer.write(buf)
    dest.write_bytes(buf.getvalue())
    return dest


def test_verify_detects_tampering(signer: Run, issued: Path, data_dir: Path, tmp_path: Path) -> None:
    assert signer("opinion", "verify", str(issued)).returncode == 0
    raw = bytearray(issued.read_bytes())
    with open_store(data_dir) as store, store.reader() as s:
        row = s.scalars(select(AcceptanceOpinion)).one()
        image = BlobStore(store.blob_root).derived_path("report", row.evidence_sha256[0]).read_bytes()
    at = raw.find(image[:4000]) + 3000
    assert at > 3000
    raw[at] ^= 0x01
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(raw))
    result = signer("opinion", "verify", str(flipped))
    assert result.returncode == 1 and result.stdout.startswith("验证失败") and "[失败] 签名完整性" in result.stdout

    def lang(w: IncrementalPdfFileWriter) -> None:
        w.root["/Lang"] = generic.TextStringObject("en")
        w.update_root()

    appended = _update(issued, tmp_path / "appended.pdf", lang)
    result = signer("opinion", "verify", str(appended))
    assert result.returncode == 1 and "[失败] 覆盖范围" in result.stdout
    assert result.stderr == ""  # the verdict says it all: no pyHanko log or traceback on stderr

    page = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
        generic.NameObject("/Resources"): generic.DictionaryObject(),
    })
    added = _update(issued, tmp_path / "added.pdf", lambda w: w.insert_page(page))
    result = signer("opinion", "verify", str(added))
    assert result.returncode == 1 and "[失败] 覆盖范围" in result.stdout
    assert result.stderr == ""

    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\nnot really")
    assert signer("opinion", "verify", str(garbage)).returncode == 1
    assert signer("opinion", "verify", str(tmp_path / "nope.pdf")).returncode == 1


def test_verify_reports_deleted_photo(signer: Run, issued: Path, data_dir: Path) -> None:
    with open_store(data_dir) as store, store.reader() as s:
        sha = s.scalars(select(AcceptanceOpinion)).one().evidence_sha256[1]
        victim = BlobStore(store.blob_root).path(sha)
    victim.chmod(0o644)
    victim.unlink()
    result = signer("opinion", "verify", str(issued))
    assert result.returncode == 1
    assert "[失败] 影像文件" in result.stdout and sha[:16] in result.stdout
    assert "[通过] 签名完整性" in result.stdout


# --- the office CA flow ------------------------------------------------------------------------------------------


def test_ca_flow_through_the_cli(signer: Run, data_dir: Path, tmp_path: Path) -> None:
    cli = signer
    ca_dir = tmp_path / "office-ca"
    made = cli("ca", "create", "--dir", str(ca_dir), "--name", "郑州市淘汰落后产能工作领导小组办公室")
    assert made.returncode == 0, made.stderr
    assert (ca_dir / "ca_cert.pem").is_file()
    again = cli("ca", "create", "--dir", str(ca_dir), "--name", "x")
    assert again.returncode == 1 and "E_IDENTITY_EXISTS" in again.stderr
    req = tmp_path / "req.pem"
    assert cli("identity", "export-request", "--out", str(req)).returncode == 0
    assert b"CERTIFICATE REQUEST" in req.read_bytes()
    assert "E_FILE_EXISTS" in cli("identity", "export-request", "--out", str(req)).stderr
    cert = tmp_path / "cert.pem"
    issued_cert = cli("ca", "issue", "--dir", str(ca_dir), "--request", str(req), "--out", str(cert))
    assert issued_cert.returncode == 0, issued_cert.stderr
    assert "王建国" in issued_cert.stdout
    assert "E_FILE_EXISTS" in cli("ca", "issue", "--dir", str(ca_dir), "--request", str(req), "--out", str(cert)).stderr
    imported = cli("identity", "import-cert", str(cert), "--ca", str(ca_dir / "ca_cert.pem"))
    assert imported.returncode == 0, imported.stderr
    shown = cli("--json", "identity", "show")
    view = json.loads(shown.stdout)
    assert view["certificate"]["self_signed"] is False and "郑州市淘汰落后产能工作领导小组办公室" in view["certificate"]["issuer"]
    (data_dir / "trusted").mkdir(exist_ok=True)
    shutil.copy(ca_dir / "ca_cert.pem", data_dir / "trusted" / "office_ca.pem")

    case = case_in(data_dir)
    out = tmp_path / "ca-signed.pdf"
    assert issue(cli, case, out).returncode == 0
    ok = cli("opinion", "verify", str(out))
    assert ok.returncode == 0, ok.stdout
    assert "[通过] 证书信任" in ok.stdout and "王建国" in ok.stdout

    # another office machine: only the CA certificate in trusted/, no record of the opinion
    other = tmp_path / "office"
    (other / "trusted").mkdir(parents=True)
    shutil.copy(ca_dir / "ca_cert.pem", other / "trusted" / "office_ca.pem")
    elsewhere = cli("opinion", "verify", str(out), data=other)
    assert elsewhere.returncode == 0, elsewhere.stdout
    assert "没有该验收意见的记录" in elsewhere.stdout
    # and one that trusts nothing
    stranger = cli("opinion", "verify", str(out), data=tmp_path / "stranger")
    assert stranger.returncode == 1 and "[失败] 证书信任" in stranger.stdout


def test_ca_wrong_passphrase(cli: Run, tmp_path: Path) -> None:
    assert cli("ca", "create", "--dir", str(tmp_path / "ca"), "--name", "市办").returncode == 0
    (tmp_path / "req.pem").write_text("not a request")
    env_wrong = subprocess.run(
        [sys.executable, "-m", "inspect_app", "ca", "issue", "--dir", str(tmp_path / "ca"), "--request",
         str(tmp_path / "req.pem"), "--out", str(tmp_path / "c.pem")],
        capture_output=True, text=True, cwd=REPO, stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "INSPECT_APP_CA_PASSPHRASE": "wrong"})
    assert env_wrong.returncode == 1 and "E_PASSPHRASE" in env_wrong.stderr
    bad_req = cli("ca", "issue", "--dir", str(tmp_path / "ca"), "--request", str(tmp_path / "req.pem"),
                  "--out", str(tmp_path / "c.pem"))
    assert bad_req.returncode == 1 and "E_CSR_INVALID" in bad_req.stderr
    assert not (tmp_path / "c.pem").exists()


# --- supersede -------------------------------------------------------------------------------------------------


def test_supersede_through_the_cli(signer: Run, data_dir: Path, tmp_path: Path) -> None:
    case = case_in(data_dir)
    first = signer("--json", "opinion", "issue", "--inspection", case.inspection_id, "--conclusion", "recheck",
                   "--out", str(tmp_path / "1.pdf"), *signoff_args("recheck"))
    assert first.returncode == 0, first.stderr
    first_id = json.loads(first.stdout)["id"]
    second = issue(signer, case, tmp_path / "2.pdf", "--supersedes", first_id[:8])
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("郑淘汰落后验〔2021〕2号") and "已更正替代" in second.stdout
    listed = signer("opinion", "list")
    lines = [ln for ln in listed.stdout.splitlines() if "〔2021〕" in ln]
    assert len(lines) == 2
    assert "[已被更正]" in lines[0] and "〔2021〕1号" in lines[0]
    assert "[已被更正]" not in lines[1] and "(更正)" in lines[1]
    rows = json.loads(signer("--json", "opinion", "list").stdout)
    assert [r["superseded_by_id"] is not None for r in rows] == [True, False]
    assert signer("opinion", "verify", str(tmp_path / "1.pdf")).returncode == 0  # still authentic, marked replaced
    assert "更正替代" in signer("opinion", "verify", str(tmp_path / "1.pdf")).stdout


# --- a pass means something -------------------------------------------------------------------------------------


def test_cli_sign_off_and_serious_doubt(signer: Run, data_dir: Path, tmp_path: Path) -> None:
    case = case_in(data_dir, flags=[{"code": "far_from_site", "message": "拍摄地点距厂址 55 公里", "severity": "serious"}])
    out = tmp_path / "x.pdf"
    # the command line draws no signature: without --unsigned for each member it is refused, before the passphrase
    bare = signer("--json", "opinion", "issue", "--inspection", case.inspection_id, "--conclusion", "recheck",
                  "--out", str(out), "--acknowledge", "已核对", passphrase=None)
    assert bare.returncode == 1 and not out.exists()
    blockers = {b["code"] for b in json.loads(bare.stdout)["error"]["details"]["blockers"]}
    assert blockers == {"E_TEAM_UNSIGNED", "E_REASONS_REQUIRED", "E_RECHECK_DEADLINE"}
    # a serious doubt blocks a pass despite the one-line acknowledgement …
    blocked = issue(signer, case, out, "--acknowledge", "已核对", "--json")
    assert blocked.returncode == 1 and not out.exists()
    assert [b["code"] for b in json.loads(blocked.stdout)["error"]["details"]["blockers"]] == ["E_SERIOUS_DOUBT"]
    # … until it is explained on the photo
    with open_store(data_dir) as store, store.reader() as s:
        photo_id = s.scalars(select(Photo.id).where(Photo.inspection_id == case.inspection_id)
                             .order_by(Photo.original_name)).first()
    said = signer("photos", "explain", str(photo_id), "far_from_site", "--reason", "设备已运往回收站")
    assert said.returncode == 0, said.stderr
    assert "已说明：设备已运往回收站，王建国" in said.stdout  # the signing identity, not the login user
    empty = signer("photos", "explain", str(photo_id), "far_from_site", "--reason", " ")
    assert empty.returncode == 1 and "E_REASON_REQUIRED" in empty.stderr
    done = issue(signer, case, out, "--acknowledge", "已核对")
    assert done.returncode == 0, done.stdout + done.stderr


def test_cli_sealed_exit_needs_dismantle_by(signer: Run, data_dir: Path, tmp_path: Path) -> None:
    case = case_in(data_dir, method="seal")
    out = tmp_path / "sealed.pdf"
    bare = issue(signer, case, out, "--json")
    assert bare.returncode == 1 and not out.exists()
    assert [b["code"] for b in json.loads(bare.stdout)["error"]["details"]["blockers"]] == ["E_DISMANTLE_DEADLINE"]
    wrong = issue(signer, case, out, "--dismantle-by", "2022/03/31")
    assert wrong.returncode == 1 and "E_DATE_INVALID" in wrong.stderr and not out.exists()
    done = issue(signer, case, out, "--dismantle-by", "2022-03-31", "--representative", "赵长海:总经理",
                 "--representative-unsigned", "拒绝签字", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    issued = json.loads(done.stdout)
    assert issued["opinion"]["dismantle_by"] == "2022-03-31" and out.is_file()
    assert issued["opinion"]["representative"]["unsigned_reason"] == "拒绝签字"
    shown = signer("opinion", "show", issued["id"])
    assert shown.returncode == 0 and "限时拆除期限：2022-03-31" in shown.stdout
