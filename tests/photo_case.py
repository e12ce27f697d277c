"""An inspection ready for photo evidence, and JPEGs with real EXIF to import: shared by the photo tests (service,
command line, window, capture, crash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from inspect_app.models.store import Store
from inspect_app.rules import make_uscc
from inspect_app.services import casework, enterprises
from tests.evidence_fixtures import jpeg_bytes, make_exif, pattern_image

SITE = (34.5410, 113.4210)
NEAR = (34.5412, 113.4213)
FAR = (34.5860, 113.4210)  # ~5 km north of the site
NOW = datetime(2021, 5, 10, 12, 0, tzinfo=UTC)
TODAY = date(2021, 5, 10)


@dataclass(frozen=True)
class Case:
    enterprise_id: str
    equipment_id: str
    inspection_id: str


def make_case(store: Store, serial: int, *, site: tuple[float, float] = SITE, items: int = 1) -> Case:
    """Register an enterprise with equipment, a finding on 2021-03-01 and an inspection planned 2021-05-05."""
    with store.transaction() as s:
        ent = enterprises.register_enterprise(s, name=f"新密市测试{serial}号钢铁有限公司", uscc=make_uscc("410183", serial),
                                              region="410183", address="新密市来集镇", lat=site[0], lon=site[1])
    eq_ids = []
    for n in range(items):
        with store.transaction() as s:
            eq_ids.append(enterprises.add_equipment(s, enterprise_id=ent.id, name=f"{n + 1}号中频炉", capacity="12",
                                                    unit="万吨/年", sector="steel").id)
    with store.transaction() as s:
        casework.record_finding(s, equipment_id=eq_ids[0], aspect="energy", found_on=date(2021, 3, 1), today=TODAY)
    with store.transaction() as s:
        insp = casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=eq_ids, planned_on=date(2021, 5, 5))
    return Case(ent.id, eq_ids[0], insp.id)


def shot(seed: int, taken: str | None, gps: tuple[float, float] | None = NEAR, *, software: str | None = None,
         size: tuple[int, int] = (96, 72), quality: int = 90) -> bytes:
    """Return a distinct JPEG (per seed) with the given capture time and position."""
    exif = make_exif(taken=taken, gps=gps, software=software) if taken or gps or software else None
    return jpeg_bytes(pattern_image(seed, size), exif=exif, quality=quality)


def write(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        out.append(folder / name)
    return out
