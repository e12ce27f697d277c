"""Reference data: regions, sectors, aspects and exit methods (shipped ones seeded by the store on first open)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.models import Aspect, ExitMethod, Region, Sector
from inspect_app.models.audit import record_event


@dataclass(frozen=True)
class RefItem:
    """A reference entry as plain data."""

    id: str
    code: str
    name: str


def find_region(session: Session, text: str) -> Region:
    """Return the live region named by code or Chinese name; refuse an unknown one."""
    key = text.strip()
    region = session.scalars(
        select(Region).where(Region.deleted_at.is_(None), or_(Region.code == key, Region.name == key))
    ).first()
    if region is None:
        raise UserError(Msg("未知的行政区划：{key}", key=key), code="E_REGION_UNKNOWN", details={"region": key})
    return region


def find_sector(session: Session, text: str) -> Sector:
    """Return the live sector named by code or Chinese name; refuse an unknown one."""
    key = text.strip()
    sector = session.scalars(
        select(Sector).where(Sector.deleted_at.is_(None), or_(Sector.code == key, Sector.name == key))
    ).first()
    if sector is None:
        raise UserError(Msg("未知的行业：{key}", key=key), code="E_SECTOR_UNKNOWN", details={"sector": key})
    return sector


def find_aspect(session: Session, text: str) -> Aspect:
    """Return the aspect named by code (energy …) or Chinese name (能耗 …)."""
    key = text.strip()
    aspect = session.scalars(select(Aspect).where(or_(Aspect.code == key, Aspect.name == key))).first()
    if aspect is None:
        raise UserError(
            Msg("未知的认定方面：{key}（可选：能耗/energy、环保/environment、质量/quality、安全/safety、技术/technology）", key=key),
            code="E_ASPECT_UNKNOWN",
        )
    return aspect


def find_exit_method(session: Session, text: str) -> ExitMethod:
    """Return the exit method named by code or Chinese name."""
    key = text.strip()
    method = session.scalars(select(ExitMethod).where(or_(ExitMethod.code == key, ExitMethod.name == key))).first()
    if method is None:
        raise UserError(Msg("未知的退出方式：{key}", key=key), code="E_EXIT_METHOD_UNKNOWN")
    return method


def list_regions(session: Session) -> list[RefItem]:
    """Return the live regions in their shipped order."""
    rows = session.scalars(select(Region).where(Region.deleted_at.is_(None)).order_by(Region.sort, Region.code))
    return [RefItem(r.id, r.code, r.name) for r in rows]


def list_sectors(session: Session) -> list[RefItem]:
    """Return the live sectors in order."""
    rows = session.scalars(select(Sector).where(Sector.deleted_at.is_(None)).order_by(Sector.sort, Sector.code))
    return [RefItem(s.id, s.code, s.name) for s in rows]


def add_sector(session: Session, *, code: str, name: str, units: list[str]) -> RefItem:
    """Add a sector the shipped list lacks (the office's own reference data)."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise UserError(Msg("行业代码和名称不能为空"), code="E_INVALID")
    clash = session.scalars(select(Sector).where(or_(Sector.code == code, Sector.name == name))).first()
    if clash is not None:
        raise UserError(Msg("行业已存在：{name}（{code}）", name=clash.name, code=clash.code), code="E_SECTOR_EXISTS")
    sector = Sector(code=code, name=name, units=units, sort=100)
    session.add(sector)
    record_event(session, action="sector.add", entity=sector, detail={"code": code, "name": name})
    return RefItem(sector.id, code, name)


def add_region(session: Session, *, code: str, name: str, level: str, parent: str | None) -> RefItem:
    """Add a region (e.g. a new development zone)."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise UserError(Msg("区划代码和名称不能为空"), code="E_INVALID")
    clash = session.scalars(select(Region).where(Region.code == code)).first()
    if clash is not None:
        raise UserError(Msg("区划代码已存在：{name}（{code}）", name=clash.name, code=code), code="E_REGION_EXISTS")
    parent_code = find_region(session, parent).code if parent else None
    region = Region(code=code, name=name, level=level, parent_code=parent_code, sort=1000)
    session.add(region)
    record_event(session, action="region.add", entity=region, detail={"code": code, "name": name})
    return RefItem(region.id, code, name)
