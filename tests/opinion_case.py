"""A finished inspection ready for an acceptance opinion, on a real store: enterprise, equipment, finding, exit
plan, inspection and photos in the blob store. Shared by the opinion tests (service, command line, window)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from inspect_app import rules
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.images import make_derivatives
from inspect_app.models import Inspection, Photo
from inspect_app.models.audit import record_event
from inspect_app.models.base import utcnow
from inspect_app.models.store import Store
from inspect_app.services import casework, enterprises
from inspect_app.services.opinions import SignOff
from tests.pdf_fixtures import photo_jpeg_bytes

PASS = "验收口令 correct horse"
TODAY = dt.date(2021, 10, 28)
SITE = (34.4610, 113.0840)
TEAM = [
    {"name": "王建国", "organisation": "郑州市工业和信息化局", "title": "科长"},
    {"name": "李红梅", "organisation": "郑州市发展和改革委员会", "title": "主任科员"},
]


@dataclasses.dataclass
class Case:
    """One enterprise with its equipment and a (finished) inspection."""

    enterprise_id: str
    uscc: str
    name: str
    equipment_ids: list[str]
    inspection_id: str


_SERIAL = iter(range(100, 100_000))


def make_case(
    store: Store,
    *,
    finish: bool = True,
    photos_per_stage: int = 1,
    stages: tuple[str, ...] = ("before", "during", "after"),
    flags: list[dict[str, Any]] | None = None,
    equipment: int = 1,
    team: list[dict[str, str]] | None = None,
    checklist: dict[str, Any] | None = None,
    photo_size: tuple[int, int] = (640, 480),
    method: str = "dismantle",
) -> Case:
    """Register a cement enterprise, its equipment (dismantled, exit plan 拆除), a finding, an inspection
    and photos in the blob store (with report images); ``flags`` go on the first photo. ``method="seal"``:
    the equipment is sealed (封存) instead, with the sealing checklist answered."""
    serial = next(_SERIAL)
    uscc = rules.make_uscc("410185", serial)
    name = f"登封市中岳水泥有限公司{serial}"
    with store.transaction() as s:
        ent = enterprises.register_enterprise(s, name=name, uscc=uscc, region="410185", address="登封市卢店镇",
                                              lat=SITE[0], lon=SITE[1], contact_name="赵经理")
    eq_ids: list[str] = []
    for i in range(equipment):
        with store.transaction() as s:
            eq = enterprises.add_equipment(s, enterprise_id=ent.id, name=f"Φ2.2×6.5m 水泥磨{i + 1}号",
                                           capacity="20", unit="万吨/年", sector="cement", model="Φ2.2×6.5m",
                                           quantity=2)
        with store.transaction() as s:
            casework.record_finding(s, equipment_id=eq.id, aspect="technology", found_on=dt.date(2021, 3, 5),
                                    basis="Φ2.2m 水泥磨属《产业结构调整指导目录》淘汰类装备。", today=TODAY)
        with store.transaction() as s:
            casework.plan_exit(s, equipment_id=eq.id, year=2021, method=method,
                               target_date=dt.date(2021, 10, 31))
        for status in (("sealed",) if method == "seal" else ("dismantling", "dismantled")):
            with store.transaction() as s:
                enterprises.set_equipment_status(s, eq.id, status)
        eq_ids.append(eq.id)
    with store.transaction() as s:
        insp = casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=eq_ids,
                                        planned_on=dt.date(2021, 10, 26), team=team if team is not None else TEAM)
    with store.transaction() as s:
        casework.record_inspection(
            s, insp.id, visited_on=dt.date(2021, 10, 26), location_text="企业生产厂区",
            checklist=checklist if checklist is not None else SEALED_CHECKLIST if method == "seal" else {
                "dismantled": {"result": "yes", "note": "两台水泥磨主机已拆除"},
                "not_relocated": {"result": "yes", "note": ""},
                "water_cut": {"result": "yes", "note": ""},
            },
            finish=finish and bool(team if team is not None else TEAM), today=TODAY)
    seed = serial * 100
    first = True
    for eq_id in eq_ids:
        for stage in stages:
            for _ in range(photos_per_stage):
                seed += 1
                add_photo(store, insp.id, eq_id, stage, seed, flags=flags if first else None, size=photo_size)
                first = False
    return Case(ent.id, uscc, name, eq_ids, insp.id)


SEALED_CHECKLIST: dict[str, Any] = {
    code: {"result": "yes", "note": note} for code, note in (
        ("water_cut", ""), ("power_cut", "供电部门已拆除进线"), ("power_units_removed", "电机、减速机已拆除"),
        ("sealed", "磨机进出料口焊封，贴封条"), ("public_commitment", "企业已签署不再恢复生产承诺书"),
        ("portal_notice", "已在登封市政府门户网站公告"), ("not_relocated", ""))
}


def add_photo(store: Store, inspection_id: str, equipment_id: str | None, stage: str, seed: int, *,
              flags: list[dict[str, Any]] | None = None, size: tuple[int, int] = (640, 480)) -> str:
    """Put a photo-like JPEG into the blob store (original + report image + thumb) and insert its Photo row."""
    raw = photo_jpeg_bytes(seed, size)
    blobs = BlobStore(store.blob_root)
    sha = blobs.put_bytes(raw)
    derived = make_derivatives(raw)
    assert derived.report_jpeg is not None
    blobs.put_derived("report", sha, derived.report_jpeg)
    blobs.put_derived("thumb", sha, derived.thumb_jpeg)
    with store.transaction() as s:
        photo = Photo(
            inspection_id=inspection_id, equipment_id=equipment_id, stage=stage, sha256=sha, size=len(raw),
            width=derived.width, height=derived.height, format="JPEG",
            taken_at=dt.datetime(2021, 10, 26, 1, 30, tzinfo=dt.UTC) + dt.timedelta(minutes=seed % 50),
            taken_at_local="2021-10-26 09:30:00", taken_at_source="exif",
            lat=SITE[0] + 0.0003, lon=SITE[1], imported_by="tester", imported_at=utcnow(),
            original_name=f"IMG_{seed}.jpg", caption="", flags=list(flags or []),
        )
        s.add(photo)
        s.flush()
        record_event(s, action="photo.import", entity=photo, detail={"sha256": sha})
    return sha


UNSIGNED_REASON = "在外地出差，未能到场签字"
FAIL_REASON = "主体设备未拆除，仅断电停用"


def signoff_for(store: Store, inspection_id: str, conclusion: str = "pass", **kw: Any) -> SignOff:
    """A complete sign-off for issuing without drawn signatures: every member of the inspection's team marked
    未签 with a reason, a reason for a fail or recheck and a recheck deadline, a dismantling deadline for
    sealed equipment (``kw`` overrides)."""
    with store.reader() as s:
        team = s.get(Inspection, inspection_id).team or []  # type: ignore[union-attr]
    # a sealed exit's dismantling deadline (ignored by the service for equipment that is not sealed)
    values: dict[str, Any] = {"unsigned": {str(m["name"]): UNSIGNED_REASON for m in team},
                              "dismantle_by": max(TODAY, dt.date.today()) + dt.timedelta(days=180)}
    if conclusion != "pass":
        values["reasons"] = (FAIL_REASON,)
    if conclusion == "recheck":
        values["recheck_by"] = TODAY + dt.timedelta(days=30)
    values.update(kw)
    return SignOff(**values)


def signoff_args(conclusion: str = "pass", team: list[dict[str, str]] | None = None) -> list[str]:
    """The same sign-off as command-line arguments of ``opinion issue`` (for ``team``, the default TEAM)."""
    out = [f"--unsigned={m['name']}={UNSIGNED_REASON}" for m in (team if team is not None else TEAM)]
    if conclusion != "pass":
        out.append(f"--reason={FAIL_REASON}")
    if conclusion == "recheck":
        out.append(f"--recheck-by={(TODAY + dt.timedelta(days=30)).isoformat()}")
    return out
