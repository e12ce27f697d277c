"""The CJK TrueType fonts shipped in ``resources/fonts``, registered once with reportlab.

reportlab embeds only glyf TrueType fonts (subset automatically, with a ToUnicode map so the text
can be copied and searched). Song (AR PL SungtiL GB) sets the title and body; WenQuanYi Micro Hei
sets headings and captions and stands in, character by character, for glyphs the Song font lacks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from inspect_app.errors import EnvironmentProblem
from inspect_app.i18n import Msg
from inspect_app.resources import resource_path

SONG = "InspectSong"
HEI = "InspectHei"

SONG_FILE = "gbsn00lp.ttf"
HEI_FILE = "wqy-microhei.ttc"


@dataclass(frozen=True, slots=True)
class FontSet:
    """The registered font names and the code points each one covers."""

    song: str
    hei: str
    song_cmap: frozenset[int]
    hei_cmap: frozenset[int]


_lock = threading.Lock()
_fonts: FontSet | None = None


def register_fonts() -> FontSet:
    """Register the shipped fonts with reportlab (once per process) and return their names."""
    global _fonts
    with _lock:
        if _fonts is not None:
            return _fonts
        try:
            song = TTFont(SONG, str(resource_path("fonts", SONG_FILE)))
            hei = TTFont(HEI, str(resource_path("fonts", HEI_FILE)), subfontIndex=0)
        except OSError as exc:
            raise EnvironmentProblem(
                Msg("找不到报告字体文件：{exc}", exc=exc), code="E_FONT_MISSING", details={"error": str(exc)}
            ) from exc
        pdfmetrics.registerFont(song)
        pdfmetrics.registerFont(hei)
        _fonts = FontSet(
            song=SONG,
            hei=HEI,
            song_cmap=frozenset(song.face.charToGlyph),
            hei_cmap=frozenset(hei.face.charToGlyph),
        )
        return _fonts


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split ``text`` into (run, font name) pieces, switching to another font where ``font`` lacks a glyph."""
    fonts = register_fonts()
    primary, other = (
        (fonts.song_cmap, (HEI, fonts.hei_cmap))
        if font == SONG
        else (fonts.hei_cmap, (SONG, fonts.song_cmap))
    )
    runs: list[tuple[str, str]] = []
    for ch in text:
        cp = ord(ch)
        use = font if (cp in primary or cp not in other[1] or ch.isspace()) else other[0]
        if runs and runs[-1][1] == use:
            runs[-1] = (runs[-1][0] + ch, use)
        else:
            runs.append((ch, use))
    return runs


def para_markup(text: str, font: str = SONG) -> str:
    """Return reportlab paragraph markup for plain ``text``: escaped, with fallback-font spans."""
    parts: list[str] = []
    for run, face in font_runs(text, font):
        esc = escape(run)
        parts.append(esc if face == font else f'<font face="{face}">{esc}</font>')
    return "".join(parts)
