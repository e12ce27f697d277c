"""Device identity, office CA, PAdES signing and verification, on real files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from inspect_app.crypto import (
    Identity,
    create_ca,
    create_identity,
    export_request,
    import_certificate,
    issue_certificate,
    load_identity,
    sign_pdf,
    verify_opinion_pdf,
)
from inspect_app.errors import UserError
from inspect_app.reports.opinion_model import OpinionDocument
from inspect_app.reports.opinion_pdf import RenderResult, render_opinion_pdf
from inspect_app.reports.qr import QrFields, evidence_digest, make_qr_payload
from tests.pdf_fixtures import sample_document
from tests.tools import require

PASS = "正确的口令 correct horse"


def _identity(folder: Path, name: str = "Zhang Jianguo") -> Identity:
    return create_identity(
        folder, common_name=name, organisation="郑州市工业和信息化局", passphrase=PASS, device_id="laptop-07"
    )


def _render_signed(folder: Path, identity: Identity) -> tuple[Path, OpinionDocument, RenderResult]:
    doc = sample_document(folder / "fx", photos_per_stage=(1, 2, 1), photo_size=(640, 480))
    fields = QrFields(
        doc.opinion_id,
        doc.document_number,
        doc.enterprise.uscc,
        doc.conclusion,
        doc.issue_date,
        evidence_digest(doc.evidence_hashes),
        identity.fingerprint,
    )
    doc = dataclasses.replace(doc, qr_payload=make_qr_payload(fields, identity.private_key))
    unsigned = folder / "opinion.pdf"
    result = render_opinion_pdf(doc, unsigned)
    assert result.signature_box is not None
    signed = folder / "opinion.signed.pdf"
    sign_pdf(
        unsigned,
        signed,
        identity,
        box=result.signature_box.box,
        page=result.signature_box.page,
        location="郑州市",
    )
    return signed, doc, result


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, OpinionDocument, Identity]:
    folder = tmp_path_factory.mktemp("signed")
    identity = _identity(folder / "id")
    path, doc, _ = _render_signed(folder, identity)
    return path, doc, identity


# --- identity ------------------------------------------------------------------------------------------------
def test_identity_files_and_certificate(tmp_path: Path) -> None:
    ident = _identity(tmp_path / "id")
    key_pem = (tmp_path / "id" / "device_key.pem").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in key_pem
    assert (tmp_path / "id" / "device_key.pem").stat().st_mode & 0o077 == 0
    cert = ident.certificate
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "urn:inspect-app:device:laptop-07" in san.get_values_for_type(x509.UniformResourceIdentifier)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365
    assert 4.9 < years < 5.1
    assert ident.self_signed and len(ident.fingerprint) == 16

    again = load_identity(tmp_path / "id", PASS)
    assert again.certificate == cert and again.fingerprint == ident.fingerprint


def test_identity_refuses_overwrite(tmp_path: Path) -> None:
    _identity(tmp_path / "id")
    with pytest.raises(UserError) as err:
        _identity(tmp_path / "id")
    assert err.value.code == "E_IDENTITY_EXISTS"


def test_wrong_passphrase(tmp_path: Path) -> None:
    _identity(tmp_path / "id")
    with pytest.raises(UserError) as err:
        load_identity(tmp_path / "id", "wrong")
    assert err.value.code == "E_PASSPHRASE"


def test_missing_identity(tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        load_identity(tmp_path / "nothing", PASS)
    assert err.value.code == "E_NO_IDENTITY"


# --- CA flow -------------------------------------------------------------------------------------------------
def test_ca_issue_import_sign_verify(tmp_path: Path) -> None:
    ca = create_ca(tmp_path / "ca", name="郑州市淘汰落后产能工作领导小组办公室", passphrase="ca-pass")
    basic = ca.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert basic.ca
    _identity(tmp_path / "id")
    ident = load_identity(tmp_path / "id", PASS)
    cert_pem = issue_certificate(ca, export_request(ident))
    imported = import_certificate(tmp_path / "id", cert_pem, PASS, ca_cert_pem=ca.certificate_pem)
    assert not imported.self_signed
    loaded = load_identity(tmp_path / "id", PASS)
    assert loaded.chain == (ca.certificate,)
    assert loaded.certificate.issuer == ca.certificate.subject

    path, doc, _ = _render_signed(tmp_path / "pdf", loaded)
    report = verify_opinion_pdf(
        path,
        trusted_certs=[ca.certificate],
        photo_exists=lambda _h: True,
        expected_evidence=doc.evidence_hashes,
    )
    assert report.ok, report.verdict
    # not trusted without the office CA
    other = verify_opinion_pdf(path, trusted_certs=[], photo_exists=None)
    assert not other.ok
    assert [c.name for c in other.checks if not c.ok] == ["证书信任"]


def test_certificate_for_another_key_refused(tmp_path: Path) -> None:
    ca = create_ca(tmp_path / "ca", name="市办", passphrase="ca-pass")
    _identity(tmp_path / "a")
    other = _identity(tmp_path / "b")
    cert_pem = issue_certificate(ca, export_request(other))
    with pytest.raises(UserError) as err:
        import_certificate(tmp_path / "a", cert_pem, PASS, ca_cert_pem=ca.certificate_pem)
    assert err.value.code == "E_CERT_MISMATCH"


def test_certificate_from_other_ca_refused(tmp_path: Path) -> None:
    ca = create_ca(tmp_path / "ca", name="市办", passphrase="ca-pass")
    fake = create_ca(tmp_path / "fake", name="冒充", passphrase="ca-pass")
    ident = _identity(tmp_path / "a")
    cert_pem = issue_certificate(ca, export_request(ident))
    with pytest.raises(UserError) as err:
        import_certificate(tmp_path / "a", cert_pem, PASS, ca_cert_pem=fake.certificate_pem)
    assert err.value.code == "E_CERT_UNTRUSTED"


def test_expired_certificate_cannot_sign(tmp_path: Path) -> None:
    ca = create_ca(tmp_path / "ca", name="市办", passphrase="ca-pass")
    ident = _identity(tmp_path / "id")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    cert_pem = issue_certificate(ca, export_request(ident), days=365, valid_from=past)
    expired = import_certificate(tmp_path / "id", cert_pem, PASS, ca_cert_pem=ca.certificate_pem)
    pdf = tmp_path / "x.pdf"
    render_opinion_pdf(sample_document(tmp_path / "fx", photos_per_stage=(0, 0, 0)), pdf)
    with pytest.raises(UserError) as err:
        sign_pdf(pdf, tmp_path / "y.pdf", expired)
    assert err.value.code == "E_CERT_EXPIRED"
    assert not (tmp_path / "y.pdf").exists()


# --- signed PDF ----------------------------------------------------------------------------------------------
def test_pdfsig_reports_valid(signed: tuple[Path, OpinionDocument, Identity]) -> None:
    require("pdfsig")
    path, _, _ = signed
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in out
    assert "Total document signed" in out


def test_verify_passes(signed: tuple[Path, OpinionDocument, Identity]) -> None:
    path, doc, ident = signed
    seen: list[str] = []

    def exists(sha: str) -> bool:
        seen.append(sha)
        return True

    report = verify_opinion_pdf(
        path, trusted_certs=[ident.certificate], photo_exists=exists, expected_evidence=doc.evidence_hashes
    )
    assert report.ok, report.verdict
    assert report.verdict == "验证通过：签名有效，签名人可信，文件未被修改"
    assert sorted(seen) == sorted(doc.evidence_hashes)
    assert report.qr_payload == doc.qr_payload


def test_missing_photo_in_store_fails(signed: tuple[Path, OpinionDocument, Identity]) -> None:
    path, doc, ident = signed
    gone = doc.evidence_hashes[0]
    report = verify_opinion_pdf(path, trusted_certs=[ident.certificate], photo_exists=lambda h: h != gone)
    assert not report.ok
    assert "影像" in report.verdict


def test_unexpected_evidence_list_fails(signed: tuple[Path, OpinionDocument, Identity]) -> None:
    path, doc, ident = signed
    report = verify_opinion_pdf(
        path, trusted_certs=[ident.certificate], photo_exists=None, expected_evidence=doc.evidence_hashes[1:]
    )
    assert not report.ok


def _failing(path: Path, ident: Identity) -> list[str]:
    report = verify_opinion_pdf(path, trusted_certs=[ident.certificate], photo_exists=None)
    assert not report.ok
    assert report.verdict.startswith("验证失败：")
    return [c.name for c in report.checks if not c.ok]


def test_flipped_byte_fails(signed: tuple[Path, OpinionDocument, Identity], tmp_path: Path) -> None:
    path, doc, ident = signed
    raw = bytearray(path.read_bytes())
    at = raw.find(doc.photos[0].image_path.read_bytes()) + 5000  # inside an embedded photo: still parses
    assert at > 5000
    raw[at] ^= 0x01
    bad = tmp_path / "flipped.pdf"
    bad.write_bytes(bytes(raw))
    assert "签名完整性" in _failing(bad, ident)
    require("pdfsig")
    out = subprocess.run(["pdfsig", str(bad)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in out


def test_incremental_update_fails(signed: tuple[Path, OpinionDocument, Identity], tmp_path: Path) -> None:
    path, _, ident = signed
    writer = IncrementalPdfFileWriter(io.BytesIO(path.read_bytes()))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    bad = tmp_path / "updated.pdf"
    bad.write_bytes(out.getvalue())
    assert "覆盖范围" in _failing(bad, ident)


def test_added_page_fails(signed: tuple[Path, OpinionDocument, Identity], tmp_path: Path) -> None:
    path, _, ident = signed
    writer = IncrementalPdfFileWriter(io.BytesIO(path.read_bytes()))
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [
                    generic.NumberObject(0),
                    generic.NumberObject(0),
                    generic.NumberObject(595),
                    generic.NumberObject(842),
                ]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
        }
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    bad = tmp_path / "added_page.pdf"
    bad.write_bytes(out.getvalue())
    assert "覆盖范围" in _failing(bad, ident)


def test_other_signer_fails_trust(signed: tuple[Path, OpinionDocument, Identity], tmp_path: Path) -> None:
    path, _, _ = signed
    stranger = _identity(tmp_path / "stranger", "Stranger")
    report = verify_opinion_pdf(path, trusted_certs=[stranger.certificate], photo_exists=None)
    assert [c.name for c in report.checks if not c.ok] == ["证书信任"]
    assert report.verdict.startswith("签名人不受信任：")  # sound signature, unknown signer: said as such


def test_unsigned_file_fails(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    render_opinion_pdf(sample_document(tmp_path / "fx", photos_per_stage=(0, 0, 0)), pdf)
    ident = _identity(tmp_path / "id")
    assert _failing(pdf, ident) == ["签名数量"]


def test_garbage_file_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really\n")
    report = verify_opinion_pdf(bad, trusted_certs=[], photo_exists=None)
    assert not report.ok
