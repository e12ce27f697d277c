"""The dashboard: the year's calendar, deadlines, counts by status, cards and capacity by sector."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app import rules
from inspect_app.models import Card, Enterprise, Equipment, ExitPlan, Finding, Sector
from inspect_app.services.settings import year_calendar


@dataclass(frozen=True)
class DeadlineItem:
    """An open finding's deadline, for the overdue and upcoming lists."""

    finding_id: str
    enterprise_id: str
    enterprise_name: str
    equipment_name: str
    aspect_label: str
    deadline: date
    days_left: int


@dataclass(frozen=True)
class SectorCapacity:
    """Capacity planned to exit and already exited in one sector, per unit."""

    sector: str
    unit: str
    planned: Decimal
    exited: Decimal


@dataclass
class Overview:
    """What the dashboard shows."""

    today: date
    milestones: list[rules.Milestone] = field(default_factory=list)
    overdue: list[DeadlineItem] = field(default_factory=list)
    upcoming: list[DeadlineItem] = field(default_factory=list)
    equipment_by_status: dict[str, int] = field(default_factory=dict)
    cards: dict[str, int] = field(default_factory=dict)
    capacity: list[SectorCapacity] = field(default_factory=list)
    enterprises: int = 0


EXITED = {rules.EquipmentStatus.DISMANTLED.value, rules.EquipmentStatus.ACCEPTED.value,
          rules.EquipmentStatus.SEALED.value, rules.EquipmentStatus.CLOSED.value}


def overview(session: Session, *, today: date | None = None, upcoming_days: int = rules.DUE_SOON_DAYS) -> Overview:
    """Return the dashboard figures for ``today``."""
    today = today or date.today()
    out = Overview(today=today)
    out.milestones = rules.calendar_milestones(year_calendar(session, today.year), today)
    for f_id, ent_id, ent_name, eq_name, aspect_name, deadline, extended in session.execute(
        select(Finding.id, Enterprise.id, Enterprise.name, Equipment.name, Finding.aspect_id, Finding.deadline,
               Finding.extended_until)
        .join(Equipment, Equipment.id == Finding.equipment_id)
        .join(Enterprise, Enterprise.id == Equipment.enterprise_id)
        .where(Finding.deleted_at.is_(None), Finding.resolved_on.is_(None), Finding.deadline.is_not(None),
               Enterprise.deleted_at.is_(None))
    ):
        if deadline is None:
            continue
        eff = rules.effective_deadline(deadline, extended)
        left = rules.days_left(eff, today)
        item = DeadlineItem(f_id, ent_id, ent_name, eq_name, aspect_name, eff, left)
        if left < 0:
            out.overdue.append(item)
        elif left <= upcoming_days:
            out.upcoming.append(item)
    from inspect_app.models import Aspect

    names: dict[str, str] = {row[0]: row[1] for row in session.execute(select(Aspect.id, Aspect.name))}
    out.overdue = sorted((_named(i, names) for i in out.overdue), key=lambda i: i.days_left)
    out.upcoming = sorted((_named(i, names) for i in out.upcoming), key=lambda i: i.days_left)
    statuses = Counter(session.scalars(select(Equipment.status).where(Equipment.deleted_at.is_(None))))
    out.equipment_by_status = {s.value: statuses.get(s.value, 0) for s in rules.EquipmentStatus}
    cards = Counter(session.scalars(select(Card.color).where(Card.deleted_at.is_(None), Card.lifted_on.is_(None))))
    out.cards = {"yellow": cards.get("yellow", 0), "red": cards.get("red", 0)}
    planned: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    exited: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for sector, unit, cap, status in session.execute(
        select(Sector.name, Equipment.unit, Equipment.capacity, Equipment.status)
        .join(Sector, Sector.id == Equipment.sector_id)
        .join(ExitPlan, ExitPlan.equipment_id == Equipment.id)
        .where(Equipment.deleted_at.is_(None), ExitPlan.deleted_at.is_(None), ExitPlan.year == today.year)
    ):
        planned[(sector, unit)] += Decimal(cap)
        if status in EXITED:
            exited[(sector, unit)] += Decimal(cap)
    out.capacity = [SectorCapacity(s, u, v, exited.get((s, u), Decimal(0))) for (s, u), v in sorted(planned.items())]
    out.enterprises = len(list(session.scalars(select(Enterprise.id).where(Enterprise.deleted_at.is_(None)))))
    return out


def _named(item: DeadlineItem, names: dict[str, str]) -> DeadlineItem:
    return DeadlineItem(item.finding_id, item.enterprise_id, item.enterprise_name, item.equipment_name,
                        names.get(item.aspect_label, item.aspect_label), item.deadline, item.days_left)
