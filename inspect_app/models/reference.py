"""The shipped reference data (regions, sectors, aspects, exit methods): part of the schema, seeded on first open.

The catalogues live in ``resources/reference/*.json``; ``Store`` adds what the database lacks when it is opened
(``load_reference``), with an audit event, so a new store is usable at once. The office's own additions are use
cases (``services.reference``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app.models.audit import record_event
from inspect_app.models.entities import Aspect, ExitMethod, Region, Sector
from inspect_app.resources import load_json

# Shipped entries get the same id on every store (from their table and code) and the empty clock stamp: every
# laptop and the office start from the same rows, so sync has nothing to send until someone edits one.
_SHIPPED = uuid.UUID("6f1c2f55-3f4e-5b8e-9a37-2d9f0f6d1a10")


def _shipped(table: str, code: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid5(_SHIPPED, f"{table}:{code}")), "hlc": "", "hlc_fields": {"c": ""}}


def load_reference(session: Session) -> int:
    """Add the shipped reference entries the store lacks (by code); return how many were added."""
    added = 0
    have_regions = set(session.scalars(select(Region.code)))
    for i, r in enumerate(load_json("reference", "regions.json")["regions"]):
        if r["code"] not in have_regions:
            session.add(Region(code=r["code"], name=r["name"], level=r["level"], parent_code=r["parent"], sort=i,
                               **_shipped("region", r["code"])))
            added += 1
    have_sectors = set(session.scalars(select(Sector.code)))
    for s in load_json("reference", "sectors.json")["sectors"]:
        if s["code"] not in have_sectors:
            session.add(Sector(code=s["code"], name=s["name"], units=s["units"], sort=s["sort"],
                               **_shipped("sector", s["code"])))
            added += 1
    have_aspects = set(session.scalars(select(Aspect.code)))
    for a in load_json("reference", "aspects.json")["aspects"]:
        if a["code"] not in have_aspects:
            session.add(Aspect(code=a["code"], name=a["name"], lead_departments=a["lead_departments"], sort=a["sort"],
                               **_shipped("aspect", a["code"])))
            added += 1
    have_methods = set(session.scalars(select(ExitMethod.code)))
    for m in load_json("reference", "exit_methods.json")["exit_methods"]:
        if m["code"] not in have_methods:
            session.add(ExitMethod(code=m["code"], name=m["name"], sort=m["sort"], **_shipped("exit_method", m["code"])))
            added += 1
    if added:
        record_event(session, action="reference.load", entity=("reference", "shipped"), detail={"added": added})
    return added
