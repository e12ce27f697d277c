"""Photos taken in the app: a JPEG whose EXIF says when, where and by what, filed like an imported photo.

``write_captured_jpeg`` is pure (an image in, JPEG bytes out); ``capture_photo`` writes those bytes to a
temporary file under the store and files it through ``import_photos(..., source="captured")``, so a captured
photo gets exactly the same blob, thumbnails, flags and audit event as an imported one. No Qt here: the
camera lives in ``inspect_app/ui/capture.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from PIL import Image, TiffImagePlugin

from inspect_app import __version__

DEFAULT_CAMERA_NAME = "笔记本摄像头"
DESCRIPTION = "现场拍摄"
SOFTWARE_NAME = "inspect-app"
TEMP_DIR_NAME = "capture-tmp"
STALE_TEMP_AGE_S = 3600.0

# EXIF 2.32 tag numbers.
_IMAGE_DESCRIPTION = 0x010E
_MAKE = 0x010F
_MODEL = 0x0110
_ORIENTATION = 0x0112
_SOFTWARE = 0x0131
_DATETIME = 0x0132
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_EXIF_VERSION = 0x9000
_DATETIME_ORIGINAL = 0x9003
_DATETIME_DIGITIZED = 0x9004
_OFFSET_TIME = 0x9010
_OFFSET_TIME_ORIGINAL = 0x9011
_OFFSET_TIME_DIGITIZED = 0x9012
_SUBSEC_TIME = 0x9290
_SUBSEC_TIME_ORIGINAL = 0x9291
_SUBSEC_TIME_DIGITIZED = 0x9292
_PIXEL_X = 0xA002
_PIXEL_Y = 0xA003
_GPS_VERSION = 0
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
_GPS_ALT_REF, _GPS_ALT = 5, 6
_GPS_TIME = 7
_GPS_MAP_DATUM = 18
_GPS_PROCESSING_METHOD = 27
_GPS_DATE = 29

# GPS seconds are written in units of 1/10000 arc-second (about 3 mm): far finer than any position we know.
_SECONDS_DEN = 10_000


def software_string(version: str = __version__) -> str:
    """Return the EXIF Software value of photos taken in the app ("inspect-app 0.1.0")."""
    return f"{SOFTWARE_NAME} {version}"


def _ascii(text: str) -> str | bytes:
    """Return an EXIF ASCII value: plain text as is, anything else as UTF-8 (what exifread decodes)."""
    return text if text.isascii() else text.encode("utf-8")


def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset()
    assert offset is not None
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def _dms(value: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    """Return |value| in degrees as EXIF degrees, minutes and seconds rationals (exact to 1/10000 second)."""
    total = round(abs(value) * 3600 * _SECONDS_DEN)
    degrees, rest = divmod(total, 3600 * _SECONDS_DEN)
    minutes, seconds = divmod(rest, 60 * _SECONDS_DEN)
    return (
        TiffImagePlugin.IFDRational(degrees, 1),
        TiffImagePlugin.IFDRational(minutes, 1),
        TiffImagePlugin.IFDRational(seconds, _SECONDS_DEN),
    )


def write_captured_jpeg(
    rgb_image: Image.Image,
    *,
    taken_at: datetime,
    position: tuple[float, float] | None,
    altitude: float | None = None,
    camera_name: str = "",
    app_version: str = __version__,
    quality: int = 92,
) -> bytes:
    """Encode ``rgb_image`` as a JPEG with EXIF: time with its offset, the position if known, camera, software.

    ``taken_at`` must be timezone-aware; it is written as the wall time of its own offset, with that offset
    in ``OffsetTime*``. ``position`` is (latitude, longitude) in WGS-84 degrees.
    """
    if taken_at.tzinfo is None or taken_at.utcoffset() is None:
        raise ValueError("taken_at must be timezone-aware")
    if position is not None:
        lat, lon = position
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise ValueError(f"position out of range: {position!r}")
    image = rgb_image if rgb_image.mode == "RGB" else rgb_image.convert("RGB")
    camera = camera_name.strip() or DEFAULT_CAMERA_NAME
    stamp = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    subsec = f"{taken_at.microsecond // 1000:03d}"
    offset = _offset_text(taken_at)

    exif = Image.Exif()
    exif[_IMAGE_DESCRIPTION] = _ascii(DESCRIPTION)
    exif[_MAKE] = _ascii(camera)
    exif[_MODEL] = _ascii(camera)
    exif[_ORIENTATION] = 1
    exif[_SOFTWARE] = _ascii(software_string(app_version))
    exif[_DATETIME] = stamp
    sub = exif.get_ifd(_EXIF_IFD)
    sub[_EXIF_VERSION] = b"0232"
    sub[_DATETIME_ORIGINAL] = stamp
    sub[_DATETIME_DIGITIZED] = stamp
    sub[_SUBSEC_TIME] = subsec
    sub[_SUBSEC_TIME_ORIGINAL] = subsec
    sub[_SUBSEC_TIME_DIGITIZED] = subsec
    sub[_OFFSET_TIME] = offset
    sub[_OFFSET_TIME_ORIGINAL] = offset
    sub[_OFFSET_TIME_DIGITIZED] = offset
    sub[_PIXEL_X] = image.width
    sub[_PIXEL_Y] = image.height
    if position is not None:
        lat, lon = position
        utc = taken_at.astimezone(UTC)
        gps = exif.get_ifd(_GPS_IFD)
        gps[_GPS_VERSION] = b"\x02\x03\x00\x00"
        gps[_GPS_LAT_REF] = "N" if lat >= 0 else "S"
        gps[_GPS_LAT] = _dms(lat)
        gps[_GPS_LON_REF] = "E" if lon >= 0 else "W"
        gps[_GPS_LON] = _dms(lon)
        if altitude is not None:
            gps[_GPS_ALT_REF] = b"\x01" if altitude < 0 else b"\x00"
            gps[_GPS_ALT] = TiffImagePlugin.IFDRational(round(abs(altitude) * 100), 100)
        gps[_GPS_TIME] = (
            TiffImagePlugin.IFDRational(utc.hour, 1),
            TiffImagePlugin.IFDRational(utc.minute, 1),
            TiffImagePlugin.IFDRational(utc.second * 1000 + utc.microsecond // 1000, 1000),
        )
        gps[_GPS_DATE] = utc.strftime("%Y:%m:%d")
        gps[_GPS_MAP_DATUM] = "WGS-84"
        # The position is the laptop's known one (the inspection's arrival), not a fix of a GPS receiver.
        gps[_GPS_PROCESSING_METHOD] = b"ASCII\x00\x00\x00MANUAL"
    out = BytesIO()
    image.save(out, format="JPEG", quality=quality, exif=exif)
    return out.getvalue()


__all__ = [
    "DEFAULT_CAMERA_NAME",
    "software_string",
    "write_captured_jpeg",
]
