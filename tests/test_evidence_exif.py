"""EXIF facts from real JPEGs made by Pillow and from hand-made broken EXIF blocks."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from inspect_app.evidence import exif as exif_module
from inspect_app.evidence.exif import (
    ExifFacts,
    ExifFailure,
    parse_exif_datetime,
    parse_offset,
    read_exif,
    read_exif_bounded,
)
from tests.evidence_fixtures import crafted_tiff, jpeg_bytes, jpeg_with_app1, photo, png_bytes, text_as_jpg


def test_full_facts() -> None:
    facts = read_exif(
        photo(
            taken="2021:05:03 10:15:30",
            gps=(34.7466, 113.6253),
            altitude=110.5,
            make="HUAWEI",
            model="ELS-AN00",
            orientation=6,
            software="ELS-AN00 11.0.0.168",
            modified="2021:05:03 10:15:30",
        )
    )
    assert facts.taken_at == datetime(2021, 5, 3, 10, 15, 30)
    assert facts.taken_at.tzinfo is None and not facts.taken_at_is_aware
    assert facts.taken_at_source == "DateTimeOriginal"
    assert facts.gps_lat == pytest.approx(34.7466, abs=1e-6)
    assert facts.gps_lon == pytest.approx(113.6253, abs=1e-6)
    assert facts.gps_alt == pytest.approx(110.5)
    assert (facts.make, facts.model, facts.orientation) == ("HUAWEI", "ELS-AN00", 6)
    assert facts.software == "ELS-AN00 11.0.0.168"
    assert facts.modified_at == datetime(2021, 5, 3, 10, 15, 30)
    assert facts.raw["Image Make"] == "HUAWEI"
    assert facts.parse_error is None


def test_offset_and_subsec_make_an_aware_time() -> None:
    facts = read_exif(photo(taken="2021:05:03 10:15:30", offset="+08:00", subsec="045"))
    assert facts.taken_at == datetime(2021, 5, 3, 10, 15, 30, 45000, tzinfo=timezone(timedelta(hours=8)))
    assert facts.taken_at_is_aware
    assert (facts.offset, facts.subsec) == ("+08:00", "045")
    assert facts.taken_at.astimezone(UTC).hour == 2


@pytest.mark.parametrize(
    ("kwargs", "source", "expected"),
    [
        ({"taken": None, "digitized": "2021:06:01 08:00:00"}, "DateTimeDigitized", datetime(2021, 6, 1, 8)),
        ({"taken": None, "modified": "2021:06:02 09:00:00"}, "DateTime", datetime(2021, 6, 2, 9)),
        ({"taken": "0000:00:00 00:00:00", "modified": "2021:06:02 09:00:00"}, "DateTime", datetime(2021, 6, 2, 9)),
        ({"taken": None}, None, None),
    ],
)
def test_time_falls_back_in_order(kwargs: dict[str, str | None], source: str | None, expected: datetime | None) -> None:
    facts = read_exif(photo(**kwargs))  # type: ignore[arg-type]
    assert facts.taken_at_source == source
    assert facts.taken_at == expected


def test_southern_western_and_below_sea_level() -> None:
    facts = read_exif(photo(gps=(-33.8688, -70.6693), altitude=-25.0))
    assert facts.gps_lat == pytest.approx(-33.8688, abs=1e-6)
    assert facts.gps_lon == pytest.approx(-70.6693, abs=1e-6)
    assert facts.gps_alt == pytest.approx(-25.0)


def test_no_exif_at_all() -> None:
    facts = read_exif(jpeg_bytes())
    assert facts == ExifFacts()
    assert not facts.has_gps


@pytest.mark.parametrize("data", [b"", text_as_jpg(), png_bytes(), b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00"])
def test_non_exif_input_never_raises(data: bytes) -> None:
    facts = read_exif(data)
    assert facts.taken_at is None and facts.gps_lat is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021:05:03 10:15:30", datetime(2021, 5, 3, 10, 15, 30)),
        ("2021-05-03 10:15:30", datetime(2021, 5, 3, 10, 15, 30)),
        ("2021:05:03 10:15:30\x00\x00", datetime(2021, 5, 3, 10, 15, 30)),
        ("0000:00:00 00:00:00", None),
        ("    :  :     :  :  ", None),
        ("                   ", None),
        ("2021:13:45 25:61:00", None),
        ("2021:02:30 10:00:00", None),
        ("1900:01:01 00:00:00", None),
        ("9999:12:31 23:59:59", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_exif_datetime(text: str | None, expected: datetime | None) -> None:
    assert parse_exif_datetime(text) == expected


@pytest.mark.parametrize(
    ("text", "hours"),
    [("+08:00", 8.0), ("-03:30", -3.5), ("+0800", 8.0), ("+15:00", None), ("08:00", None), ("", None), ("   ", None)],
)
def test_parse_offset(text: str, hours: float | None) -> None:
    tz = parse_offset(text)
    if hours is None:
        assert tz is None
    else:
        assert tz is not None and tz.utcoffset(None) == timedelta(hours=hours)


@pytest.mark.parametrize("kind", ["absurd_count", "zero_den", "garbage_dates", "ifd_cycle", "exif_points_out"])
def test_crafted_exif_gives_facts_not_exceptions(kind: str) -> None:
    facts = read_exif(jpeg_with_app1(crafted_tiff(kind)))
    assert isinstance(facts, ExifFacts)
    assert facts.taken_at is None
    assert facts.gps_lat is None and facts.gps_lon is None and facts.gps_alt is None
    assert all(len(v) <= 200 for v in facts.raw.values())


def test_zero_denominators_are_unknown_not_zero() -> None:
    facts = read_exif(jpeg_with_app1(crafted_tiff("zero_den")))
    assert "GPS GPSLatitude" in facts.raw  # the tag was read ...
    assert facts.gps_lat is None  # ... but 34/0 degrees is no position


def test_garbage_dates_are_none() -> None:
    facts = read_exif(jpeg_with_app1(crafted_tiff("garbage_dates")))
    assert facts.raw["EXIF DateTimeOriginal"] == "0000:00:00 00:00:00"
    assert facts.taken_at is None and facts.modified_at is None and facts.original_at is None


def test_ifd_cycle_terminates_and_keeps_what_it_read() -> None:
    facts = read_exif(jpeg_with_app1(crafted_tiff("ifd_cycle")))
    assert facts.make == "Abc"


def test_absurd_count_strings_are_dropped() -> None:
    facts = read_exif(jpeg_with_app1(crafted_tiff("absurd_count")))
    assert facts.model is None  # a SHORT array where text belongs is not a camera model
    assert facts.orientation == 6


def test_raw_is_bounded_and_skips_makernote() -> None:
    long_software = "S" * 5000
    facts = read_exif(photo(software=long_software))
    assert facts.software is not None and len(facts.software) <= 128
    assert len(facts.raw["Image Software"]) <= 200
    assert not any("MakerNote" in k for k in facts.raw)


def test_read_exif_bounded_returns_facts() -> None:
    result = read_exif_bounded(photo(gps=(34.0, 113.0)), timeout=20)
    assert isinstance(result, ExifFacts)
    assert result.gps_lat == pytest.approx(34.0)


def _hanging_child(conn: object, data: bytes, memory_limit: int) -> None:
    # Stands in for a parse that never ends (a hostile file): sleeps far past the test's budget.
    time.sleep(60)


def test_read_exif_bounded_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # A child that never answers: the parent must give up after the budget and kill it. (A real parse with
    # timeout 0 was not enough: on a loaded machine the forked child sometimes answered before the first poll.)
    monkeypatch.setattr(exif_module, "_exif_child", _hanging_child)
    started = time.monotonic()
    result = read_exif_bounded(photo(), timeout=0.3)
    assert isinstance(result, ExifFailure)
    assert result.code == "E_EXIF_TIMEOUT"
    assert time.monotonic() - started < 30  # the hanging child was killed, not waited for
