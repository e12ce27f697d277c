"""Real photo files for the evidence tests: JPEGs with EXIF made by Pillow, and bad files made by hand."""

from __future__ import annotations

import struct
from io import BytesIO

from PIL import Image, TiffImagePlugin

# EXIF tag numbers used below (EXIF 2.32).
TAG_MAKE = 0x010F
TAG_MODEL = 0x0110
TAG_ORIENTATION = 0x0112
TAG_SOFTWARE = 0x0131
TAG_DATETIME = 0x0132
TAG_EXIF_IFD = 0x8769
TAG_GPS_IFD = 0x8825
TAG_DATETIME_ORIGINAL = 0x9003
TAG_DATETIME_DIGITIZED = 0x9004
TAG_OFFSET_TIME_ORIGINAL = 0x9011
TAG_SUBSEC_ORIGINAL = 0x9291

# Where the asymmetric test image has its marks (upright): red block top-left, green block top-right,
# blue strip along the bottom. Any of the 8 orientations moves them to a distinguishable place.
UPRIGHT_SIZE = (60, 40)


def asymmetric_image(size: tuple[int, int] = UPRIGHT_SIZE) -> Image.Image:
    """Return an upright picture whose corners tell any flip or rotation apart."""
    w, h = size
    img = Image.new("RGB", size, (255, 255, 255))
    img.paste((255, 0, 0), (0, 0, w // 3, h // 3))
    img.paste((0, 160, 0), (w - w // 4, 0, w, h // 4))
    img.paste((0, 0, 255), (0, h - h // 5, w, h))
    return img


# The transform that *stores* an upright picture under each orientation value: the inverse of what the
# reader applies, so that reading it back must give the upright picture again.
STORE_TRANSFORM: dict[int, Image.Transpose | None] = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def _gps_triplet(value: float) -> tuple[float, float, float]:
    value = abs(value)
    deg = int(value)
    minutes_f = (value - deg) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60, 4)
    return (float(deg), float(minutes), seconds)


def make_exif(
    *,
    taken: str | None = "2021:05:03 10:15:30",
    digitized: str | None = None,
    modified: str | None = None,
    offset: str | None = None,
    subsec: str | None = None,
    gps: tuple[float, float] | None = None,
    altitude: float | None = None,
    make: str | None = "HUAWEI",
    model: str | None = "P40",
    orientation: int | None = None,
    software: str | None = None,
) -> Image.Exif:
    """Build an EXIF block with the given facts."""
    exif = Image.Exif()
    if make is not None:
        exif[TAG_MAKE] = make
    if model is not None:
        exif[TAG_MODEL] = model
    if orientation is not None:
        exif[TAG_ORIENTATION] = orientation
    if software is not None:
        exif[TAG_SOFTWARE] = software
    if modified is not None:
        exif[TAG_DATETIME] = modified
    sub = exif.get_ifd(TAG_EXIF_IFD)
    if taken is not None:
        sub[TAG_DATETIME_ORIGINAL] = taken
    if digitized is not None:
        sub[TAG_DATETIME_DIGITIZED] = digitized
    if offset is not None:
        sub[TAG_OFFSET_TIME_ORIGINAL] = offset
    if subsec is not None:
        sub[TAG_SUBSEC_ORIGINAL] = subsec
    if gps is not None:
        lat, lon = gps
        g = exif.get_ifd(TAG_GPS_IFD)
        g[0] = b"\x02\x02\x00\x00"
        g[1] = "N" if lat >= 0 else "S"
        g[2] = _gps_triplet(lat)
        g[3] = "E" if lon >= 0 else "W"
        g[4] = _gps_triplet(lon)
        if altitude is not None:
            g[5] = b"\x01" if altitude < 0 else b"\x00"
            g[6] = TiffImagePlugin.IFDRational(abs(altitude))
    return exif


def jpeg_bytes(
    img: Image.Image | None = None,
    *,
    exif: Image.Exif | None = None,
    quality: int = 90,
    size: tuple[int, int] = (64, 48),
    color: tuple[int, int, int] = (120, 130, 140),
) -> bytes:
    """Encode a JPEG, with the EXIF block if given."""
    if img is None:
        img = Image.new("RGB", size, color)
    out = BytesIO()
    if exif is not None:
        img.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    else:
        img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def photo(**exif_facts: object) -> bytes:
    """Return a small JPEG with EXIF built by ``make_exif(**exif_facts)``."""
    return jpeg_bytes(exif=make_exif(**exif_facts))  # type: ignore[arg-type]


def oriented_jpeg(orientation: int) -> bytes:
    """Return a JPEG storing ``asymmetric_image()`` so that orientation ``orientation`` shows it upright."""
    stored = asymmetric_image()
    transform = STORE_TRANSFORM[orientation]
    if transform is not None:
        stored = stored.transpose(transform)
    return jpeg_bytes(stored, exif=make_exif(orientation=orientation), quality=95)


def pattern_image(seed: int, size: tuple[int, int] = (96, 72)) -> Image.Image:
    """Return a picture with coarse structure that differs per ``seed`` (distinct perceptual hashes)."""
    import random

    rng = random.Random(seed)
    img = Image.new("RGB", size)
    cells = 6
    cw, ch = size[0] // cells, size[1] // cells
    for y in range(cells):
        for x in range(cells):
            img.paste((rng.randrange(256), rng.randrange(256), rng.randrange(256)), (x * cw, y * ch, (x + 1) * cw, (y + 1) * ch))
    return img


# -- bad and odd files -------------------------------------------------------------------------------------


def png_bytes(mode: str = "RGBA", size: tuple[int, int] = (40, 30)) -> bytes:
    """Return a PNG (accepted format) with transparency by default."""
    img = Image.new(mode, size, (10, 200, 30, 128) if mode == "RGBA" else 128)
    out = BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def tiff_bytes(mode: str = "CMYK", size: tuple[int, int] = (40, 30)) -> bytes:
    """Return a TIFF (accepted format), CMYK by default."""
    img = Image.new(mode, size, (0, 100, 200, 0) if mode == "CMYK" else 128)
    out = BytesIO()
    img.save(out, "TIFF")
    return out.getvalue()


def fake_heic_bytes() -> bytes:
    """Return the start of an HEIC file (ftyp box with brand heic)."""
    ftyp = struct.pack(">I4s4sI", 24, b"ftyp", b"heic", 0) + b"mif1heic"
    return ftyp + b"\x00" * 200


def text_as_jpg() -> bytes:
    """Return text that someone renamed to .jpg."""
    return "拆除前照片说明：设备一号炉。\nThis is not a photo.\n".encode() * 10


def truncated_jpeg() -> bytes:
    """Return a real JPEG with its second half cut off."""
    full = jpeg_bytes(pattern_image(7, (320, 240)), exif=make_exif(), quality=95)
    return full[: len(full) // 2]


def bomb_png(side: int = 30000) -> bytes:
    """Return a tiny PNG that claims ``side``×``side`` pixels (mode "1" compresses to almost nothing)."""
    import zlib

    # Built by hand so the test does not have to allocate the 900 MP image it is meant to refuse.
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bomb_jpeg_header(width: int = 30000, height: int = 30000) -> bytes:
    """Return a JPEG whose frame header claims ``width``×``height`` (the data is a tiny real JPEG's)."""
    data = bytearray(jpeg_bytes(size=(16, 16)))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


# -- hand-made EXIF (APP1) ---------------------------------------------------------------------------------

TYPE_ASCII = 2
TYPE_SHORT = 3
TYPE_LONG = 4
TYPE_RATIONAL = 5


def _ifd(entries: list[tuple[int, int, int, bytes]], next_ifd: int) -> bytes:
    """Encode one little-endian IFD; each entry is (tag, type, count, 4-byte value or offset)."""
    out = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        out += struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\x00")[:4]
    return out + struct.pack("<I", next_ifd)


def crafted_tiff(kind: str) -> bytes:
    """Return a TIFF-in-EXIF block with one kind of damage.

    kinds: "absurd_count" (a tag claiming 2^31 values), "zero_den" (GPS with 0/0 rationals),
    "garbage_dates" (zeros, blanks and a 13th month), "ifd_cycle" (IFD0 → IFD1 → IFD0 and an EXIF IFD
    pointing at itself), "exif_points_out" (pointers past the end).
    """
    header = b"II*\x00" + struct.pack("<I", 8)
    if kind == "absurd_count":
        entries = [
            (TAG_MAKE, TYPE_ASCII, 0x7FFFFFFF, struct.pack("<I", 100)),
            (TAG_MODEL, TYPE_SHORT, 0x7FFFFFFF, struct.pack("<I", 100)),
            (TAG_ORIENTATION, TYPE_SHORT, 1, struct.pack("<H", 6)),
        ]
        return header + _ifd(entries, 0) + b"Canon\x00" * 20
    if kind == "zero_den":
        # IFD0 at 8 with one entry (GPS pointer) → 2 + 12 + 4 = 18 bytes → GPS IFD at 26.
        gps_at = 26
        n = 5
        data_at = gps_at + 2 + 12 * n + 4
        lat = struct.pack("<6I", 34, 0, 45, 1, 0, 0)  # 34/0 degrees
        lon = struct.pack("<6I", 113, 1, 40, 1, 0, 0)  # 0/0 seconds
        alt = struct.pack("<2I", 100, 0)
        gps = _ifd(
            [
                (1, TYPE_ASCII, 2, b"N\x00"),
                (2, TYPE_RATIONAL, 3, struct.pack("<I", data_at)),
                (3, TYPE_ASCII, 2, b"E\x00"),
                (4, TYPE_RATIONAL, 3, struct.pack("<I", data_at + 24)),
                (6, TYPE_RATIONAL, 1, struct.pack("<I", data_at + 48)),
            ],
            0,
        )
        return header + _ifd([(TAG_GPS_IFD, TYPE_LONG, 1, struct.pack("<I", gps_at))], 0) + gps + lat + lon + alt
    if kind == "garbage_dates":
        exif_at = 8 + 2 + 12 * 2 + 4
        data_at = exif_at + 2 + 12 * 2 + 4
        ifd0 = _ifd(
            [
                (TAG_DATETIME, TYPE_ASCII, 20, struct.pack("<I", data_at + 40)),
                (TAG_EXIF_IFD, TYPE_LONG, 1, struct.pack("<I", exif_at)),
            ],
            0,
        )
        sub = _ifd(
            [
                (TAG_DATETIME_ORIGINAL, TYPE_ASCII, 20, struct.pack("<I", data_at)),
                (TAG_DATETIME_DIGITIZED, TYPE_ASCII, 20, struct.pack("<I", data_at + 20)),
            ],
            0,
        )
        strings = b"0000:00:00 00:00:00\x00" + b"                   \x00" + b"2021:13:45 25:61:00\x00"
        return header + ifd0 + sub + strings
    if kind == "ifd_cycle":
        ifd0_entries = [
            (TAG_MAKE, TYPE_ASCII, 4, b"Abc\x00"),
            (TAG_EXIF_IFD, TYPE_LONG, 1, struct.pack("<I", 8)),  # the EXIF IFD is IFD0 itself
        ]
        ifd0_len = 2 + 12 * len(ifd0_entries) + 4
        ifd1_at = 8 + ifd0_len
        ifd0 = _ifd(ifd0_entries, ifd1_at)
        ifd1 = _ifd([(TAG_MODEL, TYPE_ASCII, 4, b"Xyz\x00")], 8)  # back to IFD0
        return header + ifd0 + ifd1
    if kind == "exif_points_out":
        entries = [
            (TAG_EXIF_IFD, TYPE_LONG, 1, struct.pack("<I", 0x7FFFFF00)),
            (TAG_GPS_IFD, TYPE_LONG, 1, struct.pack("<I", 0x10000)),
            (TAG_SOFTWARE, TYPE_ASCII, 50, struct.pack("<I", 0xFFFFFF00)),
        ]
        return header + _ifd(entries, 0xFFFFFFF0)
    raise ValueError(kind)


def jpeg_with_app1(tiff: bytes, base: bytes | None = None) -> bytes:
    """Insert an EXIF APP1 segment holding ``tiff`` right after the SOI of a valid JPEG."""
    if base is None:
        base = jpeg_bytes(pattern_image(3))
    body = b"Exif\x00\x00" + tiff
    segment = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    return base[:2] + segment + base[2:]
