"""The CJK TrueType fonts shipped in ``resources/fonts``, registered once with reportlab.

reportlab embeds only glyf TrueType fonts (subset automatically, with a ToUnicode map so the text can be
copied and searched). The faces follow GB/T 9704-2012:

* ``FANG``  FandolFang (仿宋): body text, 发文字号, tables, captions, 版记;
* ``XBS``   Noto Serif CJK SC Bold (小标宋-like heavy Song): the red 发文机关标志 and the title;
* ``HEI``   WenQuanYi Micro Hei (黑体): first-level headings (一、) and table headers;
* ``KAI``   AR PL KaitiM GB (楷体), cut down to what second-level headings print (（一）技术方面。);
* ``SONG``  AR PL SungtiL GB (宋体): page numbers and the office reports.

FangSong, the heavy Song and Kai cover GB 2312; any character a face lacks is set, one by one, in the next
face of the fallback chain (Micro Hei covers GBK and more), so nothing is ever drawn in an unembedded font.
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
FANG = "InspectFang"
XBS = "InspectXbs"
KAI = "InspectKai"

SONG_FILE = "gbsn00lp.ttf"
HEI_FILE = "wqy-microhei.ttc"
FANG_FILE = "FandolFang-Regular-GB.ttf"
XBS_FILE = "NotoSerifSC-Bold-GB.ttf"
KAI_FILE = "gkai00mp-headings.ttf"

_FILES: dict[str, tuple[str, int]] = {
    SONG: (SONG_FILE, 0),
    HEI: (HEI_FILE, 0),
    FANG: (FANG_FILE, 0),
    XBS: (XBS_FILE, 0),
    KAI: (KAI_FILE, 0),
}
# where a character goes when a face lacks it: Micro Hei has the widest coverage, Song the Latin the others lack
_FALLBACK: dict[str, tuple[str, ...]] = {
    SONG: (HEI,),
    HEI: (SONG,),
    FANG: (HEI, SONG),
    XBS: (HEI, SONG),
    KAI: (HEI, SONG),
}


@dataclass(frozen=True, slots=True)
class FontSet:
    """The registered font names and the code points each one covers."""

    song: str
    hei: str
    cmaps: dict[str, frozenset[int]]

    @property
    def song_cmap(self) -> frozenset[int]:
        return self.cmaps[SONG]

    @property
    def hei_cmap(self) -> frozenset[int]:
        return self.cmaps[HEI]

    def descent(self, font: str) -> float:
        """Return the face's descent as a fraction of the em (negative: below the baseline)."""
        face = pdfmetrics.getFont(font).face
        return float(face.descent) / 1000.0


_lock = threading.Lock()
_fonts: FontSet | None = None


def register_fonts() -> FontSet:
    """Register the shipped fonts with reportlab (once per process) and return their names."""
    global _fonts
    with _lock:
        if _fonts is not None:
            return _fonts
        cmaps: dict[str, frozenset[int]] = {}
        for name, (file_name, index) in _FILES.items():
            try:
                font = TTFont(name, str(resource_path("fonts", file_name)), subfontIndex=index)
            except OSError as exc:
                raise EnvironmentProblem(
                    Msg("找不到报告字体文件：{exc}", exc=exc), code="E_FONT_MISSING", details={"error": str(exc)}
                ) from exc
            pdfmetrics.registerFont(font)
            cmaps[name] = frozenset(font.face.charToGlyph)
        _fonts = FontSet(song=SONG, hei=HEI, cmaps=cmaps)
        return _fonts


def face_for(ch: str, font: str, fonts: FontSet | None = None) -> str:
    """Return the face that draws ``ch``: ``font`` when it has the glyph, else the first fallback that has it."""
    fonts = fonts or register_fonts()
    cp = ord(ch)
    if ch.isspace() or cp in fonts.cmaps[font]:
        return font
    for other in _FALLBACK[font]:
        if cp in fonts.cmaps[other]:
            return other
    return font


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split ``text`` into (run, font name) pieces, switching to another font where ``font`` lacks a glyph."""
    fonts = register_fonts()
    runs: list[tuple[str, str]] = []
    for ch in text:
        use = face_for(ch, font, fonts)
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
