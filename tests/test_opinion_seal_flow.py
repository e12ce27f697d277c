"""The seal block (附件说明, 署名, 成文日期, seal, QR and signature field) never stands on a page without body text,
and the body never ends a page far above its foot to make room for it (GB/T 9704-2012 7.3.5: no "此页无正文").

Bodies of every length from one line to two dozen lines longer are rendered and read back page by page with
poppler's ``pdftotext`` (the text, and the word boxes for how far down each page is written).
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from inspect_app.models.store import Store
from inspect_app.reports.opinion_model import OpinionDocument
from inspect_app.reports.opinion_pdf import render_opinion_pdf
from inspect_app.services import identity, opinions
from inspect_app.services.verification import verify_any
from tests.opinion_case import PASS, TODAY, make_case, signoff_for
from tests.pdf_fixtures import OFFICE, sample_document
from tests.tools import require

TEXT_TOP_MM, TEXT_H_MM = 37.0, 225.0
# The page where the body ends keeps a blank below it when the seal block (80–100 mm: seal, signature field, the
# line on checking, with the 附件说明 when there are photos) goes over with the body's last lines: less than half,
# because the block first closes up its spacing to stay (measured worst: 49 %, representative and photos).
MOST_BLANK = 0.5
PT_MM = 25.4 / 72
LINE = "现场核查时企业已停产，主体设备已拆除。"  # one line of the 28-character grid
SEAL_MARKS = ("附件：", "扫码核验", "电子签名处", "核验：", "注：")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> OpinionDocument:
    return sample_document(tmp_path_factory.mktemp("seal-flow"), photos_per_stage=(1, 0, 0))


def page_text(pdf: Path, page: int) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def lowest_text_mm(pdf: Path, page: int) -> float:
    """How far down the page (mm from the top edge) its lowest word inside the text block ends."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    bottoms = [float(y) * PT_MM for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', out)]
    inside = [y for y in bottoms if y <= TEXT_TOP_MM + TEXT_H_MM + 1]  # not the page number below the block
    return max(inside, default=0.0)


def body_lines_above_seal(lines: list[str], date_text: str) -> list[str]:
    """The lines of a page above the seal block's first line (附件说明, or the 署名 without one)."""
    above: list[str] = []
    for line in lines:
        if line.startswith(SEAL_MARKS) or line.startswith(OFFICE) or line.endswith(date_text):
            break
        above.append(line)
    return above


def render(base: OpinionDocument, folder: Path, extra_lines: int, *, representative: bool, photos: bool) -> Path:
    doc = dataclasses.replace(
        base,
        conclusion_paragraphs=base.conclusion_paragraphs + (LINE,) * extra_lines,
        representative=base.representative if representative else None,
        photos=base.photos if photos else (),
    )
    out = folder / f"seal-{extra_lines}-{int(representative)}{int(photos)}.pdf"
    render_opinion_pdf(doc, out, signature_box=False)
    return out


@pytest.mark.parametrize("representative", [True, False], ids=["representative", "team-last"])
@pytest.mark.parametrize("extra_lines", range(0, 24, 2))
def test_seal_page_has_body_text_and_no_page_before_it_is_half_empty(
    base: OpinionDocument, tmp_path: Path, extra_lines: int, representative: bool
) -> None:
    require("pdftotext")
    date_text = f"{base.issue_date.year}年{base.issue_date.month}月{base.issue_date.day}日"
    pdf = render(base, tmp_path, extra_lines, representative=representative, photos=extra_lines % 4 == 0)
    pages = len(PdfReader(pdf).pages)
    texts = {n: page_text(pdf, n) for n in range(1, pages + 1)}
    seal_pages = [n for n, lines in texts.items() if any(line.startswith("电子签名处") for line in lines)]
    assert len(seal_pages) == 1, texts
    seal = seal_pages[0]
    lines = texts[seal]
    assert any(line.startswith(OFFICE) for line in lines) and any(line.endswith(date_text) for line in lines)
    body = body_lines_above_seal(lines, date_text)
    # body text, not just a page number or a table's repeated header: a line with at least a few Chinese words
    assert any(len(re.findall(r"[\u4e00-\u9fff]", line)) >= 4 for line in body), (extra_lines, lines)
    for n in range(1, seal):
        blank = (TEXT_TOP_MM + TEXT_H_MM - lowest_text_mm(pdf, n)) / TEXT_H_MM
        assert blank < MOST_BLANK, (f"page {n} of {pages} is {blank:.0%} empty", texts[n])
    if not base.photos or extra_lines % 4:
        assert seal == pages  # without an annex the seal page is the last



def test_signed_opinions_whose_seal_block_carries_body_lines_still_verify(store: Store, tmp_path: Path) -> None:
    """The closed check: opinions issued and signed through the service at several body lengths, among them ones
    whose seal block went to the next page with the body's last lines, pass ``opinion verify`` (service and CLI)."""
    require("pdftotext")
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局", passphrase=PASS)
    case = make_case(store)
    last: str | None = None
    carried: list[Path] = []
    for extra in (0, 5, 9, 13, 17):
        out = tmp_path / f"issued-{extra}.pdf"
        body = "\n".join(["该企业落后产能已按要求退出，主体设备已拆除，不具备恢复生产条件，同意通过验收。",
                          *([LINE] * extra)])
        view = opinions.issue_opinion(store, inspection_id=case.inspection_id, conclusion="pass", passphrase=PASS,
                                      out_path=out, today=TODAY, signoff=signoff_for(store, case.inspection_id),
                                      body=body, supersedes=last)
        last = view.id
        pages = len(PdfReader(out).pages)
        texts = {n: page_text(out, n) for n in range(1, pages + 1)}
        conclusion = next(n for n, lines in texts.items() if any(line.startswith("六、验收结论") for line in lines))
        date_text = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
        seal = next(n for n, lines in texts.items() if any(line.endswith(date_text) for line in lines))
        assert body_lines_above_seal(texts[seal], date_text), (extra, texts[seal])
        if seal > conclusion:
            carried.append(out)
        report = verify_any(store, str(out))
        assert report.ok, (extra, [(c.name, c.ok) for c in report.checks])
    assert carried  # some lengths sent the seal block over with the body's last lines
    run = subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(store.data_dir), "opinion",
                          "verify", str(carried[-1])], capture_output=True, text=True, env=dict(os.environ),
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
