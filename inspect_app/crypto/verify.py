"""Check a signed acceptance opinion: the inspector's PAdES signature, what was added after it, who signed it
(trust and revocation), the QR payload and the evidence — and check a QR code alone (a paper copy).

What may follow the inspector's signature ("allowed updates"): the Document Security Store (certificates and
revocation lists for long-term validation) and the office's countersignature. pyHanko's difference analysis
classifies every later revision; anything beyond DSS updates and new signature fields (edited text, a new page,
an annotation, a changed image …) fails, as does any byte changed inside a signed range.

Trust: a signer is trusted when its certificate chains to a certificate this data folder trusts (normally the
city office's root, ``inspect-app identity trust root.pem``). Revocation: the office CA's CRLs (from the file's
DSS and the data folder) and the office's device registry; a revoked certificate's signature stands only when
the office countersigned the document before the revocation — otherwise (a "later opinion") it fails.

Never raises for a bad document: every finding is a ``Check`` in the report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from inspect_app.crypto._files import read_file
from inspect_app.crypto.countersign import COUNTERSIGN_FIELD
from inspect_app.crypto.pades import to_asn1_cert
from inspect_app.errors import UserError
from inspect_app.reports import opinion_pdf as keys
from inspect_app.reports.qr import (
    QrFields,
    evidence_digest,
    key_fingerprint,
    parse_qr_payload,
    verify_qr_payload,
)

CHINA_TZ = dt.timezone(dt.timedelta(hours=8))

# pyHanko logs what it finds wrong in a file (a later incremental update, a broken signature) as warnings with
# tracebacks; the verification report names each failed check, so those logs would only be noise on stderr.
# A NullHandler keeps them from Python's last-resort handler while an app that configures logging still gets them.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())

# the Info key each QR field must agree with
_FIELD_KEYS = {
    "opinion_id": keys.METADATA_OPINION_KEY,
    "document_number": keys.METADATA_NUMBER_KEY,
    "uscc": keys.METADATA_USCC_KEY,
    "conclusion": keys.METADATA_CONCLUSION_KEY,
}
_FIELD_NAMES = {
    "opinion_id": "意见编号",
    "document_number": "文号",
    "uscc": "统一社会信用代码",
    "conclusion": "验收结论",
}
@contextlib.contextmanager
def _quiet_pyhanko() -> Any:
    """pyHanko logs a failed certificate path with its traceback at WARNING; an untrusted signer is a finding
    reported in the checks, and the person verifying must not see a traceback."""
    log = logging.getLogger("pyhanko")
    saved = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(saved)


_ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True, slots=True)
class Check:
    """One check and its outcome, described in Chinese."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class SignerInfo:
    """One signature in the file, as a person would want it described."""

    field: str
    role: str  # "opinion" (the inspector's) or "countersign" (the office's)
    name: str
    organisation: str
    issuer: str
    signed_at: dt.datetime | None
    self_signed: bool
    trusted: bool
    intact: bool


@dataclass(slots=True)
class VerificationReport:
    """All checks of one PDF (or QR code); ``ok`` only when every check passed."""

    path: Path
    checks: list[Check] = field(default_factory=list)
    signer: str = ""
    qr_payload: str | None = None
    signatures: list[SignerInfo] = field(default_factory=list)
    trusted: bool = False
    countersigned: bool = False
    fields: QrFields | None = None

    @property
    def ok(self) -> bool:
        """Tell whether every check passed (and there was at least one)."""
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def verdict(self) -> str:
        """Return the one-line verdict shown to the user."""
        if self.ok:
            extra = "，已经市办公室会签" if self.countersigned else ""
            return "验证通过：签名有效，签名人可信，文件未被修改" + extra
        failed = [c for c in self.checks if not c.ok]
        if [c.name for c in failed] == ["证书信任"]:
            return "签名人不受信任：" + failed[0].detail
        return "验证失败：" + "；".join(c.detail for c in failed)

    def add(self, name: str, ok: bool, detail: str) -> bool:
        """Record a check; return ``ok``."""
        self.checks.append(Check(name, ok, detail))
        return ok


@dataclass(frozen=True, slots=True)
class TrustAnchors:
    """What a verifier relies on: trusted certificates, CRLs, revoked keys (SHA-256 of SPKI), and known
    certificates to find a QR code's signer among."""

    trusted: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    revoked_keys: frozenset[str] = frozenset()
    known: tuple[x509.Certificate, ...] = ()


def beijing(when: dt.datetime) -> str:
    """Format an aware time in China Standard Time."""
    return f"{when.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}（北京时间）"


def _name(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def key_sha256(cert: x509.Certificate) -> str:
    """Return the SHA-256 (hex) of the certificate's SubjectPublicKeyInfo (the device registry's key id)."""
    der = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _valid_crls(crls: Iterable[x509.CertificateRevocationList],
                issuers: Iterable[x509.Certificate]) -> list[tuple[x509.CertificateRevocationList, x509.Certificate]]:
    """Keep the CRLs whose signature checks against a known CA certificate."""
    out = []
    issuers = list(issuers)
    for crl in crls:
        for ca in issuers:
            if crl.issuer == ca.subject and crl.is_signature_valid(ca.public_key()):  # type: ignore[arg-type]
                out.append((crl, ca))
                break
    return out


def revocation_of(cert: x509.Certificate, anchors: TrustAnchors,
                  extra_crls: Iterable[x509.CertificateRevocationList] = (),
                  extra_issuers: Iterable[x509.Certificate] = ()) -> tuple[dt.datetime | None, bool]:
    """Return (revoked at, status known) for ``cert`` from the CRLs and the revoked-key list."""
    issuers = [c for c in (*anchors.trusted, *extra_issuers) if _issued_by(cert, c)]
    crls = _valid_crls((*anchors.crls, *extra_crls), issuers)
    revoked_at: dt.datetime | None = None
    for crl, _ca in crls:
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None:
            when = entry.revocation_date_utc
            revoked_at = when if revoked_at is None else min(revoked_at, when)
    if key_sha256(cert) in anchors.revoked_keys and revoked_at is None:
        revoked_at = dt.datetime.min.replace(tzinfo=dt.UTC)  # revoked, time unknown: treat as always
    return revoked_at, bool(crls) or key_sha256(cert) in anchors.revoked_keys


def _info(reader: PdfFileReader, revision: int) -> dict[str, str]:
    """Return the document info of the signed revision (what the signature vouches for)."""
    trailer = reader.get_historical_resolver(revision).trailer_view
    if "/Info" not in trailer:
        return {}
    return {str(k).lstrip("/"): str(v) for k, v in trailer["/Info"].items()}


def _dss(reader: PdfFileReader) -> tuple[list[x509.Certificate], list[x509.CertificateRevocationList]]:
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # no DSS, or an unreadable one: the document is checked without it
        return [], []
    certs = [x509.load_der_x509_certificate(c.dump()) for c in dss.load_certs()]
    crls = []
    for ref in dss.crls:
        try:
            crls.append(x509.load_der_x509_crl(ref.get_object().data))
        except ValueError:
            continue
    return certs, crls


def _signer_info(sig: Any, status: Any, role: str) -> tuple[SignerInfo, x509.Certificate]:
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    issuer = _name(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string()
    info = SignerInfo(
        field=str(sig.field_name), role=role, name=_name(cert.subject, NameOID.COMMON_NAME),
        organisation=_name(cert.subject, NameOID.ORGANIZATION_NAME), issuer=issuer,
        signed_at=sig.self_reported_timestamp, self_signed=cert.issuer == cert.subject,
        trusted=bool(status.trusted), intact=bool(status.intact and status.valid))
    return info, cert


def verify_opinion_pdf(
    path: Path,
    *,
    trusted_certs: Iterable[x509.Certificate] = (),
    anchors: TrustAnchors | None = None,
    photo_exists: Callable[[str], bool] | None = None,
    expected_evidence: Iterable[str] | None = None,
) -> VerificationReport:
    """Verify a signed opinion PDF; never raises for a bad document, reports it instead."""
    anchors = anchors or TrustAnchors()
    anchors = TrustAnchors(trusted=(*anchors.trusted, *trusted_certs), crls=anchors.crls,
                           revoked_keys=anchors.revoked_keys, known=anchors.known)
    report = VerificationReport(path=Path(path))
    pdf = read_file(Path(path))
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # a damaged file can fail the parser in many ways; it is a finding, not a bug
        report.add("文件结构", False, f"文件无法解析（{type(exc).__name__}）")
        return report
    opinion_sigs = [s for s in signatures if s.field_name != COUNTERSIGN_FIELD]
    counter_sigs = [s for s in signatures if s.field_name == COUNTERSIGN_FIELD]
    if not report.add("签名数量", len(opinion_sigs) == 1,
                      "文件包含验收组的一个签名" + (f"和市办公室的 {len(counter_sigs)} 个会签" if counter_sigs else "")
                      if len(opinion_sigs) == 1 else f"文件包含 {len(opinion_sigs)} 个验收签名，应为 1 个"):
        return report
    dss_certs, dss_crls = _dss(reader)
    roots = [to_asn1_cert(c) for c in anchors.trusted]
    context = ValidationContext(trust_roots=roots, other_certs=[to_asn1_cert(c) for c in dss_certs],
                                allow_fetching=False, revocation_mode="soft-fail")
    sig = opinion_sigs[0]
    try:
        with _quiet_pyhanko():
            status = validate_pdf_signature(sig, context)
            counter_status = [(s, validate_pdf_signature(s, context)) for s in counter_sigs]
    except Exception as exc:  # pyHanko raises assorted errors for mangled CMS data
        report.add("签名完整性", False, f"签名无法验证（{type(exc).__name__}）")
        return report
    info, cert = _signer_info(sig, status, "opinion")
    report.signatures.append(info)
    report.signer = status.signing_cert.subject.human_friendly
    report.add("签名完整性", info.intact,
               "签名有效，签名范围内内容未被改动" if info.intact else "签名无效：签名范围内的内容已被改动")

    counters: list[tuple[SignerInfo, x509.Certificate, Any]] = []
    for csig, cstatus in counter_status:
        cinfo, ccert = _signer_info(csig, cstatus, "countersign")
        report.signatures.append(cinfo)
        counters.append((cinfo, ccert, cstatus))
    _check_coverage(report, status, counters)

    report.trusted = info.trusted
    if info.trusted:
        how = "自签名证书，已被本机直接信任" if info.self_signed else f"由{info.issuer}签发，链至本机信任的根证书"
        report.add("证书信任", True, f"签名人可信：{info.name}（{info.organisation}），{how}")
    elif not anchors.trusted:
        report.add("证书信任", False, f"{info.name}（{info.organisation}）的证书无法核实：本机尚未信任任何根证书"
                                      "（请导入市办公室发布的根证书：inspect-app identity trust 根证书.pem）")
    elif info.self_signed:
        report.add("证书信任", False, f"{info.name}（{info.organisation}）使用自签名证书，未经市办公室签发，本机不信任")
    else:
        report.add("证书信任", False, f"{info.name}（{info.organisation}）的证书由“{info.issuer}”签发，"
                                      "该机构不在本机的信任列表中")
    _check_revocation(report, info, cert, counters, anchors, dss_crls, dss_certs)

    signed_info = _info(reader, sig.signed_revision)
    _check_qr(report, signed_info, cert.public_key())
    _check_evidence(report, signed_info, photo_exists, expected_evidence)
    return report


def _check_coverage(report: VerificationReport, status: Any,
                    counters: list[tuple[SignerInfo, x509.Certificate, Any]]) -> None:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        report.add("覆盖范围", True, "签名覆盖整个文件，签名后没有任何更改")
        return
    level = status.modification_level
    allowed = (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and level in _ALLOWED_AFTER
               and bool(status.docmdp_ok))
    if not allowed:
        report.add("覆盖范围", False, "签名后文件被修改：追加的内容不属于允许的更新（仅允许长期验证数据和市办公室会签）")
        return
    bad = [c for c, _cert, _s in counters if not (c.intact and c.trusted)]
    if bad:
        report.add("覆盖范围", False, "签名后追加的会签无效或签名人不受信任：" + "、".join(c.name for c in bad))
        return
    last = counters[-1][2] if counters else None
    if last is not None and not (last.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
            last.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and last.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES))):
        report.add("覆盖范围", False, "会签之后文件又被修改（不属于允许的更新）")
        return
    parts = ["长期验证数据（证书链与吊销列表）"] if level != ModificationLevel.NONE else []
    for c, _cert, _s in counters:
        when = beijing(c.signed_at) if c.signed_at else "时间不详"
        parts.append(f"{c.name}（{c.organisation}）于{when}会签")
    report.countersigned = bool(counters)
    report.add("覆盖范围", True, "签名后仅有允许的更新：" + "；".join(parts or ["无"]))


def _check_revocation(report: VerificationReport, info: SignerInfo, cert: x509.Certificate,
                      counters: list[tuple[SignerInfo, x509.Certificate, Any]], anchors: TrustAnchors,
                      dss_crls: list[x509.CertificateRevocationList], dss_certs: list[x509.Certificate]) -> None:
    if info.self_signed:
        revoked_at = (dt.datetime.min.replace(tzinfo=dt.UTC) if key_sha256(cert) in anchors.revoked_keys else None)
        known = key_sha256(cert) in anchors.revoked_keys
    else:
        revoked_at, known = revocation_of(cert, anchors, dss_crls, dss_certs)
    if revoked_at is None:
        report.add("吊销状态", True, "签名证书未被吊销" if known
                   else "注意：未找到签发机构的吊销列表，无法确认签名证书未被吊销")
        return
    when = "（时间不详）" if revoked_at.year == 1 else beijing(revoked_at)
    receipts = [c.signed_at for c, _cert, _s in counters if c.intact and c.trusted and c.signed_at]
    if receipts and min(receipts) < revoked_at:
        report.add("吊销状态", True, f"签名证书已于{when}被吊销，但市办公室已在吊销前（{beijing(min(receipts))}）"
                                     "收文会签，本意见有效")
        return
    report.add("吊销状态", False, f"签名设备的证书已于{when}被吊销，本意见未在吊销前经市办公室会签，不予认可")


def _check_qr(report: VerificationReport, info: dict[str, Any], public_key: object) -> None:
    payload = info.get(keys.METADATA_QR_KEY)
    report.qr_payload = payload
    if not payload:
        report.add("二维码", False, "文件中没有二维码核验信息")
        return
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        report.add("二维码", False, "签名证书不是 ECDSA 密钥，无法核验二维码")
        return
    try:
        fields = verify_qr_payload(payload, public_key)
    except UserError as exc:
        report.add("二维码", False, exc.message)
        return
    report.fields = fields
    mismatched = [
        _FIELD_NAMES[name]
        for name, key in _FIELD_KEYS.items()
        if str(getattr(fields, name)) != info.get(key, "")
    ]
    if fields.issue_date.isoformat() != info.get(keys.METADATA_ISSUE_DATE_KEY, ""):
        mismatched.append("成文日期")
    listed = info.get(keys.METADATA_EVIDENCE_KEY, "").split()
    if fields.evidence_digest != evidence_digest(listed):
        mismatched.append("影像清单摘要")
    if mismatched:
        report.add("二维码", False, "二维码与文件内容不一致：" + "、".join(mismatched))
    else:
        report.add("二维码", True, "二维码签名有效，与文件内容一致")


def _check_evidence(
    report: VerificationReport,
    info: dict[str, Any],
    photo_exists: Callable[[str], bool] | None,
    expected: Iterable[str] | None,
) -> None:
    listed = info.get(keys.METADATA_EVIDENCE_KEY, "").split()
    if expected is not None:
        want = {h.lower() for h in expected}
        have = set(listed)
        report.add(
            "影像清单",
            want == have,
            "影像清单与记录一致"
            if want == have
            else f"影像清单与记录不一致：缺少 {len(want - have)} 张，多出 {len(have - want)} 张",
        )
    if photo_exists is not None:
        missing = [h for h in listed if not photo_exists(h)]
        report.add(
            "影像文件",
            not missing,
            f"全部 {len(listed)} 张影像均在存储中"
            if not missing
            else f"{len(missing)} 张影像在存储中找不到（如 {missing[0][:16]}）",
        )


# --- a QR code alone (a paper copy) -------------------------------------------------------------------------


def verify_qr_text(text: str, anchors: TrustAnchors, *, source: Path | None = None,
                   received_at: Callable[[str], dt.datetime | None] | None = None) -> VerificationReport:
    """Check what a QR code says: its payload's signature by a known device key whose certificate is trusted
    and not revoked. Which device signed it is looked up by the key fingerprint among ``anchors.known``.

    ``received_at`` tells when the office countersigned an opinion (by id): a revoked device's opinion stands
    only when the office had it before the revocation (the date printed on paper proves nothing).
    """
    report = VerificationReport(path=source or Path("二维码"))
    try:
        parsed = parse_qr_payload(text)
    except UserError as exc:
        report.add("二维码", False, exc.message)
        return report
    report.qr_payload = text
    candidates = [c for c in (*anchors.known, *anchors.trusted)
                  if isinstance(c.public_key(), ec.EllipticCurvePublicKey)
                  and key_fingerprint(c.public_key()) == parsed.fields.key_fingerprint]  # type: ignore[arg-type]
    if not candidates:
        report.add("签名密钥", False, f"本机不认识签发该二维码的密钥（指纹 {parsed.fields.key_fingerprint}）："
                                      "请在市办公室（掌握全部设备证书）核验，或核验电子文件")
        return report
    cert = candidates[0]
    try:
        fields = verify_qr_payload(text, cert.public_key())  # type: ignore[arg-type]
    except UserError as exc:
        report.add("二维码签名", False, exc.message)
        return report
    report.fields = fields
    name = _name(cert.subject, NameOID.COMMON_NAME)
    org = _name(cert.subject, NameOID.ORGANIZATION_NAME)
    report.signer = f"{name}（{org}）"
    report.add("二维码签名", True, f"二维码签名有效：由{name}（{org}）的设备密钥签发，内容未被改动")
    trusted = any(cert == t or _issued_by(cert, t) for t in anchors.trusted)
    report.trusted = trusted
    report.add("证书信任", trusted, "签名人的证书链至本机信任的根证书" if trusted
               else f"{name} 的证书不是由本机信任的机构签发")
    revoked_at, known = revocation_of(cert, anchors)
    if revoked_at is not None:
        when = "（时间不详）" if revoked_at.year == 1 else beijing(revoked_at)
        received = received_at(fields.opinion_id) if received_at is not None else None
        before = received is not None and received < revoked_at
        report.add("吊销状态", before, f"签名设备已于{when}被吊销" + (
            f"，市办公室已于{beijing(received)}（吊销前）收文会签" if before and received is not None
            else "，本意见未在吊销前经市办公室会签，不予认可"))
    else:
        report.add("吊销状态", True, "签名证书未被吊销" if known else "注意：未找到吊销列表，无法确认证书未被吊销")
    return report
