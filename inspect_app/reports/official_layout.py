"""The official-document layout shared by every PDF the office issues (GB/T 9704-2012 manner).

One home for the pieces the acceptance opinion and the office reports both draw: the page geometry (A4
portrait text block 156 × 225 mm; the landscape variant for wide tables), the red issuing-office header with
the 文号 and separator, page numbers "— n —", text drawn with per-character font fallback, ruled tables that
never fall back to reportlab's unembedded Helvetica, balanced titles, Chinese numerals, document-info keys,
and the switch that keeps reportlab from ASCII85-encoding images.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from inspect_app.reports import pdfa
from inspect_app.reports.fonts import HEI, SONG, font_runs, para_markup
from inspect_app.reports.pdfa import ArchiveMeta

# --- geometry (GB/T 9704-2012 §5.2) -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Geometry:
    """A page and its text block, in points (origin bottom-left, as reportlab draws)."""

    page_w: float
    page_h: float
    left: float
    top: float
    text_w: float
    text_h: float

    @property
    def bottom(self) -> float:
        return self.page_h - self.top - self.text_h

    @property
    def pagesize(self) -> tuple[float, float]:
        return (self.page_w, self.page_h)


PORTRAIT = Geometry(A4[0], A4[1], left=28 * mm, top=37 * mm, text_w=156 * mm, text_h=225 * mm)
# Wide tables (附表) turn the page: the same margins rotated, so a bound copy still has its gutter.
LANDSCAPE = Geometry(landscape(A4)[0], landscape(A4)[1], left=37 * mm, top=28 * mm, text_w=225 * mm, text_h=156 * mm)

CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
BODY_SIZE = PORTRAIT.text_w / CHARS_PER_LINE  # ≈ 15.8 pt: 3号 (16 pt) narrowed so 28 characters fill 156 mm
LEADING = PORTRAIT.text_h / LINES_PER_PAGE - 0.01  # ≈ 28.9 pt; the hair less keeps 22 lines from overflowing
TITLE_SIZE = 22.0  # 2号
PAGE_NO_SIZE = 14.0  # 4号
TABLE_SIZE = 12.0  # 小四
SMALL_TABLE_SIZE = 9.0  # 小五: wide statistical tables
CAPTION_SIZE = 10.5  # 五号
RED = colors.Color(0.85, 0.0, 0.0)
HEADER_GREY = colors.Color(0.93, 0.93, 0.93)


# reportlab reads rl_config.useA85 at image-load and save time, so it must be off for the whole build.
_a85_lock = threading.Lock()


@contextlib.contextmanager
def no_ascii85() -> Iterator[None]:
    """Keep reportlab from ASCII85-encoding streams in pure Python for the duration of one build."""
    with _a85_lock:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = saved


# --- styles --------------------------------------------------------------------------------------------------


def body_styles() -> dict[str, ParagraphStyle]:
    """Return the paragraph styles of an official document (body in 3号 Song, headings in Hei)."""
    body = ParagraphStyle(
        "body",
        fontName=SONG,
        fontSize=BODY_SIZE,
        leading=LEADING,
        firstLineIndent=2 * BODY_SIZE,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontSize=TITLE_SIZE,
            leading=TITLE_SIZE * 1.5,
            firstLineIndent=0,
            alignment=TA_CENTER,
            spaceBefore=LEADING * 0.5,
            spaceAfter=LEADING * 0.5,
        ),
        "h1": ParagraphStyle("h1", parent=body, fontName=HEI, keepWithNext=True),
        "h2": ParagraphStyle("h2", parent=body),
        "plain": ParagraphStyle("plain", parent=body, firstLineIndent=0, alignment=TA_LEFT),
        "cell": cell_style(TABLE_SIZE),
        "cell_c": cell_style(TABLE_SIZE, align=TA_CENTER),
        "head": cell_style(TABLE_SIZE, font=HEI, align=TA_CENTER),
        "caption": ParagraphStyle(
            "caption",
            fontName=SONG,
            fontSize=CAPTION_SIZE,
            leading=CAPTION_SIZE * 1.35,
            wordWrap="CJK",
        ),
        "flag": ParagraphStyle(
            "flag",
            fontName=HEI,
            fontSize=CAPTION_SIZE,
            leading=CAPTION_SIZE * 1.35,
            wordWrap="CJK",
            textColor=RED,
        ),
        "annex_label": ParagraphStyle("annex_label", parent=body, fontName=HEI, firstLineIndent=0),
    }


def cell_style(size: float, *, font: str = SONG, align: int = TA_LEFT) -> ParagraphStyle:
    """Return a table-cell paragraph style."""
    return ParagraphStyle(
        f"cell-{font}-{size}-{align}", fontName=font, fontSize=size, leading=size * 1.35, wordWrap="CJK",
        alignment=align,
    )


# --- drawing -------------------------------------------------------------------------------------------------


def text_width(text: str, font: str, size: float) -> float:
    """Return the width of ``text`` set in ``font`` with per-character fallback."""
    return sum(pdfmetrics.stringWidth(run, face, size) for run, face in font_runs(text, font))


def draw_text(
    canv: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    *,
    align: str = "left",
    render_mode: int = 0,
) -> float:
    """Draw ``text`` with per-character font fallback; return its width."""
    runs = font_runs(text, font)
    width = sum(pdfmetrics.stringWidth(run, face, size) for run, face in runs)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    obj = canv.beginText(x, y)
    obj.setTextRenderMode(render_mode)
    for run, face in runs:
        obj.setFont(face, size)
        obj.textOut(run)
    canv.drawText(obj)
    return width


class RedHeader(Flowable):
    """版头: issuing office in red, 文号 centred below it, then the red separator line."""

    def __init__(self, office: str, number: str, *, width: float = PORTRAIT.text_w) -> None:
        super().__init__()
        self.office = office
        self.number = number
        self.text_w = width
        self.office_size = min(30.0, PORTRAIT.text_w / max(len(office), 1) * 0.98)
        self.height = self.office_size * 1.2 + LEADING * 1.6 + 4 * mm + 2

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.text_w, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(RED)
        canv.setStrokeColor(RED)
        # fill + thin stroke thickens the light Song face towards the usual bold header type
        canv.setLineWidth(0.5)
        y_office = self.height - self.office_size
        draw_text(canv, self.text_w / 2, y_office, self.office, SONG, self.office_size, align="center",
                  render_mode=2)
        canv.restoreState()
        canv.saveState()
        canv.setStrokeColor(RED)
        y_number = y_office - LEADING * 1.5
        if self.number:
            draw_text(canv, self.text_w / 2, y_number, self.number, SONG, BODY_SIZE, align="center")
        canv.setLineWidth(1.0)
        y_line = y_number - 4 * mm
        canv.line(0, y_line, self.text_w, y_line)
        canv.restoreState()


PAGE_NO_DASH_GAP = 7 * mm  # 一字线上距版心下边缘 7 mm (GB/T 9704-2012 §7.5)


def page_number(canv: Canvas, number: int, geometry: Geometry = PORTRAIT) -> None:
    """Draw "— n —" in 4号 Song below the text block: a one-em rule either side of the number, the rules 7 mm
    below the text block's lower edge; odd pages right, even pages left, one character in."""
    size = PAGE_NO_SIZE
    digits = str(number)
    gap = size * 0.25
    digits_w = pdfmetrics.stringWidth(digits, SONG, size)
    total = size + gap + digits_w + gap + size
    y_rule = geometry.bottom - PAGE_NO_DASH_GAP
    x = geometry.left + geometry.text_w - size - total if number % 2 else geometry.left + size
    canv.saveState()
    canv.setLineWidth(0.6)
    canv.line(x, y_rule, x + size, y_rule)
    canv.line(x + total - size, y_rule, x + total, y_rule)
    # digits centred on the rule: their height is about 0.7 em above the baseline
    draw_text(canv, x + size + gap, y_rule - size * 0.35, digits, SONG, size)
    canv.restoreState()


def canvas_with_info(extras: dict[str, str], *, archive: ArchiveMeta | None = None) -> type[Canvas]:
    """Return a Canvas class whose document info carries the app's custom keys (QR payload, as-of date …).

    With ``archive`` the file is made PDF/A-2b (``reports.pdfa``): XMP packet, sRGB output intent, and the
    document information written from the same values as the XMP.
    """

    class _Info(pdfdoc.PDFInfo):
        def format(self, document: Any) -> bytes:
            if archive is None:
                base = super().format(document)
            else:
                base = pdfdoc.PDFDictionary(pdfa.info_entries(archive)).format(document)
            extra = b"".join(
                b"/" + key.encode("ascii") + b" " + pdfdoc.PDFString(value).format(document) + b"\n"
                for key, value in extras.items()
            )
            # base ends with ">>"; splice the extra keys in before it
            head, _, tail = bytes(base).rpartition(b">>")
            return head + extra + b">>" + tail

    class _OfficialCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc.info = _Info()
            if archive is not None:
                pdfa.install(self._doc, archive)

    return _OfficialCanvas


def grid_table(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    font: str = SONG,
    size: float = TABLE_SIZE,
    extra_style: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """Return a fully ruled table whose header rows repeat on every page and are shaded."""
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows, hAlign="CENTER")
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, size),  # the cell default would be the unembedded Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_GREY))
    style.extend(extra_style)
    table.setStyle(TableStyle(style))
    return table


def balanced_title(title: str, width: float = PORTRAIT.text_w) -> str:
    """Return title markup broken into lines of near-equal length (GB/T: 梯形或菱形, never one stray word)."""
    per_line = int(width // TITLE_SIZE)
    lines = -(-len(title) // per_line)
    if lines <= 1:
        return para_markup(title)
    size = -(-len(title) // lines)
    return "<br/>".join(para_markup(title[i : i + size]) for i in range(0, len(title), size))


def cn_number(n: int) -> str:
    """Return ``n`` (1–99) in Chinese numerals, as headings count (一、二 … 十一)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


PageHook = Callable[[Canvas, BaseDocTemplate], None]


def official_template(
    buffer: Any,
    geometry: Geometry,
    *,
    title: str,
    author: str,
    subject: str,
    first_page: PageHook,
    later_page: PageHook,
) -> BaseDocTemplate:
    """Return a doc template with the text block of ``geometry``, starting in the embedded Song font."""
    template = BaseDocTemplate(
        buffer,
        pagesize=geometry.pagesize,
        leftMargin=geometry.left,
        rightMargin=geometry.page_w - geometry.left - geometry.text_w,
        topMargin=geometry.top,
        bottomMargin=geometry.bottom,
        title=title,
        author=author,
        subject=subject,
        creator="inspect-app",
        pageCompression=1,
        # reportlab's default initial font is the unembedded Helvetica; start in the embedded Song
        initialFontName=SONG,
        initialFontSize=BODY_SIZE,
        initialLeading=LEADING,
    )
    frame = Frame(geometry.left, geometry.bottom, geometry.text_w, geometry.text_h, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates(
        [
            PageTemplate(id="first", frames=[frame], onPage=first_page, autoNextPageTemplate="later",
                         pagesize=geometry.pagesize),
            PageTemplate(id="later", frames=[frame], onPage=later_page, pagesize=geometry.pagesize),
        ]
    )
    return template
