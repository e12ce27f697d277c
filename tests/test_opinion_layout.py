"""The opinion's official form (GB/T 9704-2012, 信函格式), every number measured from the rendered PDF.

Positions are read back with pdfplumber (characters, rules and rectangles as the PDF draws them), in
millimetres from the page's top-left corner, and compared with the standard's numbers — never with the
constants the renderer uses.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from inspect_app.reports.cjk_text import NO_LINE_END, NO_LINE_START
from inspect_app.reports.opinion_model import OpinionDocument
from inspect_app.reports.opinion_pdf import render_opinion_pdf
from tests.pdf_fixtures import DOC_NUMBER, ENTERPRISE, OFFICE, sample_document
from tests.seal_fixtures import seal_png_bytes

MM = 72 / 25.4
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, TEXT_BOTTOM = 28.0, 28.0 + 156.0, 37.0, 37.0 + 225.0
SIZE_3_MM = 16 / MM  # 3号 character height
LINE_MM = 225.0 / 22  # one line of the 22-line grid
CHAR_MM = 156.0 / 28  # one character of the 28-character grid
RED = (0.85, 0.0, 0.0)

# measurements go into this table, printed at the end of the module for the closing note
MEASURED: dict[str, tuple[float, str]] = {}


def mm(points: float) -> float:
    return points / MM


def note(name: str, value: float, standard: str) -> float:
    MEASURED[name] = (round(value, 2), standard)
    return value


@pytest.fixture(scope="module", autouse=True)
def _print_table() -> Iterable[None]:
    yield
    print("\nmeasured layout (mm):")
    for name, (value, standard) in MEASURED.items():
        print(f"  {name:<48} {value:>8}   {standard}")


def seal_png(path: Path) -> Path:
    """A red round seal with a transparent background, as an office would provide."""
    path.write_bytes(seal_png_bytes())
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, OpinionDocument, Any]:
    folder = tmp_path_factory.mktemp("layout")
    doc = sample_document(folder / "fx")
    doc = dataclasses.replace(doc, cc=("郑州市上街区淘汰落后产能工作领导小组办公室",),
                              seal_image=seal_png(folder / "seal.png"), qr_payload="IAO1|x")
    out = folder / "opinion.pdf"
    result = render_opinion_pdf(doc, out)
    return out, doc, result


@pytest.fixture(scope="module")
def pdf(rendered: tuple[Path, OpinionDocument, Any]) -> Iterable[Any]:
    with pdfplumber.open(rendered[0]) as handle:
        yield handle


def text_lines(page: Any, *, within_block: bool = True) -> list[list[dict[str, Any]]]:
    """Group a page's characters into lines by baseline (the text matrix's y), left to right."""
    by_base: dict[float, list[dict[str, Any]]] = {}
    for ch in page.chars:
        if within_block and not (TEXT_TOP - 1 <= mm(ch["top"]) <= TEXT_BOTTOM + 1):
            continue
        base = round(ch["matrix"][5], 1)
        by_base.setdefault(base, []).append(ch)
    return [sorted(chars, key=lambda c: c["x0"]) for _b, chars in sorted(by_base.items(), reverse=True)]


def line_text(chars: list[dict[str, Any]]) -> str:
    return "".join(c["text"] for c in chars)


def find_line(page: Any, start: str) -> list[dict[str, Any]]:
    for chars in text_lines(page, within_block=False):
        if line_text(chars).startswith(start):
            return chars
    raise AssertionError(f"no line starting with {start!r}: {[line_text(c) for c in text_lines(page, within_block=False)]}")


def red_rules(page: Any) -> list[dict[str, Any]]:
    return sorted((r for r in page.rects if tuple(r["non_stroking_color"] or ()) == RED and r["width"] > 100 * MM),
                  key=lambda r: r["top"])


# --- the letterhead ----------------------------------------------------------------------------------------


def test_mark_is_red_heavy_song_30mm_from_the_top(pdf: Any) -> None:
    page = pdf.pages[0]
    mark = find_line(page, OFFICE[:4])
    assert line_text(mark) == OFFICE
    assert all(tuple(c["non_stroking_color"]) == RED for c in mark)
    assert all("NotoSerifCJKsc-Bold" in c["fontname"] for c in mark)
    top = note("发文机关标志 top edge from page top", mm(min(c["top"] for c in mark)), "30 (信函格式)")
    assert top == pytest.approx(30.0, abs=0.3)
    centre = (mark[0]["x0"] + mark[-1]["x1"]) / 2
    assert note("发文机关标志 centre offset from text block centre", mm(centre) - (TEXT_LEFT + 78), "0 (居中)") == \
        pytest.approx(0, abs=0.3)


def test_double_rules(pdf: Any) -> None:
    page = pdf.pages[0]
    rules = red_rules(page)
    assert len(rules) == 4, rules
    upper_thick, upper_thin, lower_thin, lower_thick = rules
    mark_bottom = max(c["bottom"] for c in find_line(page, OFFICE[:4]))
    note("first double line below 发文机关标志", mm(upper_thick["top"] - mark_bottom), "4")
    assert mm(upper_thick["top"] - mark_bottom) == pytest.approx(4.0, abs=0.3)
    assert upper_thick["height"] > upper_thin["height"]  # 上粗下细
    assert lower_thin["height"] < lower_thick["height"]  # 上细下粗
    for rule in rules:
        assert note("double line length", mm(rule["width"]), "170") == pytest.approx(170.0, abs=0.2)
        assert mm(rule["x0"]) == pytest.approx(TEXT_LEFT + (156 - 170) / 2, abs=0.2)  # centred like the mark
    bottom = note("second double line above page bottom edge", PAGE_H_MM - mm(lower_thick["bottom"]), "20")
    assert bottom == pytest.approx(20.0, abs=0.3)
    assert len(red_rules(pdf.pages[1])) == 0  # the letterhead is on the first page only


def test_document_number_right_under_the_rule(pdf: Any) -> None:
    page = pdf.pages[0]
    number = find_line(page, DOC_NUMBER[:3])
    assert line_text(number) == DOC_NUMBER
    assert "FandolFang" in number[0]["fontname"]
    rule_bottom = red_rules(page)[1]["bottom"]
    gap = note("发文字号 below first double line", mm(min(c["top"] for c in number) - rule_bottom),
               f"{7 / 8 * SIZE_3_MM:.2f} (7/8 of a 3号 character)")
    assert gap == pytest.approx(7 / 8 * SIZE_3_MM, abs=0.3)
    right = note("发文字号 right edge to text block right", TEXT_RIGHT - mm(number[-1]["x1"]), "0 (顶格居版心右边缘)")
    assert right == pytest.approx(0, abs=0.3)


def test_title_two_lines_below_and_broken_between_words(pdf: Any) -> None:
    page = pdf.pages[0]
    number = find_line(page, DOC_NUMBER[:3])
    first = find_line(page, "关于")
    second = find_line(page, "落后产能")
    assert line_text(first) == f"关于{ENTERPRISE}"  # the enterprise's name is never broken ("有限公/司")
    assert line_text(second) == "落后产能退出的验收意见"
    assert all("NotoSerifCJKsc-Bold" in c["fontname"] and c["size"] == pytest.approx(22) for c in first + second)
    gap = mm(min(c["top"] for c in first) - max(c["bottom"] for c in number))
    note("blank between 发文字号 and title", gap / LINE_MM, "2 lines (相距二行), measured in lines")
    assert 2.0 <= gap / LINE_MM < 3.0
    for line in (first, second):  # centred
        assert mm((line[0]["x0"] + line[-1]["x1"]) / 2) == pytest.approx(TEXT_LEFT + 78, abs=0.5)


def test_addressee_one_line_below_the_title(pdf: Any) -> None:
    page = pdf.pages[0]
    title_last = find_line(page, "落后产能")
    addressee = find_line(page, ENTERPRISE + "：")
    assert line_text(addressee) == ENTERPRISE + "："  # 主送机关 ends with a full-width colon
    assert note("主送机关 left edge to text block left", mm(addressee[0]["x0"]) - TEXT_LEFT, "0 (顶格)") == \
        pytest.approx(0, abs=0.2)
    gap = mm(min(c["top"] for c in addressee) - max(c["bottom"] for c in title_last))
    note("blank between title and 主送机关", gap / LINE_MM, "1 line (标题下空一行), in lines")
    assert 1.0 <= gap / LINE_MM < 2.0


# --- body text --------------------------------------------------------------------------------------------


def body_lines(pdf: Any) -> list[list[dict[str, Any]]]:
    out = []
    for page in pdf.pages:
        for chars in text_lines(page):
            if chars and "FandolFang" in chars[0]["fontname"] and chars[0]["size"] == pytest.approx(156 * MM / 28):
                out.append(chars)
    return out


def test_body_grid_28_characters_22_lines(pdf: Any) -> None:
    lines = body_lines(pdf)
    full = [c for c in lines if len(c) >= 27 and mm(c[-1]["x1"]) > TEXT_RIGHT - 1]
    assert full
    for chars in full:  # a full line runs from the block's left (or two characters in) to its right edge
        assert mm(chars[-1]["x1"]) == pytest.approx(TEXT_RIGHT, abs=0.3)
        assert mm(chars[0]["x0"]) - TEXT_LEFT in (pytest.approx(0, abs=0.3), pytest.approx(2 * CHAR_MM, abs=0.3))
    size = note("body character size", mm(full[0][0]["size"]), f"{CHAR_MM:.2f} (28 per 156 mm line, 3号)")
    assert size == pytest.approx(CHAR_MM, abs=0.05)
    pitches = sorted(
        mm(a[0]["matrix"][5] - b[0]["matrix"][5])
        for a, b in itertools.pairwise(lines)
        if a[0]["page_number"] == b[0]["page_number"] and 5 < mm(a[0]["matrix"][5] - b[0]["matrix"][5]) < 11
    )
    assert note("body line pitch", pitches[len(pitches) // 2], f"{LINE_MM:.2f} (22 lines per 225 mm)") == \
        pytest.approx(LINE_MM, abs=0.05)


def test_no_line_starts_with_closing_punctuation(tmp_path: Path) -> None:
    text = ("企业按照退出计划完成了主体设备拆除工作，拆除过程留存了影像资料（拆除前、中、后），"
            "设备未向其他地区转移，企业已向社会公开承诺不再恢复生产。")
    doc = sample_document(tmp_path / "fx", photos_per_stage=(1, 0, 0))
    # shift the text one character at a time so that punctuation falls on every column at a line's end
    doc = dataclasses.replace(doc, intro_paragraphs=tuple("验" * k + text * 3 for k in range(28)))
    out = tmp_path / "kinsoku.pdf"
    render_opinion_pdf(doc, out, signature_box=False)
    checked = 0
    with pdfplumber.open(out) as handle:
        for page in handle.pages:
            for chars in text_lines(page):
                line = line_text(chars)
                if not line or line.startswith(("附件", "抄送")):
                    continue
                checked += 1
                assert line[0] not in NO_LINE_START, line
                assert line[-1] not in NO_LINE_END, line
                body = chars[0]["size"] == pytest.approx(156 * MM / 28)
                if body and len(line) >= 20 and mm(chars[-1]["x1"]) > TEXT_RIGHT - CHAR_MM:
                    # a shortened line is still justified to the right edge
                    assert mm(chars[-1]["x1"]) == pytest.approx(TEXT_RIGHT, abs=0.3), line
    assert checked > 100


def test_table_that_fits_starts_on_page_one(pdf: Any) -> None:
    page = pdf.pages[0]
    heading = find_line(page, "二、落后设备及产能")
    table_top = min(r["top"] for r in page.rects if r["top"] > heading[0]["bottom"])
    assert mm(table_top - heading[0]["bottom"]) < LINE_MM  # the table follows its heading on page 1
    lowest = max([c["bottom"] for c in page.chars if mm(c["top"]) < TEXT_BOTTOM] +
                 [r["bottom"] for r in page.rects if r["width"] < 160 * MM])
    blank = note("page 1 blank below the last content", TEXT_BOTTOM - mm(lowest), "< 3 lines (no table pushed on)")
    assert blank < 3 * LINE_MM


# --- 附件说明, 署名, 成文日期, seal -------------------------------------------------------------------------


def test_annex_note_and_signature_block(pdf: Any, rendered: tuple[Path, OpinionDocument, Any]) -> None:
    _path, _doc, result = rendered
    page = pdf.pages[result.signature_box.page]
    annex = find_line(page, "附件：")
    assert line_text(annex).startswith("附件：影像资料")
    indent = note("附件说明 indent", mm(annex[0]["x0"]) - TEXT_LEFT, f"{2 * CHAR_MM:.2f} (左空二字)")
    assert indent == pytest.approx(2 * CHAR_MM, abs=0.3)
    office = find_line(page, OFFICE)
    date = find_line(page, "2021年10月28日")
    office_centre = (office[0]["x0"] + office[-1]["x1"]) / 2
    date_centre = (date[0]["x0"] + date[-1]["x1"]) / 2
    off = note("署名 centre minus 成文日期 centre", mm(office_centre - date_centre), "0 (以成文日期为准居中)")
    assert off == pytest.approx(0, abs=0.3)
    right = TEXT_RIGHT - mm(date[-1]["x1"])
    note("成文日期 right indent", right / CHAR_MM, "4 characters (右空四字), unless the 署名 is longer")
    office_w = mm(office[-1]["x1"] - office[0]["x0"])
    if office_w / 2 <= 4 * CHAR_MM + mm(date[-1]["x1"] - date[0]["x0"]) / 2:
        assert right == pytest.approx(4 * CHAR_MM, abs=0.3)
    else:  # the long 署名 keeps inside the text block, still centred on the date
        assert mm(office[-1]["x1"]) == pytest.approx(TEXT_RIGHT, abs=0.3)
    # the seal image presses on both, which sit below its centre (居印章中心偏下)
    seal = next(img for img in page.images if mm(img["width"]) == pytest.approx(42, abs=0.5))
    seal_cx, seal_cy = (seal["x0"] + seal["x1"]) / 2, (seal["top"] + seal["bottom"]) / 2
    assert mm(seal_cx - date_centre) == pytest.approx(0, abs=0.3)
    assert seal["top"] < office[0]["top"] and min(c["top"] for c in office) > seal_cy - 2 * MM
    assert max(c["bottom"] for c in date) < seal["bottom"]
    seal_gap = note("seal top below the 附件说明", mm(seal["top"] - max(c["bottom"] for c in annex)) / LINE_MM,
                    "< 1 line (印章顶端上距正文一行之内)")
    assert 0 < seal_gap < 1.0


def test_carbon_copy_at_the_foot_of_the_last_page(pdf: Any) -> None:
    last = pdf.pages[-1]
    cc = find_line(last, "抄送：")
    assert line_text(cc) == "抄送：郑州市上街区淘汰落后产能工作领导小组办公室。"
    assert cc[0]["size"] == pytest.approx(14)  # 4号
    assert note("版记 left indent", mm(cc[0]["x0"]) - TEXT_LEFT, f"{14 / MM:.2f} (左空一字)") == \
        pytest.approx(14 / MM, abs=0.3)
    foot = note("版记 above text block bottom", TEXT_BOTTOM - mm(max(c["bottom"] for c in cc)), "< 1 line (版心内最下方)")
    assert 0 <= foot < LINE_MM
    for page in pdf.pages[:-1]:
        assert "抄送" not in (page.extract_text() or "")


# --- page numbers --------------------------------------------------------------------------------------------


def page_number_marks(page: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dashes = [ln for ln in page.lines if mm(ln["top"]) > TEXT_BOTTOM and mm(ln["width"]) == pytest.approx(14 / MM, abs=0.1)]
    digits = [c for c in page.chars if mm(c["top"]) > TEXT_BOTTOM + 2 and c["text"].isdigit()]
    return sorted(dashes, key=lambda d: d["x0"]), digits


def test_page_numbers(pdf: Any) -> None:
    dashes, digits = page_number_marks(pdf.pages[0])
    assert not dashes and not digits  # 信函格式: no page number on page 1
    for index in range(1, len(pdf.pages)):
        page = pdf.pages[index]
        number = index + 1
        dashes, digits = page_number_marks(page)
        assert len(dashes) == 2 and "".join(c["text"] for c in digits) == str(number)
        below = note("page-number dash below text block", mm(dashes[0]["top"]) - TEXT_BOTTOM, "7 (一字线上距版心下边缘)")
        assert below == pytest.approx(7.0, abs=0.2)
        assert digits[0]["size"] == pytest.approx(14)  # 4号
        digits_mid = (min(c["top"] for c in digits) + max(c["bottom"] for c in digits)) / 2
        assert abs(mm(digits_mid - dashes[0]["top"])) < 1.2  # the number sits on the dash line
        if number % 2:
            edge = note("odd page number right indent", TEXT_RIGHT - mm(dashes[1]["x1"]), f"{14 / MM:.2f} (单页码居右空一字)")
        else:
            edge = note("even page number left indent", mm(dashes[0]["x0"]) - TEXT_LEFT, f"{14 / MM:.2f} (双页码居左空一字)")
        assert edge == pytest.approx(14 / MM, abs=0.2)


# --- fonts ----------------------------------------------------------------------------------------------------


def test_faces_follow_the_standard(pdf: Any) -> None:
    fonts_by_text: dict[str, set[str]] = {}
    for page in pdf.pages:
        for chars in text_lines(page, within_block=False):
            fonts_by_text.setdefault(line_text(chars), set()).update(c["fontname"].split("+")[1] for c in chars)
    assert fonts_by_text["一、企业基本情况"] == {"WenQuanYiMicroHei-0"}  # 黑体
    kai = next(t for t in fonts_by_text if t.startswith("（一）"))
    assert "GBZenKai-Medium" in fonts_by_text[kai]  # 楷体 for （一）
    assert fonts_by_text[ENTERPRISE + "："] == {"FandolFang-Regular"}  # 仿宋 body
    assert fonts_by_text[f"关于{ENTERPRISE}"] == {"NotoSerifCJKsc-Bold"}  # heavy Song title



def test_short_office_name_date_four_characters_in(tmp_path: Path) -> None:
    doc = dataclasses.replace(sample_document(tmp_path / "fx", photos_per_stage=(1, 0, 0)),
                              issuing_office="登封市工业和信息化局")
    out = tmp_path / "short.pdf"
    result = render_opinion_pdf(doc, out)
    with pdfplumber.open(out) as handle:
        page = handle.pages[result.signature_box.page]
        office = find_line(page, "登封市工业和信息化局")
        date = find_line(page, "2021年10月28日")
    right = note("成文日期 right indent (short 署名)", (TEXT_RIGHT - mm(date[-1]["x1"])) / CHAR_MM, "4 characters")
    assert right == pytest.approx(4, abs=0.05)
    assert mm((office[0]["x0"] + office[-1]["x1"]) / 2 - (date[0]["x0"] + date[-1]["x1"]) / 2) == \
        pytest.approx(0, abs=0.3)


# --- words in narrow table cells ---------------------------------------------------------------------------


def test_break_lines_keeps_words_whole_and_splits_only_a_word_wider_than_the_line() -> None:
    from inspect_app.reports.cjk_text import break_lines, shape
    from inspect_app.reports.fonts import FANG

    size = 10.5
    width = 30 * MM - 12  # the 型号规格 column less its padding
    lines = [line.text for line in break_lines(shape([("回转窑 Φ2.6×13m 配套 PC42.5 熟料线", FANG)], size), width)]
    joined = "".join(lines)
    for word in ("Φ2.6×13m", "PC42.5"):
        assert word in joined
        assert any(word in line for line in lines), (word, lines)  # never across a line break
    uscc = "91410100MA44X7R2B0"
    narrow = break_lines(shape([(uscc, FANG)], size), 12 * MM)
    assert len(narrow) > 1 and "".join(line.text for line in narrow) == uscc  # too wide alone: split, nothing lost
    assert all(line.width <= 12 * MM + 0.01 for line in narrow)


def test_table_cells_break_between_words_not_inside(tmp_path: Path) -> None:
    from inspect_app.reports.opinion_model import EquipmentItem

    doc = sample_document(tmp_path / "fx", photos_per_stage=(1, 0, 0))
    # the 型号规格 column is 30 mm: the old wrap printed "回转窑Φ" over "2.6×13m m" over "³ PC42.5R"
    item = EquipmentItem(name="2号熟料生产线", model_spec="回转窑Φ2.6×13m m³ PC42.5R",
                         quantity=1, capacity_value="12.5", capacity_unit="万吨/年", sector="水泥")
    checks = (dataclasses.replace(doc.checklist[0], note="铭牌回转窑Φ2.6×13m，代码91410100MA44X7R2B0"),
              *doc.checklist[1:])
    doc = dataclasses.replace(doc, equipment=(item,), checklist=checks)
    out = tmp_path / "cells.pdf"
    render_opinion_pdf(doc, out, signature_box=False)
    with pdfplumber.open(out) as handle:
        lines = [line_text(chars) for page in handle.pages for chars in text_lines(page, within_block=False)]
    for word in ("Φ2.6×13m", "m³", "PC42.5R", "91410100MA44X7R2B0"):
        assert sum(line.count(word) for line in lines) >= 1, (word, lines)  # whole on one line
    assert sum(line.count("Φ2.6×13m") for line in lines) == 2  # the table cell and the note


def test_the_seal_and_date_never_stand_on_a_page_without_text(tmp_path: Path) -> None:
    """When the 署名 and 成文日期 do not fit below the body, the 附件说明 line and the body's last lines (here the
    enterprise representative's confirmation) go to the next page with them."""
    base = sample_document(tmp_path / "fx", photos_per_stage=(1, 0, 0))
    date_text = f"{base.issue_date.year}年{base.issue_date.month}月{base.issue_date.day}日"
    moved = 0
    for k in range(12):
        extra = tuple("验收组对企业提交的退出材料逐项进行了核对，与现场情况一致。" for _ in range(k))
        doc = dataclasses.replace(base, conclusion_paragraphs=base.conclusion_paragraphs + extra)
        out = tmp_path / f"push-{k}.pdf"
        render_opinion_pdf(doc, out, signature_box=False)
        with pdfplumber.open(out) as handle:
            where: dict[str, int] = {}
            for n, page in enumerate(handle.pages):
                for chars in text_lines(page, within_block=False):
                    line = line_text(chars)
                    if line.startswith("附件：影像资料"):
                        where["annex"] = n
                    elif line.endswith(date_text) and "date" not in where:
                        where["date"] = n
                    elif line.startswith("企业代表"):
                        where["representative"] = n
                    elif line.startswith("验收组成员签字"):
                        where["team"] = n
        assert where["annex"] == where["date"] == where["representative"], (k, where)
        moved += where["date"] > where["team"]
    assert moved  # some lengths pushed the seal to the next page: the case was exercised
