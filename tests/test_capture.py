"""Photos taken in the app: the EXIF they carry reads back, and they are filed as captured evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from inspect_app.evidence.capture import DEFAULT_CAMERA_NAME, software_string, write_captured_jpeg
from inspect_app.evidence.exif import read_exif
from inspect_app.evidence.flags import CHINA_TZ, EDITING_SOFTWARE
from inspect_app.models.evidence import Photo
from inspect_app.models.store import Store
from inspect_app.services import casework
from inspect_app.services.capture import capture_photo
from inspect_app.services.photos import get_photo
from tests.evidence_fixtures import pattern_image
from tests.photo_case import FAR, SITE, TODAY, Case, make_case

TAKEN = datetime(2021, 5, 5, 10, 15, 30, 250_000, tzinfo=CHINA_TZ)


@pytest.fixture
def case(store: Store) -> Case:
    return make_case(store, 7)


def arrive(store: Store, case: Case, position: tuple[float, float]) -> None:
    """Record the inspection's arrival at ``position`` (what the laptop knows of where it is)."""
    with store.transaction() as s:
        casework.record_inspection(s, case.inspection_id, visited_on=date(2021, 5, 5),
                                   arrived_at=datetime(2021, 5, 5, 1, 30, tzinfo=UTC), lat=position[0],
                                   lon=position[1], today=TODAY)


def test_written_exif_reads_back() -> None:
    jpeg = write_captured_jpeg(pattern_image(1, (96, 72)), taken_at=TAKEN, position=(34.5410123, 113.4210987),
                               altitude=123.4, camera_name="Integrated Camera", app_version="9.8.7")
    facts = read_exif(jpeg)
    assert facts.parse_error is None
    assert facts.taken_at == TAKEN and facts.taken_at_source == "DateTimeOriginal"
    assert facts.taken_at is not None and facts.taken_at.utcoffset() == timedelta(hours=8)
    assert facts.offset == "+08:00"
    assert facts.modified_at == facts.original_at == TAKEN.replace(tzinfo=None, microsecond=0)
    assert facts.gps_lat == pytest.approx(34.5410123, abs=1e-6)
    assert facts.gps_lon == pytest.approx(113.4210987, abs=1e-6)
    assert facts.gps_alt == pytest.approx(123.4, abs=0.01)
    assert facts.software == "inspect-app 9.8.7"
    assert facts.make == facts.model == "Integrated Camera"
    assert (facts.pixel_width, facts.pixel_height, facts.orientation) == (96, 72, 1)
    assert facts.raw["Image ImageDescription"] == "现场拍摄"
    assert facts.raw["GPS GPSMapDatum"] == "WGS-84"
    assert facts.raw["GPS GPSDate"] == "2021:05:05"  # 10:15 in Beijing is 02:15 UTC, the same day
    assert facts.raw["GPS GPSTimeStamp"].startswith("[2, 15, ")
    with Image.open(BytesIO(jpeg)) as img:
        assert img.format == "JPEG" and img.size == (96, 72)


def test_offset_and_southern_western_position_read_back() -> None:
    moment = datetime(2021, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))
    jpeg = write_captured_jpeg(Image.new("L", (40, 30), 128), taken_at=moment, position=(-33.8688197, -151.2092955),
                               altitude=-5.0, app_version="0.1.0")
    facts = read_exif(jpeg)
    assert facts.taken_at == moment and facts.offset == "-03:30"
    assert facts.gps_lat == pytest.approx(-33.8688197, abs=1e-6)
    assert facts.gps_lon == pytest.approx(-151.2092955, abs=1e-6)
    assert facts.gps_alt == pytest.approx(-5.0)
    assert facts.make == DEFAULT_CAMERA_NAME
    assert facts.raw["GPS GPSDate"] == "2022:01:01"  # 23:59 at -03:30 is the next day in UTC


def test_no_position_writes_no_gps_and_naive_time_is_refused() -> None:
    facts = read_exif(write_captured_jpeg(pattern_image(2), taken_at=TAKEN, position=None, app_version="0.1.0"))
    assert not facts.has_gps and not any(k.startswith("GPS ") for k in facts.raw)
    with pytest.raises(ValueError):
        write_captured_jpeg(pattern_image(2), taken_at=TAKEN.replace(tzinfo=None), position=None,
                            app_version="0.1.0")


def test_our_software_is_not_taken_for_an_editor() -> None:
    assert not any(fragment in software_string().lower() for fragment in EDITING_SOFTWARE)


def _temp_left(store: Store) -> list[str]:
    folder = store.data_dir / "capture-tmp"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_capture_files_a_captured_photo_at_the_arrival_position(store: Store, case: Case) -> None:
    arrive(store, case, SITE)
    result = capture_photo(store, inspection_id=case.inspection_id, stage="during", image=pattern_image(3, (96, 72)),
                           camera_name="USB2.0 HD UVC WebCam", now=TAKEN)
    assert result.status == "imported", result
    assert result.photo_id is not None
    assert result.flags == []  # time, place at the site, not edited: nothing to doubt
    with store.reader() as s:
        photo = get_photo(s, result.photo_id)
        row_source = s.scalar(select(Photo.source).where(Photo.id == result.photo_id))
    assert photo.source == "captured" and row_source == "captured"
    assert photo.stage == "during" and photo.equipment_id == case.equipment_id
    assert photo.lat == pytest.approx(SITE[0], abs=1e-6) and photo.lon == pytest.approx(SITE[1], abs=1e-6)
    assert photo.taken_at is not None and photo.taken_at == TAKEN
    assert photo.software.startswith("inspect-app ") and photo.camera_make == "USB2.0 HD UVC WebCam"
    assert photo.original_name.startswith("IMG_20210505_101530") and photo.original_name.endswith(".jpg")
    assert _temp_left(store) == []


def test_capture_without_any_position_says_no_gps(store: Store, case: Case) -> None:
    result = capture_photo(store, inspection_id=case.inspection_id, stage="before", image=pattern_image(4),
                           now=TAKEN)
    assert result.status == "imported"
    assert result.flags == ["no_gps"]
    assert _temp_left(store) == []


def test_capture_far_from_the_site_is_flagged(store: Store, case: Case) -> None:
    arrive(store, case, SITE)
    near = capture_photo(store, inspection_id=case.inspection_id, stage="during", image=pattern_image(5),
                         now=TAKEN)
    far = capture_photo(store, inspection_id=case.inspection_id, stage="during", image=pattern_image(6),
                        position=FAR, now=TAKEN + timedelta(minutes=1))
    assert "far_from_site" not in near.flags
    assert "far_from_site" in far.flags
    assert "edited" not in far.flags and "no_time" not in far.flags
    with store.reader() as s:
        assert far.photo_id is not None
        photo = get_photo(s, far.photo_id)
    assert photo.lat == pytest.approx(FAR[0], abs=1e-6)
    assert photo.distance_m is not None and 4500 < photo.distance_m < 5500


def test_same_frame_at_the_same_moment_is_present(store: Store, case: Case) -> None:
    frame = pattern_image(8)
    first = capture_photo(store, inspection_id=case.inspection_id, stage="after", image=frame, now=TAKEN)
    second = capture_photo(store, inspection_id=case.inspection_id, stage="after", image=frame, now=TAKEN)
    assert first.status == "imported" and second.status == "present"
    assert second.photo_id == first.photo_id
    with store.reader() as s:
        assert len(s.scalars(select(Photo).where(Photo.inspection_id == case.inspection_id)).all()) == 1
    assert _temp_left(store) == []


def test_a_bad_stage_is_refused_and_leaves_nothing(store: Store, case: Case) -> None:
    from inspect_app.errors import UserError

    with pytest.raises(UserError):
        capture_photo(store, inspection_id=case.inspection_id, stage="sometime", image=pattern_image(9), now=TAKEN)
    assert _temp_left(store) == []
