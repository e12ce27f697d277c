"""Decode photos safely with Pillow and make the thumbnail and report image from one decode."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, UnidentifiedImageError

from inspect_app.errors import UserError
from inspect_app.i18n import Msg

ACCEPTED_FORMATS = ("JPEG", "PNG", "TIFF", "WEBP")
# Explicit limit checked on the header (a 108 MP phone mode is the largest real camera file we expect to refuse).
MAX_PIXELS = 100_000_000
# Pillow's own guard (default ~89.5 MP, a warning; an error at twice that) is set to the same number, so the
# limit people are told is the one that applies; our check on the header gives the exact count.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
REPORT_SIZE = 1600
THUMB_SIZE = 256
REPORT_QUALITY = 80
THUMB_QUALITY = 80

# Orientation tag value → the transpose that shows the photo upright (EXIF 2.32, tag 0x0112).
_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION_TAG = 0x0112

_MSG_UNSUPPORTED = Msg("不支持的格式，请导出为 JPEG")


@dataclass(frozen=True)
class Derivatives:
    """The images made from one decode of a photo; ``width``/``height`` are the original's, upright."""

    thumb_jpeg: bytes
    report_jpeg: bytes | None
    width: int
    height: int
    format: str
    orientation_applied: int
    phash: int


def _refuse(code: str, message: Msg) -> UserError:
    return UserError(message, code=code)


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".rstrip("0").rstrip(".")


def too_many_pixels(pixels: int | None) -> UserError:
    """Return the refusal of an image over ``MAX_PIXELS``, naming its size and the limit in megapixels."""
    limit = _megapixels(MAX_PIXELS)
    message = (Msg("图片像素过多（{size} 百万像素，上限 {limit} 百万像素），无法处理", size=_megapixels(pixels), limit=limit)
               if pixels else Msg("图片像素过多（上限 {limit} 百万像素），无法处理", limit=limit))
    return UserError(message, code="E_PHOTO_TOO_LARGE", details={"pixels": pixels, "max_pixels": MAX_PIXELS})


def _bomb_pixels(exc: BaseException) -> int | None:
    # Pillow: "Image size (123456789 pixels) exceeds limit of …"
    match = re.search(r"\((\d+) pixels\)", str(exc))
    return int(match.group(1)) if match else None


def _looks_unsupported_image(data: bytes) -> bool:
    """Recognise image formats we refuse by name (HEIC/AVIF from phones, GIF, BMP, RAW) to say so clearly."""
    head = data[:32]
    if head[4:8] == b"ftyp":
        return True  # ISO media: HEIC, HEIF, AVIF
    return head.startswith((b"GIF8", b"BM", b"\x00\x00\x00\x0cjP", b"8BPS", b"FUJIFILMCCD-RAW", b"\xff\x0a"))


def open_image(data: bytes) -> Image.Image:
    """Open (header only) an accepted image, refusing empty, non-image, unsupported and oversized input."""
    if not data:
        raise _refuse("E_PHOTO_EMPTY", Msg("文件为空（0 字节），不是照片"))
    if _looks_unsupported_image(data):
        raise _refuse("E_PHOTO_UNSUPPORTED", _MSG_UNSUPPORTED)
    with warnings.catch_warnings():
        # Pillow warns about each damaged tag (the file's problem, reported by our codes instead), and only
        # warns between its pixel limit and twice it: a bomb must be an error here.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(BytesIO(data), formats=list(ACCEPTED_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise too_many_pixels(_bomb_pixels(exc)) from exc
        except UnidentifiedImageError as exc:
            if _accepted_signature(data):
                raise _refuse("E_PHOTO_CORRUPT", Msg("照片文件已损坏，无法读取")) from exc
            raise _refuse("E_PHOTO_NOT_IMAGE", Msg("文件不是照片（无法识别的图像格式）")) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _refuse("E_PHOTO_CORRUPT", Msg("照片文件已损坏，无法读取")) from exc
    width, height = img.size
    if width <= 0 or height <= 0:
        raise _refuse("E_PHOTO_CORRUPT", Msg("照片文件已损坏，无法读取"))
    if width * height > MAX_PIXELS:
        raise too_many_pixels(width * height)
    return img


def _accepted_signature(data: bytes) -> bool:
    head = data[:16]
    return (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


def _orientation(img: Image.Image) -> int:
    try:
        with warnings.catch_warnings():
            # Pillow warns about each damaged tag; the damage is the file's, and EXIF is read elsewhere.
            warnings.simplefilter("ignore")
            value = img.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:
        # A broken EXIF block must not make the picture unreadable: show it as stored.
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode == "RGB":
        return img
    if img.mode == "P":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit/float grey TIFFs: scale to 8 bits before colour conversion.
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    return img.convert("RGB")


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, long_side / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def perceptual_hash(img: Image.Image) -> int:
    """Return a 64-bit difference hash (dHash) of a small image; robust to rescaling and recompression."""
    grey = img.convert("L").resize((9, 8), Image.Resampling.BOX)
    pixels = grey.tobytes()  # one byte per pixel, row by row
    bits = 0
    for row in range(8):
        for col in range(8):
            left = pixels[row * 9 + col]
            right = pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return bits


def _encode_jpeg(img: Image.Image, quality: int) -> bytes:
    out = BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def make_derivatives(data: bytes, *, make_report_image: bool = True) -> Derivatives:
    """Decode once and return the upright report image (long side 1600), thumbnail (256) and phash.

    Raises ``UserError`` with E_PHOTO_EMPTY / E_PHOTO_NOT_IMAGE / E_PHOTO_UNSUPPORTED / E_PHOTO_CORRUPT /
    E_PHOTO_TOO_LARGE.
    """
    img = open_image(data)
    fmt = img.format or "?"
    orientation = _orientation(img)
    width, height = img.size
    target_long = REPORT_SIZE if make_report_image else THUMB_SIZE
    target = _fit((width, height), target_long)
    if fmt == "JPEG":
        # The draft box must keep the photo's aspect: a square box would make libjpeg decode at full size
        # because the short side would fall below it (FIELD-NOTES, Photos).
        img.draft("RGB", target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img.load()
            rgb = _to_rgb(img)
            if rgb.size != target:
                resample = Image.Resampling.BILINEAR if make_report_image else Image.Resampling.BICUBIC
                rgb = rgb.resize(target, resample, reducing_gap=None if make_report_image else 2.0)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise too_many_pixels(_bomb_pixels(exc)) from exc
        except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
            # A truncated JPEG opens fine and fails only here, when the data is really decoded.
            raise _refuse("E_PHOTO_CORRUPT", Msg("照片文件已损坏或不完整，无法读取")) from exc
    transpose = _TRANSPOSE.get(orientation)
    if transpose is not None:
        # Rotate the small image, not the decode: same result, a fraction of the work.
        rgb = rgb.transpose(transpose)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    report_jpeg = _encode_jpeg(rgb, REPORT_QUALITY) if make_report_image else None
    thumb = rgb.resize(_fit(rgb.size, THUMB_SIZE), Image.Resampling.BICUBIC, reducing_gap=2.0) if make_report_image else rgb
    return Derivatives(
        thumb_jpeg=_encode_jpeg(thumb, THUMB_QUALITY),
        report_jpeg=report_jpeg,
        width=width,
        height=height,
        format=fmt,
        orientation_applied=orientation,
        phash=perceptual_hash(thumb),
    )
