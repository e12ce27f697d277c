"""A ruled table flowable for long statistical lists: linear in the number of rows, cheap per cell.

reportlab's ``Table``/``LongTable`` measure every cell as a flowable and re-measure the remainder at every page
break; a province-wide list (tens of thousands of rows, a dozen columns) took minutes. This flowable wraps each
cell's text once (by character class: CJK full width, ASCII half — the shipped Song and Hei faces set them so),
keeps prefix sums of the row heights, splits at a page in O(log n) without copying rows, and draws a page's
text in one text object and its rules in one path. Header rows repeat on every page; trailing totals rows are
set in Hei with their label spanning the empty cells after it.

A cell whose text has a character the Song face lacks is drawn run by run with the fallback face.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from reportlab.lib import colors
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from inspect_app.reports.cjk_text import NO_LINE_END, NO_LINE_START
from inspect_app.reports.fonts import HEI, SONG, face_for, register_fonts
from inspect_app.reports.official_layout import HEADER_GREY, draw_text

# The advance of a half-width character, in em: the Song face sets Latin at half width, Hei a little wider.
HALF_WIDTH = {SONG: 0.5, HEI: 0.6}


def char_width(ch: str, size: float, font: str = SONG) -> float:
    """Return the advance of ``ch``: full width for CJK and full-width forms, about half for the rest."""
    return size * (HALF_WIDTH.get(font, 0.6) if ord(ch) < 0x2E80 else 1.0)


_WORD_TAIL = re.compile(r"[^\s\u2e80-\U0010ffff]+$")  # a run of word characters at the end


def _in_word(ch: str) -> bool:
    """A character a line may not break beside another such one: not CJK, not a space (Latin letters, digits,
    "Φ" "×" "³" "." "-" …), so "Φ2.6×13m", "PC42.5R" and a credit code stay whole."""
    return ch < "\u2e80" and not ch.isspace()


_ADVANCES: dict[str, dict[str, float]] = {}


def _advances(font: str) -> dict[str, float]:
    """The advances (in em) of the characters measured so far in ``font``: each is measured once."""
    return _ADVANCES.setdefault(font, {})


def _measure(em: dict[str, float], ch: str, font: str) -> None:
    em[ch] = pdfmetrics.stringWidth(ch, face_for(ch, font), 1.0) or 0.5


def wrap_lines(text: str, width: float, size: float, font: str = SONG) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (and at its own line breaks).

    Lines break beside a CJK character or at a space; a word of Latin letters and digits moves whole to the
    next line, and is cut by characters only when it alone is wider than the cell."""
    if not text:
        return [""]
    half = size * HALF_WIDTH.get(font, 0.6)
    if "\n" not in text:
        # most cells fit on one line: CJK characters take 3 bytes in UTF-8, the rest here 1, so the byte count
        # gives the width without a Python loop over the characters
        wide = (len(text.encode("utf-8")) - len(text)) // 2
        if wide * size + (len(text) - wide) * half <= width:
            return [text]
    lines: list[str] = []
    for para in text.split("\n"):
        if not para:
            lines.append("")
            continue
        # cumulative advances, then cut where they pass each multiple of the width; each character's real
        # advance in the face that draws it ("Φ" and "×" are full width in the Song face, not half)
        em = _advances(font)
        try:
            ends = list(accumulate(map(em.__getitem__, para)))  # in em: C-level loops only
        except KeyError:  # a character not measured yet
            for ch in set(para).difference(em):
                _measure(em, ch, font)
            ends = list(accumulate(map(em.__getitem__, para)))
        width_em = width / size
        start, offset = 0, 0.0
        while start < len(para):
            cut = bisect.bisect_right(ends, offset + width_em, lo=start)
            cut = max(cut, start + 1)  # a character wider than the cell still takes a line of its own
            # 避头尾: no line starts with closing punctuation or ends with an opening bracket
            while cut < len(para) and cut - start > 1 and (para[cut] in NO_LINE_START or para[cut - 1] in NO_LINE_END):
                cut -= 1
            if cut < len(para) and _in_word(para[cut]):
                tail = _WORD_TAIL.search(para, start, cut)  # the word the line would end inside
                if tail is not None and tail.start() > start:  # it began on this line: it goes whole to the next
                    cut = tail.start()
            line = para[start:cut]
            lines.append((line.rstrip(" ") or line) if line[-1] == " " else line)
            offset = ends[cut - 1]
            start = cut
            while start < len(para) and para[start] == " ":  # the space broken at starts no line
                offset = ends[start]
                start += 1
    return lines


_song_set: frozenset[str] | None = None


def _song_chars() -> frozenset[str]:
    """The characters the Song face has (plus whitespace), as a set of strings for C-speed subset tests."""
    global _song_set
    if _song_set is None:
        _song_set = frozenset(chr(c) for c in register_fonts().song_cmap) | frozenset(" \t\n\u3000")
    return _song_set


@dataclass
class _Layout:
    """Everything measured once and shared by the pieces a page break makes."""

    widths: list[float]
    aligns: list[str]
    header: list[list[str]]
    header_h: float
    cells: list[list[list[str]]]  # row -> column -> lines
    heights: list[float]
    prefix: list[float]  # prefix[i] = height of rows [0, i)
    first_total: int
    spans: dict[int, int]  # totals row -> number of columns its label spans
    size: float
    leading: float
    pad: float
    plain_ok: list[list[bool]]  # row -> column: every character is in the Song face
    text_widths: dict[tuple[str, str], float]  # measured right- or centre-aligned lines (dates, numbers repeat)
    encoded: dict[tuple[str, str], list[tuple[int, str, str]]] = field(default_factory=dict)
    encoded_doc: object = None


class FastTable(Flowable):
    """A long ruled table; see the module docstring."""

    def __init__(self, layout: _Layout, start: int = 0, end: int | None = None) -> None:
        super().__init__()
        self.layout = layout
        self.start = start
        self.end = len(layout.cells) if end is None else end

    @classmethod
    def build(cls, header: Sequence[str], rows: Sequence[Sequence[str]], totals: Sequence[Sequence[str]],
              widths: Sequence[float], aligns: Sequence[str], *, size: float, pad: float = 2.5) -> FastTable:
        """Measure ``rows`` (then ``totals``) for columns of ``widths`` and return the table."""
        song = _song_chars()
        leading = size * 1.25
        inner = [w - 2 * pad for w in widths]
        head = [wrap_lines(h, w, size, HEI) for h, w in zip(header, inner, strict=True)]
        header_h = max(len(c) for c in head) * leading + 2 * pad + 1
        cells: list[list[list[str]]] = []
        plain_ok: list[list[bool]] = []
        heights: list[float] = []
        spans: dict[int, int] = {}
        all_rows = list(rows) + list(totals)
        first_total = len(rows)
        wrapped_seen: dict[tuple[str, float, str], list[str]] = {}
        for r, row in enumerate(all_rows):
            cell_widths = inner
            if r >= first_total:
                span = 1
                while span < len(row) and not row[span]:
                    span += 1
                if span > 1:
                    spans[r] = span
                    cell_widths = [sum(widths[:span]) - 2 * pad, *inner[1:]]
            font = HEI if r >= first_total else SONG
            lines = []
            for text, w in zip(row, cell_widths, strict=True):
                key = (text, w, font)
                wrapped = wrapped_seen.get(key)
                if wrapped is None:  # regions, units, dates and remarks repeat down a list
                    wrapped = wrapped_seen[key] = wrap_lines(text, w, size, font)
                lines.append(wrapped)
            cells.append(lines)
            plain_ok.append([text.isascii() or song.issuperset(text) for text in row])
            heights.append(max(len(c) for c in lines) * leading + 2 * pad + 1)
        prefix = [0.0, *accumulate(heights)]
        layout = _Layout(list(widths), list(aligns), head, header_h, cells, heights, prefix, first_total, spans,
                         size, leading, pad, plain_ok, {})
        return cls(layout)

    # --- platypus protocol ---------------------------------------------------------------------------------

    def _body_height(self, start: int, end: int) -> float:
        return self.layout.prefix[end] - self.layout.prefix[start]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = sum(self.layout.widths)
        self.height = self.layout.header_h + self._body_height(self.start, self.end)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lay = self.layout
        room = avail_height - lay.header_h
        if self.start >= self.end or room < lay.heights[self.start]:
            return []
        # the last row that still fits: prefix[end] - prefix[start] <= room
        end = bisect.bisect_right(lay.prefix, lay.prefix[self.start] + room) - 1
        end = max(self.start + 1, min(end, self.end))
        if end >= self.end:
            return [self]
        return [FastTable(lay, self.start, end), FastTable(lay, end, self.end)]

    def draw(self) -> None:
        lay = self.layout
        canv = self.canv
        widths = lay.widths
        xs = [0.0, *accumulate(widths)]
        top = self.height
        canv.saveState()
        canv.setFillColor(HEADER_GREY)
        canv.rect(0, top - lay.header_h, xs[-1], lay.header_h, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        text = _TextOps(canv, lay)
        # header
        self._draw_row(text, lay.header, top, lay.header_h, xs, ["center"] * len(widths), HEI, None)
        # rows
        y = top - lay.header_h
        boundaries = [top, y]
        for r in range(self.start, self.end):
            h = lay.heights[r]
            total = r >= lay.first_total
            aligns = lay.aligns
            if total:
                aligns = ["center", *lay.aligns[1:]]
            cols_x = xs
            if r in lay.spans:
                span = lay.spans[r]
                cols_x = [xs[0], *xs[span:]]
                line_cells = [lay.cells[r][0], *lay.cells[r][span:]]
                ok = [lay.plain_ok[r][0], *lay.plain_ok[r][span:]]
                aligns = ["center", *lay.aligns[span:]]
            else:
                line_cells, ok = lay.cells[r], lay.plain_ok[r]
            self._draw_row(text, line_cells, y, h, cols_x, aligns, HEI if total else SONG, ok)
            y -= h
            boundaries.append(y)
        text.flush()
        # rules: horizontal lines at every row boundary, vertical lines through the body, per row for spans
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.5)
        path = canv.beginPath()
        for b in boundaries:
            path.moveTo(0, b)
            path.lineTo(xs[-1], b)
        first_span_row = min((r for r in lay.spans if self.start <= r < self.end), default=self.end)
        split_y = top - lay.header_h - self._body_height(self.start, first_span_row)
        for x in xs:
            path.moveTo(x, top)
            path.lineTo(x, split_y)
        y = split_y
        for r in range(first_span_row, self.end):
            h = lay.heights[r]
            span = lay.spans.get(r, 1)
            for i, x in enumerate(xs):
                if 0 < i < span:
                    continue
                path.moveTo(x, y)
                path.lineTo(x, y - h)
            y -= h
        canv.drawPath(path, stroke=1, fill=0)
        canv.restoreState()

    def _draw_row(self, text: _TextOps, cells: Sequence[list[str]], top: float, height: float, xs: Sequence[float],
                  aligns: Sequence[str], font: str, ok: Sequence[bool] | None) -> None:
        lay = self.layout
        size, leading, pad = lay.size, lay.leading, lay.pad
        widths_seen = lay.text_widths
        for c, lines in enumerate(cells):
            x0, x1 = xs[c], xs[c + 1]
            block = len(lines) * leading
            y = top - (height - block) / 2 - size * 0.95
            align = aligns[c]
            plain = ok is None or ok[c]
            for line in lines:
                if line:
                    if align == "left":
                        x = x0 + pad
                    else:
                        key = (line, font)
                        w = widths_seen.get(key, -1.0)
                        if w < 0:
                            w = widths_seen[key] = pdfmetrics.stringWidth(line, font, size) if plain else sum(
                                char_width(ch, size, font) for ch in line)
                        x = x1 - pad - w if align == "right" else (x0 + x1 - w) / 2
                    if plain:
                        text.show(x, y, line, font)
                    else:
                        draw_text(self.canv, x, y, line, font, size)
                y -= leading


class _TextOps:
    """Text of one page of a table as PDF operators, written with ``Canvas.addLiteral`` in one BT … ET block.

    This is the route ``reportlab.pdfbase.ttfonts`` documents for its subset fonts (``splitString`` →
    ``getSubsetInternalName`` → escaped ``Tj``), without a text object's per-call cursor and width bookkeeping,
    and with each distinct line encoded once per document: a character keeps its subset slot once it has one.
    """

    def __init__(self, canv: Canvas, layout: _Layout) -> None:
        self.canv = canv
        self.doc = canv._doc  # the document whose font subsets the characters are assigned in
        self.layout = layout
        if layout.encoded_doc is not self.doc:
            layout.encoded.clear()
            layout.encoded_doc = self.doc
        self.fonts = {name: pdfmetrics.getFont(name) for name in (SONG, HEI)}
        self.ops: list[str] = ["BT"]
        self.current: tuple[str, int] | None = None

    def show(self, x: float, y: float, line: str, font: str) -> None:
        key = (font, line)
        chunks = self.layout.encoded.get(key)
        if chunks is None:
            face = self.fonts[font]
            chunks = self.layout.encoded[key] = [
                (subset, face.getSubsetInternalName(subset, self.doc), escapePDF(data))
                for subset, data in face.splitString(line, self.doc)
            ]
        ops = self.ops
        ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for subset, name, data in chunks:
            if self.current != (font, subset):
                ops.append(f"{name} {self.layout.size:g} Tf")
                self.current = (font, subset)
            ops.append(f"({data}) Tj")

    def flush(self) -> None:
        self.ops.append("ET")
        self.canv.addLiteral("\n".join(self.ops))
