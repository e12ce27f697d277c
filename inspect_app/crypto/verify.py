"""Check a signed acceptance opinion: PAdES signature, whole-file coverage, the QR payload, the evidence."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from inspect_app.crypto._files import read_file
from inspect_app.crypto.pades import to_asn1_cert
from inspect_app.errors import UserError
from inspect_app.reports import opinion_pdf as keys
from inspect_app.reports.qr import evidence_digest, verify_qr_payload

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


@dataclass(frozen=True, slots=True)
class Check:
    """One check and its outcome, described in Chinese."""

    name: str
    ok: bool
    detail: str


@dataclass(slots=True)
class VerificationReport:
    """All checks of one PDF; ``ok`` only when every check passed."""

    path: Path
    checks: list[Check] = field(default_factory=list)
    signer: str = ""
    qr_payload: str | None = None

    @property
    def ok(self) -> bool:
        """Tell whether every check passed (and there was at least one)."""
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def verdict(self) -> str:
        """Return the one-line verdict shown to the user."""
        if self.ok:
            return "验证通过：签名有效，文件未被修改"
        return "验证失败：" + "；".join(c.detail for c in self.checks if not c.ok)

    def add(self, name: str, ok: bool, detail: str) -> bool:
        """Record a check; return ``ok``."""
        self.checks.append(Check(name, ok, detail))
        return ok


def _info(reader: PdfFileReader, revision: int) -> dict[str, str]:
    """Return the document info of the signed revision (what the signature vouches for)."""
    trailer = reader.get_historical_resolver(revision).trailer_view
    if "/Info" not in trailer:
        return {}
    return {str(k).lstrip("/"): str(v) for k, v in trailer["/Info"].items()}


def verify_opinion_pdf(
    path: Path,
    *,
    trusted_certs: Iterable[x509.Certificate],
    photo_exists: Callable[[str], bool] | None = None,
    expected_evidence: Iterable[str] | None = None,
) -> VerificationReport:
    """Verify a signed opinion PDF; never raises for a bad document, reports it instead."""
    report = VerificationReport(path=Path(path))
    pdf = read_file(Path(path))
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # a damaged file can fail the parser in many ways; it is a finding, not a bug
        report.add("文件结构", False, f"文件无法解析（{type(exc).__name__}）")
        return report
    if not report.add(
        "签名数量",
        len(signatures) == 1,
        "文件包含一个签名" if len(signatures) == 1 else f"文件包含 {len(signatures)} 个签名，应为 1 个",
    ):
        return report
    sig = signatures[0]
    roots = [to_asn1_cert(c) for c in trusted_certs]
    try:
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=roots, allow_fetching=False))
    except Exception as exc:  # pyHanko raises assorted errors for mangled CMS data
        report.add("签名完整性", False, f"签名无法验证（{type(exc).__name__}）")
        return report
    report.signer = status.signing_cert.subject.human_friendly
    report.add(
        "签名完整性",
        bool(status.intact and status.valid),
        "签名有效，签名范围内内容未被改动"
        if status.intact and status.valid
        else "签名无效：签名范围内的内容已被改动",
    )
    report.add(
        "覆盖范围",
        status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        "签名覆盖整个文件"
        if status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        else "签名后文件被追加或修改（签名未覆盖整个文件）",
    )
    report.add(
        "证书信任",
        bool(status.trusted),
        f"签名证书可信：{report.signer}"
        if status.trusted
        else f"签名证书不在信任列表中或已失效：{report.signer}",
    )

    info = _info(reader, sig.signed_revision)
    public_key = x509.load_der_x509_certificate(status.signing_cert.dump()).public_key()
    _check_qr(report, info, public_key)
    _check_evidence(report, info, photo_exists, expected_evidence)
    return report


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
