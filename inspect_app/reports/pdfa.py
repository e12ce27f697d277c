"""PDF/A-2b for reportlab output: XMP identification, document info to match, an sRGB output intent.

ISO 19005-2 level B asks, beyond what the opinion already does (every font embedded, no encryption, no
JavaScript, JPEG/Flate images), for: an uncompressed XMP metadata stream in the catalog naming the part and
conformance (``pdfaid:part`` 2, ``pdfaid:conformance`` B), the document information entries repeated in XMP with
equal values (Title ↔ dc:title, Author ↔ dc:creator, Subject ↔ dc:description, Creator ↔ xmp:CreatorTool,
Producer ↔ pdf:Producer, CreationDate ↔ xmp:CreateDate, ModDate ↔ xmp:ModifyDate), and an output intent with an
ICC profile for the device colours used (DeviceRGB and DeviceGray here: sRGB).

PDF/A-2b rather than PDF/A-4: PDF/A-4 allows only ModDate in the document information dictionary, and the
opinion keeps its verification keys (QR payload, evidence list) there. pyHanko's signing keeps the XMP packet
(it re-reads it and updates only xmp:ModifyDate and pdf:Producer, together with the info dictionary), so the
signed file stays PDF/A-2b with dc:title intact; ``tests/test_pdfa.py`` reads every requirement back.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc

CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
PRODUCER = "inspect-app (ReportLab)"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


@dataclass(frozen=True, slots=True)
class ArchiveMeta:
    """The document's identification, written identically to the info dictionary and the XMP packet."""

    title: str
    author: str
    subject: str
    created: dt.datetime  # aware
    creator: str = "inspect-app"
    producer: str = PRODUCER

    def pdf_date(self) -> str:
        """Return ``created`` as a PDF date string in China Standard Time: D:20211202071500+08'00'."""
        local = self.created.astimezone(CHINA_TZ)
        return local.strftime("D:%Y%m%d%H%M%S+08'00'")

    def xmp_date(self) -> str:
        """Return ``created`` as an XMP date in China Standard Time: 2021-12-02T07:15:00+08:00."""
        return self.created.astimezone(CHINA_TZ).replace(microsecond=0).isoformat()


def xmp_packet(meta: ArchiveMeta) -> bytes:
    """Return the XMP packet identifying the file as PDF/A-2b, with the document information mirrored."""
    date = meta.xmp_date()
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <xmp:CreatorTool>{escape(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdf:Producer>{escape(meta.producer)}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


@functools.lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """Return an sRGB ICC profile (made by LittleCMS through Pillow; no file to ship)."""
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # PDF/A-2 refers to ICC.1:2004-10 (version 4.2); LittleCMS labels its v4 profiles with the newest minor
    # version. A plain matrix/TRC profile has the same structure in every 4.x, so the label is set to 4.2
    # (the profile ID stays zero: "not computed").
    if profile[8] == 4:
        profile[8:12] = bytes((4, 0x20, 0, 0))
    return bytes(profile)


def info_entries(meta: ArchiveMeta) -> dict[str, Any]:
    """Return the document information entries, exactly as the XMP packet has them."""
    date = pdfdoc.PDFString(meta.pdf_date())
    return {
        "Title": pdfdoc.PDFString(meta.title),
        "Author": pdfdoc.PDFString(meta.author),
        "Subject": pdfdoc.PDFString(meta.subject),
        "Creator": pdfdoc.PDFString(meta.creator),
        "Producer": pdfdoc.PDFString(meta.producer),
        "CreationDate": date,
        "ModDate": date,
    }


class _RawStream(pdfdoc.PDFStream):
    """A stream written as given (no compression): XMP must stay readable without decoding."""

    def __init__(self, dictionary: dict[str, Any], content: bytes, *, compress: bool) -> None:
        super().__init__(dictionary=pdfdoc.PDFDictionary(dictionary), content=content,
                         filters=[pdfdoc.PDFZCompress] if compress else None)
        self.compress = compress

    def format(self, document: Any) -> bytes:
        if self.compress:
            return bytes(super().format(document))
        # reportlab would write "/Filter []" (or compress with the document's default): neither is wanted
        dictionary = pdfdoc.PDFDictionary(self.dictionary.dict.copy())
        content = document.encrypt.encode(self.content)
        dictionary["Length"] = len(content)
        return bytes(pdfdoc.format(dictionary, document) + b"\nstream\n" + pdfdoc.format(content, document)
                     + b"endstream\n")


def install(document: Any, meta: ArchiveMeta) -> None:
    """Put the XMP packet and the sRGB output intent into a reportlab ``PDFDocument``'s catalog."""
    catalog = document.Catalog
    metadata = _RawStream({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")},
                          xmp_packet(meta), compress=False)
    catalog.Metadata = metadata
    icc = _RawStream({"N": 3}, srgb_profile(), compress=True)
    intent = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("OutputIntent"),
        "S": pdfdoc.PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": pdfdoc.PDFString(OUTPUT_CONDITION),
        "Info": pdfdoc.PDFString(OUTPUT_CONDITION),
        "DestOutputProfile": document.Reference(icc),
    })
    # reportlab writes only the catalog keys it knows; this instance also writes OutputIntents
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
    catalog.__Refs__ = catalog.__NoDefault__
    catalog.OutputIntents = pdfdoc.PDFArray([intent])
