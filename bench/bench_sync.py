"""Benchmark sync bundles against the plain work they do, measured in the same run.

    python bench/bench_sync.py [--photos 500] [--small 100] [--pg-bundles 50] [--pg-url URL] [--tmp DIR]

Makes realistic 12 MP JPEGs (4000×3000, quality 90, gradients plus noise, ~5 MB, real EXIF; the generator of
``bench_photo_import.py``), files them as evidence of one inspection on a laptop store, then measures:

  baseline E: read every photo + SHA-256 + copy into one file + one fsync (what an export must at least do);
  baseline I: read every photo + SHA-256 + copy into its own file + fsync each (what an import must at least do);
  export:     ``bundle export`` of everything (zip, hashes, signature, fsync, rename, and the re-read check);
  import:     ``bundle import`` into an office store (every check, blobs durable, rows, audit events).

Export and import run in child processes; their peak memory is the child's VmHWM (peak RSS), at two bundle
sizes to show it does not grow with the bundle. The target is export and import at no less than half the
baseline's MB/s and peak memory under 300 MB.

With a PostgreSQL URL (``--pg-url`` or ``INSPECT_APP_TEST_PG_URL``) it also imports ``--pg-bundles`` bundles of
different sizes from as many laptops into one office database and fits time = a + b · size: the import time
should grow linearly with the bundle size, and not with the number of bundles already in the database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

PASS = "bench passphrase"
MB = 1024 * 1024


def peak_rss_mb() -> float:
    """Return this process's peak resident set (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- stores ----------------------------------------------------------------------------------------------------


def make_office(root: Path, db_url: str | None = None) -> tuple[Any, Path]:
    from inspect_app.models.store import open_store
    from inspect_app.services.identity import (
        create_device_identity,
        create_office_ca,
        export_request,
        import_device_certificate,
        issue_device_certificate,
    )
    from inspect_app.services.settings import set_setting

    store = open_store(root / "office", db_url, lock=db_url is None)
    with store.transaction() as s:
        set_setting(s, "role", "office")
    create_device_identity(store, common_name="市淘汰落后办", organisation="郑州市工业和信息化局", passphrase=PASS)
    ca = root / "ca"
    create_office_ca(ca, name="郑州市淘汰落后产能工作领导小组办公室", passphrase=PASS)
    import_device_certificate(store, issue_device_certificate(ca, export_request(store, PASS), passphrase=PASS), PASS)
    return store, ca


def make_laptop(root: Path, office: Any, ca: Path, name: str) -> Any:
    from inspect_app.crypto.ca import load_ca
    from inspect_app.models.store import open_store
    from inspect_app.services.identity import (
        create_device_identity,
        export_request,
        import_device_certificate,
    )
    from inspect_app.sync.devices import register_device

    store = open_store(root / name)
    create_device_identity(store, common_name=name, organisation="登封市工业和信息化局", passphrase=PASS)
    with office.transaction() as s:
        _view, issued = register_device(s, pem=export_request(store, PASS), ca=load_ca(ca, PASS))
    import_device_certificate(store, issued, PASS)
    return store


def file_photos(store: Any, photos: list[Path], serial: int) -> None:
    """Register an enterprise and an inspection, and file ``photos`` as its evidence (blobs durable, rows)."""
    from inspect_app import rules
    from inspect_app.evidence.blobstore import BlobStore
    from inspect_app.models.audit import record_event
    from inspect_app.models.base import utcnow
    from inspect_app.models.evidence import Photo
    from inspect_app.services import casework
    from inspect_app.services.enterprises import add_equipment, register_enterprise

    with store.transaction() as s:
        ent = register_enterprise(s, name=f"某水泥有限公司{serial}", uscc=rules.make_uscc("410185", 2000 + serial),
                                  region="登封市", sector="水泥")
        eq = add_equipment(s, enterprise_id=ent.id, name="回转窑", capacity="30", unit="万吨/年")
        insp = casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=[eq.id], planned_on=date(2021, 10, 26))
    blobs = BlobStore(store.blob_root)
    rows = []
    for path in photos:
        data = path.read_bytes()
        sha = blobs.put_bytes(data)
        rows.append(Photo(inspection_id=insp.id, stage="before", sha256=sha, size=len(data), width=4000, height=3000,
                          format="JPEG", original_name=path.name, imported_at=utcnow()))
    with store.transaction() as s:
        s.add_all(rows)
        s.flush()
        record_event(s, action="photo.import", entity=("inspection", insp.id), detail={"photos": len(rows)})


# --- baselines ---------------------------------------------------------------------------------------------


def baseline_one_file(sources: list[Path], out: Path) -> float:
    """Read + hash + copy every source into one file, one fsync; return seconds."""
    started = time.perf_counter()
    with out.open("wb") as dst:
        for src in sources:
            digest = hashlib.sha256()
            with src.open("rb") as fh:
                while chunk := fh.read(MB):
                    digest.update(chunk)
                    dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return time.perf_counter() - started


def baseline_many_files(sources: list[Path], folder: Path) -> float:
    """Read + hash + copy every source into its own file with an fsync each; return seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for i, src in enumerate(sources):
        digest = hashlib.sha256()
        with src.open("rb") as fh, (folder / f"{i:05d}").open("wb") as dst:
            while chunk := fh.read(MB):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    return time.perf_counter() - started


# --- child phases (peak memory is theirs alone) -------------------------------------------------------------


def phase_export(data_dir: str, out: str) -> dict[str, Any]:
    from inspect_app.models.store import open_store
    from inspect_app.services.identity import load_device_identity
    from inspect_app.sync.export import export_bundle

    store = open_store(data_dir)
    try:
        identity = load_device_identity(store, PASS)
        started = time.perf_counter()
        result = export_bundle(store, identity, Path(out), full=True)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    return {"seconds": seconds, "bytes": result.blob_bytes, "size": result.size, "peak_mb": peak_rss_mb(),
            "path": str(result.path)}


def phase_import(data_dir: str, bundle: str, db_url: str | None = None) -> dict[str, Any]:
    from inspect_app.models.store import open_store
    from inspect_app.sync.importer import import_bundle

    store = open_store(data_dir, db_url, lock=db_url is None)
    try:
        started = time.perf_counter()
        report = import_bundle(store, Path(bundle))
        seconds = time.perf_counter() - started
    finally:
        store.close()
    assert report.status == "applied", report.message
    return {"seconds": seconds, "bytes": report.blob_bytes, "peak_mb": peak_rss_mb(), "records": report.added}


def run_phase(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"phase {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- the run -----------------------------------------------------------------------------------------------------


def make_photo_files(folder: Path, count: int) -> list[Path]:
    from bench_photo_import import exif_app1, make_base

    bases = [make_base(seed) for seed in range(4)]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        base = bases[i % len(bases)]
        path = folder / f"IMG_{i:05d}.JPG"
        path.write_bytes(base[:2] + exif_app1(i) + base[2:])
        paths.append(path)
    return paths


def rate(n_bytes: int, seconds: float) -> float:
    return n_bytes / MB / seconds if seconds > 0 else float("inf")


def bench_size(root: Path, photos: list[Path], label: str) -> dict[str, Any]:
    from inspect_app.models.store import open_store

    work = root / label
    work.mkdir()
    office, ca = make_office(work)
    laptop = make_laptop(work, office, ca, "laptop")
    file_photos(laptop, photos, 1)
    laptop_dir, office_dir = str(laptop.data_dir), str(office.data_dir)
    laptop.close()
    office.close()
    blob_paths = sorted((Path(laptop_dir) / "blobs" / "originals").rglob("*"))
    blob_paths = [p for p in blob_paths if p.is_file()]
    total = sum(p.stat().st_size for p in blob_paths)
    base_e = baseline_one_file(blob_paths, work / "baseline-one.bin")
    (work / "baseline-one.bin").unlink()
    exported = run_phase("export", laptop_dir, str(work / "bundle.icb"))
    base_i = baseline_many_files(blob_paths, work / "baseline-many")
    shutil.rmtree(work / "baseline-many")
    imported = run_phase("import", office_dir, exported["path"])
    check = open_store(office_dir)
    check.close()
    out = {"photos": len(photos), "bytes": total, "baseline_export_mbs": rate(total, base_e),
           "export_mbs": rate(total, exported["seconds"]), "export_s": exported["seconds"],
           "export_peak_mb": exported["peak_mb"], "bundle_size": exported["size"],
           "baseline_import_mbs": rate(total, base_i), "import_mbs": rate(total, imported["seconds"]),
           "import_s": imported["seconds"], "import_peak_mb": imported["peak_mb"]}
    shutil.rmtree(work)
    return out


def bench_pg(root: Path, photos: list[Path], url: str, bundles: int) -> dict[str, Any]:
    """Import ``bundles`` bundles of 1..10 photos from as many laptops into one PostgreSQL office."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from inspect_app.services.identity import load_device_identity
    from inspect_app.sync.export import export_bundle

    name = f"bench_{os.getpid()}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    work = root / "pg"
    work.mkdir()
    try:
        office, ca = make_office(work, db_url)
        (work / "inbox").mkdir()
        paths: list[Path] = []
        cursor = 0
        for i in range(bundles):
            count = 1 + (i * 7) % 10
            chosen = [photos[(cursor + k) % len(photos)] for k in range(count)]
            cursor += count
            laptop = make_laptop(work, office, ca, f"laptop{i:02d}")
            unique = work / f"src{i:02d}"
            unique.mkdir()
            own = []
            for k, src in enumerate(chosen):  # every laptop's photos are its own bytes
                dst = unique / f"{k:03d}-{src.name}"
                dst.write_bytes(src.read_bytes() + f"{i}-{k}".encode())
                own.append(dst)
            file_photos(laptop, own, 100 + i)
            identity = load_device_identity(laptop, PASS)
            paths.append(export_bundle(laptop, identity, work / "inbox").path)
            laptop.close()
            shutil.rmtree(unique)
        office_dir = str(office.data_dir)
        office.close()
        rows = []
        for path in paths:
            got = run_phase("import", office_dir, str(path), db_url)
            rows.append((path.stat().st_size, got["seconds"], got["peak_mb"]))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    n = len(rows)
    xs = [r[0] / MB for r in rows]
    ys = [r[1] for r in rows]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    ss_res = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys)
    fifth = max(1, n // 5)
    first, last = rows[:fifth], rows[-fifth:]
    per_mb = lambda part: sum(r[1] for r in part) / (sum(r[0] for r in part) / MB)  # noqa: E731
    return {"bundles": n, "total_mb": sum(xs), "total_s": sum(ys), "slope_s_per_mb": slope,
            "intercept_s": intercept, "r2": 1 - ss_res / ss_tot if ss_tot else 1.0,
            "first_fifth_s_per_mb": per_mb(first), "last_fifth_s_per_mb": per_mb(last),
            "peak_mb": max(r[2] for r in rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--small", type=int, default=100, help="a second, smaller bundle (memory must not grow)")
    parser.add_argument("--pg-bundles", type=int, default=50)
    parser.add_argument("--pg-url", default=os.environ.get("INSPECT_APP_TEST_PG_URL", ""))
    parser.add_argument("--tmp", help="work folder (needs ~4× the photos' size free)")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        result = phase_export(*rest) if name == "export" else phase_import(*rest)
        print(json.dumps(result))
        return
    root = Path(tempfile.mkdtemp(prefix="bench-sync-", dir=args.tmp))
    try:
        started = time.perf_counter()
        photos = make_photo_files(root / "photos", args.photos)
        size = sum(p.stat().st_size for p in photos)
        print(f"{len(photos)} photos, {size / MB:.0f} MB ({size / len(photos) / MB:.1f} MB each), "
              f"made in {time.perf_counter() - started:.0f} s")
        results = [bench_size(root, photos, f"n{args.photos}")]
        if args.small:
            results.append(bench_size(root, photos[: args.small], f"n{args.small}"))
        print()
        print(f"{'photos':>7} {'MB':>7} {'base E':>8} {'export':>8} {'ratio':>6} {'peak':>6}   "
              f"{'base I':>8} {'import':>8} {'ratio':>6} {'peak':>6}")
        for r in results:
            print(f"{r['photos']:>7} {r['bytes'] / MB:>7.0f} {r['baseline_export_mbs']:>6.0f}/s {r['export_mbs']:>6.0f}/s "
                  f"{r['export_mbs'] / r['baseline_export_mbs']:>6.2f} {r['export_peak_mb']:>4.0f}MB   "
                  f"{r['baseline_import_mbs']:>6.0f}/s {r['import_mbs']:>6.0f}/s "
                  f"{r['import_mbs'] / r['baseline_import_mbs']:>6.2f} {r['import_peak_mb']:>4.0f}MB")
        print("(MB/s of photo bytes; export includes the re-read check, from the medium where the page cache can be "
              "dropped; peak = child VmHWM)")
        print("load average (1/5/15 min) at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg())
              + "  (2 shared cores: compare ratios within one run)")
        ok = all(r["export_mbs"] >= 0.5 * r["baseline_export_mbs"] and r["import_mbs"] >= 0.5 * r["baseline_import_mbs"]
                 and max(r["export_peak_mb"], r["import_peak_mb"]) < 300 for r in results)
        print(f"target (≥ half the baseline, < 300 MB): {'met' if ok else 'NOT met'}")
        if args.pg_url and args.pg_bundles:
            pg = bench_pg(root, photos, args.pg_url, args.pg_bundles)
            print()
            print(f"PostgreSQL office: {pg['bundles']} bundles, {pg['total_mb']:.0f} MB in {pg['total_s']:.1f} s "
                  f"({pg['total_mb'] / pg['total_s']:.0f} MB/s), peak {pg['peak_mb']:.0f} MB")
            print(f"  time = {pg['intercept_s']:.2f} s + {pg['slope_s_per_mb'] * 1000:.1f} ms/MB · size   "
                  f"(R² = {pg['r2']:.3f})")
            print(f"  first fifth {pg['first_fifth_s_per_mb'] * 1000:.1f} ms/MB, last fifth "
                  f"{pg['last_fifth_s_per_mb'] * 1000:.1f} ms/MB (no slowdown as the database fills)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
