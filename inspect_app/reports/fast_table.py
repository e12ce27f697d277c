"""A ruled table flowable for long statistical lists: linear in the number of rows, cheap per cell.

reportlab's ``Table``/``LongTable`` measure every cell as a flowable and re-measure the remainder at every page
break; a province-wide list (tens of thousands of rows, a dozen columns) took minutes. This flowable wraps each
cell's text once, with the faces' own advances (the Song face sets "Φ" and "×" full width, digits half), keeps
prefix sums of the row heights, splits at a page in O(log n) without copying rows, and draws a page's text as
PDF operators in one text object and its rules in one path. Header rows repeat on every page; trailing totals
rows are set in Hei with their label spanning the empty cells after it.

Lines break where Chinese text allows it: between CJK characters (a closing mark stays with the character
before it, an opening one with the character after), after a space and after "/". A Latin run such as
"Φ2.6×13m" is cut inside only when it alone is wider than the cell, so no text ever runs past its cell.

A cell whose text has a character the Song face lacks is drawn run by run with the fallback face.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, groupby

from reportlab.lib import colors
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from inspect_app.reports.fonts import HEI, SONG, face_for, register_fonts
from inspect_app.reports.official_layout import HEADER_GREY, draw_text

_OPEN = "（《〈「『【〔〖〘〚“‘"
_CLOSE = "，。、；：？！）》〉」』】〕〗〙〛”’…—～·％‰℃°"
# A line may break after a space or "/", and before or after a CJK character, but not before a closing mark or
# "/" nor after an opening mark: a Latin run ("Φ2.6×13m", "M-12") stays whole unless it alone is too wide.
_NO_START = frozenset(_CLOSE)
_NO_END = frozenset(_OPEN)


class _Advances(dict[str, float]):
    """A face's advance of each character at size 1, in points, looked up once per character and process.

    A character the face lacks is measured in the face that draws it (``face_for``), as ``draw_text`` sets it.
    """

    def __init__(self, font: str) -> None:
        super().__init__()
        self.font = font

    def __missing__(self, ch: str) -> float:
        width = self[ch] = pdfmetrics.stringWidth(ch, face_for(ch, self.font), 1.0)
        return width


_advances: dict[str, _Advances] = {}


def advances(font: str) -> _Advances:
    """Return the advance table of ``font`` (registering the shipped fonts first)."""
    table = _advances.get(font)
    if table is None:
        register_fonts()
        table = _advances[font] = _Advances(font)
    return table


def text_width(text: str, size: float, font: str = SONG) -> float:
    """Return the width of ``text`` set in ``font`` (with fallback faces) at ``size``."""
    return sum(map(advances(font).__getitem__, text)) * size


def wrap_lines(text: str, width: float, size: float, font: str = SONG) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (and at its own line breaks); see the module doc."""
    if not text:
        return [""]
    adv = advances(font)
    room = width / size
    if "\n" not in text and sum(map(adv.__getitem__, text)) <= room:
        return [text]
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(_break(para, room, adv))
    return lines


def _can_break(para: str, p: int) -> bool:
    """Whether a line may end before ``para[p]`` (see the module doc)."""
    after, before = para[p], para[p - 1]
    if after in _NO_START or after == "/" or before in _NO_END:
        return False
    return before.isspace() or before == "/" or before >= "\u2e80" or after >= "\u2e80"


def _break(para: str, room: float, adv: _Advances) -> list[str]:
    # cumulative advances, then cut where they pass each line's room, back at the last allowed break — or
    # inside a unit that alone is wider than the cell
    ends = list(accumulate(map(adv.__getitem__, para)))
    n = len(para)
    lines: list[str] = []
    start = 0
    while start < n and para[start].isspace():
        start += 1
    while start < n:
        offset = ends[start - 1] if start else 0.0
        fit = bisect.bisect_right(ends, offset + room, lo=start)
        if fit >= n:
            lines.append(para[start:].rstrip())
            break
        cut = fit
        while cut < n and para[cut].isspace():  # spaces after the last word may hang past the edge
            cut += 1
        while start < cut < n and not _can_break(para, cut):
            cut -= 1
        if cut <= start:
            cut = max(fit, start + 1)
        lines.append(para[start:cut].rstrip())
        start = cut
        while start < n and para[start].isspace():
            start += 1
    return lines or [""]


class WrappedTexts(dict[str, list[str]]):
    """The lines of each distinct text of a column, wrapped on first sight."""

    def __init__(self, width: float, size: float) -> None:
        super().__init__()
        self.width = width
        self.size = size

    def __missing__(self, text: str) -> list[str]:
        lines = self[text] = wrap_lines(text, self.width, self.size, SONG)
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
    cells: list[Sequence[list[str]]]  # row -> column -> lines
    heights: list[float]
    prefix: list[float]  # prefix[i] = height of rows [0, i)
    first_total: int
    spans: dict[int, int]  # totals row -> number of columns its label spans
    size: float
    leading: float
    pad: float
    plain_ok: list[list[bool]]  # row -> column: every character is in the Song face
    text_widths: dict[tuple[str, str], float]  # measured right- or centre-aligned lines (dates, numbers repeat)
    encoded: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(default_factory=dict)  # (font, line) -> pieces
    codes: dict[str, _Codes] = field(default_factory=dict)
    encoded_doc: object = None
    header_ops: str = ""  # the header row's text operators, relative to its bottom left corner


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
        first_total = len(rows)
        # column by column, each distinct text wrapped once (regions, units, dates and remarks repeat down a list)
        columns: list[list[list[str]]] = []
        for c, w in enumerate(inner):
            wrapped = WrappedTexts(w, size)
            columns.append(list(map(wrapped.__getitem__, [row[c] for row in rows])))
        cells: list[Sequence[list[str]]] = list(zip(*columns, strict=True)) if rows else []
        heights = [max(map(len, lines)) * leading + 2 * pad + 1 for lines in cells]
        plain_ok: list[list[bool]] = [[text.isascii() or song.issuperset(text) for text in row] for row in rows]
        spans: dict[int, int] = {}
        for r, row in enumerate(totals, start=first_total):
            cell_widths = inner
            span = 1
            while span < len(row) and not row[span]:
                span += 1
            if span > 1:
                spans[r] = span
                cell_widths = [sum(widths[:span]) - 2 * pad, *inner[1:]]
            lines = [wrap_lines(text, w, size, HEI) for text, w in zip(row, cell_widths, strict=True)]
            cells.append(lines)
            plain_ok.append([text.isascii() or song.issuperset(text) for text in row])
            heights.append(max(map(len, lines)) * leading + 2 * pad + 1)
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
        # the header row, the same on every page: its text operators made once per document, placed by a
        # translation (a long list repeats it on a thousand pages)
        text = _TextOps(canv, lay)
        if not lay.header_ops:
            head = _TextOps(canv, lay)
            self._draw_row(head, lay.header, lay.header_h, lay.header_h, xs, ["center"] * len(widths), HEI, None)
            lay.header_ops = "\n".join([*head.ops, "ET"])
        canv.addLiteral(f"q 1 0 0 1 0 {top - lay.header_h:.2f} cm\n{lay.header_ops}\nQ")
        # rows
        y = top - lay.header_h
        boundaries = [top, y]
        for r in range(self.start, self.end):
            h = lay.heights[r]
            if r < lay.first_total:
                self._draw_row(text, lay.cells[r], y, h, xs, lay.aligns, SONG, lay.plain_ok[r])
            elif r in lay.spans:
                span = lay.spans[r]
                self._draw_row(text, [lay.cells[r][0], *lay.cells[r][span:]], y, h, [xs[0], *xs[span:]],
                               ["center", *lay.aligns[span:]], HEI, [lay.plain_ok[r][0], *lay.plain_ok[r][span:]])
            else:
                self._draw_row(text, lay.cells[r], y, h, xs, ["center", *lay.aligns[1:]], HEI, lay.plain_ok[r])
            y -= h
            boundaries.append(y)
        text.flush()
        # rules, written as path operators in one literal: horizontal lines at every row boundary, vertical
        # lines through the body, per row where a totals label spans columns
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.5)
        right = f"{xs[-1]:.2f}"
        ops = [f"0 {b:.2f} m {right} {b:.2f} l" for b in boundaries]
        first_span_row = min((r for r in lay.spans if self.start <= r < self.end), default=self.end)
        split_y = top - lay.header_h - self._body_height(self.start, first_span_row)
        ops += [f"{x:.2f} {top:.2f} m {x:.2f} {split_y:.2f} l" for x in xs]
        y = split_y
        for r in range(first_span_row, self.end):
            h = lay.heights[r]
            span = lay.spans.get(r, 1)
            ops += [f"{x:.2f} {y:.2f} m {x:.2f} {y - h:.2f} l" for i, x in enumerate(xs) if not 0 < i < span]
            y -= h
        ops.append("S")
        canv.addLiteral("\n".join(ops))
        canv.restoreState()

    def _draw_row(self, text: _TextOps, cells: Sequence[list[str]], top: float, height: float, xs: Sequence[float],
                  aligns: Sequence[str], font: str, ok: Sequence[bool] | None) -> None:
        # the inner loop of a province-wide list (a line of text per pass): locals only, one operator string each
        lay = self.layout
        size, leading, pad = lay.size, lay.leading, lay.pad
        widths_seen = lay.text_widths
        adv = advances(font).__getitem__
        encoded, encode = lay.encoded, lay.codes[font].encode
        ops = text.ops
        append = ops.append
        current, tf = text.current, text.tf
        baseline = top - height / 2 - size * 0.95
        for c, lines in enumerate(cells):
            if len(lines) == 1 and not lines[0]:
                continue
            y = baseline + len(lines) * leading / 2
            align = aligns[c]
            plain = ok is None or ok[c]
            for line in lines:
                if line:
                    if align == "left":
                        x = xs[c] + pad
                    else:
                        w = widths_seen.get((line, font))
                        if w is None:
                            w = widths_seen[(line, font)] = sum(map(adv, line)) * size
                        x = xs[c + 1] - pad - w if align == "right" else (xs[c] + xs[c + 1] - w) / 2
                    if plain:
                        chunks = encoded.get((font, line))
                        if chunks is None:
                            chunks = encoded[(font, line)] = encode(line)
                        if len(chunks) == 1 and chunks[0][0] == current:
                            append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({chunks[0][1]}) Tj")
                        else:
                            append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
                            for name, data in chunks:
                                if name != current:
                                    append(f"{name} {tf}")
                                    current = name
                                append(f"({data}) Tj")
                    else:
                        text.current = current
                        draw_text(self.canv, x, y, line, font, size)
                y -= leading
        text.current = current


class _Codes(dict[str, str]):
    """One face's characters in one document: each character's escaped code in its subset, and the subset.

    A character is assigned its subset slot by reportlab's own ``splitString`` the first time it is seen (the
    route ``reportlab.pdfbase.ttfonts`` documents for its subset fonts); after that a line is encoded by
    dictionary look-ups alone.
    """

    def __init__(self, font: str, doc: object) -> None:
        super().__init__()
        self.face = pdfmetrics.getFont(font)
        self.doc = doc
        self.subset: dict[str, int] = {}
        self.names: dict[int, str] = {}

    def __missing__(self, ch: str) -> str:
        ((subset, data),) = self.face.splitString(ch, self.doc)
        self.subset[ch] = subset
        code = self[ch] = escapePDF(data)
        return code

    def encode(self, line: str) -> tuple[tuple[str, str], ...]:
        """Return ``line`` as (subset font name, escaped string) pieces."""
        data = "".join(map(self.__getitem__, line))
        subsets = set(map(self.subset.__getitem__, line))
        if len(subsets) == 1:
            return ((self.name(subsets.pop()), data),)
        return tuple((self.name(subset), "".join(map(self.__getitem__, chars)))
                     for subset, chars in groupby(line, self.subset.__getitem__))

    def name(self, subset: int) -> str:
        name = self.names.get(subset)
        if name is None:
            name = self.names[subset] = self.face.getSubsetInternalName(subset, self.doc)
        return name


class _TextOps:
    """Text of one page of a table as PDF operators, written with ``Canvas.addLiteral`` in one BT … ET block.

    Each distinct line is encoded once per document, a character keeps its subset slot once it has one, and a
    font is selected only when it changes.
    """

    def __init__(self, canv: Canvas, layout: _Layout) -> None:
        self.canv = canv
        doc = canv._doc  # the document whose font subsets the characters are assigned in
        self.layout = layout
        if layout.encoded_doc is not doc:
            layout.encoded.clear()
            layout.header_ops = ""
            layout.codes = {name: _Codes(name, doc) for name in (SONG, HEI)}
            layout.encoded_doc = doc
        self.tf = f"{layout.size:g} Tf"
        self.ops: list[str] = ["BT"]
        self.current = ""

    def flush(self) -> None:
        self.ops.append("ET")
        self.canv.addLiteral("\n".join(self.ops))
