"""Read the EXIF facts of a photo with exifread, never trusting the bytes.

``read_exif`` parses in the calling process and never raises for bad metadata; ``read_exif_bounded`` runs
the same parse in a child process with a time and memory limit, for one-off reads outside the import pool.
The import pipeline bounds its pool workers instead (see ``pipeline.py``): a process per photo is too slow.
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from io import BytesIO
from typing import Any, Literal

# exifread logs every oddity of a malformed file as a warning; those are the input's fault, not ours.
logging.getLogger("exifread").setLevel(logging.ERROR)

TakenAtSource = Literal["DateTimeOriginal", "DateTimeDigitized", "DateTime"]

RAW_MAX_TAGS = 300
RAW_MAX_VALUE = 200
TEXT_MAX = 128
MIN_YEAR = 1970
MAX_YEAR = 2100
CHILD_MEMORY_LIMIT = 512 * 1024 * 1024

_DATETIME_RE = re.compile(r"^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2}):(\d{2})")
_OFFSET_RE = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")
_SKIP_RAW = ("MakerNote", "JPEGThumbnail", "TIFFThumbnail", "UserComment")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class ExifFacts:
    """What the photo's EXIF says, each fact None when absent or unusable.

    ``taken_at`` is timezone-aware only when the camera wrote an offset (``OffsetTimeOriginal`` or the one
    matching the tag used); otherwise it is the camera's naive local wall-clock time. ``modified_at`` is
    the ``DateTime`` tag (last change), kept apart from the capture time.
    """

    taken_at: datetime | None = None
    taken_at_source: TakenAtSource | None = None
    subsec: str | None = None
    offset: str | None = None
    modified_at: datetime | None = None
    original_at: datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    make: str | None = None
    model: str | None = None
    orientation: int | None = None
    software: str | None = None
    pixel_width: int | None = None
    pixel_height: int | None = None
    raw: dict[str, str] = field(default_factory=dict)
    parse_error: str | None = None

    @property
    def taken_at_is_aware(self) -> bool:
        """Return True if ``taken_at`` carries a UTC offset written by the camera."""
        return self.taken_at is not None and self.taken_at.tzinfo is not None

    @property
    def has_gps(self) -> bool:
        """Return True if both latitude and longitude are known."""
        return self.gps_lat is not None and self.gps_lon is not None


@dataclass(frozen=True)
class ExifFailure:
    """The bounded parse did not finish: ``code`` is E_EXIF_TIMEOUT, E_EXIF_MEMORY or E_EXIF_CRASHED."""

    code: str
    message: str


# -- value helpers -----------------------------------------------------------------------------------------


def _text(value: Any, limit: int = TEXT_MAX) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = _CONTROL_RE.sub("", str(value)).strip()
    return text[:limit] or None


def _tag_text(tags: dict[str, Any], key: str) -> str | None:
    tag = tags.get(key)
    if tag is None:
        return None
    values = getattr(tag, "values", None)
    if isinstance(values, (str, bytes)):
        return _text(values)
    return _text(getattr(tag, "printable", tag))


def _tag_str(tags: dict[str, Any], key: str) -> str | None:
    """Return an ASCII tag's text; a tag of another type (a damaged file) gives None."""
    values = getattr(tags.get(key), "values", None)
    return _text(values) if isinstance(values, (str, bytes)) else None


def _first_int(tags: dict[str, Any], key: str) -> int | None:
    tag = tags.get(key)
    values = getattr(tag, "values", None)
    if isinstance(values, list) and values and isinstance(values[0], int):
        return int(values[0])
    return None


def _ratio(value: Any) -> float | None:
    """Return a rational as float, None for a zero denominator or a non-number."""
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        return value if value == value else None
    num = getattr(value, "numerator", None)
    den = getattr(value, "denominator", None)
    if isinstance(num, int) and isinstance(den, int):
        # exifread keeps a zero denominator as-is instead of failing: it means "unknown".
        if den == 0:
            return None
        return float(Fraction(num, den))
    return None


def parse_exif_datetime(text: str | None) -> datetime | None:
    """Parse "YYYY:MM:DD HH:MM:SS"; garbage, zeros, blanks and out-of-range values give None."""
    if not text:
        return None
    m = _DATETIME_RE.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def parse_offset(text: str | None) -> timezone | None:
    """Parse an EXIF offset "+08:00"; None if absent or implausible."""
    if not text:
        return None
    m = _OFFSET_RE.match(text)
    if not m:
        return None
    sign, hours, minutes = m.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14) or int(minutes) >= 60:
        return None
    return timezone(-delta if sign == "-" else delta)


def _subsec_micros(text: str | None) -> int | None:
    if not text:
        return None
    digits = text.strip()
    if not digits.isdigit():
        return None
    return int((digits + "000000")[:6])


def _gps_coord(tags: dict[str, Any], key: str, ref_key: str, limit: float) -> float | None:
    tag = tags.get(key)
    values = getattr(tag, "values", None)
    if not isinstance(values, list) or not 1 <= len(values) <= 3:
        return None
    parts = [_ratio(v) for v in values]
    if any(p is None or p < 0 for p in parts):
        return None
    parts_f = [p for p in parts if p is not None]
    while len(parts_f) < 3:
        parts_f.append(0.0)
    deg, minutes, seconds = parts_f
    if minutes > 60 or seconds > 60:  # 60.0 happens when writers round 59.99995
        return None
    coord = deg + minutes / 60 + seconds / 3600
    if coord > limit:
        return None
    ref = (_tag_text(tags, ref_key) or "").upper()[:1]
    if ref in ("S", "W"):
        coord = -coord
    elif ref not in ("N", "E", ""):
        return None
    return coord


def _gps_alt(tags: dict[str, Any]) -> float | None:
    tag = tags.get("GPS GPSAltitude")
    values = getattr(tag, "values", None)
    if not isinstance(values, list) or len(values) != 1:
        return None
    alt = _ratio(values[0])
    if alt is None or abs(alt) > 100_000:
        return None
    ref_tag = tags.get("GPS GPSAltitudeRef")
    ref_values = getattr(ref_tag, "values", None)
    ref: Any = ref_values[0] if isinstance(ref_values, (list, bytes)) and len(ref_values) else ref_values
    if ref in (1, b"\x01", "1"):
        alt = -alt
    return alt


def _raw_strings(tags: dict[str, Any]) -> dict[str, str]:
    raw: dict[str, str] = {}
    for key in sorted(tags):
        if len(raw) >= RAW_MAX_TAGS:
            break
        if any(skip in key for skip in _SKIP_RAW):
            continue
        value = _text(getattr(tags[key], "printable", tags[key]), RAW_MAX_VALUE + 1)
        if value is None:
            continue
        if len(value) > RAW_MAX_VALUE:
            value = value[: RAW_MAX_VALUE - 1] + "…"
        raw[_text(key, 80) or "?"] = value
    return raw


def _pick_time(tags: dict[str, Any]) -> tuple[datetime | None, TakenAtSource | None, str | None, str | None]:
    candidates: list[tuple[TakenAtSource, str, str, str]] = [
        ("DateTimeOriginal", "EXIF DateTimeOriginal", "EXIF OffsetTimeOriginal", "EXIF SubSecTimeOriginal"),
        ("DateTimeDigitized", "EXIF DateTimeDigitized", "EXIF OffsetTimeDigitized", "EXIF SubSecTimeDigitized"),
        ("DateTime", "Image DateTime", "EXIF OffsetTime", "EXIF SubSecTime"),
    ]
    for source, key, offset_key, subsec_key in candidates:
        when = parse_exif_datetime(_tag_text(tags, key))
        if when is None:
            continue
        subsec = _tag_text(tags, subsec_key)
        micros = _subsec_micros(subsec)
        if micros is not None:
            when = when.replace(microsecond=micros)
        else:
            subsec = None
        offset_text = _tag_text(tags, offset_key)
        tz = parse_offset(offset_text)
        if tz is not None:
            when = when.replace(tzinfo=tz)
        else:
            offset_text = None
        return when, source, subsec, offset_text
    return None, None, None, None


def facts_from_tags(tags: dict[str, Any]) -> ExifFacts:
    """Turn exifread's tag dict into ``ExifFacts``."""
    taken_at, source, subsec, offset = _pick_time(tags)
    orientation = _first_int(tags, "Image Orientation")
    width = _first_int(tags, "EXIF ExifImageWidth")
    height = _first_int(tags, "EXIF ExifImageLength")
    lat = _gps_coord(tags, "GPS GPSLatitude", "GPS GPSLatitudeRef", 90.0)
    lon = _gps_coord(tags, "GPS GPSLongitude", "GPS GPSLongitudeRef", 180.0)
    if lat is None or lon is None or (lat == 0.0 and lon == 0.0):
        # Half a position is no position, and 0,0 is what many phones write without a fix.
        lat = lon = None
    return ExifFacts(
        taken_at=taken_at,
        taken_at_source=source,
        subsec=subsec,
        offset=offset,
        modified_at=parse_exif_datetime(_tag_text(tags, "Image DateTime")),
        original_at=parse_exif_datetime(_tag_text(tags, "EXIF DateTimeOriginal")),
        gps_lat=lat,
        gps_lon=lon,
        gps_alt=_gps_alt(tags) if lat is not None else None,
        make=_tag_str(tags, "Image Make"),
        model=_tag_str(tags, "Image Model"),
        orientation=orientation if orientation is not None and 1 <= orientation <= 8 else None,
        software=_tag_str(tags, "Image Software"),
        pixel_width=width if width is not None and 0 < width <= 1_000_000 else None,
        pixel_height=height if height is not None and 0 < height <= 1_000_000 else None,
        raw=_raw_strings(tags),
    )


_TIFF_ORDERS = (b"II*\x00", b"MM\x00*")


def tiff_header_problem(data: bytes) -> str | None:
    """Return why the EXIF block's TIFF header is unusable (bad byte-order mark), or None.

    exifread reads any mark other than "II" as big-endian ("MM") and goes on to decode times and positions
    from bytes that say nothing; a header that is neither is malformed and nothing in it may be used.
    """
    if data.startswith((b"II", b"MM")):  # a TIFF file itself
        return None if data[:4] in _TIFF_ORDERS else "E_EXIF_MALFORMED: TIFF 文件头的字节序标记无效"
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no EXIF before the picture data
            return None
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if marker == 0xE1 and data[pos + 4:pos + 10] == b"Exif\x00\x00":
            header = data[pos + 10:pos + 14]
            return None if header in _TIFF_ORDERS else "E_EXIF_MALFORMED: EXIF 的 TIFF 头字节序标记无效"
        if length < 2:
            return None
        pos += 2 + length
    return None


def read_exif(data: bytes) -> ExifFacts:
    """Read EXIF from a photo's bytes in this process; never raises for bad metadata.

    Only ``BudgetExceeded`` (the caller's time budget ran out), ``MemoryError`` and ``RecursionError`` pass
    through, so the caller can record them as what they are rather than as a malformed file.
    """
    import exifread  # here, not at the top: listing photos needs the facts' type, not the parser

    problem = tiff_header_problem(data)
    if problem is not None:
        return ExifFacts(parse_error=problem)
    try:
        tags = exifread.process_file(BytesIO(data), details=False, extract_thumbnail=False)
    except (MemoryError, RecursionError, BudgetExceeded):
        raise
    except Exception as exc:
        # exifread raises assorted errors (struct, index, value) on broken files: the photo has no usable EXIF.
        return ExifFacts(parse_error=f"{type(exc).__name__}: {exc}"[:200])
    try:
        return facts_from_tags(tags)
    except BudgetExceeded:
        raise
    except Exception as exc:
        return ExifFacts(parse_error=f"{type(exc).__name__}: {exc}"[:200])


# -- bounding ----------------------------------------------------------------------------------------------


class BudgetExceeded(BaseException):
    """Raised inside the work when its time budget (SIGALRM) runs out.

    A ``BaseException``, like ``KeyboardInterrupt``: a library's ``except Exception`` around its own parsing
    must not swallow the timeout and carry on with the malformed input.
    """


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``BudgetExceeded`` in the main thread if the block runs longer than ``seconds``.

    POSIX only (SIGALRM); elsewhere it does nothing and the caller must rely on a hard deadline. It can only
    interrupt Python code, so a stuck C call still needs the parent's kill.

    The alarm can land while Python runs a weakref callback or a ``__del__`` (the garbage collector runs them
    at any allocation); an exception raised there is printed as "unraisable" and lost, and the block would
    finish as if in time. So the handler also records that the budget ran out, and a block that ends normally
    after that still raises ``BudgetExceeded`` here: late, but never a result from over the budget.
    """
    usable = hasattr(signal, "setitimer") and _in_main_thread()
    if not usable or seconds <= 0:
        yield
        return
    expired = False

    def on_alarm(signum: int, frame: Any) -> None:
        nonlocal expired
        expired = True
        raise BudgetExceeded()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if expired:  # the alarm's own exception was swallowed where it landed
        raise BudgetExceeded()


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def limit_memory(max_bytes: int) -> bool:
    """Cap this process's address space (POSIX ``RLIMIT_AS``); return False where unsupported."""
    if sys.platform == "win32":
        return False
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        new = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (new, hard))
    except (ImportError, ValueError, OSError):
        return False
    return True


def _exif_child(conn: Any, data: bytes, memory_limit: int) -> None:
    limit_memory(memory_limit)
    try:
        result: ExifFacts | ExifFailure = read_exif(data)
    except MemoryError:
        result = ExifFailure("E_EXIF_MEMORY", "照片的 EXIF 信息异常（占用内存过多），已跳过")
    except RecursionError:
        result = ExifFailure("E_EXIF_CRASHED", "照片的 EXIF 信息异常，无法读取")
    conn.send(result)
    conn.close()


def read_exif_bounded(
    data: bytes, timeout: float = 5.0, *, memory_limit: int = CHILD_MEMORY_LIMIT
) -> ExifFacts | ExifFailure:
    """Read EXIF in a child process that is killed after ``timeout`` seconds.

    Costs a process start (~10 ms forked, ~100 ms spawned): for single photos, not for batches.
    """
    import multiprocessing

    ctx = multiprocessing.get_context()
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_exif_child, args=(child_conn, data, memory_limit), daemon=True)
    proc.start()
    child_conn.close()
    try:
        if parent_conn.poll(timeout):
            try:
                result: ExifFacts | ExifFailure = parent_conn.recv()
            except EOFError:
                result = ExifFailure("E_EXIF_CRASHED", "读取 EXIF 信息的进程意外退出，已跳过")
            proc.join(timeout)
            return result
        return ExifFailure("E_EXIF_TIMEOUT", f"照片的 EXIF 信息异常，{timeout:g} 秒内未能读取，已跳过")
    finally:
        parent_conn.close()
        if proc.is_alive():
            proc.kill()
            proc.join()
