"""The opinion a recipient can trust: office CA → inspector's signature → office countersignature on receipt →
verification with only the exported root; tampering, revocation, QR codes from printed pages, pdfsig.

Real stores on disk: an office (role office, its CA, its own CA-issued identity) and an inspector's laptop
registered there; the opinion travels in a real submission bundle.
"""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from inspect_app.errors import UserError
from inspect_app.models.store import Store, open_store
from inspect_app.services import identity, office_trust
from inspect_app.services.settings import set_setting
from inspect_app.services.verification import verify_any
from inspect_app.sync.devices import revoke_device
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle
from tests.opinion_case import make_case, signoff_for
from tests.sync_fixtures import PASS, Laptop, Office, make_laptop, make_office
from tests.tools import POPPLER, require


@dataclasses.dataclass
class World:
    root: Path
    office: Office
    laptop: Laptop
    opinion_id: str
    original: Path
    countersigned: Path
    kit: Path


def issue(store: Store, out: Path) -> str:
    from inspect_app.services.opinions import issue_opinion

    case = make_case(store)
    return issue_opinion(store, inspection_id=case.inspection_id, conclusion="pass", passphrase=PASS,
                         out_path=out, signoff=signoff_for(store, case.inspection_id)).id


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("trust")
    office = make_office(root)
    laptop = make_laptop(root, office)
    office_trust.publish_crl(office.store, office.ca_folder, passphrase=PASS)
    original = root / "laptop-opinion.pdf"
    opinion_id = issue(laptop.store, original)
    sent = export_bundle(laptop.store, laptop.identity, root / "usb")
    report = import_bundle(office.store, sent.path)
    assert report.status == "applied", report.message
    result = office_trust.countersign_pending(office.store, passphrase=PASS)
    assert [o.done for o in result.outcomes] == [True], result.outcomes
    countersigned = office_trust.countersigned_path(office.store, opinion_id)
    assert countersigned is not None and countersigned.is_file()
    kit = root / "kit"
    office_trust.export_verification_kit(office.store, office.ca_folder, kit, passphrase=PASS)
    return World(root, office, laptop, opinion_id, original, countersigned, kit)


def fresh_folder(world: World, name: str, *, trust: tuple[str, ...] = ()) -> Store:
    store = open_store(world.root / name)
    for file_name in trust:
        identity.trust_certificate(store, (world.kit / file_name).read_bytes(), name=Path(file_name).stem)
    return store


def failed(report: object) -> set[str]:
    return {c.name for c in report.checks if not c.ok}  # type: ignore[attr-defined]


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=dict(os.environ), timeout=300)


# --- the done-when: countersigned, verified with only the exported root -------------------------------------


def test_countersigned_opinion_is_trusted_with_only_the_exported_root(world: World) -> None:
    original = world.original.read_bytes()
    assert world.countersigned.read_bytes().startswith(original)  # an incremental update: the original untouched
    with fresh_folder(world, "only-root", trust=("root.pem",)) as verifier:
        assert len(identity.trusted_certificates(verifier)) == 1
        report = verify_any(verifier, str(world.countersigned))
    assert report.ok, [c for c in report.checks if not c.ok]
    assert report.trusted and report.countersigned
    assert [s.role for s in report.signatures] == ["opinion", "countersign"]
    details = {c.name: c.detail for c in report.checks}
    assert details["吊销状态"] == "签名证书未被吊销"  # the CRL came inside the file (DSS)
    assert "仅有允许的更新" in details["覆盖范围"] and "会签" in details["覆盖范围"]
    assert report.verdict.startswith("验证通过") and "会签" in report.verdict
    run = cli(world.root / "only-root", "opinion", "verify", str(world.countersigned))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[0].startswith("验证通过")


def test_nothing_trusted_says_signer_not_trusted(world: World) -> None:
    empty = world.root / "trusts-nothing"
    with fresh_folder(world, "trusts-nothing") as verifier:
        report = verify_any(verifier, str(world.countersigned))
    assert not report.ok and "证书信任" in failed(report)
    run = cli(empty, "opinion", "verify", str(world.original))
    assert run.returncode == 1
    assert run.stdout.splitlines()[0].startswith("签名人不受信任"), run.stdout
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout


def test_office_store_records_the_countersigned_file(world: World) -> None:
    report = verify_any(world.office.store, str(world.countersigned))
    assert report.ok, [c for c in report.checks if not c.ok]
    assert "会签本" in {c.name: c.detail for c in report.checks}["登记记录"]
    # the laptop's own copy (not countersigned) still verifies at the office
    assert verify_any(world.office.store, str(world.original)).ok


# --- tampering ----------------------------------------------------------------------------------------------


def test_byte_changed_after_countersign_fails(world: World, tmp_path: Path) -> None:
    data = bytearray(world.countersigned.read_bytes())
    at = data.find(b"/Type /Page") + 4  # inside the inspector's signed range: "/Page" becomes "/Pagf"
    data[data.find(b"/Page", at) + 4] ^= 0x03
    bad = tmp_path / "flipped.pdf"
    bad.write_bytes(bytes(data))
    with fresh_folder(world, "only-root-2", trust=("root.pem",)) as verifier:
        report = verify_any(verifier, str(bad))
    assert not report.ok and "签名完整性" in failed(report)


@pytest.mark.parametrize("change", ["lang", "page"])
def test_any_other_update_after_countersign_fails(world: World, tmp_path: Path, change: str) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(world.countersigned.read_bytes()))
    if change == "lang":
        writer.root["/Lang"] = generic.TextStringObject("en")
        writer.update_root()
    else:
        page = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
        })
        writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    bad = tmp_path / f"{change}.pdf"
    bad.write_bytes(out.getvalue())
    with fresh_folder(world, f"only-root-{change}", trust=("root.pem",)) as verifier:
        report = verify_any(verifier, str(bad))
    assert not report.ok and "覆盖范围" in failed(report), report.checks


# --- revocation ------------------------------------------------------------------------------------------------


def test_revoked_device_later_opinion_fails_earlier_one_stands(world: World) -> None:
    later = world.root / "after-revocation.pdf"
    with world.office.store.transaction() as s:
        revoke_device(s, world.laptop.store.device_id[:8], reason="笔记本遗失", actor="office")
    office_trust.export_verification_kit(world.office.store, world.office.ca_folder, world.root / "kit2",
                                         passphrase=PASS)
    issue(world.laptop.store, later)  # the lost laptop still signs
    with open_store(world.root / "root-and-crl") as verifier:
        for name in ("root.pem", "office-ca.crl"):
            identity.trust_certificate(verifier, (world.root / "kit2" / name).read_bytes(), name=Path(name).stem)
        assert len(identity.trusted_crls(verifier)) == 1
        late = verify_any(verifier, str(later))
        early = verify_any(verifier, str(world.countersigned))
    assert not late.ok and failed(late) == {"吊销状态"}
    assert "已于" in {c.name: c.detail for c in late.checks}["吊销状态"]
    assert early.ok, [c for c in early.checks if not c.ok]
    assert "吊销前" in {c.name: c.detail for c in early.checks}["吊销状态"]
    # its bundles are refused, so the office never countersigns the later one
    sent = export_bundle(world.laptop.store, world.laptop.identity, world.root / "usb2")
    assert import_bundle(world.office.store, sent.path).code == "E_DEVICE_REVOKED"


# --- paper ----------------------------------------------------------------------------------------------------


def test_qr_from_a_150_dpi_render_verifies_at_the_office(world: World, tmp_path: Path) -> None:
    require(*POPPLER)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(world.countersigned), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    reports = []
    for png in pages:
        try:
            reports.append(verify_any(world.office.store, str(png)))
        except UserError as exc:
            assert exc.code == "E_QR_NOT_FOUND"
    assert len(reports) == 1  # one page carries the code
    report = reports[0]
    assert report.ok, [c for c in report.checks if not c.ok]
    assert report.fields is not None and report.fields.opinion_id == world.opinion_id
    # a verifier with only the root does not know the device key: it says so and where to check instead
    with fresh_folder(world, "paper-only-root", trust=("root.pem",)) as verifier:
        elsewhere = verify_any(verifier, report.qr_payload or "")
    assert not elsewhere.ok and "签名密钥" in failed(elsewhere)


# --- what the office exports --------------------------------------------------------------------------------


def test_exported_kit(world: World) -> None:
    names = sorted(p.name for p in world.kit.iterdir())
    assert names == ["office-ca.crl", "office-ca.crl.pem", "root.cer", "root.pem", "验证指南.pdf"]
    root = x509.load_der_x509_certificate((world.kit / "root.cer").read_bytes())
    assert root == x509.load_pem_x509_certificate((world.kit / "root.pem").read_bytes())
    crl = x509.load_der_x509_crl((world.kit / "office-ca.crl").read_bytes())
    assert crl.is_signature_valid(root.public_key())  # type: ignore[arg-type]
    guide = PdfReader(world.kit / "验证指南.pdf")
    assert len(guide.pages) == 1
    text = "".join(guide.pages[0].extract_text().split())
    assert office_trust.fingerprint_text(root)[:23] in text
    assert "将此证书用作可信的根证书" in text and "root.cer" in text


def test_pdfsig_before_and_after_trusting_the_root(world: World, tmp_path: Path) -> None:
    require(*POPPLER, "certutil")
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    before = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(world.countersigned)],
                            capture_output=True, text=True).stdout
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "office root", "-t", "C,C,C", "-a", "-i",
                    str(world.kit / "root.pem")], check=True)
    after = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(world.countersigned)],
                           capture_output=True, text=True).stdout
    print("\npdfsig before trusting the root:\n" + before + "\npdfsig after:\n" + after)
    assert before.count("Signature is Valid") == 2 and "Certificate is Trusted" not in before
    assert after.count("Signature is Valid") == 2 and after.count("Certificate is Trusted") == 2
    assert "Signature #2" in after and "OfficeCountersign" in after


# --- self-signed ------------------------------------------------------------------------------------------------


def test_self_signed_said_on_the_face_and_forbidden_by_the_office(world: World, tmp_path: Path) -> None:
    trainee = make_laptop(tmp_path, None, name="实习生")
    out = tmp_path / "training.pdf"
    issue(trainee.store, out)
    require("pdftotext")
    text = "".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split())
    assert "自签名证书签署" in text and "仅供培训或草稿使用" in text
    with trainee.store.transaction() as s:
        set_setting(s, "self_signed_opinions", "forbid")
    with pytest.raises(UserError) as err:
        issue(trainee.store, tmp_path / "refused.pdf")
    assert err.value.code == "E_SELF_SIGNED_FORBIDDEN"
    assert not (tmp_path / "refused.pdf").exists()


def test_office_policy_crl_and_seal_travel_to_the_laptop(tmp_path: Path) -> None:
    from tests.seal_fixtures import seal_png_bytes

    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office, name="赵六")
    with office.store.transaction() as s:
        set_setting(s, "self_signed_opinions", "forbid")
        set_setting(s, "verification_url", "https://www.zhengzhou.gov.cn/yanzheng")
        set_setting(s, "plan_citations", [{"province": "410000", "year": 2021, "plan": "郑州市落后产能退出实施方案",
                                           "plan_number": "郑淘汰落后办〔2021〕2号"}])
    office_trust.set_office_seal(office.store, seal_png_bytes())
    crl = office_trust.publish_crl(office.store, office.ca_folder, passphrase=PASS)
    # the laptop must have reported once before the office assigns to it
    first = export_bundle(laptop.store, laptop.identity, tmp_path / "up")
    assert import_bundle(office.store, first.path).status == "applied"
    sent = export_bundle(office.store, office.identity, tmp_path / "down", target=laptop.store.device_id)
    report = import_bundle(laptop.store, sent.path)
    assert report.status == "applied", report.message
    from inspect_app.services.settings import get_setting

    with laptop.store.reader() as s:
        assert get_setting(s, "self_signed_opinions") == "forbid"
        assert get_setting(s, "verification_url") == "https://www.zhengzhou.gov.cn/yanzheng"
        assert get_setting(s, "plan_citations")[0]["plan_number"] == "郑淘汰落后办〔2021〕2号"  # the plan cited
        seal = str(get_setting(s, "office_seal"))
    assert len(seal) == 64
    held = identity.trusted_crls(laptop.store)
    assert [c.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number for c in held] == [crl.number]
    # the laptop's next opinion carries the seal and the address under its QR code
    out = tmp_path / "sealed.pdf"
    issue(laptop.store, out)
    reader = PdfReader(out)
    images = [img for page in reader.pages for img in page.images]
    assert any(img.image.size == (420, 420) for img in images)
    require("pdftotext")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "https://www.zhengzhou.gov.cn/yanzheng" in "".join(text.split())
