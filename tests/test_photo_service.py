"""Photo evidence use cases on a real store: real JPEGs with EXIF, real worker processes, real blobs."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from inspect_app.errors import Cancelled, UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models import AuditEvent
from inspect_app.models.evidence import Photo
from inspect_app.models.store import Store
from inspect_app.services import casework
from inspect_app.services.audit import verify_audit
from inspect_app.services.photos import (
    check_inspection,
    get_photo,
    import_photos,
    list_photos,
    move_photo,
    refresh_flags,
    set_caption,
    verify_blobs,
)
from tests.evidence_fixtures import (
    bomb_png,
    fake_heic_bytes,
    jpeg_bytes,
    make_exif,
    pattern_image,
    text_as_jpg,
    truncated_jpeg,
)
from tests.photo_case import FAR, NEAR, NOW, make_case, shot, write


def by_name(results: list) -> dict:  # type: ignore[type-arg]
    return {Path(r.path).name: r for r in results}


def photo_count(store: Store) -> int:
    with store.reader() as s:
        return int(s.scalar(select(func.count()).select_from(Photo)) or 0)


def event_count(store: Store) -> int:
    with store.reader() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def flags_of(store: Store, photo_id: str) -> list[str]:
    with store.reader() as s:
        return get_photo(s, photo_id).flag_codes


# --- import and flags ----------------------------------------------------------------------------------------


def test_batch_flags_each_doubt_on_the_right_photo(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 11)
    before = write(tmp_path / "before", {
        "good.jpg": shot(1, "2021:05:01 09:00:00"),
        "far.jpg": shot(2, "2021:05:01 09:05:00", FAR),
        "noexif.jpg": shot(3, None, None),
        "edited.jpg": shot(4, "2021:05:01 09:10:00", software="Adobe Photoshop 24.0 (Windows)"),
    })
    res = by_name(import_photos(store, inspection_id=case.inspection_id, stage="before", paths=[tmp_path / "before"],
                                now=NOW))
    assert {n: r.status for n, r in res.items()} == dict.fromkeys(["edited.jpg", "far.jpg", "good.jpg", "noexif.jpg"],
                                                                   "imported")
    assert res["good.jpg"].flags == []
    assert res["far.jpg"].flags == ["far_from_site"]
    assert set(res["noexif.jpg"].flags) == {"no_time", "no_gps"}
    assert res["noexif.jpg"].taken_at is None
    assert res["edited.jpg"].flags == ["edited"]
    # The camera's naive local time is China time: 09:00 CST is 01:00 UTC.
    assert res["good.jpg"].taken_at == "2021-05-01T01:00:00+00:00"
    assert len(before) == 4

    during = import_photos(store, inspection_id=case.inspection_id, stage="during",
                           paths=write(tmp_path / "during", {"d.jpg": shot(5, "2021:05:03 10:00:00")}), now=NOW)
    after = import_photos(store, inspection_id=case.inspection_id, stage="after",
                          paths=write(tmp_path / "after", {"a.jpg": shot(6, "2021:05:05 15:00:00")}), now=NOW)
    assert during[0].flags == [] and after[0].flags == []
    # A "before" photo taken after the "after" photo: only that photo is out of order; the during and after
    # photos agree with the other before photos and are not condemned by the one late photo (issue 9 item 3).
    late = import_photos(store, inspection_id=case.inspection_id, stage="before",
                         paths=write(tmp_path / "late", {"late.jpg": shot(7, "2021:05:06 08:00:00")}), now=NOW)
    assert "stage_order" in late[0].flags
    assert "stage_order" not in flags_of(store, after[0].photo_id)
    assert "stage_order" not in flags_of(store, during[0].photo_id)
    assert flags_of(store, res["good.jpg"].photo_id) == []

    with store.reader() as s:
        views = {v.original_name: v for v in list_photos(s, inspection_id=case.inspection_id,
                                                         blob_root=store.blob_root)}
        assert [v.stage for v in list_photos(s, inspection_id=case.inspection_id)][:5] == ["before"] * 5
        assert verify_audit(s).ok
    good = views["good.jpg"]
    assert good.distance_m is not None and good.distance_m < 50
    assert views["far.jpg"].distance_m is not None and 4800 < views["far.jpg"].distance_m < 5200
    assert views["noexif.jpg"].distance_m is None
    assert good.taken_at_local == "2021:05:01 09:00:00" and good.taken_at_source == "DateTimeOriginal"
    assert good.camera_make == "HUAWEI" and len(good.sha256) == 64 and good.format == "JPEG"
    assert good.thumb_path and Path(good.thumb_path).is_file()
    assert good.report_path and Path(good.report_path).is_file()
    assert good.original_path and Path(good.original_path).read_bytes() == before[0].read_bytes()
    assert good.imported_by == store.actor and good.file_mtime is not None
    assert "far_from_site" in [f.code for f in views["far.jpg"].flags]
    assert "公里" in views["far.jpg"].flags[0].message
    with store.reader() as s:
        row = s.get(Photo, good.id)
        assert row is not None and len(row.phash) == 16 and int(row.phash, 16) >= 0
        assert row.exif.get("EXIF DateTimeOriginal") == "2021:05:01 09:00:00"
        assert row.flags == []


def test_offset_time_is_stored_as_utc(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 12)
    data = jpeg_bytes(pattern_image(21), exif=make_exif(taken="2021:05:01 10:00:00", offset="+02:00", gps=NEAR))
    res = import_photos(store, inspection_id=case.inspection_id, stage="before",
                        paths=write(tmp_path, {"o.jpg": data}), now=NOW)
    assert res[0].taken_at == "2021-05-01T08:00:00+00:00"


def test_same_bytes_and_near_copy_for_another_enterprise(store: Store, tmp_path: Path) -> None:
    first = make_case(store, 21)
    second = make_case(store, 22, site=(34.4870, 113.4930))
    original = shot(31, "2021:05:01 09:00:00")
    a = import_photos(store, inspection_id=first.inspection_id, stage="before",
                      paths=write(tmp_path / "a", {"orig.jpg": original, "scene.jpg": shot(32, "2021:05:03 09:00:00")}),
                      now=NOW)
    assert [r.flags for r in a] == [[], []]
    # The same file, and a resized, re-encoded copy of the other, handed in as evidence for another enterprise.
    img = Image.open(BytesIO(a_bytes := (tmp_path / "a" / "scene.jpg").read_bytes()))
    resized = BytesIO()
    img.resize((192, 144)).save(resized, "JPEG", quality=70, exif=img.getexif().tobytes())
    assert resized.getvalue() != a_bytes
    b = by_name(import_photos(store, inspection_id=second.inspection_id, stage="before",
                              paths=write(tmp_path / "b", {"copy.jpg": original, "resized.jpg": resized.getvalue()}),
                              now=NOW))
    assert "duplicate_other_enterprise" in b["copy.jpg"].flags
    assert "near_duplicate" in b["resized.jpg"].flags
    assert "duplicate_other_enterprise" not in b["resized.jpg"].flags
    # The first enterprise's photos learn about the reuse in the recompute after the batch.
    a_names = by_name(a)
    assert "duplicate_other_enterprise" in flags_of(store, a_names["orig.jpg"].photo_id)
    assert "near_duplicate" in flags_of(store, a_names["scene.jpg"].photo_id)


def test_bad_files_are_refused_and_nothing_half_stored(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 31)
    files = {
        "good1.jpg": shot(41, "2021:05:01 09:00:00"),
        "good2.jpg": shot(42, "2021:05:01 09:01:00"),
        "empty.jpg": b"",
        "text.jpg": text_as_jpg(),
        "cut.jpg": truncated_jpeg(),
        "phone.heic": fake_heic_bytes(),
        "bomb.png": bomb_png(),
    }
    res = by_name(import_photos(store, inspection_id=case.inspection_id, stage="before",
                                paths=write(tmp_path / "in", files), now=NOW))
    assert {n: (r.status, r.code) for n, r in res.items()} == {
        "good1.jpg": ("imported", None),
        "good2.jpg": ("imported", None),
        "empty.jpg": ("refused", "E_PHOTO_EMPTY"),
        "text.jpg": ("refused", "E_PHOTO_NOT_IMAGE"),
        "cut.jpg": ("refused", "E_PHOTO_CORRUPT"),
        "phone.heic": ("refused", "E_PHOTO_UNSUPPORTED"),
        "bomb.png": ("refused", "E_PHOTO_TOO_LARGE"),
    }
    assert all(r.message for r in res.values() if r.status == "refused")
    assert photo_count(store) == 2
    blobs = BlobStore(store.blob_root)
    with store.reader() as s:
        hashes = set(s.scalars(select(Photo.sha256)))
    assert hashes == {res["good1.jpg"].sha256, res["good2.jpg"].sha256}
    # Only the accepted photos reach the store; every row has its original, no write left a temp file.
    assert set(blobs.iter_hashes()) == hashes
    assert all(blobs.verify(h) for h in hashes)
    assert list(blobs.iter_temp_files()) == []
    assert verify_blobs(store) == []


def test_rerun_is_present_with_no_new_rows_or_events(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 41)
    folder = tmp_path / "in"
    write(folder, {f"p{i}.jpg": shot(50 + i, f"2021:05:01 09:0{i}:00") for i in range(4)} | {"bad.jpg": b""})
    first = import_photos(store, inspection_id=case.inspection_id, stage="before", paths=[folder], now=NOW)
    assert [r.status for r in first] == ["refused"] + ["imported"] * 4  # listed order: bad.jpg, p0..p3
    rows, events = photo_count(store), event_count(store)
    again = import_photos(store, inspection_id=case.inspection_id, stage="before", paths=[folder], now=NOW)
    assert [r.status for r in again] == ["refused"] + ["present"] * 4
    assert [r.photo_id for r in again] == [r.photo_id for r in first]
    assert (photo_count(store), event_count(store)) == (rows, events)
    # The same bytes for another stage are a new use of the photo, flagged as reused.
    other = import_photos(store, inspection_id=case.inspection_id, stage="after", paths=[folder / "p0.jpg"], now=NOW)
    assert other[0].status == "imported" and "reused_same" in other[0].flags
    with store.reader() as s:
        assert verify_audit(s).ok


def test_cancel_part_way_keeps_committed_photos_and_rerun_completes(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 51)
    folder = tmp_path / "in"
    write(folder, {f"p{i:02d}.jpg": shot(60 + i, "2021:05:01 09:00:00", size=(320, 240)) for i in range(12)})
    seen: list[int] = []
    with pytest.raises(Cancelled):
        import_photos(store, inspection_id=case.inspection_id, stage="before", paths=[folder], now=NOW, workers=2,
                      progress=lambda done, total, name: seen.append(done), cancel=lambda: len(seen) >= 2)
    committed = photo_count(store)
    assert 2 <= committed < 12
    assert verify_blobs(store) == []
    assert list(BlobStore(store.blob_root).iter_temp_files()) == []
    rerun = import_photos(store, inspection_id=case.inspection_id, stage="before", paths=[folder], now=NOW)
    statuses = [r.status for r in rerun]
    assert statuses.count("present") == committed and statuses.count("imported") == 12 - committed
    assert photo_count(store) == 12
    with store.reader() as s:
        assert verify_audit(s).ok


def test_validation_before_any_work(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 61)
    other = make_case(store, 62)
    paths = write(tmp_path, {"p.jpg": shot(70, "2021:05:01 09:00:00")})
    cases = [
        ({"inspection_id": case.inspection_id, "stage": "sometime"}, "E_STAGE_INVALID"),
        ({"inspection_id": "no-such-inspection", "stage": "before"}, "E_INSPECTION_NOT_FOUND"),
        ({"inspection_id": case.inspection_id, "stage": "before", "equipment_id": "no-such-equipment"},
         "E_EQUIPMENT_NOT_FOUND"),
        ({"inspection_id": case.inspection_id, "stage": "before", "equipment_id": other.equipment_id},
         "E_EQUIPMENT_MISMATCH"),
    ]
    for kwargs, code in cases:
        with pytest.raises(UserError) as err:
            import_photos(store, paths=paths, now=NOW, **kwargs)  # type: ignore[arg-type]
        assert err.value.code == code
    assert photo_count(store) == 0
    assert not (store.blob_root / "originals").exists()


# --- check, move, caption, blobs -----------------------------------------------------------------------------


def test_check_inspection_gaps_per_stage(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 71, items=2)
    with store.reader() as s:
        insp = casework.get_inspection(s, case.inspection_id)
    first, second = insp.equipment_ids
    with store.reader() as s:
        check = check_inspection(s, case.inspection_id)
    assert not check.ok and len(check.gaps) == 6
    assert "缺少拆除前照片" in check.gaps[0].message
    taken = {"before": "2021:05:01 09:00:00", "during": "2021:05:03 09:00:00", "after": "2021:05:05 09:00:00"}
    for n, stage in enumerate(("before", "during", "after")):
        import_photos(store, inspection_id=case.inspection_id, stage=stage, equipment_id=first,
                      paths=write(tmp_path / stage, {f"{stage}.jpg": shot(80 + n, taken[stage])}), now=NOW)
        with store.reader() as s:
            check = check_inspection(s, case.inspection_id)
        assert {(g.equipment_id, g.stage) for g in check.gaps} == (
            {(first, st) for st in ("before", "during", "after")[n + 1:]}
            | {(second, st) for st in ("before", "during", "after")})
    # A photo with no equipment on a two-item inspection counts for neither item.
    import_photos(store, inspection_id=case.inspection_id, stage="before",
                  paths=write(tmp_path / "x", {"x.jpg": shot(90, None, None)}), now=NOW)
    with store.reader() as s:
        check = check_inspection(s, case.inspection_id)
    assert check.unassigned == 1 and check.photos == 4 and len(check.gaps) == 3
    assert {f.code: f.count for f in check.flags} == {"no_time": 1, "no_gps": 1}
    assert check.flags[0].message == "照片没有拍摄时间"
    for n, stage in enumerate(("before", "during", "after")):
        import_photos(store, inspection_id=case.inspection_id, stage=stage, equipment_id=second,
                      paths=write(tmp_path / f"2{stage}", {f"2{stage}.jpg": shot(95 + n, taken[stage])}), now=NOW)
    with store.reader() as s:
        check = check_inspection(s, case.inspection_id)
    assert check.ok and check.gaps == []
    assert [(c.stage, c.have, c.need) for c in check.counts if c.equipment_id == second] == [
        ("before", 1, 1), ("during", 1, 1), ("after", 1, 1)]


def test_move_and_caption_recompute_and_record(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 81)
    before = import_photos(store, inspection_id=case.inspection_id, stage="before",
                           paths=write(tmp_path / "b", {"b.jpg": shot(101, "2021:05:01 09:00:00")}), now=NOW)
    after = import_photos(store, inspection_id=case.inspection_id, stage="after",
                          paths=write(tmp_path / "a", {"a.jpg": shot(102, "2021:05:05 09:00:00")}), now=NOW)
    events = event_count(store)
    # Swap the two by dragging: the photo taken on 05-05 becomes "before", the one of 05-01 "after".
    with store.transaction() as s:
        moved = move_photo(s, after[0].photo_id[:8], "before", now=NOW)
    assert moved.stage == "before"
    with store.transaction() as s:
        moved = move_photo(s, before[0].photo_id, "after", now=NOW)
    assert "stage_order" in moved.flag_codes
    assert "stage_order" in flags_of(store, after[0].photo_id)
    with store.transaction() as s:
        view = set_caption(s, before[0].photo_id, "  1号中频炉拆除前全景  ")
    assert view.caption == "1号中频炉拆除前全景"
    assert event_count(store) == events + 3
    with store.transaction() as s:
        assert refresh_flags(s, case.inspection_id, now=NOW) == []  # nothing changed: no event
    assert event_count(store) == events + 3
    with pytest.raises(UserError) as err, store.transaction() as s:
        move_photo(s, before[0].photo_id, "later")
    assert err.value.code == "E_STAGE_INVALID"
    with pytest.raises(UserError) as err, store.transaction() as s:
        set_caption(s, before[0].photo_id, "长" * 501)
    assert err.value.code == "E_CAPTION_TOO_LONG"
    with pytest.raises(UserError) as err, store.reader() as s:
        get_photo(s, "nonexistent")
    assert err.value.code == "E_PHOTO_NOT_FOUND"
    with store.reader() as s:
        assert verify_audit(s).ok


def test_verify_blobs_finds_missing_and_altered_originals(store: Store, tmp_path: Path) -> None:
    case = make_case(store, 91)
    res = import_photos(store, inspection_id=case.inspection_id, stage="before",
                        paths=write(tmp_path, {"a.jpg": shot(111, "2021:05:01 09:00:00"),
                                               "b.jpg": shot(112, "2021:05:01 09:00:00")}), now=NOW)
    assert verify_blobs(store) == []
    blobs = BlobStore(store.blob_root)
    altered = blobs.path(res[0].sha256 or "")
    os.chmod(altered, 0o644)
    with altered.open("r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00\x01\x02")
    assert verify_blobs(store) == [res[0].photo_id]
    missing = blobs.path(res[1].sha256 or "")
    missing.unlink()
    assert set(verify_blobs(store)) == {res[0].photo_id, res[1].photo_id}
