"""Sign a PDF (PAdES B-B) with the device identity, using pyHanko."""

from __future__ import annotations

import io
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from inspect_app.crypto._files import read_file, write_atomic
from inspect_app.crypto.identity import Identity
from inspect_app.errors import UserError
from inspect_app.i18n import Msg

Box = tuple[float, float, float, float]


def to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    """Convert a ``cryptography`` certificate to the asn1crypto form pyHanko uses."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def make_signer(identity: Identity) -> signers.SimpleSigner:
    """Build a pyHanko signer from the identity's key, certificate and chain."""
    key_der = identity.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=to_asn1_cert(identity.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([to_asn1_cert(c) for c in identity.chain]),
    )


def _stamp_style(identity: Identity) -> TextStampStyle:
    # pyHanko's stamp text uses a simple Latin font unless a CJK OpenType font is set up (needs uharfbuzz),
    # so the appearance shows the ASCII-safe name (or key fingerprint) and time; the Chinese is on the page.
    name = identity.common_name if identity.common_name.isascii() else ""
    who = f"{name} / key {identity.fingerprint}" if name else f"key {identity.fingerprint}"
    return TextStampStyle(
        stamp_text="Digitally signed\n" + who.replace("%", "%%") + "\n%(ts)s",
        background=None,
        border_width=0,
        timestamp_format="%Y-%m-%d %H:%M:%S %z",
    )


def sign_pdf_bytes(
    pdf: bytes,
    identity: Identity,
    *,
    field_name: str = "Signature1",
    reason: str = "书面验收意见",
    location: str | None = None,
    box: Box | None = None,
    page: int = 0,
    timestamp: TimeStamper | None = None,
) -> bytes:
    """Return ``pdf`` with an incremental PAdES signature appended (visible when ``box`` is given)."""
    identity.check_usable()
    if not field_name.isascii() or not field_name.isidentifier():
        raise UserError(Msg("签名域名称只能使用英文字母和数字：{field_name}", field_name=field_name), code="E_INVALID")
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        name=identity.common_name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    int_box = (int(box[0]), int(box[1]), int(box[2] + 0.5), int(box[3] + 0.5)) if box else None
    field_spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=int_box)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        pdf_signer = signers.PdfSigner(
            meta,
            signer=make_signer(identity),
            timestamper=timestamp,
            stamp_style=_stamp_style(identity),
            new_field_spec=field_spec,
        )
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out)
    except (PdfError, ValueError) as exc:
        raise UserError(Msg("无法签署该 PDF 文件：{exc}", exc=exc), code="E_PDF_INVALID") from exc
    return out.getvalue()


def sign_pdf(
    in_path: Path,
    out_path: Path,
    identity: Identity,
    *,
    field_name: str = "Signature1",
    reason: str = "书面验收意见",
    location: str | None = None,
    box: Box | None = None,
    page: int = 0,
    timestamp: TimeStamper | None = None,
) -> bytes:
    """Sign ``in_path`` into ``out_path`` (atomically; the two may be the same file); return the signed bytes."""
    signed = sign_pdf_bytes(
        read_file(Path(in_path)),
        identity,
        field_name=field_name,
        reason=reason,
        location=location,
        box=box,
        page=page,
        timestamp=timestamp,
    )
    write_atomic(Path(out_path), signed)
    return signed
