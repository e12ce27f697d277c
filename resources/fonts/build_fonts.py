"""Make the subset TrueType fonts in this folder from their free upstream OpenType (CFF) sources.

Run once (needs fontTools: ``pip install fonttools``) and commit the output; the app only reads the results::

    python resources/fonts/build_fonts.py --fandol DIR --noto-serif FILE.ttc --kai gkai00mp.ttf

reportlab embeds only TrueType (glyf) outlines, so each CFF font is converted: cubic curves to quadratic with
fontTools' cu2qu (max error 1 unit of 1000), then subset to GB 2312 (6,763 hanzi, 682 symbols) plus ASCII,
Latin-1 and the punctuation official documents use. Characters outside that set fall back, one by one, to the
full WenQuanYi Micro Hei (see ``inspect_app/reports/fonts.py``).

Sources (see README.md beside this file for the licences and where the unmodified sources are kept):

* FandolFang-Regular.otf (Fandol fonts v0.3, CTAN ``fandol``; Debian package texlive-lang-chinese) —
  GPL-3.0 with the GPL font exception;
* NotoSerifCJK-Bold.ttc, face "Noto Serif CJK SC Bold" (Debian package fonts-noto-cjk) — SIL OFL 1.1;
* gkai00mp.ttf, AR PL KaitiM GB (Debian package fonts-arphic-gkai00mp) — Arphic Public License; already
  TrueType, cut down to what second-level headings print (``KAI_HEADINGS``): the opinion sets only
  "（一）技术方面。"-style headings in Kai, so 4.6 MB of GB 2312 shrink to a few kilobytes. A character outside
  the set falls back like any other (``tests/test_fonts_shipped.py`` checks the set covers every aspect name).

The converted fonts keep their upstream names (neither is a Reserved Font Name).
"""

from __future__ import annotations

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTRA = "〔〕（）【】《》〈〉「」『』“”‘’、。，；：？！…—－·×±≤≥℃％‰№①②③④⑤⑥⑦⑧⑨⑩ΦφΩμ㎡㎞ｍ"


# What the opinion prints in Kai: （一）…（二十）, the aspect names (rules/aspects.py) and 方面, with the
# punctuation around them; ASCII for safety.
KAI_HEADINGS = "（）一二三四五六七八九十百零〇方面。，、：；能耗环保质量安全技术其他"


def kai_charset() -> set[int]:
    """Return the code points kept in the Kai headings face."""
    return set(range(0x20, 0x7F)) | {ord(c) for c in KAI_HEADINGS}


def build_kai(source: Path, out: Path) -> None:
    """Subset the (TrueType) Kai face to the headings' characters."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), lazy=False)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(kai_charset()))
    subsetter.subset(font)
    font.save(str(out))
    _long_hmtx(out)
    print(f"{out.name}: {out.stat().st_size / 1e3:.1f} kB, {len(font.getGlyphOrder())} glyphs")


def _long_hmtx(path: Path) -> None:
    """Write one full horizontal metric per glyph (as the upstream font has). fontTools shortens ``hmtx`` when the
    last glyphs share an advance, and reportlab's subsetter then embeds wrong advances for those glyphs (the PDF's
    /Widths no longer match the program: a PDF/A failure)."""
    import struct

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    font = TTFont(str(path), recalcBBoxes=False)
    order = font.getGlyphOrder()
    metrics = font["hmtx"].metrics  # type: ignore[index]
    raw = DefaultTable("hmtx")
    raw.data = b"".join(struct.pack(">Hh", *metrics[name]) for name in order)
    font["hmtx"] = raw  # type: ignore[index]
    font["hhea"].numberOfHMetrics = len(order)  # type: ignore[index]
    font.save(str(path))


def charset() -> set[int]:
    """Return the code points kept: GB 2312, ASCII, Latin-1 and the extra punctuation."""
    points: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    points |= {ord(c) for c in EXTRA}
    points.add(0x3000)  # ideographic space
    return points


def cff_to_ttf(font: object, max_err: float = 1.0) -> None:
    """Replace the CFF outlines of ``font`` (a fontTools TTFont) by quadratic glyf outlines, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_order = font.getGlyphOrder()  # type: ignore[attr-defined]
    glyph_set = font.getGlyphSet()  # type: ignore[attr-defined]
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")  # type: ignore[index]
    font["glyf"] = glyf  # type: ignore[index]
    maxp = font["maxp"]  # type: ignore[index]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]  # type: ignore[index]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    head = font["head"]  # type: ignore[index]
    head.glyphDataFormat = 0
    del font["CFF "]  # type: ignore[attr-defined]
    if "VORG" in font:  # type: ignore[operator]
        del font["VORG"]  # type: ignore[attr-defined]
    font.sfntVersion = "\x00\x01\x00\x00"  # type: ignore[attr-defined]


def build(source: Path, out: Path, *, face: int | None = None) -> None:
    """Subset ``source`` to the kept characters, convert it to TrueType and save it as ``out``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=face if face is not None else -1, lazy=False)
    options = subset.Options()
    options.layout_features = []  # no OpenType layout: reportlab does not use it
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(charset()))
    subsetter.subset(font)
    cff_to_ttf(font)
    for table in ("GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG"):
        if table in font:
            del font[table]
    font.save(str(out))
    print(f"{out.name}: {out.stat().st_size / 1e6:.2f} MB, {len(font.getGlyphOrder())} glyphs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fandol", type=Path, required=True, help="folder with FandolFang-Regular.otf")
    parser.add_argument("--noto-serif", type=Path, required=True, help="NotoSerifCJK-Bold.ttc")
    parser.add_argument("--kai", type=Path, required=True, help="gkai00mp.ttf (AR PL KaitiM GB)")
    args = parser.parse_args()
    build_kai(args.kai, HERE / "gkai00mp-headings.ttf")
    build(args.fandol / "FandolFang-Regular.otf", HERE / "FandolFang-Regular-GB.ttf")
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(args.noto_serif), lazy=True)
    index = next(i for i, f in enumerate(collection.fonts) if "Noto Serif CJK SC" in str(f["name"].getDebugName(1)))
    build(args.noto_serif, HERE / "NotoSerifSC-Bold-GB.ttf", face=index)


if __name__ == "__main__":
    main()
