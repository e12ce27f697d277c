"""The office's countersignature on a received opinion: long-term validation material and a second signature.

One incremental update, added after the inspector's signature (which it leaves untouched):

1. the Document Security Store (DSS) with every certificate the signatures need (the inspector's device
   certificate, the office's own, the city CA's root) and the office CA's current CRL — what a verifier needs
   later without the app or a network (PAdES B-LT, as pyHanko's validation-info embedding builds it);
2. a second PAdES signature by the office's key (invisible), whose signing time is the office's receipt time.

Both are "allowed updates": a verifier sees the inspector's signature covering its revision, followed only by
DSS entries and a signature field; any other change after it still fails (``verify.py``).
"""

from __future__ import annotations

import datetime as dt
import io

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation.dss import DocumentSecurityStore

from inspect_app.crypto.identity import Identity
from inspect_app.crypto.pades import ArchiveWriter, TimedSigner, make_signer, to_asn1_cert
from inspect_app.errors import UserError
from inspect_app.i18n import Msg

COUNTERSIGN_FIELD = "OfficeCountersign"
COUNTERSIGN_REASON = "市淘汰落后产能工作领导小组办公室收文会签"


def to_asn1_crl(crl: x509.CertificateRevocationList) -> object:
    """Convert a ``cryptography`` CRL to the asn1crypto form pyHanko uses."""
    from asn1crypto import crl as asn1_crl

    return asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))


def countersign_pdf(
    pdf: bytes,
    office: Identity,
    *,
    crls: list[x509.CertificateRevocationList],
    roots: list[x509.Certificate],
    signing_time: dt.datetime | None = None,
) -> bytes:
    """Return ``pdf`` with the DSS (certificates, CRLs) and the office's countersignature appended."""
    office.check_usable()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError) as exc:
        raise UserError(Msg("无法读取该 PDF 文件：{exc}", exc=exc), code="E_PDF_INVALID") from exc
    if not signatures:
        raise UserError(Msg("该文件没有签名，不能会签"), code="E_PDF_UNSIGNED")
    if any(sig.field_name == COUNTERSIGN_FIELD for sig in signatures):
        raise UserError(Msg("该文件已由市办公室会签"), code="E_ALREADY_COUNTERSIGNED")
    certs: dict[bytes, object] = {}
    for sig in signatures:
        for cert in (sig.signer_cert, *sig.other_embedded_certs):
            certs[cert.dump()] = cert
    for cert in (office.certificate, *office.chain, *roots):
        asn1 = to_asn1_cert(cert)
        certs[asn1.dump()] = asn1
    when = (signing_time or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    try:
        writer = ArchiveWriter(io.BytesIO(pdf))
        DocumentSecurityStore.supply_dss_in_writer(
            writer, None, certs=list(certs.values()), crls=[to_asn1_crl(c) for c in crls])
        meta = signers.PdfSignatureMetadata(
            field_name=COUNTERSIGN_FIELD,
            reason=COUNTERSIGN_REASON,
            name=office.common_name or None,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        signer = TimedSigner(meta, signer=make_signer(office), signing_time=when,
                             new_field_spec=fields.SigFieldSpec(sig_field_name=COUNTERSIGN_FIELD))
        out = io.BytesIO()
        signer.sign_pdf(writer, output=out)
    except (PdfError, ValueError) as exc:
        raise UserError(Msg("无法会签该 PDF 文件：{exc}", exc=exc), code="E_PDF_INVALID") from exc
    return out.getvalue()
