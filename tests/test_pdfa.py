"""The signed opinion is PDF/A-2b: each requirement of ISO 19005-2 level B read back from the file.

No PDF/A validator can be installed here (veraPDF comes only from Maven, which this machine cannot reach), so
the rules of veraPDF's PDF/A-2B profile that concern what this file contains are checked one by one, on every
object of the file, after signing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from inspect_app import crypto
from inspect_app.crypto.appearance import signature_face
from inspect_app.reports.opinion_pdf import render_opinion_pdf
from tests.pdf_fixtures import DOC_NUMBER, OFFICE, sample_document

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdfa")
    ident = crypto.create_identity(folder / "id", common_name="王建国", organisation="郑州市工业和信息化局",
                                   passphrase="pw", device_id="dev-1")
    doc = dataclasses.replace(sample_document(folder / "fx"), qr_payload="IAO1|placeholder",
                              rendered_at=dt.datetime(2021, 10, 27, 23, 15, tzinfo=dt.UTC))
    result = render_opinion_pdf(doc, folder / "o.pdf")
    box = result.signature_box
    assert box is not None
    out = folder / "signed.pdf"
    crypto.sign_pdf(folder / "o.pdf", out, ident, box=box.box, page=box.page,
                    face=signature_face(ident, dt.datetime(2021, 10, 27, 23, 16, tzinfo=dt.UTC)))
    return out


def all_objects(reader: PdfReader) -> list[Any]:
    out = []
    for num in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(num)
        except Exception:  # free entries
            continue
        if obj is not None:
            out.append(obj)
    return out


def xmp(reader: PdfReader) -> ET.Element:
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    return ET.fromstring(stream.get_data())


def xmp_value(root: ET.Element, path: str) -> str:
    desc = root.find("rdf:RDF/rdf:Description", NS)
    assert desc is not None
    prefix, name = path.split(":")
    attr = desc.get(f"{{{NS[prefix]}}}{name}")
    if attr is not None:
        return attr
    element = desc.find(path, NS)
    assert element is not None, path
    li = element.find(".//rdf:li", NS)
    return (li.text if li is not None else element.text) or ""


def pdf_date(text: str) -> dt.datetime:
    m = re.fullmatch(r"D:(\d{14})(?:([+-])(\d\d)'(\d\d)'?|Z)?", text)
    assert m, text
    when = dt.datetime.strptime(m.group(1), "%Y%m%d%H%M%S")
    offset = dt.timedelta(hours=int(m.group(3) or 0), minutes=int(m.group(4) or 0))
    return when.replace(tzinfo=dt.timezone(-offset if m.group(2) == "-" else offset))


def test_header_trailer_and_version(signed: Path) -> None:
    raw = signed.read_bytes()
    assert re.match(rb"%PDF-1\.[0-7]\r?\n%", raw)  # 6.1.2: a PDF 1.x header ...
    comment = raw.split(b"\n", 2)[1]
    assert all(b > 127 for b in comment[1:5])  # ... followed by a binary comment
    reader = PdfReader(signed)
    assert "/ID" in reader.trailer and "/Encrypt" not in reader.trailer  # 6.1.3
    assert raw.rstrip(b"\r\n").endswith(b"%%EOF")  # nothing after the last %%EOF
    root = reader.trailer["/Root"]
    assert str(root.get("/Version", "/1.7")) in ("/1.4", "/1.5", "/1.6", "/1.7")  # never raised to PDF 2.0
    assert "/ISO_" not in root.get("/Extensions", {})


def test_xmp_identification_and_info_agree(signed: Path) -> None:
    reader = PdfReader(signed)
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert stream["/Type"] == "/Metadata" and stream["/Subtype"] == "/XML"
    assert "/Filter" not in stream  # readable without decoding
    root = xmp(reader)
    assert xmp_value(root, "pdfaid:part") == "2"
    assert xmp_value(root, "pdfaid:conformance") == "B"
    info = reader.metadata
    assert info is not None
    title = "关于郑州华丰建材有限公司落后产能退出的验收意见"
    assert info["/Title"] == xmp_value(root, "dc:title") == title  # kept through signing
    assert info["/Author"] == xmp_value(root, "dc:creator") == OFFICE
    assert info["/Subject"] == xmp_value(root, "dc:description") == DOC_NUMBER
    assert info["/Creator"] == xmp_value(root, "xmp:CreatorTool")
    assert info["/Producer"] == xmp_value(root, "pdf:Producer")
    assert pdf_date(info["/CreationDate"]) == dt.datetime.fromisoformat(xmp_value(root, "xmp:CreateDate"))
    assert pdf_date(info["/ModDate"]) == dt.datetime.fromisoformat(xmp_value(root, "xmp:ModifyDate"))
    assert pdf_date(info["/CreationDate"]) == dt.datetime(2021, 10, 28, 7, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert "/Keywords" not in info and "/Trapped" not in info  # no entry without its XMP twin


def test_srgb_output_intent(signed: Path) -> None:
    reader = PdfReader(signed)
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert len(intents) == 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    icc = profile.get_data()
    assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB " and icc[12:16] == b"mntr"
    assert int.from_bytes(icc[0:4], "big") == len(icc)
    assert icc[8] in (2, 4) and (icc[8], icc[9]) <= (4, 0x20)  # ICC.1:2004-10 or older


def font_dicts(reader: PdfReader) -> list[DictionaryObject]:
    return [o for o in all_objects(reader) if isinstance(o, DictionaryObject) and o.get("/Type") == "/Font"]


def test_every_font_embedded_with_one_cmap(signed: Path) -> None:
    reader = PdfReader(signed)
    fonts = font_dicts(reader)
    assert len(fonts) >= 6  # the page faces and the signature appearance's
    for font in fonts:
        assert font["/Subtype"] == "/TrueType", font
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]  # 6.2.11.4: embedded
        assert "/ToUnicode" in font
        symbolic = int(descriptor["/Flags"]) & 4
        program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
        if symbolic:  # 6.2.11.6: no /Encoding, exactly one cmap subtable
            assert "/Encoding" not in font
            assert len(program["cmap"].tables) == 1
        widths = font["/Widths"]
        hmtx = program["hmtx"]
        order = program.getGlyphOrder()
        units = program["head"].unitsPerEm
        first = int(font["/FirstChar"])
        cmap = program["cmap"].tables[0].cmap
        for code, width in enumerate(widths, start=first):  # 6.2.11.5: widths agree with the program
            glyph = cmap.get(code)
            if glyph is not None:
                assert abs(float(width) - hmtx[glyph][0] * 1000 / units) <= 1, (font["/BaseFont"], code)
        assert order
    out = subprocess.run(["pdffonts", str(signed)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), out


def test_annotations_actions_and_streams(signed: Path) -> None:
    reader = PdfReader(signed)
    root = reader.trailer["/Root"]
    assert "/AA" not in root and "/OpenAction" not in root and "/Names" not in root
    form = root["/AcroForm"].get_object()
    assert not form.get("/NeedAppearances", False) and "/XFA" not in form
    annots = [a.get_object() for page in reader.pages for a in (page.get("/Annots") or [])]
    assert annots  # the signature widget
    for page in reader.pages:
        assert "/AA" not in page
    for annot in annots:
        flags = int(annot["/F"])
        assert flags & 4 and not flags & (1 | 2 | 32 | 256)  # printed, never hidden
        assert list(annot["/AP"].keys()) == ["/N"] and isinstance(annot["/AP"]["/N"].get_object(), StreamObject)
        assert "/A" not in annot and "/AA" not in annot
    for obj in all_objects(reader):
        if isinstance(obj, StreamObject):
            filters = obj.get("/Filter")
            names = [str(f) for f in filters] if isinstance(filters, ArrayObject) else [str(filters)]
            assert "/LZWDecode" not in names
            assert not {"/F", "/FFilter", "/FDecodeParms"} & set(obj.keys())
            if obj.get("/Subtype") == "/Image":
                assert not obj.get("/Interpolate", False) and "/Alternates" not in obj and "/OPI" not in obj
        if isinstance(obj, DictionaryObject):
            assert obj.get("/S") not in ("/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData")
            if obj.get("/Type") == "/ExtGState":
                assert not {"/TR", "/TR2", "/HTP"} & set(obj.keys())
                assert str(obj.get("/BM", "/Normal")) in ("/Normal", "/Compatible")


def test_signature_still_valid_and_whole(signed: Path) -> None:
    out = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out, out
