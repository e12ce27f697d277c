"""The signed payload printed as a QR code on the acceptance opinion.

What the printed code says (UTF-8), line by line: a line a person can read (文号, enterprise, conclusion,
date), the office's verification address when it has set one, and the signed payload::

    郑淘汰落后验〔2021〕3号 郑州华丰建材有限公司 验收通过 2021年10月28日
    https://…/verify
    IAO1|<opinion id>|<文号>|<USCC>|<pass|fail|recheck>|<YYYYMMDD>|<evidence sha256 hex>|<key fp>|<signature>

The signature is ECDSA P-256 / SHA-256 over everything before the last ``|`` (prefix included), as raw
``r || s`` (64 bytes) in unpadded base64url. About 280 bytes: QR version 12 at error correction M.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.rules.conclusions import Conclusion

PREFIX = "IAO1"
SEP = "|"
_CONCLUSIONS = frozenset(c.value for c in Conclusion)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
_SIG = re.compile(r"[A-Za-z0-9_-]{86}")


@dataclass(frozen=True, slots=True)
class QrFields:
    """The facts the QR code vouches for."""

    opinion_id: str
    document_number: str
    uscc: str
    conclusion: str
    issue_date: dt.date
    evidence_digest: str
    key_fingerprint: str


@dataclass(frozen=True, slots=True)
class ParsedQr:
    """A parsed payload: the fields, the signed bytes and the raw signature."""

    fields: QrFields
    signed_bytes: bytes
    signature: bytes


def evidence_digest(hashes_: Iterable[str]) -> str:
    """Return the SHA-256 hex over the sorted photo SHA-256s joined by newlines."""
    joined = "\n".join(sorted(h.lower() for h in hashes_))
    return hashlib.sha256(joined.encode("ascii")).hexdigest()


def key_fingerprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """Return the first 16 hex digits of SHA-256 over the DER SubjectPublicKeyInfo."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _field_text(fields: QrFields) -> str:
    parts = [
        PREFIX,
        fields.opinion_id,
        fields.document_number,
        fields.uscc,
        fields.conclusion,
        fields.issue_date.strftime("%Y%m%d"),
        fields.evidence_digest,
        fields.key_fingerprint,
    ]
    for part in parts:
        if SEP in part or "\n" in part:
            raise UserError(Msg("二维码字段不能包含“{separator}”或换行：{part}", separator=SEP, part=part), code="E_QR_FIELD")
    return SEP.join(parts)


def make_qr_payload(fields: QrFields, private_key: ec.EllipticCurvePrivateKey) -> str:
    """Sign ``fields`` with the device key and return the payload string."""
    if fields.conclusion not in _CONCLUSIONS:
        raise UserError(Msg("未知的验收结论代码：{conclusion}", conclusion=fields.conclusion), code="E_QR_FIELD")
    if not _HEX64.fullmatch(fields.evidence_digest) or not _HEX16.fullmatch(fields.key_fingerprint):
        raise UserError(Msg("二维码中的摘要或密钥指纹格式不正确"), code="E_QR_FIELD")
    body = _field_text(fields)
    der = private_key.sign(body.encode("utf-8"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return body + SEP + _b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def payload_line(text: str) -> str:
    """Return the signed payload out of what a QR code says (a readable line and an address may precede it)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    found = [line for line in lines if line.startswith(PREFIX + SEP)]
    return found[-1] if found else text.strip()


def parse_qr_payload(text: str) -> ParsedQr:
    """Parse a payload (or the whole text of the QR code) without checking the signature; refuse anything
    malformed."""

    def bad(why: Msg) -> UserError:
        return UserError(Msg("二维码内容无效：{why}", why=why), code="E_QR_INVALID")

    parts = payload_line(text).split(SEP)
    if len(parts) != 9 or parts[0] != PREFIX:
        raise bad(Msg("格式或版本不符"))
    _, opinion_id, number, uscc, conclusion, day, digest, fingerprint, sig_text = parts
    if conclusion not in _CONCLUSIONS:
        raise bad(Msg("验收结论代码未知"))
    try:
        issue_date = dt.datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        raise bad(Msg("日期格式不正确")) from None
    if not _HEX64.fullmatch(digest):
        raise bad(Msg("影像摘要格式不正确"))
    if not _HEX16.fullmatch(fingerprint):
        raise bad(Msg("密钥指纹格式不正确"))
    if not _SIG.fullmatch(sig_text):
        raise bad(Msg("签名格式不正确"))
    try:
        signature = _unb64url(sig_text)
    except (binascii.Error, ValueError):
        raise bad(Msg("签名无法解码")) from None
    fields = QrFields(opinion_id, number, uscc, conclusion, issue_date, digest, fingerprint)
    signed = SEP.join(parts[:8]).encode("utf-8")
    return ParsedQr(fields=fields, signed_bytes=signed, signature=signature)


def verify_qr_payload(text: str, public_key: ec.EllipticCurvePublicKey) -> QrFields:
    """Parse the payload and check its signature against ``public_key``; return the fields."""
    parsed = parse_qr_payload(text)
    if parsed.fields.key_fingerprint != key_fingerprint(public_key):
        raise UserError(Msg("二维码签名密钥与验证证书不一致"), code="E_QR_SIGNATURE")
    r = int.from_bytes(parsed.signature[:32], "big")
    s = int.from_bytes(parsed.signature[32:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), parsed.signed_bytes, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise UserError(Msg("二维码签名无效：内容被改动或并非由该密钥签发"), code="E_QR_SIGNATURE") from None
    return parsed.fields
