"""Benchmark the photo import against the bare limit of its work and a naive baseline, in one run.

    python bench/bench_photo_import.py [--count 60] [--workers 2] [--naive-count 10] [--memory-run 1000]

Makes realistic 12 MP (4000×3000) JPEGs at quality 90 (~4.8 MB, smooth gradients plus noise, real EXIF with
DateTimeOriginal, GPS, Make/Model, Orientation) in a temp dir, then measures:

  (a) the bare limit: read + SHA-256 + durable copy to a store + one draft decode to 1600 and 256 px JPEGs,
      on a plain ``multiprocessing.Pool``;
  (b) ``ingest_files`` (EXIF, checks, phash, atomic blob store, our own pool);
  (c) a naive baseline: full decode, one process, on a subset;
  (d) the command line end to end: ``inspect-app photos import`` in a fresh process on a fresh store (start-up,
      store, workers, one row + audit event + flags per photo, the recheck of flags after the batch), against (a)
      measured in the same run; then where the difference goes: start-up (the same command on an empty folder),
      and, in-process, the time in rows + audit + flags and in the recheck after the batch. ``--repeat N``
      repeats (a) and (d) alternately and reports medians.

Peak memory is the largest sum of VmRSS over this process and all its descendants, sampled every 20 ms
(shared pages of forked children are counted in each: an upper bound).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageChops, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.pipeline import expand_paths, ingest_files
from inspect_app.models.store import open_store
from inspect_app.rules import make_uscc
from inspect_app.services import casework, enterprises
from inspect_app.services import photos as photo_service

WIDTH, HEIGHT = 4000, 3000
NOISE_SIGMA = 13


# -- making photos -----------------------------------------------------------------------------------------


def make_base(seed: int) -> bytes:
    """Return a 12 MP photo-like JPEG at quality 90 without EXIF."""
    chans = []
    for rot in (0, 90, 45):
        g = Image.linear_gradient("L").rotate(rot + seed * 37, resample=Image.Resampling.BILINEAR)
        chans.append(g.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR))
    img = Image.merge("RGB", chans)
    noise = Image.effect_noise((WIDTH, HEIGHT), NOISE_SIGMA).convert("RGB")
    img = ImageChops.add(img, noise, scale=1.0, offset=-128)
    out = BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def exif_app1(i: int) -> bytes:
    """Return an APP1 EXIF segment that differs per photo (so every photo hashes differently)."""
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"
    exif[0x0110] = "ELS-AN00"
    exif[0x0112] = (1, 1, 1, 6, 1, 8)[i % 6]
    sub = exif.get_ifd(0x8769)
    minute, second = divmod(i, 60)
    sub[0x9003] = f"2021:05:03 {9 + minute // 60:02d}:{minute % 60:02d}:{second:02d}"
    sub[0x9011] = "+08:00"
    sub[0xA420] = f"{i:032x}"  # ImageUniqueID
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (34.0, 44.0, 47.76 + i / 1000)
    gps[3], gps[4] = "E", (113.0, 37.0, 31.08)
    body = exif.tobytes()  # Pillow puts the "Exif" header in front itself
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def make_photos(folder: Path, count: int, bases: list[bytes]) -> list[Path]:
    """Write ``count`` camera-card-like files (DCIM/100HUAWEI/IMG_xxxx.JPG), cheaply varied from ``bases``."""
    card = folder / "DCIM" / "100HUAWEI"
    card.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        base = bases[i % len(bases)]
        (card / f"IMG_{i:05d}.JPG").write_bytes(base[:2] + exif_app1(i) + base[2:])
    return expand_paths([folder])


# -- (a) the bare limit ------------------------------------------------------------------------------------


def _durable_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def bare_one(task: tuple[str, str]) -> int:
    """Read, hash, store durably, draft-decode once to 1600 and 256 px JPEGs: the least the import must do."""
    path, store = task
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    _durable_write(Path(store) / "o" / digest, data)
    img = Image.open(BytesIO(data))
    img.draft("RGB", (1600, 1200))
    report = img.resize((1600, 1200), Image.Resampling.BILINEAR)
    thumb = report.resize((256, 192), Image.Resampling.BICUBIC, reducing_gap=2.0)
    for name, im in (("r", report), ("t", thumb)):
        out = BytesIO()
        im.save(out, "JPEG", quality=80)
        _durable_write(Path(store) / name / digest, out.getvalue())
    return len(data)


def naive_one(path: Path, store: Path) -> None:
    """Full decode in one process, the way a first version would do it."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    (store / digest).write_bytes(data)
    img = ImageOps.exif_transpose(Image.open(BytesIO(data)))
    report = img.copy()
    report.thumbnail((1600, 1600), Image.Resampling.LANCZOS)
    report.save(store / f"{digest}.r.jpg", quality=85)
    thumb = img.copy()
    thumb.thumbnail((256, 256), Image.Resampling.LANCZOS)
    thumb.save(store / f"{digest}.t.jpg", quality=85)


# -- memory --------------------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeRss:
    """Sample the summed RSS of this process tree in a background thread; keep the peak."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak_kb = 0
        self.peak_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids, todo = [], [os.getpid()]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(_children(pid))
            total = sum(_rss_kb(p) for p in pids)
            if total > self.peak_kb:
                self.peak_kb, self.peak_procs = total, len(pids)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeRss:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


# -- main ----------------------------------------------------------------------------------------------------


def run_ingest(paths: list[Path], store: Path, workers: int) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    ok = refused = 0
    for result in ingest_files(paths, BlobStore(store), workers=workers):
        if result.status == "ok":
            ok += 1
        else:
            refused += 1
            print("  refused:", result.path.name, result.code, result.message)
    return time.perf_counter() - t0, ok, refused


def run_bare(photos: list[Path], store: Path, workers: int) -> float:
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    t0 = time.perf_counter()
    with ctx.Pool(workers) as pool:
        for _ in pool.imap_unordered(bare_one, [(str(p), str(store)) for p in photos], chunksize=1):
            pass
    return time.perf_counter() - t0


def make_store(data: Path) -> str:
    """Create a store with one enterprise, one equipment item and a planned inspection; return its id."""
    with open_store(data) as store:
        with store.transaction() as s:
            ent = enterprises.register_enterprise(s, name="登封市基准测试水泥有限公司", uscc=make_uscc("410185", 77),
                                                  region="410185", lat=34.746, lon=113.626)
        with store.transaction() as s:
            eq = enterprises.add_equipment(s, enterprise_id=ent.id, name="1号水泥磨", capacity="20", unit="万吨/年",
                                           sector="cement")
        with store.transaction() as s:
            return casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=[eq.id],
                                            planned_on=__import__("datetime").date(2021, 5, 3)).id


def run_cli_import(data: Path, inspection: str, folder: Path) -> tuple[float, list[dict[str, object]]]:
    """Time ``inspect-app --json photos import`` in a fresh process (what a user or a script runs)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    argv = [sys.executable, "-m", "inspect_app", "--data-dir", str(data), "--json", "photos", "import",
            "--inspection", inspection, "--stage", "before", str(folder)]
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"photos import failed: {proc.stderr}")
    return elapsed, json.loads(proc.stdout) if proc.stdout.strip() else []


def split_in_process(data: Path, inspection: str, folder: Path, workers: int) -> dict[str, float]:
    """Import in this process with timers around the row step and the recheck: where the time goes."""
    spent = {"rows": 0.0, "recheck": 0.0}
    store_one, reflag = photo_service._store_one, photo_service._reflag_after_batch

    def timed(key: str, fn: object) -> object:
        def wrapper(*a: object, **k: object) -> object:
            t = time.perf_counter()
            try:
                return fn(*a, **k)  # type: ignore[operator]
            finally:
                spent[key] += time.perf_counter() - t
        return wrapper

    photo_service._store_one = timed("rows", store_one)  # type: ignore[assignment]
    photo_service._reflag_after_batch = timed("recheck", reflag)  # type: ignore[assignment]
    try:
        with open_store(data) as store:
            t0 = time.perf_counter()
            photo_service.import_photos(store, inspection_id=inspection, stage="before", paths=[folder],
                                        workers=workers)
            spent["total"] = time.perf_counter() - t0
    finally:
        photo_service._store_one, photo_service._reflag_after_batch = store_one, reflag  # type: ignore[assignment]
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="photos for the speed runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bases", type=int, default=4, help="distinct base images to vary from")
    parser.add_argument("--naive-count", type=int, default=10)
    parser.add_argument("--memory-run", type=int, default=0, metavar="N", help="also import N photos and report peak RSS")
    parser.add_argument("--dir", type=Path, default=None, help="work dir (default: a temp dir, removed after)")
    parser.add_argument("--repeat", type=int, default=1, help="repeat (a) and (d) alternately, report medians")
    parser.add_argument("--cli-only", action="store_true", help="only (a) against (d) and the split")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-photos-", dir=args.dir))
    try:
        t0 = time.perf_counter()
        bases = [make_base(s) for s in range(args.bases)]
        photos = make_photos(work / "card", args.count, bases)
        total_mb = sum(p.stat().st_size for p in photos) / 1e6
        print(
            f"made {len(photos)} photos of {WIDTH}x{HEIGHT}, {total_mb / len(photos):.2f} MB each on average, "
            f"in {time.perf_counter() - t0:.1f} s"
        )

        if args.cli_only:
            cli_versus_bare(work, photos, args)
            return
        with TreeRss() as mem_a:
            time_a = run_bare(photos, work / "store-a", args.workers)
        rate_a = len(photos) / time_a

        with TreeRss() as mem_b:
            time_b, ok, refused = run_ingest(photos, work / "store-b", args.workers)
        rate_b = len(photos) / time_b

        subset = photos[: args.naive_count]
        (work / "store-c").mkdir()
        t0 = time.perf_counter()
        for p in subset:
            naive_one(p, work / "store-c")
        rate_c = len(subset) / (time.perf_counter() - t0)

        report_sizes = [p.stat().st_size for p in (work / "store-b" / "report").rglob("*.jpg")]
        avg_report = sum(report_sizes) / max(1, len(report_sizes))
        print(f"(a) bare limit, {args.workers} processes : {rate_a:6.1f} photos/s   peak RSS {mem_a.peak_kb / 1024:6.0f} MB")
        print(
            f"(b) ingest_files, {args.workers} workers   : {rate_b:6.1f} photos/s   peak RSS {mem_b.peak_kb / 1024:6.0f} MB"
            f"   ({ok} ok, {refused} refused)"
        )
        print(f"(c) naive, full decode, 1 proc : {rate_c:6.1f} photos/s   ({len(subset)} photos)")
        print(f"(b)/(a) = {rate_b / rate_a:.0%}   (b)/(c) = {rate_b / rate_c:.1f}x   targets: (b) >= 12/s and >= 80 % of (a)")
        print(f"report JPEG average {avg_report / 1024:.0f} KB -> 24 in a PDF ~ {24 * avg_report / 1e6:.1f} MB")
        cli_versus_bare(work, photos, args)

        if args.memory_run:
            shutil.rmtree(work / "store-a")
            shutil.rmtree(work / "store-b")
            shutil.rmtree(work / "card")
            many = make_photos(work / "card-big", args.memory_run, bases)
            with TreeRss() as mem_m:
                time_m, ok, refused = run_ingest(many, work / "store-m", args.workers)
            print(
                f"memory run: {len(many)} photos in {time_m:.0f} s ({len(many) / time_m:.1f}/s), {ok} ok, {refused} refused, "
                f"peak RSS of the process tree {mem_m.peak_kb / 1024:.0f} MB over {mem_m.peak_procs} processes "
                f"(parent VmHWM {_hwm_kb() / 1024:.0f} MB)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cli_versus_bare(work: Path, photos: list[Path], args: argparse.Namespace) -> None:
    """(d): the command line end to end against (a), alternately, then where the difference goes."""
    card = work / "card"
    bare_times: list[float] = []
    cli_times: list[float] = []
    for n in range(args.repeat):
        shutil.rmtree(work / "store-a", ignore_errors=True)
        bare_times.append(run_bare(photos, work / "store-a", args.workers))
        data = work / f"data-{n}"
        inspection = make_store(data)
        elapsed, report = run_cli_import(data, inspection, card)
        imported = sum(1 for r in report if r.get("status") == "imported")
        if imported != len(photos):
            raise SystemExit(f"the command imported {imported} of {len(photos)} photos")
        cli_times.append(elapsed)
        shutil.rmtree(data)
    bare, cli = statistics.median(bare_times), statistics.median(cli_times)
    print(f"(a) bare limit            : {len(photos) / bare:6.1f} photos/s  ({bare:.2f} s, median of {args.repeat})")
    print(f"(d) CLI photos import     : {len(photos) / cli:6.1f} photos/s  ({cli:.2f} s, median of {args.repeat})")
    print(f"(d)/(a) = {bare / cli:.2f}x   target >= 0.90x   runs (a): {' '.join(f'{t:.2f}' for t in bare_times)}"
          f"   (d): {' '.join(f'{t:.2f}' for t in cli_times)}")

    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    data = work / "data-split"
    inspection = make_store(data)
    startup = statistics.median(run_cli_import(data, inspection, empty)[0] for _ in range(3))
    spent = split_in_process(data, inspection, card, args.workers)
    per = 1000 / len(photos)
    pipeline = spent["total"] - spent["rows"] - spent["recheck"]
    print(f"where (d) goes: start-up + open + exit (empty folder) {startup:.2f} s; in-process import {spent['total']:.2f} s ="
          f" workers and waiting {pipeline:.2f} s + rows/audit/flags {spent['rows']:.2f} s ({spent['rows'] * per:.1f} ms"
          f" a photo, on the parent while the workers run) + recheck after the batch {spent['recheck']:.2f} s")


def _hwm_kb() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    main()
