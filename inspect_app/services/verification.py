"""Verifying an acceptance opinion: the signed PDF, the QR code's text, or a scan/photo of a printed page.

What this data folder relies on (``trust_anchors``): the certificates it trusts (its own identity's chain and
``trusted/*.pem`` — normally the city office's root from ``inspect-app ca export``), the office CA's revocation
lists (``trusted/*.crl``, and those inside a countersigned file), the device registry's revocations, and every
device certificate the store knows (to find a QR code's signer by its key fingerprint: at the office, all).

A PDF recorded in this store must be the recorded file, or that file with only allowed updates appended (the
office's countersignature is an incremental update, so the recorded file is a byte prefix of it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import select

from inspect_app import crypto
from inspect_app.crypto.verify import TrustAnchors, VerificationReport, verify_qr_text
from inspect_app.errors import UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.i18n import Msg
from inspect_app.models.office import Device
from inspect_app.models.opinions import AcceptanceOpinion, OpinionCountersignature
from inspect_app.models.store import Store
from inspect_app.models.sync import SyncPeer, SyncRevocation
from inspect_app.services import identity as identity_service

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"RIFF")


def _pem_certs(text: str) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(text.encode("ascii")) if text.strip() else []
    except ValueError:
        return []


def trust_anchors(store: Store | None, *, data_dir: Path | None = None) -> TrustAnchors:
    """Return what verification relies on in this data folder (see the module doc)."""
    trusted = identity_service.trusted_certificates(store, data_dir=data_dir)
    crls = identity_service.trusted_crls(store, data_dir=data_dir)
    revoked: set[str] = set()
    known: list[x509.Certificate] = []
    if store is not None:
        with store.reader() as session:
            revoked = set(session.scalars(select(SyncRevocation.key_sha256)))
            for pem in session.scalars(select(Device.certificate_pem)):
                known += _pem_certs(pem or "")
            for pem in session.scalars(select(SyncPeer.certificate_pem)):
                known += _pem_certs(pem or "")
    return TrustAnchors(trusted=tuple(trusted), crls=tuple(crls), revoked_keys=frozenset(revoked),
                        known=tuple(known))


def _signed_revision_bytes(pdf: bytes) -> bytes | None:
    """Return the file as the inspector signed it (up to the end of the first signature's revision)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
        if not sigs:
            return None
        start, length = sigs[0].sig_object["/ByteRange"][2:4]
        return pdf[: int(start) + int(length)]
    except Exception:  # a damaged file: the verification itself says why
        return None


def _opinion_id(pdf: bytes) -> str:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    from inspect_app.reports.opinion_pdf import METADATA_OPINION_KEY

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
        revision = sigs[0].signed_revision if sigs else reader.xrefs.total_revisions - 1
        trailer = reader.get_historical_resolver(revision).trailer_view
        return str(trailer["/Info"].get("/" + METADATA_OPINION_KEY, "")) if "/Info" in trailer else ""
    except Exception:  # a damaged file: the verification itself says why
        return ""


def verify_opinion_document(store: Store | None, pdf_path: Path, *, data_dir: Path | None = None,
                            extra_trusted: Iterable[x509.Certificate] = ()) -> VerificationReport:
    """Verify a signed opinion PDF: signatures, allowed updates, trust, revocation, QR, and with the store
    the evidence and the record."""
    pdf_path = Path(pdf_path)
    if not pdf_path.is_file():
        raise UserError(Msg("找不到文件：{path}", path=pdf_path), code="E_FILE_NOT_FOUND")
    anchors = trust_anchors(store, data_dir=data_dir)
    anchors = TrustAnchors(trusted=(*anchors.trusted, *extra_trusted), crls=anchors.crls,
                           revoked_keys=anchors.revoked_keys, known=anchors.known)
    if store is None:
        return crypto.verify_opinion_pdf(pdf_path, anchors=anchors)
    pdf = pdf_path.read_bytes()
    blobs = BlobStore(store.blob_root)
    opinion_id = _opinion_id(pdf)
    recorded = False
    recorded_sha = ""
    countersigned_sha = ""
    number = ""
    evidence: list[str] = []
    superseded_by: str | None = None
    if opinion_id:
        with store.reader() as session:
            row = session.get(AcceptanceOpinion, opinion_id)
            if row is not None and row.deleted_at is None:
                recorded, recorded_sha = True, row.pdf_sha256
                number, evidence = row.number, list(row.evidence_sha256 or [])
                counter = session.get(OpinionCountersignature, row.id)
                countersigned_sha = counter.pdf_sha256 if counter is not None else ""
                newer = session.scalars(select(AcceptanceOpinion.number).where(
                    AcceptanceOpinion.supersedes_id == row.id, AcceptanceOpinion.deleted_at.is_(None))).first()
                superseded_by = str(newer) if newer else None
    # The photos of an opinion recorded here must be here; one issued elsewhere is checked as a document only.
    report = crypto.verify_opinion_pdf(
        pdf_path, anchors=anchors,
        photo_exists=(lambda h: bool(re.fullmatch(r"[0-9a-f]{64}", h)) and blobs.has(h)) if recorded else None,
        expected_evidence=evidence if recorded else None,
    )
    if recorded:
        actual = hashlib.sha256(pdf).hexdigest()
        signed_part = _signed_revision_bytes(pdf)
        original = signed_part is not None and hashlib.sha256(signed_part).hexdigest() == recorded_sha
        if actual == recorded_sha:
            detail, ok = f"与本机登记的验收意见 {number} 一致", True
        elif countersigned_sha and actual == countersigned_sha:
            detail, ok = f"与本机登记的验收意见 {number}（市办公室会签本）一致", True
        elif original:
            detail, ok = f"签名部分与本机登记的验收意见 {number} 一致，其后为追加的更新", True
        else:
            detail, ok = f"与本机登记的验收意见 {number} 的文件不一致", False
        report.add("登记记录", ok, detail)
        if superseded_by:
            report.add("效力", True, f"注意：本意见已被 {superseded_by} 更正替代")
    elif report.checks and report.checks[0].ok:
        report.add("登记记录", True, "本机数据库中没有该验收意见的记录（可能由其他设备出具），未核对登记信息与影像文件")
    return report


def decode_qr_image(path: Path) -> str:
    """Return the text of the QR code in a scan or photo of a printed page (zxing-cpp)."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            found = zxingcpp.read_barcodes(image.convert("L"))
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise UserError(Msg("无法读取图片：{path}（{exc}）", path=path, exc=exc), code="E_IMAGE_INVALID") from exc
    texts = [r.text for r in found if r.valid and "IAO1|" in r.text]
    if not texts:
        raise UserError(Msg("图片中没有找到验收意见的二维码（请拍清整个二维码，或扫描为 150 dpi 以上）"),
                        code="E_QR_NOT_FOUND")
    return texts[0]


def verify_qr(store: Store | None, text: str, *, data_dir: Path | None = None,
              source: Path | None = None) -> VerificationReport:
    """Verify a QR code's text (from a scanner, or decoded from an image): the signed payload against the
    device keys this store knows and trusts, and with the store the opinion's record."""
    anchors = trust_anchors(store, data_dir=data_dir)
    received: dict[str, dt.datetime] = {}
    rows: dict[str, Any] = {}
    if store is not None:
        with store.reader() as session:
            for sig in session.scalars(select(OpinionCountersignature)):
                received[sig.opinion_id] = sig.signed_at
    report = verify_qr_text(text, anchors, source=source, received_at=received.get)
    fields = report.fields
    if store is not None and fields is not None:
        with store.reader() as session:
            row = session.get(AcceptanceOpinion, fields.opinion_id)
            if row is not None and row.deleted_at is None:
                rows[row.id] = (row.number, row.conclusion, row.issued_on)
        if fields.opinion_id in rows:
            number, conclusion, issued = rows[fields.opinion_id]
            same = (number, conclusion, issued) == (fields.document_number, fields.conclusion, fields.issue_date)
            report.add("登记记录", same, f"与本机登记的验收意见 {number} 一致" if same
                       else f"与本机登记的验收意见 {number} 不一致（文号、结论或日期不同）")
        else:
            report.add("登记记录", True, "注意：本机没有该验收意见的登记记录（可能尚未报送）")
    return report


def verify_any(store: Store | None, target: str, *, data_dir: Path | None = None) -> VerificationReport:
    """Verify what the user gave: a PDF, an image of a printed page, or the QR code's text itself."""
    path = Path(target)
    if "IAO1|" in target:
        return verify_qr(store, target, data_dir=data_dir)
    if not path.is_file():
        raise UserError(Msg("找不到文件：{path}", path=path), code="E_FILE_NOT_FOUND")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF"):
        return verify_opinion_document(store, path, data_dir=data_dir)
    if head.startswith(IMAGE_MAGIC):
        return verify_qr(store, decode_qr_image(path), data_dir=data_dir, source=path)
    text = path.read_text(encoding="utf-8", errors="replace")
    if "IAO1|" in text:
        return verify_qr(store, text, data_dir=data_dir, source=path)
    raise UserError(Msg("无法识别的文件：{path}（应为 PDF、页面照片或二维码文本）", path=path), code="E_FILE_UNKNOWN")
