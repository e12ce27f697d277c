"""The visible appearance of an electronic signature, drawn in Chinese with the embedded fonts.

pyHanko's text stamps set their text in an unembedded Courier unless a CJK OpenType font is wired up with
HarfBuzz; instead the appearance is drawn here with reportlab (the same subset TrueType faces as the page)
as a one-page PDF the size of the signature box, which pyHanko places as a static stamp.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from inspect_app.crypto.identity import Identity
from inspect_app.reports.cjk_text import break_lines, draw_line, shape
from inspect_app.reports.fonts import FANG, HEI, register_fonts
from inspect_app.reports.official_layout import RED, no_ascii85

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


@dataclass(frozen=True, slots=True)
class SignatureFace:
    """What the appearance says."""

    heading: str
    signer: str
    organisation: str
    signed_at: dt.datetime
    certificate: str  # who issued the certificate, or that it is self-signed
    warn: bool = False  # self-signed: the certificate line in red


def beijing_time(when: dt.datetime) -> str:
    """Format an aware time in China Standard Time: 2021-12-02 07:15:30（北京时间）."""
    return f"{when.astimezone(CHINA_TZ):%Y-%m-%d %H:%M:%S}（北京时间）"


def appearance_pdf(face: SignatureFace, width: float, height: float) -> bytes:
    """Return a one-page PDF of ``width`` × ``height`` points showing ``face``."""
    register_fonts()
    buffer = io.BytesIO()
    with no_ascii85():
        canv = Canvas(buffer, pagesize=(width, height), initialFontName=FANG, initialFontSize=9)
        canv.setStrokeColor(RED)
        canv.setLineWidth(0.8)
        canv.roundRect(0.6, 0.6, width - 1.2, height - 1.2, 3, stroke=1, fill=0)
        lines = [
            [(face.heading + "　", HEI, RED), (f"签名人：{face.signer}　单位：{face.organisation}", FANG, colors.black)],
            [(f"签署时间：{beijing_time(face.signed_at)}", FANG, colors.black)],
            [(f"证书：{face.certificate}", FANG, RED if face.warn else colors.black)],
        ]
        size = min(9.5, (height - 4) / len(lines) / 1.3)
        pitch = size * 1.3
        y = height - 2 - pitch + (pitch - size) / 2 + size * 0.12
        for parts in lines:
            x = 5.0
            for text, font, colour in parts:
                canv.setFillColor(colour)
                line = break_lines(shape([(text, font)], size), 10 * width)[0]  # one line each; the box is wide
                draw_line(canv, line, x, y, 10 * width, size, "left")
                x += line.width
            y -= pitch
        canv.showPage()
        canv.save()
    return buffer.getvalue()


def signature_face(identity: Identity, signed_at: dt.datetime, *, heading: str = "电子签名") -> SignatureFace:
    """Return the appearance text for ``identity`` signing at ``signed_at``."""
    if identity.self_signed:
        certificate, warn = "自签名证书（未经市淘汰落后产能办公室签发）", True
    else:
        certificate, warn = f"由{identity.issuer_name}签发，密钥指纹 {identity.fingerprint}", False
    return SignatureFace(heading=heading, signer=identity.common_name, organisation=identity.organisation,
                         signed_at=signed_at, certificate=certificate, warn=warn)
