"""Chinese text set on a grid: line breaking with the 避头尾 rules and a justified paragraph flowable.

reportlab's own CJK wrap lets "，" "。" "；" "：" "”" … start a line and opening brackets end one (its list
of forbidden line starts is Japanese-centred) and hangs the one character it knows into the margin. Here a
line never starts with closing punctuation and never ends with an opening bracket: the character before
(or the bracket) moves down to the next line, and the shortened line is justified to the full width by
spacing its characters evenly, as Chinese typesetting does.

A line breaks only where Chinese allows it: beside a CJK character or at a space. A run of other characters
(Latin letters, digits and their signs: "2021", "Φ2.6×13m", "PC42.5", "91410100MA44X7R2B0", "m³") is one
word, kept whole even when its characters come from different faces; it is split by characters only when it
alone is wider than the line (a narrow table cell).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, black
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from inspect_app.reports.fonts import face_for, register_fonts

# GB/T 15834 punctuation that may not start a line (closing marks, stops, pauses, connectors' second half)
NO_LINE_START = frozenset("，。、；：？！）》〉」』】〕〗〙〛”’…—～·%‰℃°,.;:?!)]}>/" + "\u3000")
# … and what may not end one (opening brackets and quotes)
NO_LINE_END = frozenset("（《〈「『【〔〖〘〚“‘([{<")


def is_word_char(ch: str) -> bool:
    """Whether ``ch`` belongs to a word that lines may not break inside: not a space, not a CJK character or
    full-width mark (East Asian width W/F: ideographs, kana, "，" "（" …). Latin letters, digits, Greek,
    "×" "³" "°" "." "-" … (narrow or ambiguous width) stay with their neighbours of the same kind."""
    if ch.isspace():
        return False
    return unicodedata.east_asian_width(ch) not in ("W", "F")


@dataclass(frozen=True, slots=True)
class Glyph:
    """One unit of a line: a character, or the part of a word set in one face, with its advance.

    ``glue``: no line break is allowed before this unit (it continues the word before it in another face).
    """

    text: str
    font: str
    width: float
    glue: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """A set line: its glyphs, natural width and whether it is the paragraph's last line."""

    glyphs: tuple[Glyph, ...]
    width: float
    indent: float
    last: bool

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


def shape(segments: Sequence[tuple[str, str]], size: float) -> list[Glyph]:
    """Turn (text, font) segments into units with per-character font fallback: a CJK character or a space is
    one unit; a word is one unit per face it uses, each glued to the one before."""
    fonts = register_fonts()
    out: list[Glyph] = []
    word, word_font, word_glue = "", "", False
    in_word = False  # the character before was part of a word (across segments too)

    def flush() -> None:
        nonlocal word
        if word:
            out.append(Glyph(word, word_font, pdfmetrics.stringWidth(word, word_font, size), word_glue))
            word = ""

    for text, font in segments:
        for ch in text:
            face = face_for(ch, font, fonts)
            if not is_word_char(ch):
                flush()
                out.append(Glyph(ch, face, pdfmetrics.stringWidth(ch, face, size)))
                in_word = False
                continue
            if word and face == word_font:
                word += ch
                continue
            flush()
            word, word_font, word_glue = ch, face, in_word
            in_word = True
    flush()
    return out


def _clusters(units: Sequence[Glyph]) -> list[list[Glyph]]:
    """Group units into what a line may not break inside (a word in several faces is one cluster)."""
    out: list[list[Glyph]] = []
    for unit in units:
        if unit.glue and out:
            out[-1].append(unit)
        else:
            out.append([unit])
    return out


def _by_characters(cluster: Sequence[Glyph]) -> list[list[Glyph]]:
    """Split a cluster into one-character clusters (for a word wider than the line), keeping each face's width."""
    out: list[list[Glyph]] = []
    for unit in cluster:
        scale = unit.width / max(pdfmetrics.stringWidth(unit.text, unit.font, 1.0), 1e-6)
        out += [[Glyph(ch, unit.font, pdfmetrics.stringWidth(ch, unit.font, 1.0) * scale)] for ch in unit.text]
    return out


def _starts_bad(glyph: Glyph) -> bool:
    return glyph.text[0] in NO_LINE_START


def _ends_bad(glyph: Glyph) -> bool:
    return glyph.text[-1] in NO_LINE_END


def break_lines(glyphs: Sequence[Glyph], width: float, *, first_indent: float = 0.0) -> list[Line]:
    """Break ``glyphs`` into lines no wider than ``width`` (the first line narrowed by ``first_indent``).

    Greedy fill by clusters (a CJK character, a space, a whole word), then the 避头尾 adjustment: while the
    next line would start with closing punctuation, or this one ends with an opening bracket, the break moves
    one cluster back (a line keeps at least two). A word wider than the whole line is split by characters as a
    last resort; a word that merely does not fit at the end of a line moves whole to the next.
    """
    clusters = _clusters(glyphs)
    lines: list[Line] = []
    start = 0
    fuzz = 0.01
    while start < len(clusters):
        indent = first_indent if not lines else 0.0
        avail = width - indent
        used = 0.0
        end = start
        while end < len(clusters):
            w = sum(g.width for g in clusters[end])
            if used + w > avail + fuzz:
                break
            used += w
            end += 1
        if end == start:  # one word wider than the line: split it by characters
            clusters[start:start + 1] = _by_characters(clusters[start])
            continue
        if end < len(clusters):
            while end - start > 2 and (_starts_bad(clusters[end][0]) or _ends_bad(clusters[end - 1][-1])):
                end -= 1
        kept = clusters[start:end]
        while len(kept) > 1 and kept[-1][0].text.isspace():  # a space at a break is not printed
            kept = kept[:-1]
        line = tuple(g if i or not g.glue else _unglued(g) for i, g in
                     enumerate(g for cluster in kept for g in cluster))
        lines.append(Line(line, sum(g.width for g in line), indent, last=end >= len(clusters)))
        start = end
        while 0 < start < len(clusters) and clusters[start][0].text.isspace():
            start += 1
    return lines


def _unglued(glyph: Glyph) -> Glyph:
    return Glyph(glyph.text, glyph.font, glyph.width, False)


class CJKParagraph(Flowable):
    """A paragraph of Chinese text set with ``break_lines``: justified (last line left), or left/centre/right.

    ``segments`` are (text, font) pairs; ``first_indent`` is in characters (2 for body text). The paragraph
    splits between lines across frames and pages; ``space_before``/``space_after`` are in points.
    """

    def __init__(
        self,
        segments: Sequence[tuple[str, str]],
        *,
        size: float,
        leading: float,
        first_indent: float = 0.0,
        align: str = "justify",
        color: Color = black,
        space_before: float = 0.0,
        space_after: float = 0.0,
        keep_with_next: bool = False,
        lines: list[Line] | None = None,
    ) -> None:
        super().__init__()
        self.segments = list(segments)
        self.size = size
        self.leading = leading
        self.first_indent = first_indent
        self.align = align
        self.color = color
        self.space_before = space_before
        self.space_after = space_after
        self.keepWithNext = keep_with_next
        self._lines = lines
        self._width = 0.0

    # platypus reads these for the space between flowables
    def getSpaceBefore(self) -> float:
        return self.space_before

    def getSpaceAfter(self) -> float:
        return self.space_after

    def _set(self, width: float) -> list[Line]:
        if self._lines is None or abs(width - self._width) > 0.01:
            glyphs = shape(self.segments, self.size)
            self._lines = break_lines(glyphs, width, first_indent=self.first_indent * self.size)
            self._width = width
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lines = self._set(avail_width)
        self.width = avail_width
        self.height = max(1, len(lines)) * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._set(avail_width)
        fit = int((avail_height + 0.01) // self.leading)
        if fit <= 0 or fit >= len(lines):
            return [] if fit <= 0 else [self]
        head = CJKParagraph(self.segments, size=self.size, leading=self.leading, first_indent=self.first_indent,
                            align=self.align, color=self.color, space_before=self.space_before,
                            lines=[*lines[: fit - 1], _not_last(lines[fit - 1])])
        tail = CJKParagraph(self.segments, size=self.size, leading=self.leading, first_indent=0.0,
                            align=self.align, color=self.color, space_after=self.space_after,
                            keep_with_next=bool(self.keepWithNext), lines=list(lines[fit:]))
        head._width = tail._width = avail_width
        return [head, tail]

    def baseline_offset(self) -> float:
        """Return how far below the line's top the baseline sits (the em box centred in the leading)."""
        descent = register_fonts().descent(self.segments[0][1]) if self.segments else -0.12
        em_top = self.size * (1 + descent)
        return (self.leading - self.size) / 2 + em_top

    def draw(self) -> None:
        lines = self._set(self.width)
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.color)
        y = self.height - self.baseline_offset()
        for line in lines:
            draw_line(canv, line, 0.0, y, self.width, self.size, self.align)
            y -= self.leading
        canv.restoreState()


def _not_last(line: Line) -> Line:
    return Line(line.glyphs, line.width, line.indent, last=False)


def draw_line(canv: object, line: Line, x: float, y: float, width: float, size: float, align: str) -> None:
    """Draw one set line at baseline ``y`` in a box from ``x`` of ``width``."""
    avail = width - line.indent
    spacing = 0.0
    start = x + line.indent
    gaps = sum(1 for g in line.glyphs[1:] if not g.glue)  # justify between clusters, never inside a word
    if align == "justify" and not line.last and gaps:
        spacing = max(0.0, (avail - line.width) / gaps)
    elif align == "center":
        start = x + line.indent + (avail - line.width) / 2
    elif align == "right":
        start = x + width - line.width
    text = canv.beginText(start, y)  # type: ignore[attr-defined]
    font = ""
    pos = start
    for glyph in line.glyphs:
        if glyph.font != font:
            text.setFont(glyph.font, size)
            font = glyph.font
        if spacing and not glyph.glue and pos != start:
            pos += spacing
        if spacing:
            text.setTextOrigin(pos, y)  # each unit placed exactly: Td would count from the line's start
        text.textOut(glyph.text)
        pos += glyph.width
    canv.drawText(text)  # type: ignore[attr-defined]
