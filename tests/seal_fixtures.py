"""A seal image as an office would provide it (shared by the layout and trust tests)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def seal_png_bytes() -> bytes:
    """Return a red round seal on a transparent background, 420 × 420 px."""
    img = Image.new("RGBA", (420, 420), (0, 0, 0, 0))
    pen = ImageDraw.Draw(img)
    pen.ellipse((6, 6, 414, 414), outline=(220, 20, 20, 230), width=14)
    pen.regular_polygon((210, 210, 60), 5, fill=(220, 20, 20, 230))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()
