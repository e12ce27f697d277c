"""Use cases for findings, extensions, cards, exit plans and inspections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from inspect_app import rules
from inspect_app.errors import NotFound, RuleViolation, UserError
from inspect_app.i18n import Label, Msg
from inspect_app.models import (
    Card,
    EnvListing,
    Equipment,
    ExitPlan,
    Finding,
    Inspection,
    InspectionEquipment,
)
from inspect_app.models.audit import record_event
from inspect_app.models.base import utcnow
from inspect_app.models.lookup import by_id_or_prefix
from inspect_app.rules.china_time import format_china
from inspect_app.rules.opinion_wording import DEFAULT_EXIT_METHOD
from inspect_app.rules.text import clean_text
from inspect_app.services.enterprises import (
    get_enterprise_row,
    get_equipment_row,
    move_status_if_allowed,
    refresh_enterprise_status,
)
from inspect_app.services.reference import find_aspect, find_exit_method

# --- plain data ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingView:
    """A finding with its deadline state."""

    id: str
    equipment_id: str
    enterprise_id: str
    aspect: str
    aspect_label: str
    basis: str
    found_on: date
    deadline: date | None
    extended_until: date | None
    effective_deadline: date | None
    resolved_on: date | None
    state: str


@dataclass(frozen=True)
class CardView:
    """A yellow or red card."""

    id: str
    enterprise_id: str
    equipment_id: str | None
    color: str
    color_label: str
    issued_on: date
    reason: str
    lifted_on: date | None


@dataclass(frozen=True)
class ExitPlanView:
    """A planned exit."""

    id: str
    equipment_id: str
    year: int
    method: str
    method_label: str
    target_date: date
    notes: str


@dataclass(frozen=True)
class InspectionView:
    """A site visit with its checklist."""

    id: str
    enterprise_id: str
    enterprise_name: str
    status: str
    planned_on: date | None
    visited_on: date | None
    arrived_at: datetime | None
    lat: float | None
    lon: float | None
    location_text: str
    team: list[dict[str, Any]]
    checklist: dict[str, dict[str, str]]
    equipment_ids: list[str]
    notes: str
    version: int
    gaps: list[str] = field(default_factory=list)
    assigned_device: str | None = None


def _finding_view(f: Finding, today: date) -> FindingView:
    eff = rules.effective_deadline(f.deadline, f.extended_until) if f.deadline else None
    if f.resolved_on is not None:
        state = rules.DeadlineState.RESOLVED.value
    elif eff is None:
        state = rules.DeadlineState.OK.value
    else:
        state = rules.deadline_state(eff, today, resolved=False).value
    return FindingView(
        id=f.id, equipment_id=f.equipment_id, enterprise_id=f.equipment.enterprise_id, aspect=f.aspect.code,
        aspect_label=f.aspect.name, basis=f.basis, found_on=f.found_on, deadline=f.deadline,
        extended_until=f.extended_until, effective_deadline=eff, resolved_on=f.resolved_on, state=state,
    )


def _card_view(c: Card) -> CardView:
    return CardView(id=c.id, enterprise_id=c.enterprise_id, equipment_id=c.equipment_id, color=c.color,
                    color_label=rules.CARD_LABELS[rules.CardColor(c.color)], issued_on=c.issued_on, reason=c.reason,
                    lifted_on=c.lifted_on)


def _inspection_view(i: Inspection) -> InspectionView:
    return InspectionView(
        id=i.id, enterprise_id=i.enterprise_id, enterprise_name=i.enterprise.name, status=i.status,
        planned_on=i.planned_on, visited_on=i.visited_on, arrived_at=i.arrived_at, lat=i.lat, lon=i.lon,
        location_text=i.location_text, team=list(i.team or []), checklist=dict(i.checklist or {}),
        equipment_ids=[item.equipment_id for item in i.items if item.deleted_at is None], notes=i.notes,
        version=i.version, assigned_device=i.assigned_device,
    )


def _get_finding(session: Session, finding_id: str) -> Finding:
    f = session.get(Finding, finding_id)
    if f is None or f.deleted_at is not None:
        raise NotFound(Msg("找不到认定记录：{finding_id}", finding_id=finding_id), code="E_FINDING_NOT_FOUND")
    return f


# --- findings ------------------------------------------------------------------------------------------------


def record_finding(session: Session, *, equipment_id: str, aspect: str, found_on: date, basis: str = "",
                   deadline: date | None = None, today: date | None = None) -> FindingView:
    """Record that equipment falls below a standard; the rectification deadline follows from the aspect.

    Energy and quality give 6 months from the finding; for other aspects the authority sets the time limit
    (``deadline``), or none applies (technology: the equipment must go).
    """
    today = today or date.today()
    eq = get_equipment_row(session, equipment_id)
    aspect_row = find_aspect(session, aspect)
    rule = rules.aspect_rule(aspect_row.code)
    if found_on > today:
        raise UserError(Msg("认定日期 {date} 晚于今天", date=found_on.isoformat()), code="E_DATE_FUTURE")
    if rule.rectification_months is not None:
        if deadline is not None:
            raise UserError(Msg("{name}方面的整改期限由规定确定（{rectification_months}个月），不能另行指定", name=Label(rule.name), rectification_months=rule.rectification_months),
                            code="E_DEADLINE_FIXED")
        deadline = rules.rectification_deadline(found_on, rule.rectification_months)
    elif deadline is not None and not rule.rectifiable:
        raise UserError(Msg("{name}方面属淘汰类，不设整改期限", name=Label(rule.name)), code="E_DEADLINE_NOT_APPLICABLE")
    elif deadline is not None and deadline <= found_on:
        raise UserError(Msg("整改期限须晚于认定日期"), code="E_DEADLINE_INVALID")
    finding = Finding(equipment_id=eq.id, aspect_id=aspect_row.id, basis=clean_text(basis, "basis"), found_on=found_on,
                      deadline=deadline)
    finding.aspect = aspect_row
    finding.equipment = eq
    session.add(finding)
    if rule.rectifiable:
        move_status_if_allowed(eq, rules.EquipmentStatus.RECTIFYING)
    refresh_enterprise_status(session, eq.enterprise)
    record_event(session, action="finding.record", entity=finding,
                 detail={"equipment": eq.id, "aspect": aspect_row.code, "deadline": deadline})
    return _finding_view(finding, today)


def extend_finding(session: Session, finding_id: str, *, until: date, reason: str = "",
                   today: date | None = None) -> FindingView:
    """Grant the one extension of at most 3 months, applied for before the deadline passes."""
    today = today or date.today()
    f = _get_finding(session, finding_id)
    rules.check_extension_allowed(f.aspect.code)
    if f.deadline is None:
        raise RuleViolation(Msg("该认定没有整改期限，无需延期"), code="E_EXTENSION_NOT_APPLICABLE")
    if f.resolved_on is not None:
        raise RuleViolation(Msg("该认定已办结，不能延期"), code="E_EXTENSION_RESOLVED")
    accepted = rules.check_extension(deadline=f.deadline, requested_until=until, today=today,
                                     already_extended=f.extended_until is not None)
    f.extended_until = accepted
    f.extended_on = today
    f.extension_reason = reason = clean_text(reason, "reason")
    record_event(session, action="finding.extend", entity=f, detail={"until": accepted, "reason": reason})
    return _finding_view(f, today)


def resolve_finding(session: Session, finding_id: str, *, on: date, outcome: str) -> FindingView:
    """Close a finding: ``rectified`` (meets the standard now) or ``exit`` (the capacity exits)."""
    if outcome not in ("rectified", "exit"):
        raise UserError(Msg("办结结果应为 rectified（整改达标）或 exit（退出）"), code="E_OUTCOME_INVALID")
    f = _get_finding(session, finding_id)
    if f.resolved_on is not None:
        raise RuleViolation(Msg("该认定已办结"), code="E_FINDING_RESOLVED")
    f.resolved_on = on
    f.outcome = outcome
    if outcome == "rectified":
        move_status_if_allowed(f.equipment, rules.EquipmentStatus.RECTIFIED)
        refresh_enterprise_status(session, f.equipment.enterprise)
    record_event(session, action="finding.resolve", entity=f, detail={"outcome": outcome, "on": on})
    return _finding_view(f, on)


def list_findings(session: Session, *, enterprise_id: str | None = None, open_only: bool = False,
                  today: date | None = None) -> list[FindingView]:
    """Return findings with their deadline state, soonest deadline first."""
    today = today or date.today()
    stmt = select(Finding).join(Equipment).where(Finding.deleted_at.is_(None))
    if enterprise_id:
        stmt = stmt.where(Equipment.enterprise_id == enterprise_id)
    if open_only:
        stmt = stmt.where(Finding.resolved_on.is_(None))
    views = [_finding_view(f, today) for f in session.scalars(stmt)]
    return sorted(views, key=lambda v: (v.effective_deadline or date.max, v.found_on))


# --- cards ---------------------------------------------------------------------------------------------------


def issue_card(session: Session, *, enterprise_id: str, color: str, issued_on: date, reason: str,
               equipment_id: str | None = None, finding_id: str | None = None) -> CardView:
    """Publish a yellow or red card; the equipment it names moves to the card's status."""
    try:
        card_color = rules.CardColor(color.strip().lower())
    except ValueError:
        names = {"黄牌": "yellow", "红牌": "red"}
        if color.strip() not in names:
            raise UserError(Msg("牌色应为 yellow/黄牌 或 red/红牌：{color}", color=color), code="E_CARD_COLOR") from None
        card_color = rules.CardColor(names[color.strip()])
    ent = get_enterprise_row(session, enterprise_id)
    reason = clean_text(reason, "reason", required=True, required_code="E_REASON_REQUIRED")
    eq: Equipment | None = None
    if equipment_id:
        eq = get_equipment_row(session, equipment_id)
        if eq.enterprise_id != ent.id:
            raise UserError(Msg("该设备不属于此企业"), code="E_EQUIPMENT_MISMATCH")
    active = session.scalars(select(Card).where(Card.enterprise_id == ent.id, Card.color == card_color.value,
                                                Card.lifted_on.is_(None), Card.deleted_at.is_(None),
                                                Card.equipment_id.is_(eq.id if eq else None)
                                                if eq is None else Card.equipment_id == eq.id)).first()
    if active is not None:
        raise RuleViolation(Msg("已有未撤销的{card}（{issued_on}）", card=Label(rules.CARD_LABELS[card_color]), issued_on=active.issued_on.isoformat()),
                            code="E_CARD_ACTIVE")
    if eq is not None:
        target = rules.EquipmentStatus.YELLOW_CARD if card_color == rules.CardColor.YELLOW else rules.EquipmentStatus.RED_CARD
        if eq.status != target.value:
            rules.check_equipment_move(eq.status, target.value)
            eq.status = target.value
    card = Card(enterprise_id=ent.id, equipment_id=eq.id if eq else None, finding_id=finding_id,
                color=card_color.value, issued_on=issued_on, reason=reason.strip())
    card.enterprise = ent
    session.add(card)
    refresh_enterprise_status(session, ent)
    record_event(session, action="card.issue", entity=card, detail={"color": card_color.value, "equipment": equipment_id})
    return _card_view(card)


def lift_card(session: Session, card_id: str, *, lifted_on: date, reason: str) -> CardView:
    """Lift (withdraw) a card, e.g. after rectification passed re-inspection."""
    card = session.get(Card, card_id)
    if card is None or card.deleted_at is not None:
        raise NotFound(Msg("找不到红黄牌记录：{card_id}", card_id=card_id), code="E_CARD_NOT_FOUND")
    if card.lifted_on is not None:
        raise RuleViolation(Msg("该牌已于 {date} 撤销", date=card.lifted_on.isoformat()), code="E_CARD_LIFTED")
    if lifted_on < card.issued_on:
        raise UserError(Msg("撤销日期早于亮牌日期"), code="E_DATE_INVALID")
    reason = clean_text(reason, "reason", required=True, required_code="E_REASON_REQUIRED")
    card.lifted_on = lifted_on
    card.lift_reason = reason.strip()
    record_event(session, action="card.lift", entity=card, detail={"reason": reason})
    return _card_view(card)


def list_cards(session: Session, *, enterprise_id: str | None = None, active_only: bool = False) -> list[CardView]:
    """Return cards, newest first."""
    stmt = select(Card).where(Card.deleted_at.is_(None)).order_by(Card.issued_on.desc())
    if enterprise_id:
        stmt = stmt.where(Card.enterprise_id == enterprise_id)
    if active_only:
        stmt = stmt.where(Card.lifted_on.is_(None))
    return [_card_view(c) for c in session.scalars(stmt)]


# --- the environment department's lists ----------------------------------------------------------------------

ENV_LISTING_LABELS = {"over_limit": "超标排放", "serious": "严重违法"}


@dataclass(frozen=True)
class EnvListingView:
    """An entry of the environment department's over-limit or serious-case list."""

    id: str
    enterprise_id: str
    kind: str
    kind_label: str
    listed_on: date
    department: str
    pollutant: str
    reason: str
    delisted_on: date | None


def record_env_listing(session: Session, *, enterprise_id: str, kind: str, listed_on: date, reason: str,
                       department: str = "", pollutant: str = "") -> EnvListingView:
    """Record that the environment department listed an enterprise (over-limit emissions or a serious case)."""
    key = kind.strip()
    key = {label: code for code, label in ENV_LISTING_LABELS.items()}.get(key, key)
    if key not in ENV_LISTING_LABELS:
        raise UserError(Msg("名单类别应为 over_limit/超标排放 或 serious/严重违法：{kind}", kind=kind), code="E_LISTING_KIND")
    if not reason.strip():
        raise UserError(Msg("请填写列入名单的理由"), code="E_REASON_REQUIRED")
    ent = get_enterprise_row(session, enterprise_id)
    row = EnvListing(enterprise_id=ent.id, kind=key, listed_on=listed_on, department=department.strip(),
                     pollutant=pollutant.strip(), reason=reason.strip())
    session.add(row)
    record_event(session, action="env_listing.record", entity=row, detail={"kind": key, "enterprise": ent.id})
    return EnvListingView(row.id, ent.id, key, ENV_LISTING_LABELS[key], listed_on, row.department, row.pollutant,
                          row.reason, None)


# --- exit plans ----------------------------------------------------------------------------------------------


def plan_exit(session: Session, *, equipment_id: str, year: int, method: str, target_date: date,
              notes: str = "") -> ExitPlanView:
    """Plan how and by when an equipment item exits."""
    eq = get_equipment_row(session, equipment_id)
    method_code = rules.parse_exit_method(method).value if method not in ("",) else method
    find_exit_method(session, method_code)
    if target_date.year != year:
        raise UserError(Msg("目标日期 {date} 不在计划年度 {year} 内", date=target_date.isoformat(), year=year), code="E_DATE_INVALID")
    existing = session.scalars(select(ExitPlan).where(ExitPlan.equipment_id == eq.id, ExitPlan.year == year,
                                                      ExitPlan.deleted_at.is_(None))).first()
    plan = existing or ExitPlan(equipment_id=eq.id, year=year)
    notes = clean_text(notes, "notes")
    plan.method, plan.target_date, plan.notes = method_code, target_date, notes
    if existing is None:
        session.add(plan)
    record_event(session, action="exit_plan.set", entity=plan, detail={"equipment": eq.id, "method": method_code})
    return ExitPlanView(plan.id, eq.id, year, method_code, rules.EXIT_METHOD_LABELS[rules.ExitMethod(method_code)],
                        target_date, notes)


def list_exit_plans(session: Session, *, enterprise_id: str | None = None) -> list[ExitPlanView]:
    """Return exit plans."""
    stmt = select(ExitPlan).join(Equipment, Equipment.id == ExitPlan.equipment_id).where(ExitPlan.deleted_at.is_(None))
    if enterprise_id:
        stmt = stmt.where(Equipment.enterprise_id == enterprise_id)
    return [ExitPlanView(p.id, p.equipment_id, p.year, p.method, rules.EXIT_METHOD_LABELS[rules.ExitMethod(p.method)],
                         p.target_date, p.notes) for p in session.scalars(stmt.order_by(ExitPlan.target_date))]


def exit_method(session: Session, equipment_id: str) -> rules.ExitMethod:
    """Return how an equipment item exits: its latest exit plan's method, dismantling without one.

    The checklist, the opinion and the evidence step all judge (and name the photo stages of) the equipment by it.
    """
    plan = session.scalars(
        select(ExitPlan)
        .where(ExitPlan.equipment_id == equipment_id, ExitPlan.deleted_at.is_(None))
        .order_by(ExitPlan.year.desc(), ExitPlan.updated_at.desc())
    ).first()
    try:
        return rules.ExitMethod(plan.method) if plan is not None else DEFAULT_EXIT_METHOD
    except ValueError:
        return DEFAULT_EXIT_METHOD


# --- inspections ---------------------------------------------------------------------------------------------


def _check_team(team: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for member in team:
        name = clean_text(member.get("name", ""), "person_name", required=True, required_code="E_TEAM_INVALID")
        out.append({"name": name, "organisation": clean_text(member.get("organisation", ""), "organisation"),
                    "title": clean_text(member.get("title", ""), "title")})
    return out


def _check_checklist(checklist: dict[str, Any]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    known = {item.code for item in rules.CHECKLIST}
    for code, entry in checklist.items():
        if code not in known:
            raise UserError(Msg("未知的核查项：{code}", code=code), code="E_CHECKLIST_INVALID")
        raw = entry.get("result", "") if isinstance(entry, dict) else entry
        result = rules.CHECKLIST_ANSWERS.get(str(raw).strip().lower())
        if result is None:
            raise UserError(Msg("核查项 {code} 的结果应为 yes/no/na（是/否/不适用）：{raw}", code=code, raw=raw), code="E_CHECKLIST_INVALID")
        note = clean_text(entry.get("note", ""), "check_note") if isinstance(entry, dict) else ""
        out[code] = {"result": result, "note": note}
    return out


def plan_inspection(session: Session, *, enterprise_id: str, equipment_ids: list[str], planned_on: date,
                    team: list[dict[str, Any]] | None = None, notes: str = "") -> InspectionView:
    """Plan a site visit for one or more equipment items of an enterprise."""
    ent = get_enterprise_row(session, enterprise_id)
    if not equipment_ids:
        equipment_ids = [e.id for e in ent.equipment if e.deleted_at is None]
    if not equipment_ids:
        raise UserError(Msg("该企业没有登记设备，无法安排核查"), code="E_NO_EQUIPMENT")
    insp = Inspection(enterprise_id=ent.id, status="planned", planned_on=planned_on, team=_check_team(team or []),
                      checklist={}, notes=notes)
    insp.enterprise = ent
    session.add(insp)
    for eq_id in dict.fromkeys(equipment_ids):
        eq = get_equipment_row(session, eq_id)
        if eq.enterprise_id != ent.id:
            raise UserError(Msg("设备 {equipment} 不属于企业 {enterprise}", equipment=eq.name, enterprise=ent.name), code="E_EQUIPMENT_MISMATCH")
        session.add(InspectionEquipment(inspection=insp, equipment=eq))
    session.flush()
    record_event(session, action="inspection.plan", entity=insp, detail={"equipment": list(equipment_ids)})
    return _inspection_view(insp)


def record_inspection(
    session: Session,
    inspection_id: str,
    *,
    visited_on: date | None = None,
    arrived_at: datetime | None = None,
    lat: float | None = None,
    lon: float | None = None,
    location_text: str | None = None,
    team: list[dict[str, Any]] | None = None,
    checklist: dict[str, Any] | None = None,
    notes: str | None = None,
    finish: bool = False,
    expected_version: int | None = None,
    today: date | None = None,
) -> InspectionView:
    """Save what was found on site (a draft, or finished with ``finish``)."""
    today = today or date.today()
    insp = get_inspection_row(session, inspection_id)
    if expected_version is not None and insp.version != expected_version:
        raise UserError(Msg("该核查记录已被修改，请刷新后重试"), code="E_STALE")
    if insp.status == "done":
        raise RuleViolation(Msg("核查已完成，不能再修改"), code="E_INSPECTION_DONE")
    if visited_on is not None:
        if visited_on > today:
            raise UserError(Msg("核查日期 {date} 晚于今天", date=visited_on.isoformat()), code="E_DATE_FUTURE")
        insp.visited_on = visited_on
    if arrived_at is not None:
        if arrived_at.tzinfo is None:
            raise UserError(Msg("到场时间缺少时区"), code="E_DATE_INVALID")
        if arrived_at > utcnow() + ARRIVAL_TOLERANCE:
            raise UserError(Msg("到场时间 {time}（北京时间）晚于当前时间", time=format_china(arrived_at)),
                            code="E_DATE_FUTURE")
        insp.arrived_at = arrived_at.astimezone(UTC)  # stored in UTC (the audit snapshot compares it as read back)
    if lat is not None or lon is not None:
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UserError(Msg("核查位置的经纬度无效"), code="E_LOCATION_INVALID")
        insp.lat, insp.lon = lat, lon
    if location_text is not None:
        insp.location_text = clean_text(location_text, "location")
    if team is not None:
        insp.team = _check_team(team)
    if checklist is not None:
        merged = dict(insp.checklist or {})
        merged.update(_check_checklist(checklist))
        insp.checklist = merged
    if notes is not None:
        insp.notes = clean_text(notes, "notes")
    if finish:
        if insp.visited_on is None:
            raise UserError(Msg("完成核查前请填写核查日期"), code="E_VISIT_DATE_REQUIRED")
        if not insp.team:
            raise UserError(Msg("完成核查前请填写验收组成员"), code="E_TEAM_REQUIRED")
        insp.status = "done"
    elif insp.status == "planned":
        insp.status = "draft"
    record_event(session, action="inspection.finish" if finish else "inspection.save", entity=insp,
                 detail={"checklist": sorted((checklist or {}).keys())})
    return _inspection_view(insp)


REOPEN_REASON_MAX = 500
ARRIVAL_TOLERANCE = timedelta(minutes=5)
"""A laptop clock a few minutes behind the inspector's phone is no reason to refuse an arrival time."""


def reopen_inspection(session: Session, inspection_id: str, *, reason: str) -> InspectionView:
    """Reopen a finished inspection so its record and evidence can be corrected; the reason is recorded.

    The way forward once an opinion was issued and the evidence must change: the opinion already issued stays
    as it is (signed, never edited); the reopened inspection is finished again and a new opinion supersedes it.
    """
    insp = get_inspection_row(session, inspection_id)
    text = reason.strip()
    if not text:
        raise UserError(Msg("请写明重新打开核查的原因"), code="E_REASON_REQUIRED")
    if len(text) > REOPEN_REASON_MAX:
        raise UserError(Msg("原因不能超过 {limit} 字", limit=REOPEN_REASON_MAX), code="E_REASON_TOO_LONG")
    if insp.status != "done":
        raise RuleViolation(Msg("只有已完成的核查才能重新打开"), code="E_INSPECTION_NOT_DONE")
    # Imported here: the casework lists would otherwise declare the evidence tables too (command start-up).
    from inspect_app.models.opinions import AcceptanceOpinion

    numbers = list(session.scalars(select(AcceptanceOpinion.number).where(
        AcceptanceOpinion.inspection_id == insp.id, AcceptanceOpinion.deleted_at.is_(None))
        .order_by(AcceptanceOpinion.number)))
    insp.status = "draft"
    record_event(session, action="inspection.reopen", entity=insp, detail={"reason": text, "opinions": numbers})
    return _inspection_view(insp)


def get_inspection_row(session: Session, inspection_id: str) -> Inspection:
    """Return the inspection row, by id or unique id prefix."""
    insp = by_id_or_prefix(session, Inspection, inspection_id)
    if insp is None:
        raise NotFound(Msg("找不到核查记录：{inspection_id}", inspection_id=inspection_id), code="E_INSPECTION_NOT_FOUND")
    return insp


def assign_inspection(session: Session, inspection_id: str, *, device: str | None) -> InspectionView:
    """Assign a site visit to an inspector's registered device (the office's assignment bundles carry it)."""
    from inspect_app.models.sync import SyncPeer

    insp = get_inspection_row(session, inspection_id)
    device_id: str | None = None
    if device:
        key = device.strip().lower()
        peers = list(session.scalars(select(SyncPeer).where(SyncPeer.device_id.startswith(key),
                                                            SyncPeer.status == "active").limit(2)))
        if len(peers) != 1:
            raise NotFound(Msg("没有登记该设备（或前缀不唯一）：{device}", device=device), code="E_DEVICE_UNKNOWN")
        device_id = peers[0].device_id
    insp.assigned_device = device_id
    record_event(session, action="inspection.assign", entity=insp, detail={"device": device_id})
    return _inspection_view(insp)


def get_inspection(session: Session, inspection_id: str) -> InspectionView:
    """Return one inspection."""
    return _inspection_view(get_inspection_row(session, inspection_id))


def list_inspections(session: Session, *, enterprise_id: str | None = None, status: str | None = None) -> list[InspectionView]:
    """Return inspections, latest first."""
    # The enterprise (name) and the items of every row in two more queries, not two per row.
    stmt = (select(Inspection).where(Inspection.deleted_at.is_(None))
            .options(joinedload(Inspection.enterprise), selectinload(Inspection.items)))
    if enterprise_id:
        stmt = stmt.where(Inspection.enterprise_id == enterprise_id)
    if status:
        stmt = stmt.where(Inspection.status == status)
    rows = list(session.scalars(stmt))
    rows.sort(key=lambda i: (i.visited_on or i.planned_on or date.min), reverse=True)
    return [_inspection_view(i) for i in rows]
