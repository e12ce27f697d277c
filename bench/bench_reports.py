"""Benchmark: every office report over a whole province, on SQLite and on PostgreSQL.

Run:  python bench/bench_reports.py                       (SQLite in a temp folder)
      python bench/bench_reports.py --pg                  (also PostgreSQL: a private throw-away server, as dev.py)
      python bench/bench_reports.py --pg-url postgresql+psycopg://…   (an existing, empty database)

The generated province: 20,000 enterprises over every region of the reference data, 60,000 equipment items in
the seven sectors with findings, exit plans for a third of them, cards, the environment department's listings,
inspections of the exited items with 200,000 photos' rows and pass opinions for the accepted ones. It is
bulk-inserted with Core (seconds, not minutes). Each report is then built from the store and rendered in each
format; the figures are the wall time of ``export_report`` (query + render + atomic write) per report and format.
The target is under 5 s for each.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from inspect_app import rules  # noqa: E402
from inspect_app.models import (  # noqa: E402
    Aspect,
    Card,
    Enterprise,
    EnvListing,
    Equipment,
    ExitPlan,
    Finding,
    Inspection,
    InspectionEquipment,
    Region,
    Sector,
    new_id,
)
from inspect_app.models.evidence import Photo  # noqa: E402
from inspect_app.models.opinions import AcceptanceOpinion  # noqa: E402
from inspect_app.models.store import Store, open_store  # noqa: E402
from inspect_app.services.reports import REPORT_KINDS, ReportFilters, export_report  # noqa: E402

YEAR = 2021
TODAY = date(2021, 10, 28)
CHUNK = 5000
STATUS_WEIGHTS = {"identified": 30, "rectifying": 10, "yellow_card": 5, "red_card": 2, "closed": 5, "sealed": 8,
                  "dismantling": 5, "dismantled": 15, "accepted": 15, "rectified": 5}


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i:i + CHUNK]


def generate(store: Store, *, enterprises: int = 20_000, per_enterprise: int = 3, photos: int = 200_000,
             seed: int = 2021) -> dict[str, int]:
    """Bulk-insert a province's worth of records (Core inserts, one transaction per table)."""
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    common = {"created_at": now, "updated_at": now, "version": 1, "origin_device": store.device_id}
    with store.reader() as s:
        regions = [(rid, code) for rid, code, level in s.execute(select(Region.id, Region.code, Region.level))
                   if level != "province"]
        sectors = [(sid, units[0]) for sid, units in s.execute(select(Sector.id, Sector.units))]
        aspects = [(aid, code) for aid, code in s.execute(select(Aspect.id, Aspect.code))]
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    ent_rows, eq_rows, finding_rows, plan_rows, card_rows, env_rows = [], [], [], [], [], []
    insp_rows, link_rows, photo_rows, opinion_rows = [], [], [], []
    serial = 0
    for i in range(enterprises):
        region_id, code = regions[i % len(regions)]
        division = code if len(code) == 6 and code.isdigit() else "410100"
        sector_id, unit = sectors[i % len(sectors)]
        ent_id = new_id()
        ent_rows.append({"id": ent_id, "uscc": rules.make_uscc(division, 200_000 + i), "name": f"测试企业{i:05d}有限公司",
                         "region_id": region_id, "sector_id": sector_id, "address": "", "contact_name": "",
                         "contact_phone": "", "status": "listed", "notes": "",
                         "established_on": date(1980 + i % 40, 1 + i % 12, 1 + i % 28), **common})
        for k in range(per_enterprise):
            eq_id = new_id()
            status = rnd.choices(statuses, weights)[0]
            exited = status in ("closed", "sealed", "dismantled", "accepted")
            exited_on = date(YEAR, rnd.randint(1, 10), rnd.randint(1, 28)) if exited else None
            if exited_on and exited_on > TODAY:
                exited_on = TODAY
            eq_rows.append({"id": eq_id, "enterprise_id": ent_id, "sector_id": sector_id, "name": f"主要设备{k + 1}",
                            "model": f"M-{rnd.randint(1, 999)}", "quantity": rnd.randint(1, 3),
                            "capacity": rnd.randint(1, 400) / 4, "unit": unit, "status": status, "notes": "",
                            "exited_on": exited_on, **common})
            aspect_id, aspect_code = rnd.choice(aspects)
            found = date(YEAR - rnd.randint(0, 1), rnd.randint(1, 12), rnd.randint(1, 28))
            deadline = rules.add_months(found, 6) if aspect_code in ("energy", "quality") else None
            finding_rows.append({"id": new_id(), "equipment_id": eq_id, "aspect_id": aspect_id, "basis": "",
                                 "found_on": found, "deadline": deadline, "extended_until": None,
                                 "extension_reason": "", "extended_on": None,
                                 "resolved_on": found + timedelta(days=90) if status == "rectified" else None,
                                 "outcome": "open", **common})
            if (i * per_enterprise + k) % 3 == 0 or exited:
                plan_rows.append({"id": new_id(), "equipment_id": eq_id, "year": YEAR,
                                  "method": "seal" if status == "sealed" else "dismantle",
                                  "target_date": date(YEAR, rnd.choice((6, 8, 9, 10)), 30), "notes": "", **common})
            if status in ("yellow_card", "red_card"):
                card_rows.append({"id": new_id(), "enterprise_id": ent_id, "equipment_id": eq_id, "finding_id": None,
                                  "color": "yellow" if status == "yellow_card" else "red",
                                  "issued_on": date(YEAR, rnd.randint(1, 9), rnd.randint(1, 28)),
                                  "reason": "不达标，限期整改", "lifted_on": None, "lift_reason": "", **common})
            if status in ("sealed", "dismantled", "accepted"):
                insp_id = new_id()
                visited = exited_on or TODAY
                insp_rows.append({"id": insp_id, "enterprise_id": ent_id, "status": "done", "planned_on": visited,
                                  "visited_on": visited, "arrived_at": None, "lat": None, "lon": None,
                                  "location_text": "", "team": [], "checklist": {}, "notes": "", **common})
                link_rows.append({"id": new_id(), "inspection_id": insp_id, "equipment_id": eq_id, **common})
                if status == "accepted":
                    serial += 1
                    opinion_rows.append({
                        "id": new_id(), "inspection_id": insp_id, "year": YEAR, "serial": serial,
                        "number": f"郑淘汰落后验〔{YEAR}〕{serial}号", "conclusion": "pass", "body": "", "checklist": {},
                        "equipment_ids": [eq_id], "team": [], "representative": {}, "issued_on": visited,
                        "acknowledgement": "", "evidence_sha256": [], "pdf_sha256": "", "signed_at": None,
                        "signer_name": "", "signer_fingerprint": "", "supersedes_id": None, **common})
        if i % 40 == 0:
            env_rows.append({"id": new_id(), "enterprise_id": ent_id, "kind": "over_limit",
                             "listed_on": date(YEAR, rnd.randint(1, 9), 15), "department": "生态环境局",
                             "pollutant": "颗粒物", "reason": "在线监测超标", "delisted_on": None, **common})
    stages = ("before", "during", "after")
    for n in range(photos):
        link = link_rows[n % len(link_rows)]
        photo_rows.append({"id": new_id(), "inspection_id": link["inspection_id"], "equipment_id": link["equipment_id"],
                           "stage": stages[n % 3], "sha256": f"{rnd.getrandbits(256):064x}", "size": 4_900_000,
                           "width": 4000, "height": 3000, "format": "JPEG", "imported_at": now, "exif": {},
                           "flags": [], "camera_make": "", "camera_model": "", "software": "", "phash": "",
                           "original_name": f"IMG_{n}.jpg", "imported_by": "bench", "source": "imported",
                           "caption": "", **common})
    counts = {}
    with store.engine.begin() as conn:
        for table, rows in ((Enterprise, ent_rows), (Equipment, eq_rows), (Finding, finding_rows),
                            (ExitPlan, plan_rows), (Card, card_rows), (EnvListing, env_rows),
                            (Inspection, insp_rows), (InspectionEquipment, link_rows), (Photo, photo_rows),
                            (AcceptanceOpinion, opinion_rows)):
            for part in _chunks(rows):
                conn.execute(insert(table.__table__), part)  # type: ignore[attr-defined]
            counts[table.__tablename__] = len(rows)
    # The planner's statistics, gathered once the rows are committed and committed themselves: an ANALYZE in a
    # connection that is closed without a commit is rolled back on PostgreSQL (the reports then ran on guesses).
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return counts


def measure(store: Store, out_dir: Path, *, rounds: int) -> list[tuple[str, str, float, float, int, int, float]]:
    """Export every report in every format ``rounds`` times; return the best wall time of each."""
    results = []
    for kind in REPORT_KINDS:
        for fmt in ("xlsx", "pdf", "csv"):
            best, build, size, rows, cpu = float("inf"), 0.0, 0, 0, 0.0
            for r in range(rounds):
                out = out_dir / f"{kind}-{r}.{fmt}"
                started, cpu_started = time.perf_counter(), time.process_time()
                result = export_report(store, kind, ReportFilters(year=YEAR), out, overwrite=True, today=TODAY)
                took = time.perf_counter() - started
                if took < best:
                    best, build, size, rows = took, result.build_seconds, result.bytes, result.rows
                    cpu = time.process_time() - cpu_started
            results.append((kind, fmt, best, build, size, rows, cpu))
            print(f"  {kind} {fmt}: {best:.2f} s (CPU {cpu:.2f} s)", flush=True)
    return results


def run(label: str, store: Store, args: argparse.Namespace) -> None:
    with store.reader() as s:
        have = s.scalar(select(func.count()).select_from(Enterprise)) or 0
    if have:
        print(f"\n== {label}: reusing the {have:,} enterprises already in the store", flush=True)
    else:
        started = time.perf_counter()
        counts = generate(store, enterprises=args.enterprises, photos=args.photos)
        print(f"\n== {label}: generated in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(store, Path(tmp), rounds=args.rounds)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{'report':<12} {'format':<6} {'total s':>8} {'query s':>8} {'CPU s':>7} {'rows':>7} {'bytes':>11}"
          f"  (best of {args.rounds}; load average {load:.1f} on {os.cpu_count()} cores)")
    worst = 0.0
    for kind, fmt, best, build, size, rows, cpu in results:
        worst = max(worst, best)
        flag = "" if best < 5 else "  OVER 5 s"
        print(f"{kind:<12} {fmt:<6} {best:>8.2f} {build:>8.2f} {cpu:>7.2f} {rows:>7,} {size:>11,}{flag}")
    print(f"slowest: {worst:.2f} s ({'under' if worst < 5 else 'OVER'} the 5 s target)")


@contextlib.contextmanager
def private_postgres() -> Iterator[str]:
    sys.path.insert(0, str(ROOT))
    import dev

    with dev.postgres_for_tests() as url:
        if url is None:
            raise SystemExit("no PostgreSQL server could be started")
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pg", action="store_true", help="also on a private throw-away PostgreSQL server")
    parser.add_argument("--pg-url", help="also on this (empty) PostgreSQL database")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--photos", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", help="keep the SQLite store in this folder (and reuse it when it has data)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        if not args.no_sqlite:
            store = open_store(Path(args.keep) if args.keep else Path(tmp) / "sqlite")
            try:
                run("SQLite", store, args)
            finally:
                store.close()
        pg_url = args.pg_url
        with private_postgres() if (args.pg and not pg_url) else contextlib.nullcontext(pg_url) as url:
            if url:
                store = open_store(Path(tmp) / "pg", url)
                try:
                    run("PostgreSQL", store, args)
                finally:
                    store.close()


if __name__ == "__main__":
    main()
