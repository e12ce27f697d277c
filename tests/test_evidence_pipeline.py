"""The import pipeline end to end with real files, real worker processes, cancels and crashes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from inspect_app.errors import Cancelled
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.exif import BudgetExceeded, time_budget
from inspect_app.evidence.pipeline import MAX_FILE_BYTES, Ingest, IngestResult, expand_paths, ingest_files
from tests.evidence_fixtures import (
    bomb_png,
    crafted_tiff,
    fake_heic_bytes,
    jpeg_bytes,
    jpeg_with_app1,
    make_exif,
    pattern_image,
    png_bytes,
    text_as_jpg,
    tiff_bytes,
    truncated_jpeg,
)

ROOT = Path(__file__).resolve().parents[1]


def _good(i: int, size: tuple[int, int] = (160, 120)) -> bytes:
    return jpeg_bytes(pattern_image(i, size), exif=make_exif(gps=(34.7 + i / 1000, 113.6)))


def _store_snapshot(store: BlobStore) -> dict[str, int]:
    return {str(p.relative_to(store.root)): p.stat().st_mtime_ns for p in store.root.rglob("*") if p.is_file()}


def _check_store_whole(store: BlobStore) -> list[str]:
    hashes = list(store.iter_hashes())
    assert list(store.iter_temp_files()) == []
    for h in hashes:
        assert store.verify(h), h
    return hashes


@pytest.fixture
def mixed_batch(tmp_path: Path) -> tuple[list[Path], dict[str, str | None]]:
    folder = tmp_path / "in"
    folder.mkdir()
    files: dict[str, tuple[bytes, str | None]] = {
        "good1.jpg": (_good(1), None),
        "good2.jpg": (_good(2), None),
        "empty.jpg": (b"", "E_PHOTO_EMPTY"),
        "text.jpg": (text_as_jpg(), "E_PHOTO_NOT_IMAGE"),
        "cut.jpg": (truncated_jpeg(), "E_PHOTO_CORRUPT"),
        "phone.heic": (fake_heic_bytes(), "E_PHOTO_UNSUPPORTED"),
        "bomb.png": (bomb_png(), "E_PHOTO_TOO_LARGE"),
        "scan.png": (png_bytes(), None),
        "scan.tif": (tiff_bytes(), None),
        "badexif.jpg": (jpeg_with_app1(crafted_tiff("ifd_cycle")), None),
        "zeroden.jpg": (jpeg_with_app1(crafted_tiff("zero_den")), None),
    }
    for name, (data, _code) in files.items():
        (folder / name).write_bytes(data)
    huge = folder / "huge.jpg"
    with huge.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: refused on its size, never read
    expected = {name: code for name, (_data, code) in files.items()} | {"huge.jpg": "E_PHOTO_TOO_LARGE"}
    return expand_paths([folder]), expected


def test_mixed_batch_each_file_gets_its_result(tmp_path: Path, mixed_batch: tuple[list[Path], dict[str, str | None]]) -> None:
    paths, expected = mixed_batch
    store = BlobStore(tmp_path / "store")
    seen_progress: list[tuple[int, int]] = []
    results = list(ingest_files(paths, store, workers=2, progress=lambda d, t, _n: seen_progress.append((d, t))))
    by_name = {r.path.name: r for r in results}
    assert sorted(by_name) == sorted(expected)
    for name, code in expected.items():
        r = by_name[name]
        if code is None:
            assert (r.status, r.code) == ("ok", None), (name, r)
            assert r.sha256 is not None and store.verify(r.sha256)
            assert store.has_derived("thumb", r.sha256) and store.has_derived("report", r.sha256)
            assert r.width and r.height and r.phash is not None and r.facts is not None
        else:
            assert (r.status, r.code) == ("refused", code), (name, r)
            assert r.message
            assert r.sha256 is None or not store.has(r.sha256)
    assert by_name["good1.jpg"].facts is not None and by_name["good1.jpg"].facts.gps_lat == pytest.approx(34.701)
    assert by_name["good1.jpg"].file_mtime == pytest.approx((tmp_path / "in" / "good1.jpg").stat().st_mtime)
    assert seen_progress[-1] == (len(expected), len(expected))
    assert [d for d, _t in seen_progress] == list(range(1, len(expected) + 1))
    ok_hashes = sorted(r.sha256 for r in results if r.status == "ok" and r.sha256)
    assert _check_store_whole(store) == ok_hashes


def test_rerun_gives_same_hashes_and_writes_nothing(tmp_path: Path, mixed_batch: tuple[list[Path], dict[str, str | None]]) -> None:
    paths, _expected = mixed_batch
    store = BlobStore(tmp_path / "store")
    first = {r.path.name: (r.status, r.sha256, r.phash) for r in ingest_files(paths, store, workers=2)}
    snapshot = _store_snapshot(store)
    second = {r.path.name: (r.status, r.sha256, r.phash) for r in ingest_files(paths, store, workers=2)}
    assert first == second
    assert _store_snapshot(store) == snapshot


def test_cancel_part_way_leaves_only_complete_blobs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"IMG_{i:04d}.JPG").write_bytes(_good(i, (800, 600)))
    store = BlobStore(tmp_path / "store")
    got: list[IngestResult] = []
    with pytest.raises(Cancelled):
        for r in ingest_files(expand_paths([folder]), store, workers=2, cancel=lambda: len(got) >= 2):
            got.append(r)
    assert 2 <= len(got) < 12
    assert all(r.status == "ok" for r in got)
    hashes = _check_store_whole(store)
    assert sorted(r.sha256 for r in got if r.sha256) == hashes
    for h in hashes:
        assert store.has_derived("thumb", h) and store.has_derived("report", h)


def test_killed_worker_costs_one_photo_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"IMG_{i:04d}.JPG").write_bytes(_good(i))
    store = BlobStore(tmp_path / "store")
    killed: list[int] = []

    def progress(done: int, _total: int, _name: str) -> None:
        if done != 1:
            return
        # The only worker is idle now: freeze it so the next photo is sent to it, then kill it.
        (worker,) = [p for p in multiprocessing.active_children() if p.pid is not None and p.is_alive()][:1]
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGSTOP)
        killed.append(worker.pid)
        threading.Timer(0.3, os.kill, (worker.pid, signal.SIGKILL)).start()

    results = list(ingest_files(expand_paths([folder]), store, workers=1, progress=progress, mp_context="spawn"))
    assert killed
    codes = [r.code for r in results]
    assert codes.count("E_PHOTO_WORKER_CRASHED") == 1
    assert codes.count(None) == 4
    crashed = next(r for r in results if r.code)
    assert crashed.message and crashed.status == "refused"
    _check_store_whole(store)


def test_hard_deadline_kills_a_slow_worker(tmp_path: Path) -> None:
    # A big enough photo and a deadline far below its decode time: the parent must kill and move on.
    slow = tmp_path / "slow.jpg"
    slow.write_bytes(jpeg_bytes(pattern_image(1, (4000, 3000)), quality=95))
    fast = tmp_path / "fast.jpg"
    fast.write_bytes(_good(3))
    store = BlobStore(tmp_path / "store")
    results = {r.path.name: r for r in ingest_files([slow, fast], store, workers=1, hard_deadline=0.001)}
    assert results["slow.jpg"].code == "E_PHOTO_TIMEOUT"
    assert results["fast.jpg"].code in (None, "E_PHOTO_TIMEOUT")


def test_spawn_start_method_works(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(_good(1))
    (tmp_path / "b.jpg").write_bytes(b"")
    results = {r.path.name: r.code for r in ingest_files(expand_paths([tmp_path]), BlobStore(tmp_path / "s"), mp_context="spawn")}
    assert results == {"a.jpg": None, "b.jpg": "E_PHOTO_EMPTY"}


def test_empty_batch() -> None:
    assert list(ingest_files([], BlobStore(Path("/nonexistent-store")))) == []


def test_time_budget_interrupts_a_python_loop() -> None:
    if not hasattr(signal, "setitimer"):
        pytest.skip("no SIGALRM on this platform")
    start = time.monotonic()
    with pytest.raises(BudgetExceeded), time_budget(0.2):
        while True:
            pass
    assert time.monotonic() - start < 2
    # The timer is disarmed afterwards.
    time.sleep(0.3)


def test_expand_paths_walks_a_camera_card(tmp_path: Path) -> None:
    card = tmp_path / "card"
    (card / "DCIM" / "101HUAWEI").mkdir(parents=True)
    (card / "DCIM" / "100HUAWEI").mkdir(parents=True)
    (card / ".Trashes").mkdir()
    (card / "System Volume Information").mkdir()
    for rel in [
        "DCIM/100HUAWEI/IMG_0002.JPG",
        "DCIM/100HUAWEI/IMG_0001.jpg",
        "DCIM/101HUAWEI/IMG_0003.jpeg",
        "DCIM/100HUAWEI/scan.PNG",
        "DCIM/100HUAWEI/._IMG_0001.jpg",
        "DCIM/100HUAWEI/.hidden.jpg",
        "DCIM/100HUAWEI/notes.txt",
        "DCIM/100HUAWEI/video.MP4",
        ".Trashes/old.jpg",
        "System Volume Information/x.jpg",
    ]:
        (card / rel).write_bytes(b"x")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(b"x")
    os.symlink(outside, card / "DCIM" / "link")
    os.symlink(outside / "secret.jpg", card / "DCIM" / "100HUAWEI" / "linked.jpg")
    explicit = tmp_path / "named.dat"
    explicit.write_bytes(b"x")
    found = expand_paths([card, explicit, card / "DCIM" / "100HUAWEI" / "IMG_0001.jpg"])
    rel = [p.relative_to(tmp_path).as_posix() for p in found]
    assert rel == [
        "card/DCIM/100HUAWEI/IMG_0001.jpg",
        "card/DCIM/100HUAWEI/IMG_0002.JPG",
        "card/DCIM/100HUAWEI/scan.PNG",
        "card/DCIM/101HUAWEI/IMG_0003.jpeg",
        "named.dat",
    ]


_CRASH_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.pipeline import expand_paths, ingest_files
if __name__ == "__main__":
    for r in ingest_files(expand_paths([Path({folder!r})]), BlobStore(Path({store!r})), workers=2):
        print(r.status, flush=True)
"""


@pytest.mark.slow
def test_sigkill_part_way_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"IMG_{i:04d}.JPG").write_bytes(_good(i, (1600, 1200)))
    store = BlobStore(tmp_path / "store")
    script = tmp_path / "run.py"
    script.write_text(_CRASH_SCRIPT.format(root=str(ROOT), folder=str(folder), store=str(store.root)))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    for _ in range(5):
        assert proc.stdout.readline().strip() == "ok"
    # Power cut: the importer and all its workers die at once, wherever they are.
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.2)
    present = list(store.iter_hashes())
    assert 5 <= len(present) < 40
    for h in present:
        assert store.verify(h)  # what is there is complete
    store.remove_temp_files()
    results = list(ingest_files(expand_paths([folder]), store, workers=2))
    assert [r.code for r in results] == [None] * 40
    assert len(_check_store_whole(store)) == 40
    for h in store.iter_hashes():
        assert store.has_derived("thumb", h) and store.has_derived("report", h)


def test_a_staged_ingest_writes_nothing_to_the_store_until_released(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"p{i}.jpg").write_bytes(_good(40 + i))
    store = BlobStore(tmp_path / "blobs")
    early = Ingest(expand_paths([folder]), store, workers=2, staged=True)
    time.sleep(1.0)  # the workers have done (some of) the photos by now, into the staging folder
    assert list(store.iter_hashes()) == []
    early.close()  # never released: refused
    assert not (store.root / ".staging").exists() and list(store.iter_hashes()) == []

    ingest = Ingest(expand_paths([folder]), store, workers=2, staged=True)
    time.sleep(1.0)
    results = list(ingest.results())
    ingest.close()
    assert [r.status for r in results] == ["ok"] * 4 and not any(r.staged for r in results)
    assert sorted(_check_store_whole(store)) == sorted(r.sha256 for r in results)
    for r in results:
        assert r.sha256 is not None and store.has_derived("thumb", r.sha256) and store.has_derived("report", r.sha256)
    assert not (store.root / ".staging").exists()
