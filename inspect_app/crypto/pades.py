"""Sign a PDF (PAdES B-B) with the device identity, using pyHanko."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.signers import constants as signer_constants
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from inspect_app.crypto._files import read_file, write_atomic
from inspect_app.crypto.appearance import SignatureFace, appearance_pdf
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
    # only for a signature without a Chinese face (never on an opinion): an ASCII name or the key fingerprint
    name = identity.common_name if identity.common_name.isascii() else ""
    who = f"{name} / key {identity.fingerprint}" if name else f"key {identity.fingerprint}"
    return TextStampStyle(
        stamp_text="Digitally signed\n" + who.replace("%", "%%") + "\n%(ts)s",
        background=None,
        border_width=0,
        timestamp_format="%Y-%m-%d %H:%M:%S %z",
    )


class ArchiveWriter(IncrementalPdfFileWriter):
    """An incremental writer that leaves the document information and XMP packet as they are.

    pyHanko would append its name to /Producer in the info dictionary but write only its own name to
    pdf:Producer in the XMP (and compress the packet): the two would no longer agree and the file would stop
    being PDF/A-2b. A signature or DSS update does not change what the document is, so nothing is touched.
    """

    def _update_meta(self) -> None:
        return None


class TimedSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is given, so the visible appearance can print the same time, and
    which keeps the file at PDF 1.7 (PDF/A-2b)."""

    def __init__(self, *args: Any, signing_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
        # PAdES in PDF 1.7 is declared by the ESIC extension. pyHanko would also declare ISO/TS 32002 for an
        # ECDSA P-256 key, which raises the file to PDF 2.0 (not PDF/A-2); readers verify ECDSA without it.
        pdf_out.ensure_output_version(version=(1, 7))
        pdf_out.register_extension(signer_constants.ESIC_EXTENSION_1)

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


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
    face: SignatureFace | None = None,
    signing_time: dt.datetime | None = None,
) -> bytes:
    """Return ``pdf`` with an incremental PAdES signature appended (visible when ``box`` is given).

    With ``face`` the visible appearance is drawn in Chinese (``face.signed_at`` is the signing time put in
    the signature); without it, pyHanko's plain text stamp.
    """
    identity.check_usable()
    when = face.signed_at if face is not None else (signing_time or dt.datetime.now(dt.UTC).replace(microsecond=0))
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
    with tempfile.TemporaryDirectory(prefix="inspect-sign-") as scratch:
        style: Any = _stamp_style(identity)
        if face is not None and int_box is not None:
            page_file = Path(scratch) / "appearance.pdf"
            page_file.write_bytes(appearance_pdf(face, int_box[2] - int_box[0], int_box[3] - int_box[1]))
            style = StaticStampStyle(
                background=ImportedPdfPage(str(page_file)), border_width=0, background_opacity=1.0,
                background_layout=layout.SimpleBoxLayoutRule(
                    x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN,
                    margins=layout.Margins(), inner_content_scaling=layout.InnerScaling.NO_SCALING))
        try:
            writer = ArchiveWriter(io.BytesIO(pdf))
            pdf_signer = TimedSigner(
                meta,
                signer=make_signer(identity),
                timestamper=timestamp,
                stamp_style=style,
                new_field_spec=field_spec,
                signing_time=when,
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
    face: SignatureFace | None = None,
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
        face=face,
    )
    write_atomic(Path(out_path), signed)
    return signed
