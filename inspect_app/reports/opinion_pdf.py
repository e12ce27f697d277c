"""Draw the written acceptance opinion (书面验收意见) as a PDF in the letter format of GB/T 9704-2012 (信函格式).

The opinion is a 函 (its text says "函告"), so it follows §10.1 信函格式 throughout:

* A4, text block 156 × 225 mm (top 37 mm, left 28 mm), body in 3号 FangSong, 22 lines of 28 characters;
* 发文机关标志 in red heavy Song, centred on the text block, its top edge 30 mm below the page's top edge; 4 mm below it a red
  double line (thick over thin), and 20 mm above the page's bottom edge a red double line (thin over thick),
  both 170 mm long and centred on the text block; the first page has no page number;
* 发文字号 flush with the text block's right edge, 7/8 of a 3号 character's height below the first double line;
* the title in 2号 heavy Song two lines below, broken into balanced lines between words (梯形/菱形); one line
  below it the 主送机关 flush left, ending with a full-width colon;
* body paragraphs set by ``cjk_text`` (no line starts with closing punctuation, none ends with an opening
  bracket), headings 一、 in Hei and （一） in Kai; tables split across pages with repeated headers;
* the 附件说明 one line below the body, two characters in; the 发文机关署名 centred on the 成文日期, which stands
  four characters from the right edge, under the office's seal image when it has one; beside them the signed
  QR code, the electronic signature field (its appearance is drawn in Chinese when signing) and one line on how
  to check the document;
* the evidence photos as the 附件 on new pages, grouped before / during / after, each with its facts and flags;
* the 版记 (抄送) at the foot of the last page; page numbers "— n —" from page 2 on: 4号, the dashes 7 mm below
  the text block, odd pages right and even pages left, one character in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from inspect_app.errors import UserError
from inspect_app.evidence.flags import format_distance
from inspect_app.fileio import write_atomic
from inspect_app.i18n import Msg
from inspect_app.reports.cjk_text import CJKParagraph, break_lines, draw_line, shape
from inspect_app.reports.fonts import FANG, HEI, KAI, SONG, XBS, register_fonts
from inspect_app.reports.official_layout import (
    CAPTION_SIZE,
    LEADING,
    PORTRAIT,
    RED,
    TABLE_SIZE,
    canvas_with_info,
    cn_number,
    grid_table,
    no_ascii85,
    page_number,
)
from inspect_app.reports.opinion_model import (
    EvidencePhoto,
    OpinionDocument,
)
from inspect_app.reports.pdfa import ArchiveMeta
from inspect_app.rules.opinion_wording import chinese_date

PAGE_W, PAGE_H = PORTRAIT.pagesize
LEFT = PORTRAIT.left
TOP = PORTRAIT.top
TEXT_W = PORTRAIT.text_w
TEXT_H = PORTRAIT.text_h
BOTTOM = PORTRAIT.bottom

BODY_SIZE = TEXT_W / 28  # 3号 (16 pt) set 28 to a 156 mm line, as the standard's grid asks
SIZE_3 = 16.0  # 3号, for the distances the standard gives in its character heights
TITLE_SIZE = 22.0  # 2号
CC_SIZE = 14.0  # 4号 (版记)

# 信函格式 (GB/T 9704-2012 §10.1)
MARK_TOP = 30 * mm  # 发文机关标志 top edge below the page's top edge
MARK_MAX_SIZE = 30.0
MARK_GAP = 4 * mm  # from the mark's lower edge to the first double line
RULE_LENGTH = 170 * mm
RULE_THICK = 1.0 * mm
RULE_THIN = 0.35 * mm
RULE_GAP = 0.6 * mm
BOTTOM_RULE_FROM_EDGE = 20 * mm  # lower edge of the second double line above the page's bottom edge
NUMBER_GAP = SIZE_3 * 7 / 8  # 发文字号 below the first double line: 7/8 of a 3号 character's height

QR_SIZE = 30 * mm
SEAL_DIAMETER = 42 * mm

METADATA_QR_KEY = "InspectAppQR"
METADATA_EVIDENCE_KEY = "InspectAppEvidence"
METADATA_OPINION_KEY = "InspectAppOpinion"
METADATA_NUMBER_KEY = "InspectAppNumber"
METADATA_USCC_KEY = "InspectAppUSCC"
METADATA_CONCLUSION_KEY = "InspectAppConclusion"
METADATA_ISSUE_DATE_KEY = "InspectAppIssueDate"


@dataclass(frozen=True, slots=True)
class SignatureBox:
    """Where the visible signature field goes: 0-based page index and box in PDF points."""

    page: int
    box: tuple[float, float, float, float]
    seal_circle: tuple[float, float, float]  # centre x, centre y, radius of the seal area


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What ``render_opinion_pdf`` wrote."""

    path: Path
    pages: int
    sha256: str
    bytes: int
    signature_box: SignatureBox | None


# --- text helpers --------------------------------------------------------------------------------------------


def _para(
    text: str | Sequence[tuple[str, str]],
    *,
    font: str = FANG,
    size: float = BODY_SIZE,
    leading: float = LEADING,
    indent: float = 2.0,
    align: str = "justify",
    color: colors.Color = colors.black,
    keep_with_next: bool = False,
) -> CJKParagraph:
    segments = [(text, font)] if isinstance(text, str) else list(text)
    return CJKParagraph(segments, size=size, leading=leading, first_indent=indent, align=align, color=color,
                        keep_with_next=keep_with_next)


def _body(text: str | Sequence[tuple[str, str]]) -> CJKParagraph:
    return _para(text)


def _h1(text: str) -> list[Flowable]:
    # a heading never ends a page alone, but it does not drag a long table with it (keepWithNext would move
    # the whole table to the next page and leave the rest of this one blank)
    return [CondPageBreak(3 * LEADING), _para(text, font=HEI)]


def _cell(text: str, *, font: str = FANG, size: float = TABLE_SIZE, align: str = "left",
          color: colors.Color = colors.black) -> CJKParagraph:
    return _para(text, font=font, size=size, leading=size * 1.3, indent=0, align=align, color=color)


def _caption(text: str, *, font: str = FANG, color: colors.Color = colors.black) -> CJKParagraph:
    return _para(text, font=font, size=CAPTION_SIZE, leading=CAPTION_SIZE * 1.35, indent=0, align="left",
                 color=color)


# title breaking: between words, lines of near-equal length, the upper ones not longer (梯形)
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "分公司", "公司", "工厂", "厂")
_TITLE_WORDS = ("关于", "落后产能", "退出的", "验收意见", "的")


def title_words(title: str, enterprise: str) -> list[str]:
    """Split a title into the words it may break between (the enterprise name kept whole when it fits)."""
    words: list[str] = []
    rest = title
    while rest:
        if enterprise and rest.startswith(enterprise):
            words.append(enterprise)
            rest = rest[len(enterprise):]
            continue
        match = next((w for w in _TITLE_WORDS if rest.startswith(w)), None)
        if match:
            words.append(match)
            rest = rest[len(match):]
            continue
        if words and not any(words[-1] == w for w in (*_TITLE_WORDS, enterprise)):
            words[-1] += rest[0]
        else:
            words.append(rest[0])
        rest = rest[1:]
    return words


def _split_long_word(word: str, per_line: int) -> list[str]:
    """Split an over-long name after a suffix or bracket, else in halves, so no piece exceeds a line."""
    if len(word) <= per_line:
        return [word]
    for suffix in _SUFFIXES:
        cut = word.rfind(suffix)
        if 0 < cut < len(word) and cut <= per_line and len(word) - cut <= per_line:
            return [word[:cut], word[cut:]]
    brackets = [m.end() for m in re.finditer(r"[）)]", word) if m.end() <= per_line]
    if brackets:
        return [word[: brackets[-1]], *_split_long_word(word[brackets[-1]:], per_line)]
    return [word[:per_line], *_split_long_word(word[per_line:], per_line)]


def balanced_title_lines(title: str, enterprise: str, per_line: int) -> list[str]:
    """Break ``title`` into the fewest lines of at most ``per_line`` characters, only between words,
    as even as possible and never with a longer line above a shorter one by more than a word."""
    words: list[str] = []
    for word in title_words(title, enterprise):
        words += _split_long_word(word, per_line)
    n = len(words)
    best: tuple[tuple[int, int, int], list[str]] | None = None
    # try every way to cut the word list into k lines, for the smallest k that fits (titles are short)
    for k in range(1, n + 1):
        for cuts in _compositions(n, k):
            lines = ["".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, n), strict=True)]
            if max(len(line) for line in lines) > per_line:
                continue
            spread = max(len(x) for x in lines) - min(len(x) for x in lines)
            inverted = sum(1 for a, b in itertools.pairwise(lines) if len(a) > len(b) + 1)
            score = (inverted, spread, -len(lines[-1]))
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return [title]


def _compositions(n: int, k: int) -> list[tuple[int, ...]]:
    """All increasing tuples of k-1 cut positions in 1..n-1."""
    if k == 1:
        return [()]
    out: list[tuple[int, ...]] = []

    def rec(start: int, left: int, acc: tuple[int, ...]) -> None:
        if left == 0:
            out.append(acc)
            return
        for cut in range(start, n - left + 1):
            rec(cut + 1, left - 1, (*acc, cut))

    rec(1, k - 1, ())
    return out


# --- fixed pieces of the first page (drawn by the page hook) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Letterhead:
    """Where the letterhead's parts fall on page 1 (points from the page's bottom edge)."""

    mark_size: float
    mark_baseline: float
    rule_top: float  # top edge of the first double line
    rule_bottom: float
    number_baseline: float
    frame_top: float  # where the story starts (two lines below the 发文字号)


def letterhead_geometry(office: str) -> Letterhead:
    """Return the letterhead's positions for ``office`` (the mark shrinks to fit 156 mm)."""
    fonts = register_fonts()
    width_1pt = sum(pdfmetrics.stringWidth(ch, XBS, 1.0) for ch in office) or 1.0
    size = min(MARK_MAX_SIZE, TEXT_W * 0.96 / width_1pt)
    descent = fonts.descent(XBS)
    mark_top = PAGE_H - MARK_TOP
    mark_baseline = mark_top - size * (1 + descent)
    mark_bottom = mark_baseline + size * descent
    rule_top = mark_bottom - MARK_GAP
    rule_bottom = rule_top - RULE_THICK - RULE_GAP - RULE_THIN
    number_top = rule_bottom - NUMBER_GAP
    number_baseline = number_top - BODY_SIZE * (1 + fonts.descent(FANG))
    number_line_bottom = number_top - BODY_SIZE - (LEADING - BODY_SIZE) / 2
    frame_top = number_line_bottom - 2 * LEADING
    return Letterhead(size, mark_baseline, rule_top, rule_bottom, number_baseline, frame_top)


def _double_rule(canv: Canvas, top: float, *, thick_first: bool) -> None:
    x = LEFT + (TEXT_W - RULE_LENGTH) / 2  # centred on the text block, like the mark above it
    first, second = (RULE_THICK, RULE_THIN) if thick_first else (RULE_THIN, RULE_THICK)
    canv.rect(x, top - first, RULE_LENGTH, first, stroke=0, fill=1)
    canv.rect(x, top - first - RULE_GAP - second, RULE_LENGTH, second, stroke=0, fill=1)


def draw_letterhead(canv: Canvas, doc: OpinionDocument, head: Letterhead) -> None:
    """Draw the red 发文机关标志, both double lines and the 发文字号 on page 1."""
    canv.saveState()
    canv.setFillColor(RED)
    line = break_lines(shape([(doc.issuing_office, XBS)], head.mark_size), 10 * TEXT_W)[0]
    draw_line(canv, line, LEFT, head.mark_baseline, TEXT_W, head.mark_size, "center")
    _double_rule(canv, head.rule_top, thick_first=True)
    _double_rule(canv, BOTTOM_RULE_FROM_EDGE + RULE_THIN + RULE_GAP + RULE_THICK, thick_first=False)
    canv.setFillColor(colors.black)
    if doc.document_number:
        number = break_lines(shape([(doc.document_number, FANG)], BODY_SIZE), 10 * TEXT_W)[0]
        draw_line(canv, number, LEFT, head.number_baseline, TEXT_W, BODY_SIZE, "right")
    canv.restoreState()


# --- the seal block: 署名, 成文日期, seal, QR code, signature field ---------------------------------------------


def qr_modules(text: str) -> list[list[bool]]:
    """Return the QR code's modules for ``text`` (error correction M, as reportlab encodes it)."""
    qr = QrCodeWidget(text, barLevel="M", barBorder=0).qr
    qr.make()
    return [[bool(cell) for cell in row] for row in qr.modules]


def draw_qr(canv: Canvas, x0: float, y0: float, size: float, text: str) -> None:
    """Draw ``text`` as a QR code of ``size`` with its lower-left corner at (x0, y0), as vector rectangles."""
    # reportlab's encoder, drawn straight onto the canvas: renderPDF would pull in an unembedded Helvetica
    modules = qr_modules(text)
    count = len(modules)
    module = size / count
    canv.saveState()
    canv.setFillColor(colors.white)
    canv.rect(x0 - 4 * module, y0 - 4 * module, size + 8 * module, size + 8 * module, stroke=0, fill=1)
    canv.setFillColor(colors.black)
    path = canv.beginPath()
    for r, row in enumerate(modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect(x0 + start * module, y0 + size - (r + 1) * module, (c - start) * module, module)
            else:
                c += 1
    canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()


def qr_content(doc: OpinionDocument) -> str | None:
    """Return what the QR code says: a line a person can read, the verification address, the signed payload."""
    if not doc.qr_payload:
        return None
    human = f"{doc.document_number} {doc.enterprise.name} 验收{doc.conclusion_label} {chinese_date(doc.issue_date)}"
    lines = [human.strip()]
    if doc.verification_url:
        lines.append(doc.verification_url)
    lines.append(doc.qr_payload)
    return "\n".join(lines)


class SealBlock(Flowable):
    """The signing block: 署名 centred on the 成文日期 (right four characters in), the seal image pressing them,
    the QR code at the left with the signature field beside it. Records where the signature field goes."""

    def __init__(self, doc: OpinionDocument, placement: dict[str, Any], *, signature_box: bool) -> None:
        super().__init__()
        self.doc = doc
        self.placement = placement
        self.signature_box = signature_box
        self.date_text = chinese_date(doc.issue_date)
        self.height = SEAL_DIAMETER + 6 * mm
        self.least = SEAL_DIAMETER + 2 * mm  # the space below the seal may close up (drawn from the top)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = TEXT_W
        return self.width, self.height

    def office_size(self) -> float:
        """A long office name is set smaller rather than run off the page (the 署名 is one line, GB/T 9704)."""
        full = sum(g.width for g in shape([(self.doc.issuing_office, FANG)], BODY_SIZE))
        return BODY_SIZE * min(1.0, TEXT_W / max(full, 1.0))

    def centre_x(self) -> tuple[float, float, float]:
        """Return the centre shared by 署名 and date, and the two widths."""
        date_w = sum(g.width for g in shape([(self.date_text, FANG)], BODY_SIZE))
        office_w = sum(g.width for g in shape([(self.doc.issuing_office, FANG)], self.office_size()))
        cx = TEXT_W - 4 * BODY_SIZE - date_w / 2  # 成文日期右空四字
        cx = min(cx, TEXT_W - office_w / 2)  # a long name moves both left, still centred on each other
        return cx, office_w, date_w

    def draw(self) -> None:
        canv = self.canv
        cx, _office_w, _date_w = self.centre_x()
        seal_cy = self.height - 2 * mm - SEAL_DIAMETER / 2
        descent = register_fonts().descent(FANG)
        # name and date sit just below the seal's centre (居印章中心偏下)
        office_base = seal_cy - 1.5 * mm - BODY_SIZE * (0.5 + descent)
        date_base = office_base - LEADING
        if self.doc.seal_image is not None:
            seal = _fit_image(self.doc.seal_image, SEAL_DIAMETER, SEAL_DIAMETER, mask="auto")
            seal.drawOn(canv, cx - seal.drawWidth / 2, seal_cy - seal.drawHeight / 2)
        for text, base, size in ((self.doc.issuing_office, office_base, self.office_size()),
                                 (self.date_text, date_base, BODY_SIZE)):
            line = break_lines(shape([(text, FANG)], size), 10 * TEXT_W)[0]
            draw_line(canv, line, cx - 5 * TEXT_W, base, 10 * TEXT_W, size, "center")
        qr_text = qr_content(self.doc)
        qr_top = self.height - 2 * mm
        if qr_text:
            draw_qr(canv, 0, qr_top - QR_SIZE, QR_SIZE, qr_text)
            canv.saveState()
            caption = break_lines(shape([("扫码核验", HEI)], 8.0), QR_SIZE)[0]
            draw_line(canv, caption, 0, qr_top - QR_SIZE - 3.6 * mm, QR_SIZE, 8.0, "center")
            canv.restoreState()
        scx, scy = canv.absolutePosition(cx, seal_cy)
        self.placement["seal"] = (scx, scy, SEAL_DIAMETER / 2)


SIGNATURE_BAND_H = 15 * mm


class SignatureBand(Flowable):
    """The band under the seal block where the electronic signature's visible appearance goes (drawn when
    signing, in Chinese: signer, organisation, time in Beijing time, certificate). Unsigned renders show
    where it will be."""

    def __init__(self, placement: dict[str, Any], *, signature_box: bool) -> None:
        super().__init__()
        self.placement = placement
        self.signature_box = signature_box
        self.height = SIGNATURE_BAND_H

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = TEXT_W
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        if not self.signature_box:
            canv.saveState()
            canv.setStrokeColor(colors.Color(0.7, 0.7, 0.7))
            canv.setDash(2, 2)
            canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
            canv.setFillColor(colors.Color(0.55, 0.55, 0.55))
            line = break_lines(shape([("电子签名处（签署时生成）", FANG)], CAPTION_SIZE), self.width)[0]
            draw_line(canv, line, 0, self.height / 2 - CAPTION_SIZE * 0.35, self.width, CAPTION_SIZE, "center")
            canv.restoreState()
            return
        ax, ay = canv.absolutePosition(0, 0)
        bx, by = canv.absolutePosition(self.width, self.height)
        seal = self.placement.get("seal", ((ax + bx) / 2, by, 0.0))
        self.placement["box"] = SignatureBox(page=canv.getPageNumber() - 1, box=(ax, ay, bx, by), seal_circle=seal)


def _story(doc: OpinionDocument, placement: dict[str, Any], *, signature_box: bool) -> list[Flowable]:
    ent = doc.enterprise
    per_line = int(TEXT_W // TITLE_SIZE)
    title_lines = balanced_title_lines(doc.display_title, ent.name, per_line)
    story: list[Flowable] = [
        _para(line, font=XBS, size=TITLE_SIZE, indent=0, align="center", keep_with_next=True)
        for line in title_lines
    ]
    story.append(Spacer(1, LEADING))  # 主送机关: one line below the title
    story.append(_para(doc.addressee_text + "：", indent=0, align="left"))
    story += [_body(text) for text in doc.intro_paragraphs]

    story.extend(_h1("一、企业基本情况"))
    story.append(_body(f"企业名称：{ent.name}"))
    story.append(_body(f"统一社会信用代码：{ent.uscc}"))
    story.append(_body(f"地址：{ent.address}"))
    if ent.region:
        story.append(_body(f"所属地区：{ent.region}"))

    story.extend(_h1("二、落后设备及产能"))
    if doc.equipment:
        head = ["序号", "设备（生产线）名称", "型号规格", "数量", "产能", "所属行业"]
        rows: list[list[Any]] = [[_cell(h, font=HEI, align="center") for h in head]]
        for i, item in enumerate(doc.equipment, 1):
            rows.append([
                _cell(str(i), align="center"),
                _cell(item.name),
                _cell(item.model_spec),
                _cell(str(item.quantity), align="center"),
                _cell(f"{item.capacity_value} {item.capacity_unit}", align="center"),
                _cell(item.sector, align="center"),
            ])
        story.append(grid_table(rows, [12 * mm, 46 * mm, 30 * mm, 14 * mm, 30 * mm, 24 * mm], font=FANG))
        story.append(Spacer(1, LEADING * 0.3))
    else:
        story.append(_body("无。"))

    story.extend(_h1("三、认定依据"))
    if doc.basis:
        for i, basis in enumerate(doc.basis, 1):
            found = f"（发现日期：{chinese_date(basis.found_on)}）" if basis.found_on else ""
            story.append(_body([(f"（{cn_number(i)}）{basis.aspect}方面。", KAI), (basis.finding + found, FANG)]))
    else:
        story.append(_body("无。"))

    story.extend(_h1("四、退出方式"))
    story.append(_body(doc.exit_method))

    story.extend(_h1("五、现场核查情况"))
    story.append(_body(f"验收组于{chinese_date(doc.inspection_date)}在{doc.inspection_place}进行了现场核查，"
                       "核查情况如下："))
    if doc.checklist:
        rows = [[_cell(h, font=HEI, align="center") for h in ("序号", "核查项目", "结果", "说明")]]
        for i, check in enumerate(doc.checklist, 1):
            rows.append([
                _cell(str(i), align="center"),
                _cell(check.label),
                _cell(check.result, align="center", color=RED if check.result == "否" else colors.black),
                _cell(check.note),
            ])
        story.append(grid_table(rows, [12 * mm, 64 * mm, 20 * mm, 60 * mm], font=FANG))
        story.append(Spacer(1, LEADING * 0.3))

    story.extend(_h1("六、验收结论"))
    story.append(_body([("验收结论：", FANG), (doc.conclusion_label, HEI), ("。", FANG)]))
    story += [_body(text) for text in doc.conclusion_paragraphs]

    # the body's last stretch goes to the seal block's keeper, which moves its last lines along when the seal
    # block does not fit below them (see SealWithTail)
    tail: list[Flowable] = [_para("验收组成员签字：", indent=0, align="left", keep_with_next=True)]
    rows = [[_cell(h, font=HEI, align="center") for h in ("姓名", "单位", "职务", "签字")]]
    for member in doc.team:
        rows.append([
            _cell(member.name, align="center"),
            _cell(member.organisation),
            _cell(member.title, align="center"),
            _signature_cell(member.signature_png, member.unsigned_reason),
        ])
    tail.append(grid_table(rows, [24 * mm, 62 * mm, 30 * mm, 40 * mm], font=FANG))

    if doc.representative is not None:
        rep = doc.representative
        agreed = rep.agreed and rep.signature_png is not None
        statement = ("企业代表确认：本企业对上述核查情况无异议。" if agreed else
                     "企业意见：" + (rep.opinion.strip() or "＿" * 20))
        rep_rows: list[list[Any]] = [
            [_cell(h, font=HEI, align="center") for h in ("企业代表", "职务", "签字")],
            [_cell(rep.name, align="center"), _cell(rep.title, align="center"),
             _signature_cell(rep.signature_png, "" if rep.signature_png else (rep.unsigned_reason or "未签"))],
        ]
        tail.append(_Block([
            _Squeeze(LEADING * 0.5),
            _para(statement, indent=0, align="left"),
            grid_table(rep_rows, [40 * mm, 60 * mm, 56 * mm], font=FANG),
        ]))

    # The 附件说明, 署名, date, seal, signature field and the line on checking stay together, and never stand on a
    # page without body text (GB/T 9704-2012 7.3.5): the keeper carries the body's last lines with them.
    closing: list[Flowable] = []
    if doc.photos:
        closing.append(_Squeeze(LEADING, LEADING / 2))  # 附件说明: one line below the body, two characters in
        closing.append(_body(f"附件：{ANNEX_TITLE}（{doc.stage_word}前、中、后共{len(doc.photos)}张）"))
    closing += [_Squeeze(LEADING * 0.5), SealBlock(doc, placement, signature_box=signature_box), _Squeeze(2 * mm),
                SignatureBand(placement, signature_box=signature_box)]
    how = "核验：扫描二维码可见文号、企业、结论、日期及签名数据"
    if doc.verification_url:
        how += f"，可至{doc.verification_url}核验"
    how += "；电子文件的签名可在PDF阅读器中查看，或由发文机关用本系统核验。"
    closing.append(_caption(how))
    if doc.self_signed:
        closing.append(_caption(f"注：本意见书以未经{doc.issuing_office}签发的自签名证书签署，仅供培训或草稿使用，"
                                "不作为正式验收文书。", color=RED))
    story.append(SealWithTail(tail, closing))
    if doc.photos:
        story += _appendix(doc)
    if doc.cc:
        story.append(CarbonCopy("、".join(doc.cc)))
    return story


ANNEX_TITLE = "影像资料"


class _Squeeze(Spacer):
    """Space in the seal block that may close up to ``least`` so the block still fits below the body
    (GB/T 9704-2012 7.3.5.1: adjust the spacing rather than send the 署名 and date over)."""

    def __init__(self, height: float, least: float = 0.0) -> None:
        super().__init__(1, height)
        self.least = least


def _slack(f: Flowable) -> float:
    """How much ``f`` may close up."""
    if isinstance(f, _Block):
        return sum(_slack(inner) for inner in f.content)
    return f.height - f.least if isinstance(f, _Squeeze | SealBlock) else 0.0


def _closed_up(closing: list[Flowable], keep: float) -> list[Flowable]:
    """The closing flowables with each one's slack kept to the fraction ``keep``."""
    out: list[Flowable] = []
    for f in closing:
        if isinstance(f, _Squeeze):
            out.append(Spacer(1, f.least + (f.height - f.least) * keep))
        elif isinstance(f, _Block):
            out.append(_Block(_closed_up(f.content, keep)))
        else:
            if isinstance(f, SealBlock):
                f.height = f.least + (f.height - f.least) * keep
            out.append(f)
    return out


class _Block(Flowable):
    """Flowables that stay together and are drawn as one (a block the keeper never splits)."""

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self.content = content
        self._heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._heights = [f.wrapOn(self.canv, avail_width, 0xFFFFFF)[1] for f in self.content]
        self.width, self.height = avail_width, sum(self._heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        y = self.height
        for f, h in zip(self.content, self._heights, strict=True):
            y -= h
            f.drawOn(self.canv, 0, y)


class SealWithTail(Flowable):
    """The seal block (``closing``) with the body's last stretch (``tail``), as official documents are set:

    when the seal block does not fit below the body, the body is not left ending above a blank space with the
    seal block alone on the next page (“此页无正文”); the page is filled with body text and the body's last
    lines move to the next page with the seal block (the last two lines of a paragraph, the last row of a
    table under its repeated header, or a block kept whole, with a heading that keeps with it)."""

    def __init__(self, tail: list[Flowable], closing: list[Flowable]) -> None:
        super().__init__()
        self.tail = tail
        self.closing = closing

    def _height(self, f: Flowable, avail_width: float) -> float:
        return float(f.wrapOn(self.canv, avail_width, 0xFFFFFF)[1] + f.getSpaceBefore() + f.getSpaceAfter())

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 0xFFFFFF  # always laid out through split, like KeepTogether

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        heights = [self._height(f, avail_width) for f in self.tail]
        closing_h = sum(self._height(f, avail_width) for f in self.closing)
        if sum(heights) + closing_h <= avail_height or not self.tail:
            return [*self.tail, *self.closing]
        slack = sum(_slack(f) for f in [*self.tail, *self.closing])
        short = sum(heights) + closing_h - avail_height
        if short <= slack:  # close up the spacing rather than send the seal block over
            keep = 1 - short / slack
            return [*_closed_up(self.tail, keep), *_closed_up(self.closing, keep)]
        here: list[Flowable] = []
        carry: list[Flowable] = []
        used = 0.0
        for i, (f, h) in enumerate(zip(self.tail, heights, strict=True)):
            if used + h <= avail_height:
                here.append(f)
                used += h
                continue
            parts = self._split(f, avail_width, avail_height - used)
            if parts:
                here.append(parts[0])
                carry = [parts[1], *self.tail[i + 1:]]
            else:
                carry = list(self.tail[i:])
            break
        else:
            # the whole tail fits but the seal block does not: its last lines go over with the seal block
            last = here.pop()
            parts = self._pull_back(last, avail_width, heights[-1])
            if parts:
                here.append(parts[0])
                carry = [parts[1]]
            else:
                carry = [last]
        while here and here[-1] in self.tail and here[-1].getKeepWithNext():
            carry.insert(0, here.pop())  # a heading or a lead-in line goes with what follows it
        if not here and getattr(self, "_frame", None) is not None and getattr(self._frame, "_atTop", False):
            return [*self.tail, *self.closing]  # taller than a page by itself: let it flow
        if isinstance(carry[0], _Block) and isinstance(carry[0].content[0], _Squeeze):
            carry[0] = _Block(carry[0].content[1:])  # no space above it at the top of the next page
        return [*here, PageBreak(), SealWithTail(carry, self.closing)]

    def _split(self, f: Flowable, avail_width: float, room: float) -> list[Flowable]:
        """Split ``f`` into the part that fits ``room`` and the rest, or return [] when it cannot split."""
        if room <= 0 or isinstance(f, _Block | Spacer):
            return []
        f.wrapOn(self.canv, avail_width, room)
        parts = f.split(avail_width, room)
        return parts if len(parts) == 2 else []

    def _pull_back(self, f: Flowable, avail_width: float, height: float) -> list[Flowable]:
        """Split ``f`` so that its last two lines (one when it has only two), or its last row, go on."""
        if isinstance(f, CJKParagraph):
            lines = round(height / f.leading)
            back = 2 if lines >= 4 else 1
            return self._split(f, avail_width, height - back * f.leading + 0.5) if lines >= 2 else []
        return self._split(f, avail_width, height - 1.0)


class CarbonCopy(Flowable):
    """版记 of the letter format: the 抄送 line at the foot of the last page's text block (no rules)."""

    def __init__(self, names: str) -> None:
        super().__init__()
        self.names = names
        self.para = _para([("抄送：", FANG), (self.names + "。", FANG)], size=CC_SIZE, leading=CC_SIZE * 1.5,
                          indent=0, align="left")

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner_w = avail_width - 2 * CC_SIZE  # 左右各空一字
        _w, h = self.para.wrap(inner_w, avail_height)
        self.need = h
        self.width = avail_width
        self.height = max(h, avail_height - 0.5) if avail_height >= h else h
        return self.width, self.height

    def draw(self) -> None:
        self.para.drawOn(self.canv, CC_SIZE, 0)


def _fit_image(path: Path, max_w: float, max_h: float, *, mask: str | None = None) -> Image:
    """Return an Image flowable of ``path`` scaled to fit, embedded by path (JPEGs pass through unchanged)."""
    if not path.is_file():
        raise UserError(Msg("找不到图片文件：{path}", path=path), code="E_IMAGE_MISSING", details={"path": str(path)})
    try:
        img = Image(str(path), mask=mask)
    except Exception as exc:  # reportlab raises assorted errors for unreadable images
        raise UserError(Msg("无法读取图片：{path}", path=path), code="E_IMAGE_INVALID", details={"path": str(path)}) from exc
    iw, ih = img.imageWidth, img.imageHeight
    scale = min(max_w / iw, max_h / ih)
    img.drawWidth, img.drawHeight = iw * scale, ih * scale
    return img


def _signature_cell(path: Path | None, unsigned_reason: str) -> Flowable:
    if path is None:
        reason = unsigned_reason.strip()
        return _cell("未签" + (f"（{reason}）" if reason and reason != "未签" else ""), align="center",
                     color=RED if reason else colors.black)
    return _fit_image(path, 36 * mm, 12 * mm, mask="auto")


def _photo_cell(photo: EvidencePhoto, index: int) -> list[Flowable]:
    when = f"{photo.captured_at:%Y-%m-%d %H:%M}（北京时间）" if photo.captured_at else "无拍摄时间"
    # Metres below 1 km, kilometres above: "距厂址 58854 米" read as a number to count, not a distance.
    where = f"距厂址{format_distance(photo.distance_m).zh}" if photo.distance_m is not None else "无定位"
    cell: list[Flowable] = [
        _fit_image(photo.image_path, TEXT_W / 2 - 8, 52 * mm),
        Spacer(1, 2),
        _caption(f"{index}. {photo.caption}" if photo.caption else f"{index}."),
        _caption(f"拍摄时间：{when}；{where}"),
        _caption(f"SHA-256：{photo.sha256[:16]}"),
    ]
    if photo.flags:
        cell.append(_caption("疑点：" + "；".join(photo.flags), font=HEI, color=RED))
    cell += [_caption("说明：" + text) for text in photo.explanations]
    return cell


def _appendix(doc: OpinionDocument) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        _para("附件", font=HEI, indent=0, align="left"),
        _para(ANNEX_TITLE, font=XBS, size=TITLE_SIZE, indent=0, align="center"),
    ]
    counter = 0
    for n, (stage, label) in enumerate(doc.stage_labels.items()):
        photos = [p for p in doc.photos if p.stage == stage]
        heading = _para(f"{cn_number(n + 1)}、{label}（{len(photos)}张）", font=HEI)
        if not photos:
            story.append(KeepTogether([heading, _body("无。")]))
            continue
        rows: list[list[Any]] = []
        for i in range(0, len(photos), 2):
            row: list[Any] = []
            for photo in photos[i : i + 2]:
                counter += 1
                row.append(_photo_cell(photo, counter))
            if len(row) == 1:
                row.append("")
            rows.append(row)
        table = Table(rows, colWidths=[TEXT_W / 2] * 2, hAlign="CENTER")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FANG, CAPTION_SIZE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]))
        story.extend([CondPageBreak(90 * mm), heading, table])
    return story


# --- the document --------------------------------------------------------------------------------------------


def render_opinion_bytes(
    doc: OpinionDocument, *, signature_box: bool = True
) -> tuple[bytes, int, SignatureBox | None]:
    """Render the opinion in memory; return the PDF bytes, the page count and the signature box."""
    register_fonts()
    placement: dict[str, Any] = {}
    extras = {
        METADATA_OPINION_KEY: doc.opinion_id,
        METADATA_NUMBER_KEY: doc.document_number,
        METADATA_USCC_KEY: doc.enterprise.uscc,
        METADATA_CONCLUSION_KEY: doc.conclusion,
        METADATA_ISSUE_DATE_KEY: doc.issue_date.isoformat(),
        METADATA_EVIDENCE_KEY: " ".join(doc.evidence_hashes),
    }
    if doc.qr_payload:
        extras[METADATA_QR_KEY] = doc.qr_payload
    head = letterhead_geometry(doc.issuing_office)
    buffer = io.BytesIO()

    def first_page(canv: Canvas, _template: BaseDocTemplate) -> None:
        draw_letterhead(canv, doc, head)  # 信函格式: no page number on the first page

    def later_page(canv: Canvas, _template: BaseDocTemplate) -> None:
        page_number(canv, canv.getPageNumber(), PORTRAIT)

    template = BaseDocTemplate(
        buffer,
        pagesize=PORTRAIT.pagesize,
        leftMargin=LEFT,
        rightMargin=PAGE_W - LEFT - TEXT_W,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=doc.display_title,
        author=doc.issuing_office,
        subject=doc.document_number,
        creator="inspect-app",
        pageCompression=1,
        initialFontName=FANG,  # reportlab's default initial font is the unembedded Helvetica
        initialFontSize=BODY_SIZE,
        initialLeading=LEADING,
    )
    pad = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    first = Frame(LEFT, BOTTOM, TEXT_W, head.frame_top - BOTTOM, id="first", **pad)
    later = Frame(LEFT, BOTTOM, TEXT_W, TEXT_H, id="later", **pad)
    template.addPageTemplates([
        PageTemplate(id="first", frames=[first], onPage=first_page, autoNextPageTemplate="later",
                     pagesize=PORTRAIT.pagesize),
        PageTemplate(id="later", frames=[later], onPage=later_page, pagesize=PORTRAIT.pagesize),
    ])
    archive = ArchiveMeta(title=doc.display_title, author=doc.issuing_office, subject=doc.document_number,
                          created=doc.rendered_at or dt.datetime.now(dt.UTC).replace(microsecond=0))
    with no_ascii85():
        template.build(_story(doc, placement, signature_box=signature_box),
                       canvasmaker=canvas_with_info(extras, archive=archive))
    return buffer.getvalue(), template.page, placement.get("box")


def render_opinion_pdf(doc: OpinionDocument, out_path: Path, *, signature_box: bool = True) -> RenderResult:
    """Render the opinion to ``out_path`` atomically (temp file, fsync, rename)."""
    pdf, pages, box = render_opinion_bytes(doc, signature_box=signature_box)
    write_atomic(out_path, pdf)
    return RenderResult(
        path=out_path, pages=pages, sha256=hashlib.sha256(pdf).hexdigest(), bytes=len(pdf), signature_box=box
    )


__all__ = [
    "METADATA_CONCLUSION_KEY",
    "METADATA_EVIDENCE_KEY",
    "METADATA_ISSUE_DATE_KEY",
    "METADATA_NUMBER_KEY",
    "METADATA_OPINION_KEY",
    "METADATA_QR_KEY",
    "METADATA_USCC_KEY",
    "SONG",
    "RenderResult",
    "SignatureBox",
    "balanced_title_lines",
    "letterhead_geometry",
    "render_opinion_bytes",
    "render_opinion_pdf",
]
