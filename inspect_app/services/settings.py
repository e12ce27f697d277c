"""Store-wide settings: the year's calendar, the office's name, the document number pattern, radius."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app import rules
from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.models import Setting, YearCalendarRow
from inspect_app.models.audit import record_event
from inspect_app.rules.opinion_wording import DEFAULT_PLAN_CITATIONS, PlanCitation
from inspect_app.rules.text import clean_text

DEFAULTS: dict[str, Any] = {
    "office_name": "郑州市淘汰落后产能工作领导小组办公室",
    "opinion_number_pattern": "郑淘汰落后验〔{year}〕{serial}号",
    "geofence_radius_m": 1000,
    "photos_per_stage": 1,
    "inspector": {"name": "", "organisation": "", "title": ""},
    # Whose store this is: an inspector's laptop or the city office (set at init; decides what sync does).
    "role": "inspector",
    # The office's trust policy (travels to laptops in assignment bundles): may an opinion be issued with a
    # self-signed certificate (training, drafts) or only with one the office CA issued; the address printed
    # under the QR code and carried in it; the office seal image (SHA-256 of a PNG in the blob store).
    "self_signed_opinions": "allow",
    "verification_url": "",
    "office_seal": "",
    # The plan each opinion cites, per province and year (rules.opinion_wording.PlanCitation as JSON): set by the
    # office and sent to the laptops with the trust policy.
    "plan_citations": [c.to_json() for c in DEFAULT_PLAN_CITATIONS],
    # Remind the user to make a backup when the last good one (services/backup.py) is older than this.
    "backup_reminder_days": 7,
    # Written by services/backup.py after a backup passed its checks: {"at": UTC ISO, "path": …, "size": …}.
    "last_backup": None,
}
OFFICE_POLICY_KEYS = ("self_signed_opinions", "verification_url", "plan_citations")
ROLES = ("inspector", "office")


def get_setting(session: Session, key: str) -> Any:
    """Return a setting, or its default."""
    row = session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def check_setting(key: str, value: Any) -> Any:
    """Return the value normalised for ``key``; refuse an unknown key or a value that cannot work."""
    if key not in DEFAULTS:
        raise UserError(Msg("未知的设置项：{key}（可设：{known}）", key=key, known='、'.join(sorted(DEFAULTS))), code="E_SETTING_UNKNOWN")
    if key == "opinion_number_pattern":
        pattern = clean_text(value, "number_pattern")
        if not re.search(r"\{year(:[^}]*)?\}", pattern) or not re.search(r"\{serial(:[^}]*)?\}", pattern):
            raise UserError(Msg("文号格式须含 {{year}}（年份）和 {{serial}}（序号），如 {example}", example="郑淘汰落后验〔{year}〕{serial}号"),
                            code="E_NUMBER_PATTERN")
        try:
            pattern.format(year=2021, serial=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise UserError(Msg("文号格式有误：{pattern}", pattern=pattern), code="E_NUMBER_PATTERN") from exc
        return pattern
    if key == "office_name":
        return clean_text(value, "office_name", required=True, required_code="E_SETTING_INVALID")
    if key == "inspector":
        if not isinstance(value, dict):
            raise UserError(Msg("inspector 应为 JSON 对象，如 {example}",
                                example='{"name": "王建国", "organisation": "…", "title": "…"}'),
                            code="E_SETTING_INVALID")
        fields = {"name": "person_name", "organisation": "organisation", "title": "title"}
        unknown = sorted(set(value) - set(fields))
        if unknown:
            raise UserError(Msg("inspector 不认识的项：{keys}", keys="、".join(map(str, unknown))),
                            code="E_SETTING_INVALID")
        return {key: clean_text(value.get(key, ""), field) for key, field in fields.items()}
    if key == "role":
        role = str(value).strip()
        if role not in ROLES:
            raise UserError(Msg("角色应为 inspector（核查人员）或 office（市办公室）：{value}", value=value), code="E_ROLE_INVALID")
        return role
    if key == "self_signed_opinions":
        policy = str(value).strip().lower()
        if policy not in ("allow", "forbid"):
            raise UserError(Msg("self_signed_opinions 应为 allow（允许自签名证书出具，供培训）或 forbid（只允许市办公室签发的证书）"),
                            code="E_SETTING_INVALID")
        return policy
    if key == "verification_url":
        url = str(value).strip()
        if url and (not re.fullmatch(r"https?://[^\s|]{3,200}", url)):
            raise UserError(Msg("核验网址应以 http:// 或 https:// 开头，不含空格和“|”：{url}", url=url), code="E_SETTING_INVALID")
        return url
    if key == "office_seal":
        digest = str(value).strip().lower()
        if digest and not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise UserError(Msg("office_seal 应为印章图片的 SHA-256（用 settings seal 文件.png 设置）"), code="E_SETTING_INVALID")
        return digest
    if key == "plan_citations":
        return [c.to_json() for c in _check_plan_citations(value)]
    if key == "last_backup":
        if not isinstance(value, dict) or not isinstance(value.get("at"), str):
            raise UserError(Msg("last_backup 由备份功能记录，不能手工设置"), code="E_SETTING_INVALID")
        return value
    if key in ("geofence_radius_m", "photos_per_stage", "backup_reminder_days"):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise UserError(Msg("{key} 应为正整数：{value}", key=key, value=value), code="E_SETTING_INVALID") from None
        low, high = {"geofence_radius_m": (10, 100_000), "photos_per_stage": (1, 20),
                     "backup_reminder_days": (1, 365)}[key]
        if not low <= number <= high:
            raise UserError(Msg("{key} 应在 {low}–{high} 之间：{number}", key=key, low=low, high=high, number=number), code="E_SETTING_INVALID")
        return number
    return value


def _check_plan_citations(value: Any) -> list[PlanCitation]:
    example = ('[{"province": "410000", "year": 2021, "plan": "河南省2021年…工作方案", '
               '"plan_number": "豫淘汰落后办〔2021〕10号", "standard": "…", "standard_number": "…"}]')
    if not isinstance(value, list):
        raise UserError(Msg("plan_citations 应为 JSON 列表，如 {example}", example=example), code="E_SETTING_INVALID")
    out: list[PlanCitation] = []
    for entry in value:
        if not isinstance(entry, dict) or not str(entry.get("plan", "")).strip():
            raise UserError(Msg("plan_citations 的每一项须有 plan（方案名称）和 year（年份），如 {example}",
                                example=example), code="E_SETTING_INVALID")
        try:
            year = int(entry.get("year"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            year = 0
        if not 2000 <= year <= 2100:
            raise UserError(Msg("plan_citations 的年份无效：{value}", value=entry.get("year")), code="E_SETTING_INVALID")
        unknown = sorted(set(entry) - {"province", "year", "plan", "plan_number", "standard", "standard_number"})
        if unknown:
            raise UserError(Msg("plan_citations 不认识的项：{keys}", keys="、".join(map(str, unknown))),
                            code="E_SETTING_INVALID")
        out.append(PlanCitation(
            province=clean_text(entry.get("province", ""), "region"), year=year,
            plan=clean_text(entry["plan"], "document_title").strip("《》"),
            plan_number=clean_text(entry.get("plan_number", ""), "document_number"),
            standard=clean_text(entry.get("standard", ""), "document_title").strip("《》"),
            standard_number=clean_text(entry.get("standard_number", ""), "document_number")))
    return out


def plan_citations(session: Session) -> list[PlanCitation]:
    """Return the configured plan citations (the default when the stored value is unusable)."""
    try:
        return _check_plan_citations(get_setting(session, "plan_citations"))
    except UserError:
        return list(DEFAULT_PLAN_CITATIONS)


def provinces(session: Session) -> list[tuple[str, str]]:
    """Return the provinces of the region reference data as (code, name), in their order."""
    # the casework tables load only when used (command start-up time)
    from inspect_app.models.entities import Region

    rows = session.execute(select(Region.code, Region.name).where(Region.level == "province", Region.deleted_at.is_(None))
                           .order_by(Region.sort, Region.code)).all()
    return [(str(code), str(name)) for code, name in rows]


@dataclass(frozen=True, slots=True)
class PlanCitationEntry:
    """One configured plan citation as the office lists it: the entry and its province's name."""

    citation: PlanCitation
    province_name: str
    """The province's name from the region reference data (the stored text when it is not a known code);
    empty for an entry that applies to any province."""


def list_plan_citations(session: Session) -> list[PlanCitationEntry]:
    """Return every configured plan citation, by province (in the reference data's order) and year."""
    known = provinces(session)
    names = dict(known)
    order = {code: i for i, (code, _name) in enumerate(known)} | {name: i for i, (_c, name) in enumerate(known)}
    entries = [PlanCitationEntry(c, names.get(c.province, c.province)) for c in plan_citations(session)]
    return sorted(entries, key=lambda e: (not e.citation.province, order.get(e.citation.province, len(order)),
                                          e.province_name, e.citation.year))


def _same_province(session: Session, province: str) -> set[str]:
    """The texts an entry may name ``province`` by: its code and its name (either given)."""
    same = {province.strip()}
    for code, name in provinces(session):
        if province.strip() in (code, name):
            same |= {code, name}
    return same


def put_plan_citation(session: Session, citation: PlanCitation) -> list[PlanCitation]:
    """Set the plan ``citation.province`` cites from ``citation.year`` on: it replaces the entry of that province
    and year (an entry naming the province by name counts as the same), the other years and provinces stay.
    The change is an audit event with the entry it replaced."""
    same = _same_province(session, citation.province)
    current = plan_citations(session)
    replaced = [c for c in current if c.year == citation.year and c.province in same]
    kept = [c for c in current if c not in replaced]
    entries = sorted([*kept, citation], key=lambda c: (c.province, c.year))
    set_setting(session, "plan_citations", [c.to_json() for c in entries])
    stored = plan_citations(session)
    record_event(session, action="settings.plan_citation.put", entity=("setting", "plan_citations"),
                 detail={"put": next((c.to_json() for c in stored if c.province == citation.province
                                      and c.year == citation.year), citation.to_json()),
                         "replaced": [c.to_json() for c in replaced]})
    return stored


def replace_plan_citations(session: Session, value: Any) -> list[PlanCitation]:
    """Replace the whole list of plan citations (``settings set plan_citations JSON``), after checking it; the
    change is an audit event with the list before and after."""
    before = [c.to_json() for c in plan_citations(session)]
    set_setting(session, "plan_citations", value)
    after = plan_citations(session)
    record_event(session, action="settings.plan_citation.replace", entity=("setting", "plan_citations"),
                 detail={"before": before, "after": [c.to_json() for c in after]})
    return after


def remove_plan_citation(session: Session, province: str, year: int) -> PlanCitation:
    """Remove the plan citation of ``province`` (code or name; empty for the any-province entry) and ``year``;
    return it. The removal is an audit event with the whole entry; an unknown entry is refused."""
    same = _same_province(session, province) if province.strip() else {""}
    current = plan_citations(session)
    removed = [c for c in current if c.year == year and c.province in same]
    if not removed:
        message = (Msg("没有这一项工作方案设置：{province} {year}年（用 settings plans 查看已设置的各项）",
                       province=province, year=year) if province.strip() else
                   Msg("没有这一项工作方案设置：任一省份 {year}年（用 settings plans 查看已设置的各项）", year=year))
        raise UserError(message, code="E_PLAN_CITATION_UNKNOWN")
    set_setting(session, "plan_citations", [c.to_json() for c in current if c not in removed])
    record_event(session, action="settings.plan_citation.remove", entity=("setting", "plan_citations"),
                 detail={"removed": [c.to_json() for c in removed]})
    return removed[0]


def set_setting(session: Session, key: str, value: Any) -> None:
    """Set a setting (local to this store; not synced), after checking it."""
    value = check_setting(key, value)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def store_role(session: Session) -> str:
    """Return whose store this is: "inspector" or "office"."""
    role = get_setting(session, "role")
    return role if role in ROLES else "inspector"


def year_calendar(session: Session, year: int) -> rules.YearCalendar:
    """Return the office's calendar for ``year``, or the default pattern of the 2021 plan."""
    row = session.scalars(select(YearCalendarRow).where(YearCalendarRow.year == year)).first()
    if row is None:
        return rules.default_calendar(year)
    return rules.YearCalendar(year=row.year, survey_report_due=row.survey_report_due,
                              annual_summary_due=row.annual_summary_due, closure_due=row.closure_due,
                              acceptance_due=row.acceptance_due)


def set_year_calendar(session: Session, calendar: rules.YearCalendar) -> rules.YearCalendar:
    """Store the office's own dates for a year."""
    row = session.scalars(select(YearCalendarRow).where(YearCalendarRow.year == calendar.year)).first()
    if row is None:
        row = YearCalendarRow(year=calendar.year)
        session.add(row)
    row.survey_report_due = calendar.survey_report_due
    row.annual_summary_due = calendar.annual_summary_due
    row.closure_due = calendar.closure_due
    row.acceptance_due = calendar.acceptance_due
    record_event(session, action="calendar.set", entity=row, detail=calendar.to_dict())
    return calendar


def today() -> date:
    """Return today's date (one place to read the clock)."""
    return date.today()
