"""The acceptance opinion PDF, read back with pypdf, pdftotext, pdftoppm and zbarimg."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pypdf import PdfReader

from inspect_app.errors import UserError
from inspect_app.reports.opinion_pdf import METADATA_EVIDENCE_KEY, METADATA_QR_KEY, render_opinion_pdf
from inspect_app.reports.qr import (
    QrFields,
    evidence_digest,
    key_fingerprint,
    make_qr_payload,
    verify_qr_payload,
)
from tests.pdf_fixtures import DOC_NUMBER, ENTERPRISE, USCC, sample_document
from tests.tools import require


def _text(pdf: Path) -> str:
    require("pdftotext")
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def rendered(
    tmp_path_factory: pytest.TempPathFactory, key: ec.EllipticCurvePrivateKey
) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("opinion")
    doc = sample_document(folder / "fx")
    fields = QrFields(
        doc.opinion_id,
        doc.document_number,
        doc.enterprise.uscc,
        doc.conclusion,
        doc.issue_date,
        evidence_digest(doc.evidence_hashes),
        key_fingerprint(key.public_key()),
    )
    doc = dataclasses.replace(doc, qr_payload=make_qr_payload(fields, key))
    out = folder / "opinion.pdf"
    result = render_opinion_pdf(doc, out)
    return out, (doc, result)


def test_result_describes_file(rendered: tuple[Path, object]) -> None:
    path, (_doc, result) = rendered  # type: ignore[misc]
    raw = path.read_bytes()
    assert result.bytes == len(raw)
    assert result.sha256 == hashlib.sha256(raw).hexdigest()
    assert result.pages == len(PdfReader(path).pages) >= 4
    assert result.signature_box is not None
    x1, y1, x2, y2 = result.signature_box.box
    assert 0 < x1 < x2 < 595 and 0 < y1 < y2 < 842
    assert not list(path.parent.glob(".*.tmp"))


def test_fonts_embedded_and_subset(rendered: tuple[Path, object]) -> None:
    path, _ = rendered
    reader = PdfReader(path)
    fonts: dict[str, object] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert name[7] == "+" and name[1:7].isalpha() and name[1:7].isupper(), name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font  # type: ignore[index]
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, name
        assert "/ToUnicode" in font  # type: ignore[operator]


def test_text_comes_back(rendered: tuple[Path, object]) -> None:
    path, _ = rendered
    text = _text(path)
    flat = "".join(text.split())
    for needle in (
        "关于郑州华丰建材有限公司",
        "落后产能退出的验收意见",
        USCC,
        DOC_NUMBER,
        ENTERPRISE,
        "验收结论：通过",
        "主体设备已拆除",
        "已在政府门户网站公告",
        "一、企业基本情况",
        "六、验收结论",
        "2021年10月28日",
        "扫码核验",
        "附件",
        "拆除前",
        "拆除中",
        "拆除后",
        "无拍摄时间",
        "无定位",
        "拍摄地点距厂址超过1公里",
        "企业代表确认：本企业对上述核查情况无异议。",
        "附件：影像资料",
    ):
        assert needle.replace(" ", "") in flat, needle


def test_metadata_keys(rendered: tuple[Path, object]) -> None:
    path, (doc, _) = rendered  # type: ignore[misc]
    info = PdfReader(path).metadata
    assert info is not None
    assert info["/" + METADATA_QR_KEY] == doc.qr_payload
    assert info["/" + METADATA_EVIDENCE_KEY].split() == list(doc.evidence_hashes)
    assert info["/Subject"] == DOC_NUMBER


def test_jpegs_embedded_unchanged(rendered: tuple[Path, object]) -> None:
    path, (doc, _) = rendered  # type: ignore[misc]
    raw = path.read_bytes()
    assert b"ASCII85Decode" not in raw
    for photo in doc.photos:
        assert photo.image_path.read_bytes() in raw


def test_every_page_renders(rendered: tuple[Path, object], tmp_path: Path) -> None:
    require("pdftoppm")
    path, (_, result) = rendered  # type: ignore[misc]
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "p")], check=True, capture_output=True
    )
    assert len(list(tmp_path.glob("p-*.png"))) == result.pages


def test_qr_decodes_and_verifies(
    rendered: tuple[Path, object], tmp_path: Path, key: ec.EllipticCurvePrivateKey
) -> None:
    require("pdftoppm")
    require("zbarimg")
    path, (doc, result) = rendered  # type: ignore[misc]
    page = str(result.signature_box.page + 1)  # the QR code stands beside the seal block
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", page, "-l", page, str(path), str(tmp_path / "q")],
        check=True,
        capture_output=True,
    )
    png = next(tmp_path.glob("q-*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
    lines = out.stdout.strip().splitlines()
    # a line a person can read, then the signed payload
    assert lines[0] == f"{DOC_NUMBER} {ENTERPRISE} 验收通过 2021年10月28日"
    payload = lines[-1]
    assert payload == doc.qr_payload
    fields = verify_qr_payload(payload, key.public_key())
    assert fields.uscc == USCC and fields.document_number == DOC_NUMBER


def test_long_document_flows_and_splits(tmp_path: Path) -> None:
    doc = sample_document(tmp_path / "fx", long_text=True, photos_per_stage=(0, 5, 1), photo_size=(800, 600))
    out = tmp_path / "long.pdf"
    result = render_opinion_pdf(doc, out, signature_box=False)
    assert result.signature_box is None
    text = _text(out)
    # the checklist is long enough to split; its header row is repeated on the next page
    assert text.count("核查项目") >= 2
    assert "无。" in "".join(text.split())  # empty 拆除前 stage
    assert result.pages >= 5


def test_missing_photo_is_a_user_error(tmp_path: Path) -> None:
    doc = sample_document(tmp_path / "fx", photos_per_stage=(1, 0, 0))
    photo = dataclasses.replace(doc.photos[0], image_path=tmp_path / "gone.jpg")
    with pytest.raises(UserError) as err:
        render_opinion_pdf(dataclasses.replace(doc, photos=(photo,)), tmp_path / "x.pdf")
    assert err.value.code == "E_IMAGE_MISSING"
    assert not (tmp_path / "x.pdf").exists()


def test_no_qt_imported() -> None:
    code = (
        "import sys, inspect_app.crypto, inspect_app.reports.opinion_pdf; assert 'PySide6' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
