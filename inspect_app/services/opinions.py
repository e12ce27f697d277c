"""Written acceptance opinions (书面验收意见): what blocks one, issuing (number, PDF, signature), listing, verifying.

An opinion is issued in one write transaction (on SQLite ``BEGIN IMMEDIATE``, so two issuers serialise):

1. every blocker is checked again inside the transaction;
2. the document number is allocated: per-year serial = max + 1 (gap-free: nothing is consumed unless the
   transaction commits; unique: the ``(year, serial)`` index);
3. the document is built from the store, rendered to a temp file under ``blobs/documents``, signed, and the
   signed PDF is stored content-addressed (``blobs/documents/<aa>/<sha256>.pdf``, never overwritten) and
   copied to the requested output file (atomic, never overwriting an existing file);
4. the ``AcceptanceOpinion`` row is inserted with an ``opinion.issue`` audit event; on pass the covered
   equipment moves to ``accepted`` where the status rules allow.

The PDF is complete and signed before the row is committed; if the commit fails the output file is removed
and the stored PDF stays as an orphan (``orphan_documents`` reports it). A signed opinion is never edited:
``supersedes`` issues a new one that replaces it, and both are kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app import rules
from inspect_app.errors import EnvironmentProblem, UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.flags import CHINA_TZ, haversine_m, required_evidence_gaps
from inspect_app.fileio import write_new
from inspect_app.i18n import Label, Msg, Text, join
from inspect_app.models import Equipment, ExitPlan, Finding, Inspection
from inspect_app.models.audit import AuditHead, record_event
from inspect_app.models.base import new_id, utcnow
from inspect_app.models.entities import Region
from inspect_app.models.evidence import Photo
from inspect_app.models.opinions import AcceptanceOpinion
from inspect_app.models.store import Store
from inspect_app.reports.opinion_model import (
    BasisItem,
    ChecklistRow,
    EnterpriseInfo,
    EquipmentItem,
    EvidencePhoto,
    OpinionDocument,
    Representative,
    TeamMember,
)
from inspect_app.rules import Conclusion
from inspect_app.rules.opinion_wording import (
    PlanCitation,
    china_today,
    chinese_date,
    choose_plan_citation,
    dismantle_deadline_text,
    exit_method_text,
    photo_stage_labels,
    stage_word,
    standard_conclusion,
    standard_intro,
)
from inspect_app.rules.text import clean_text
from inspect_app.services.enterprises import EXIT_DATE_STATUSES, main_aspect, refresh_enterprise_status
from inspect_app.services.opinion_records import (
    OpinionView,
    get_opinion,
    get_opinion_row,
    list_opinions,
    opinion_views,
    superseded_ids,
)
from inspect_app.services.rows import exit_method, get_inspection_row
from inspect_app.services.settings import get_setting, plan_citations

if TYPE_CHECKING:  # signing, rendering and verifying (cryptography, reportlab, pyHanko) load only when used
    from inspect_app.crypto import Identity, VerificationReport

DOCUMENTS_DIR = "documents"
RESULT_WORDS = {"yes": "是", "no": "否", "na": "不适用"}
STAGE_ORDER = {"before": 0, "during": 1, "after": 2}



# --- plain data ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """One reason an opinion cannot be issued yet: a stable code and a message in the user's language."""

    code: str
    text: Text

    @property
    def message(self) -> str:
        return self.text.render()


@dataclass(frozen=True)
class ChecklistLine:
    """One checklist item as the opinion form shows it: its answer, note, and whether the exit method requires it."""

    code: str
    label: str
    answer: str  # yes / no / na / "" (not answered)
    note: str
    required: bool


@dataclass(frozen=True)
class OpinionFacts:
    """The inspection an opinion is about, as plain data: what the form shows and the standard wording uses."""

    inspection_id: str
    status: str
    enterprise_id: str
    enterprise_name: str
    uscc: str
    address: str
    contact_name: str
    visited_on: dt.date | None
    location_text: str
    equipment_lines: list[Text]
    equipment_names: list[str]
    methods: list[rules.ExitMethod]
    """Exit methods of the covered equipment (distinct, in equipment order)."""
    checklist: list[ChecklistLine]
    """The items answered or required by the methods."""
    gaps: list[str]
    """What the checklist still lacks for those methods (Chinese: named in a fail or recheck opinion)."""
    team: list[dict[str, str]]
    sealed_equipment: list[str] = field(default_factory=list)
    """The covered equipment exiting by sealing (封存): the opinion sets their dismantling deadline (限时拆除)."""

    @property
    def needs_dismantle_deadline(self) -> bool:
        """Whether a pass must set the dismantling deadline of sealed equipment."""
        return bool(self.sealed_equipment)

    def standard_paragraphs(self, conclusion: Conclusion | str) -> list[str]:
        """Return the standard conclusion paragraphs for ``conclusion`` (what the opinion says without a body)."""
        return standard_conclusion(rules.parse_conclusion(conclusion), self.enterprise_name, self.equipment_names,
                                   self.methods, self.gaps)

    def standard_body(self, conclusion: Conclusion | str) -> str:
        """Return the standard conclusion as the body text the form edits (one paragraph a line)."""
        return "\n".join(self.standard_paragraphs(conclusion))


@dataclass(frozen=True)
class OpinionCheck:
    """The facts of an inspection and everything that still blocks its opinion (this device's identity included)."""

    facts: OpinionFacts
    blockers: list[Blocker]

    @property
    def ready(self) -> bool:
        return not self.blockers


# --- the blob store's documents area ---------------------------------------------------------------------------


def documents_root(store: Store) -> Path:
    """Return where signed opinions are kept, content-addressed."""
    return store.blob_root / DOCUMENTS_DIR


def document_path(store: Store, sha256: str) -> Path:
    """Return the path of the stored signed PDF with this SHA-256."""
    return BlobStore(store.blob_root).document_path(sha256)


def _store_document(store: Store, pdf: bytes, sha256: str) -> Path:
    target = document_path(store, sha256)
    try:
        if not write_new(target, pdf) and hashlib.sha256(target.read_bytes()).hexdigest() != sha256:
            raise EnvironmentProblem(Msg("文书存储中的文件已损坏（内容与哈希不符）"), code="E_BLOB_CORRUPT",
                                         details={"path": str(target)})
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法保存验收意见文件：{error}", error=exc.strerror or exc), code="E_WRITE_FAILED",
                                 details={"path": str(target)}) from exc
    return target


def _write_out(out_path: Path, pdf: bytes) -> None:
    try:
        created = write_new(out_path, pdf)
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法写入文件 {path}：{error}", path=out_path, error=exc.strerror or exc), code="E_WRITE_FAILED",
                                 details={"path": str(out_path)}) from exc
    if not created:
        raise UserError(Msg("目标文件已存在：{path}（不会覆盖）", path=out_path), code="E_FILE_EXISTS",
                        details={"path": str(out_path)})


def orphan_documents(store: Store) -> list[Path]:
    """Return stored PDFs that no opinion row records (left by a transaction that failed after signing)."""
    root = documents_root(store)
    if not root.is_dir():
        return []
    with store.reader() as session:
        known = set(session.scalars(select(AcceptanceOpinion.pdf_sha256)))
    return sorted(p for p in root.glob("??/*.pdf") if p.stem not in known)


# --- reading the case ------------------------------------------------------------------------------------------


def _covered_equipment(insp: Inspection) -> list[Equipment]:
    return [item.equipment for item in insp.items if item.deleted_at is None and item.equipment.deleted_at is None]


def _exit_method(session: Session, eq: Equipment) -> rules.ExitMethod:
    return exit_method(session, eq.id)


def _photos(session: Session, inspection_id: str) -> list[Photo]:
    rows = session.scalars(
        select(Photo).where(Photo.inspection_id == inspection_id, Photo.deleted_at.is_(None))
    ).all()
    return sorted(rows, key=lambda p: (STAGE_ORDER.get(p.stage, 9), p.taken_at or p.imported_at, p.imported_at, p.id))


def _open_flags(photo: Photo) -> list[dict[str, Any]]:
    out = []
    for flag in photo.flags or []:
        if isinstance(flag, dict) and not str(flag.get("ack_reason", "")).strip():
            out.append(flag)
    return out


def _flag_message(flag: Any) -> str:
    """The Chinese text of a stored flag (printed in the opinion)."""
    if isinstance(flag, dict):
        return str(flag.get("message") or flag.get("code") or "")
    return str(flag)


def _flag_text(flag: Any) -> Text | str:
    """A stored flag's message in the user's language (flags stored before messages were kept are Chinese)."""
    if isinstance(flag, dict) and isinstance(flag.get("text"), dict) and "key" in flag["text"]:
        return Msg.from_json(flag["text"])
    return _flag_message(flag)


def _explanation(flag: dict[str, Any], *, name_it: bool) -> str:
    """A doubt's recorded explanation as printed beside its photo: why, who and when (Beijing time); which doubt
    it answers when the photo has several (the doubts themselves print just above)."""
    who = str(flag.get("ack_by", "") or "").strip()
    when = ""
    try:
        if flag.get("ack_at"):
            at = dt.datetime.fromisoformat(str(flag["ack_at"])).astimezone(CHINA_TZ)
            when = f"{at.year}年{at.month}月{at.day}日 {at:%H:%M} 北京时间"  # the zone named, as beside the photo
    except ValueError:
        when = ""
    signed = "，".join(x for x in (who, when) if x)
    what = f"{_flag_message(flag)}——" if name_it else ""
    return f"{what}{str(flag['ack_reason']).strip()}" + (f"（{signed}）" if signed else "")


def _live_opinions(session: Session, inspection_id: str) -> list[AcceptanceOpinion]:
    """Opinions of the inspection that no other opinion supersedes."""
    rows = list(session.scalars(
        select(AcceptanceOpinion).where(AcceptanceOpinion.inspection_id == inspection_id,
                                        AcceptanceOpinion.deleted_at.is_(None))
    ))
    superseded = superseded_ids(session, [r.id for r in rows])
    return [r for r in rows if r.id not in superseded]


def _check_supersedes(session: Session, insp: Inspection, supersedes: str) -> AcceptanceOpinion:
    old = get_opinion_row(session, supersedes)
    if old.inspection.enterprise_id != insp.enterprise_id:
        raise UserError(Msg("被更正的验收意见 {number} 不属于企业 {name}", number=old.number, name=insp.enterprise.name), code="E_SUPERSEDE_MISMATCH")
    newer = superseded_ids(session, [old.id])
    if old.id in newer:
        replaced_by = session.get(AcceptanceOpinion, newer[old.id])
        raise UserError(Msg("验收意见 {number} 已被 {newer} 更正替代，请更正最新的一份", number=old.number, newer=replaced_by.number if replaced_by else newer[old.id]), code="E_OPINION_SUPERSEDED")
    return old


def _normalise_ack(acknowledge: str | None) -> str:
    return clean_text(acknowledge, "acknowledgement")


def _answers(insp: Inspection) -> dict[str, str]:
    """The inspection's checklist answers by item code (as entered: yes / no / na or 是 / 否 / 不适用)."""
    return {code: str(entry.get("result", "")) if isinstance(entry, dict) else str(entry)
            for code, entry in (insp.checklist or {}).items()}


@dataclass(frozen=True)
class EquipmentExit:
    """A covered equipment's exit method as the opinion judges it."""

    equipment_id: str
    equipment_name: str
    method: rules.ExitMethod
    planned: bool
    """False when the equipment has no exit plan (then it is judged as dismantling)."""


def equipment_exits(session: Session, inspection_id: str) -> list[EquipmentExit]:
    """Return each equipment the inspection covers with its exit method (its latest plan), in equipment order.

    The checklist page and the opinion both judge each equipment by this method, so they cannot disagree.
    """
    insp = get_inspection_row(session, inspection_id)
    out: list[EquipmentExit] = []
    for eq in _covered_equipment(insp):
        planned = session.scalar(select(ExitPlan.id).where(ExitPlan.equipment_id == eq.id,
                                                           ExitPlan.deleted_at.is_(None)).limit(1)) is not None
        out.append(EquipmentExit(eq.id, eq.name, _exit_method(session, eq), planned))
    return out


def _methods(session: Session, equipment: list[Equipment]) -> dict[str, rules.ExitMethod]:
    """Each covered equipment's exit method (its latest exit plan; dismantling without one), in equipment order."""
    return {eq.id: _exit_method(session, eq) for eq in equipment}


def _gaps(methods: Iterable[rules.ExitMethod], answers: Mapping[str, str]) -> list[str]:
    gaps: list[str] = []
    for method in dict.fromkeys(methods):
        gaps += [g for g in rules.checklist_gaps(method.value, answers) if g not in gaps]
    return gaps


def _facts(session: Session, insp: Inspection) -> OpinionFacts:
    ent = insp.enterprise
    equipment = _covered_equipment(insp)
    by_equipment = _methods(session, equipment)
    methods = list(dict.fromkeys(by_equipment.values()))
    required = {code for method in methods for code in rules.required_checklist(method.value)}
    lines: list[Text] = []
    for eq in equipment:  # the unit in the reader's language (stored in Chinese)
        capacity, unit = _capacity_text(eq.capacity), Label(eq.unit)
        lines.append(Msg("{equipment}（{model}）× {quantity}，{capacity} {unit}", equipment=eq.name, model=eq.model,
                         quantity=eq.quantity, capacity=capacity, unit=unit) if eq.model else
                     Msg("{equipment} × {quantity}，{capacity} {unit}", equipment=eq.name, quantity=eq.quantity,
                         capacity=capacity, unit=unit))
    checklist: list[ChecklistLine] = []
    stored = insp.checklist or {}
    for item in rules.CHECKLIST:
        entry = stored.get(item.code)
        raw = str(entry.get("result", "")) if isinstance(entry, dict) else str(entry or "")
        answer = rules.CHECKLIST_ANSWERS.get(raw.strip().lower(), "")
        if answer or item.code in required:
            note = str(entry.get("note", "")).strip() if isinstance(entry, dict) else ""
            checklist.append(ChecklistLine(item.code, item.label, answer, note, item.code in required))
    return OpinionFacts(
        inspection_id=insp.id, status=insp.status, enterprise_id=ent.id, enterprise_name=ent.name, uscc=ent.uscc,
        address=ent.address, contact_name=ent.contact_name, visited_on=insp.visited_on,
        location_text=insp.location_text, equipment_lines=lines, equipment_names=[eq.name for eq in equipment],
        methods=methods, checklist=checklist, gaps=_gaps(methods, _answers(insp)),
        team=[{"name": str(m.get("name", "")), "organisation": str(m.get("organisation", "")),
               "title": str(m.get("title", ""))} for m in insp.team or []],
        sealed_equipment=[eq.name for eq in equipment if by_equipment[eq.id] is rules.ExitMethod.SEAL],
    )


def opinion_facts(session: Session, inspection_id: str) -> OpinionFacts:
    """Return what an opinion on this inspection is about: enterprise, equipment, exit methods, checklist, team."""
    return _facts(session, get_inspection_row(session, inspection_id))


def opinion_blockers(session: Session, inspection_id: str, *, acknowledge: str | None,
                     conclusion: Conclusion | str = Conclusion.PASS,
                     supersedes: str | None = None, blob_root: Path | None = None) -> list[Blocker]:
    """Return every reason the opinion on this inspection cannot be issued now (empty: it can).

    Checklist gaps count only for a ``pass`` conclusion; a serious doubt blocks a pass until it is explained on
    its photo (``photos.explain_flag``); the lesser open doubts are waived by a non-empty ``acknowledge`` reason; an opinion already issued for the inspection blocks unless ``supersedes``
    names it. With ``blob_root``, a photo whose original and report image are both missing blocks too.
    """
    conclusion = rules.parse_conclusion(conclusion)
    insp = get_inspection_row(session, inspection_id)
    out: list[Blocker] = []
    if insp.status != "done":
        not_done = {"planned": Msg("现场核查尚未开始，完成核查后才能出具验收意见"),
                    "draft": Msg("现场核查尚未完成，完成核查后才能出具验收意见"),
                    "cancelled": Msg("现场核查已取消，不能出具验收意见")}
        out.append(Blocker("E_INSPECTION_NOT_DONE", not_done.get(
            insp.status, Msg("现场核查状态为 {status}，完成核查后才能出具验收意见", status=insp.status))))
    if not insp.team:
        out.append(Blocker("E_NO_TEAM", Msg("未填写验收组成员")))
    equipment = _covered_equipment(insp)
    if not equipment:
        out.append(Blocker("E_NO_EQUIPMENT", Msg("本次核查未涉及任何设备")))
    if conclusion is Conclusion.PASS:
        answers = _answers(insp)
        seen: set[str] = set()
        for eq in equipment:
            method = _exit_method(session, eq)
            for gap in rules.checklist_gap_messages(method.value, answers):
                text = Msg("核查清单（{method}）：{gap}", method=Label(rules.EXIT_METHOD_LABELS[method]), gap=gap)
                if text.zh not in seen:
                    seen.add(text.zh)
                    out.append(Blocker("E_CHECKLIST_GAP", text))
            if rules.acceptance_path(eq.status, method.value, aspect=main_aspect(eq)) is None:
                out.append(Blocker("E_EXIT_NOT_RECORDED", Msg(
                    "设备“{name}”的状态为“{status}”，不能按“{method}”验收通过；请先在设备状态中记录其退出",
                    name=eq.name, status=Label(rules.EQUIPMENT_LABELS[rules.EquipmentStatus(eq.status)]),
                    method=Label(rules.EXIT_METHOD_LABELS[method]))))
    photos = _photos(session, insp.id)
    per_stage = int(get_setting(session, "photos_per_stage") or 1)
    covered_ids = [eq.id for eq in equipment]
    counts: dict[tuple[str, str], int] = {}
    for photo in photos:
        targets = [photo.equipment_id] if photo.equipment_id else covered_ids
        for eq_id in targets:
            counts[(eq_id, photo.stage)] = counts.get((eq_id, photo.stage), 0) + 1
    names = {eq.id: eq.name for eq in equipment}
    methods = _methods(session, equipment)
    sealed_ids = {eq_id for eq_id, method in methods.items() if method is rules.ExitMethod.SEAL}
    for missing in required_evidence_gaps(counts, covered_ids, per_stage, equipment_names=names, sealed=sealed_ids):
        out.append(Blocker("E_EVIDENCE_MISSING", missing.message))
    blanket = bool(_normalise_ack(acknowledge))
    for photo in photos:
        name = photo.original_name or photo.sha256[:12]
        stage = Label(photo_stage_labels(photo.equipment_id, methods).get(photo.stage, photo.stage))
        flags = _open_flags(photo)
        # A pass over a serious doubt needs that doubt explained on the photo itself (printed beside it);
        # the one-line acknowledgement of the opinion covers only the lesser doubts.
        serious = [f for f in flags if f.get("severity") == "serious"] if conclusion is Conclusion.PASS else []
        lesser = [f for f in flags if f not in serious]
        if serious:
            out.append(Blocker("E_SERIOUS_DOUBT", Msg(
                "照片“{name}”（{stage}）存在严重疑点：{flags}；须补充证据，或在该照片的疑点上写明原因后才能通过验收",
                name=name, stage=stage, flags=join("；", [_flag_text(f) for f in serious]))))
        if lesser and not blanket:
            out.append(Blocker("E_PHOTO_FLAGS", Msg(
                "照片“{name}”（{stage}）存在疑点未说明：{flags}", name=name, stage=stage,
                flags=join("；", [_flag_text(f) for f in lesser]))))
    if blob_root is not None:
        blobs = BlobStore(blob_root)
        for photo in photos:
            if not blobs.has_derived("report", photo.sha256) and not blobs.has(photo.sha256):
                out.append(Blocker("E_EVIDENCE_FILE_MISSING", Msg(
                    "照片“{name}”的文件在存储中找不到", name=photo.original_name or photo.sha256[:12])))
    superseded_id: str | None = None
    if supersedes:
        try:
            superseded_id = _check_supersedes(session, insp, supersedes).id
        except UserError as exc:
            out.append(Blocker(exc.code, exc.text))
    for live in _live_opinions(session, insp.id):
        if live.id != superseded_id:
            out.append(Blocker("E_OPINION_EXISTS", Msg(
                "本次核查已出具验收意见 {number}；如需更正，请用“更正”（--supersedes {id}）", number=live.number,
                id=live.id)))
    return out


@dataclass(frozen=True)
class SignOff:
    """What the team and the enterprise say on the opinion beyond the standard wording.

    ``reasons``: why a fail or a recheck (besides the checklist items still lacking, which count by themselves);
    ``recheck_by``: the recheck deadline (a recheck needs one, after the issue date); ``dismantle_by``: when
    sealed equipment must be dismantled (限时拆除; a pass of a sealed exit needs one); ``unsigned``: team member
    name -> why they did not sign by hand (printed "未签（reason）"); the enterprise's "无异议" is printed only
    when ``representative_agrees`` and its representative signed, otherwise ``representative_opinion`` or a line.
    """

    reasons: tuple[str, ...] = ()
    recheck_by: dt.date | None = None
    dismantle_by: dt.date | None = None
    """The dismantling deadline of sealed equipment (限时拆除): a pass of a sealed exit needs one."""
    unsigned: Mapping[str, str] = field(default_factory=dict)
    representative_agrees: bool = False
    representative_opinion: str = ""
    representative_unsigned: str = ""
    """Why the enterprise's representative did not sign by hand (printed "未签（reason）" in their cell)."""


def signoff_blockers(session: Session, inspection_id: str, conclusion: Conclusion | str, signoff: SignOff, *,
                     signed: Iterable[str] = (), issued_on: dt.date | None = None) -> list[Blocker]:
    """Return what the sign-off still lacks: reasons for a fail or recheck, the recheck deadline, the
    dismantling deadline of sealed equipment, and for every team member a handwritten signature (a name in
    ``signed``) or a reason for not signing."""
    conclusion = rules.parse_conclusion(conclusion)
    insp = get_inspection_row(session, inspection_id)
    out: list[Blocker] = []
    sealed = _facts(session, insp).sealed_equipment
    if sealed and conclusion is Conclusion.PASS and signoff.dismantle_by is None:
        out.append(Blocker("E_DISMANTLE_DEADLINE", Msg(
            "{equipment} 以封存方式退出：须写明限时拆除的期限", equipment="、".join(sealed))))
    if sealed and signoff.dismantle_by is not None and signoff.dismantle_by <= (issued_on or china_today()):
        out.append(Blocker("E_DISMANTLE_DEADLINE", Msg("限时拆除期限 {date} 应晚于出具日期",
                                                       date=signoff.dismantle_by.isoformat())))
    reasons = [clean_text(r, "reason") for r in signoff.reasons if r.strip()]
    if conclusion is not Conclusion.PASS and not reasons and not _facts(session, insp).gaps:
        out.append(Blocker("E_REASONS_REQUIRED", Msg(
            "“{conclusion}”须写明理由（哪些核查项目、哪些方面不符合要求）",
            conclusion=Label(rules.CONCLUSION_LABELS[conclusion]))))
    if conclusion is Conclusion.RECHECK:
        if signoff.recheck_by is None:
            out.append(Blocker("E_RECHECK_DEADLINE", Msg("限期整改须写明整改期限（复验日期）")))
        elif signoff.recheck_by <= (issued_on or china_today()):
            out.append(Blocker("E_RECHECK_DEADLINE", Msg("整改期限 {date} 应晚于出具日期",
                                                         date=signoff.recheck_by.isoformat())))
    hands = set(signed)
    for member in insp.team or []:
        name = str(member.get("name", ""))
        if name and name not in hands and not str(signoff.unsigned.get(name, "")).strip():
            out.append(Blocker("E_TEAM_UNSIGNED", Msg(
                "验收组成员 {name} 未签名：请手写签名，或注明未签原因", name=name)))
    return out


def _reason_paragraphs(conclusion: Conclusion, reasons: list[str], gaps: list[str], recheck_by: dt.date | None,
                       already: list[str]) -> list[str]:
    """The paragraphs a fail or recheck prints after its conclusion: the reasons (checklist items still lacking
    first, then the team's), skipping what the conclusion text already says, and the recheck deadline."""
    from inspect_app.reports.official_layout import (
        cn_number,  # reportlab: loaded only when a document is made
    )

    out: list[str] = []
    said = "".join(already)
    items = [g for g in [*gaps, *reasons] if g.rstrip("。；;") not in said]
    if conclusion is not Conclusion.PASS and items:
        head = "不予通过验收的理由" if conclusion is Conclusion.FAIL else "须整改的问题"
        texts = [t.rstrip("。；;") for t in items]
        listed = texts[0] if len(texts) == 1 else "；".join(f"{cn_number(i)}是{t}" for i, t in enumerate(texts, 1))
        out.append(f"{head}：{listed}。")
    if conclusion is Conclusion.RECHECK and recheck_by is not None:
        out.append(f"整改期限：请企业于{chinese_date(recheck_by)}前完成整改。")
    return out


# --- building the document -------------------------------------------------------------------------------------


def _region_text(session: Session, region: Region | None) -> str:
    if region is None:
        return ""
    if region.parent_code and region.level not in ("province", "city"):
        parent = session.scalars(select(Region).where(Region.code == region.parent_code)).first()
        if parent is not None and parent.level == "city":
            return parent.name + region.name
    return region.name


def _provinces(session: Session, region: Region | None) -> list[str]:
    """The code and name of the province ``region`` lies in (empty without a region)."""
    seen = 0
    while region is not None and region.level != "province" and region.parent_code and seen < 6:
        region = session.scalars(select(Region).where(Region.code == region.parent_code)).first()
        seen += 1
    return [region.code, region.name] if region is not None and region.level == "province" else []


def _plan_citation(session: Session, region: Region | None, year: int) -> PlanCitation | None:
    """The plan the opinion cites: the office's configured one for the enterprise's province and the year."""
    return choose_plan_citation(plan_citations(session), _provinces(session, region), year)


def _capacity_text(value: Any) -> str:
    try:
        return format(value.normalize(), "f")
    except AttributeError:
        return str(value)


def _checklist(insp: Inspection, methods: set[rules.ExitMethod]) -> tuple[list[ChecklistRow], dict[str, Any]]:
    rows: list[ChecklistRow] = []
    stored: dict[str, Any] = {}
    answers = insp.checklist or {}
    for item in rules.CHECKLIST:
        entry = answers.get(item.code)
        required = bool(methods & item.required_for)
        raw = str(entry.get("result", "")) if isinstance(entry, dict) else str(entry or "")
        answer = rules.CHECKLIST_ANSWERS.get(raw.strip().lower(), "")
        note = str(entry.get("note", "")).strip() if isinstance(entry, dict) else ""
        if answer:
            result = RESULT_WORDS[answer]
        elif required:
            result, note = "否", note or "未核查"
        else:
            result = "不适用"
        rows.append(ChecklistRow(item.label, result, note))
        stored[item.code] = {"label": item.label, "result": answer or ("no" if required else "na"), "note": note,
                             "required": required}
    return rows, stored


@dataclasses.dataclass(frozen=True)
class HandSignature:
    """A handwritten signature from the signature pad: the transparent PNG and the strokes it was drawn with."""

    png: bytes
    strokes: list[Any] = dataclasses.field(default_factory=list)


REPRESENTATIVE_KEY = "__representative__"


def _store_signatures(blobs: BlobStore, signatures: Mapping[str, HandSignature] | None) -> dict[str, str]:
    """Keep each signature PNG in the blob store (it is evidence) and return name -> SHA-256."""
    stored: dict[str, str] = {}
    for who, sig in (signatures or {}).items():
        if not sig.png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise UserError(Msg("{who} 的手写签名不是 PNG 图片", who=who), code="E_SIGNATURE_INVALID")
        stored[who] = blobs.put_bytes(sig.png)
    return stored


def _plain_strokes(strokes: list[Any]) -> list[Any]:
    """Return the strokes as plain JSON values (lists, numbers), as they will read back from the store."""
    return list(json.loads(json.dumps(strokes)))


def _parse_representative(value: str | dict[str, str] | None) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, dict):
        name, title = value.get("name", ""), value.get("title", "")
    else:
        name, _, title = value.replace("：", ":").partition(":")
    name, title = clean_text(name, "person_name"), clean_text(title, "title")
    if not name:
        raise UserError(Msg("企业代表应写作“姓名:职务”"), code="E_REPRESENTATIVE_INVALID")
    return {"name": name, "title": title}


def _body_paragraphs(body: str | None) -> list[str]:
    if body is None:
        return []
    return [line.strip() for line in clean_text(body, "body").split("\n") if line.strip()]


@dataclass
class _Built:
    document: OpinionDocument
    checklist: dict[str, Any]
    equipment_ids: list[str]
    team: list[dict[str, Any]]
    representative: dict[str, str]
    body: str
    evidence: list[str]
    sealed: list[str] = field(default_factory=list)


def _build_document(
    session: Session,
    blobs: BlobStore,
    insp: Inspection,
    *,
    opinion_id: str,
    number: str,
    conclusion: Conclusion,
    issued_on: dt.date,
    body: str | None,
    representative: str | dict[str, str] | None,
    acknowledgement: str = "",
    signatures: Mapping[str, HandSignature] | None = None,
    signoff: SignOff | None = None,
) -> _Built:
    ent = insp.enterprise
    equipment = _covered_equipment(insp)
    methods = _methods(session, equipment)
    facts = _facts(session, insp)
    check_rows, stored_checklist = _checklist(insp, set(methods.values()))
    items = tuple(
        EquipmentItem(name=eq.name, model_spec=eq.model, quantity=eq.quantity,
                      capacity_value=_capacity_text(eq.capacity), capacity_unit=eq.unit, sector=eq.sector.name)
        for eq in equipment
    )
    basis: list[BasisItem] = []
    for eq in equipment:
        findings = session.scalars(
            select(Finding).where(Finding.equipment_id == eq.id, Finding.deleted_at.is_(None)).order_by(Finding.found_on)
        ).all()
        for f in findings:
            text = f.basis.strip() or f"{eq.name}在{f.aspect.name}方面不符合有关标准要求。"
            if len(equipment) > 1 and eq.name not in text:
                text = f"{eq.name}：{text}"
            item = BasisItem(f.aspect.name, text, f.found_on)
            if item not in basis:
                basis.append(item)
    exit_text = exit_method_text([(eq.name, methods[eq.id]) for eq in equipment])
    visited = insp.visited_on or insp.planned_on or issued_on
    signoff = signoff or SignOff()
    reasons = [r.strip() for r in signoff.reasons if r.strip()]
    conclusion_paragraphs = _body_paragraphs(body) or standard_conclusion(
        conclusion, facts.enterprise_name, facts.equipment_names, facts.methods, [])
    conclusion_paragraphs += _reason_paragraphs(conclusion, reasons, facts.gaps, signoff.recheck_by,
                                                conclusion_paragraphs)
    if facts.sealed_equipment and signoff.dismantle_by is not None:
        conclusion_paragraphs.append(dismantle_deadline_text(facts.sealed_equipment, signoff.dismantle_by))
    open_flags = any(_open_flags(p) for p in _photos(session, insp.id))
    if acknowledgement and open_flags:
        ending = "" if acknowledgement[-1] in "。！？.!?" else "。"
        conclusion_paragraphs = [*conclusion_paragraphs, f"影像资料中标注的疑点，验收组说明如下：{acknowledgement}{ending}"]
    team = [dict(m) for m in insp.team or []]
    rep: dict[str, Any] = dict(_parse_representative(representative))
    if not rep and ent.contact_name:
        rep = {"name": ent.contact_name, "title": "企业联系人"}
    signed = _store_signatures(blobs, signatures)
    for member in team:
        if member.get("name") in signed:
            member["signature_sha256"] = signed[member["name"]]
            member["signature_strokes"] = _plain_strokes((signatures or {})[member["name"]].strokes)
        elif str(signoff.unsigned.get(str(member.get("name")), "")).strip():
            member["unsigned_reason"] = clean_text(signoff.unsigned[str(member.get("name"))], "reason")
    if rep:
        rep["agreed"] = bool(signoff.representative_agrees and REPRESENTATIVE_KEY in signed)
        if signoff.representative_opinion.strip():
            rep["opinion"] = clean_text(signoff.representative_opinion, "reason")
    if rep and REPRESENTATIVE_KEY not in signed and signoff.representative_unsigned.strip():
        rep["unsigned_reason"] = clean_text(signoff.representative_unsigned, "reason")
    if rep and REPRESENTATIVE_KEY in signed:
        rep["signature_sha256"] = signed[REPRESENTATIVE_KEY]
        rep["signature_strokes"] = _plain_strokes((signatures or {})[REPRESENTATIVE_KEY].strokes)
    unknown = set(signed) - {str(m.get("name")) for m in team} - {REPRESENTATIVE_KEY}
    if unknown:
        raise UserError(Msg("签名人不在验收组中：{names}", names='、'.join(sorted(unknown))), code="E_SIGNATURE_INVALID")

    photos: list[EvidencePhoto] = []
    seen: set[tuple[str, str]] = set()
    site = (ent.lat, ent.lon) if ent.lat is not None and ent.lon is not None else (
        (insp.lat, insp.lon) if insp.lat is not None and insp.lon is not None else None)
    eq_names = {eq.id: eq.name for eq in equipment}
    for photo in _photos(session, insp.id):
        if (photo.sha256, photo.stage) in seen:
            continue
        seen.add((photo.sha256, photo.stage))
        image = _report_image(blobs, photo.sha256)
        distance = (haversine_m(photo.lat, photo.lon, site[0], site[1])
                    if site is not None and photo.lat is not None and photo.lon is not None else None)
        # a photo of sealed equipment is named 封存前/中/后, of dismantled equipment 拆除前/中/后
        caption = photo.caption.strip() or (
            f"{eq_names.get(photo.equipment_id or '', '现场')}"
            f"{photo_stage_labels(photo.equipment_id, methods).get(photo.stage, '')}")
        captured = photo.taken_at.astimezone(CHINA_TZ).replace(tzinfo=None) if photo.taken_at else None
        flags = tuple(_flag_message(f) for f in photo.flags or [])
        explained = tuple(_explanation(f, name_it=len(flags) > 1)
                          for f in photo.flags or [] if isinstance(f, dict) and f.get("ack_reason"))
        photos.append(EvidencePhoto(stage=photo.stage, image_path=image, caption=caption,  # type: ignore[arg-type]
                                    sha256=photo.sha256, captured_at=captured, distance_m=distance, flags=flags,
                                    explanations=explained))
    evidence = sorted({p.sha256 for p in photos})
    doc = OpinionDocument(
        opinion_id=opinion_id,
        document_number=number,
        issuing_office=str(get_setting(session, "office_name") or ""),
        seal_image=_seal_image(session, blobs),
        verification_url=str(get_setting(session, "verification_url") or ""),
        enterprise=EnterpriseInfo(name=ent.name, uscc=ent.uscc, address=ent.address,
                                  region=_region_text(session, ent.region)),
        equipment=items,
        basis=tuple(basis),
        exit_method=exit_text,
        inspection_date=visited,
        inspection_place=insp.location_text.strip() or ent.address or "企业生产厂区",
        checklist=tuple(check_rows),
        conclusion=conclusion,
        issue_date=issued_on,
        team=tuple(TeamMember(str(m.get("name", "")), str(m.get("organisation", "")), str(m.get("title", "")),
                              blobs.path(m["signature_sha256"]) if m.get("signature_sha256") else None,
                              unsigned_reason=str(m.get("unsigned_reason", "")))
                   for m in team),
        representative=Representative(rep["name"], rep.get("title", ""),
                                      blobs.path(rep["signature_sha256"]) if rep.get("signature_sha256") else None,
                                      agreed=bool(rep.get("agreed")), opinion=str(rep.get("opinion", "")),
                                      unsigned_reason=str(rep.get("unsigned_reason", "")))
        if rep else None,
        intro_paragraphs=(standard_intro(ent.name, visited, _plan_citation(session, ent.region, issued_on.year)),),
        stage_word=stage_word(facts.methods),
        conclusion_paragraphs=tuple(conclusion_paragraphs),
        photos=tuple(photos),
    )
    return _Built(doc, stored_checklist, [eq.id for eq in equipment], team, rep, "\n".join(conclusion_paragraphs),
                  evidence, list(facts.sealed_equipment))


def _seal_image(session: Session, blobs: BlobStore) -> Path | None:
    """Return the office seal PNG set in the settings, when it is in the blob store."""
    digest = str(get_setting(session, "office_seal") or "")
    return blobs.path(digest) if digest and blobs.has(digest) else None


def _report_image(blobs: BlobStore, sha256: str) -> Path:
    """Return the report-size JPEG of a photo, making it from the original when it is missing."""
    if blobs.has_derived("report", sha256):
        return blobs.derived_path("report", sha256)
    if not blobs.has(sha256):
        raise UserError(Msg("照片 {sha256} 的文件在存储中找不到", sha256=sha256[:16]), code="E_EVIDENCE_FILE_MISSING")
    from inspect_app.evidence.images import make_derivatives

    derived = make_derivatives(blobs.read_bytes(sha256))
    if derived.report_jpeg is None:  # pragma: no cover - make_derivatives always makes it here
        raise UserError(Msg("照片 {sha256} 无法生成报告图片", sha256=sha256[:16]), code="E_PHOTO_CORRUPT")
    blobs.put_derived("thumb", sha256, derived.thumb_jpeg)
    return blobs.put_derived("report", sha256, derived.report_jpeg)


# --- issuing ---------------------------------------------------------------------------------------------------


def _format_number(pattern: str, year: int, serial: int) -> str:
    try:
        return pattern.format(year=year, serial=serial)
    except (KeyError, IndexError, ValueError) as exc:
        raise UserError(Msg("文号格式设置有误：{pattern}（应含 {{year}} 与 {{serial}}）", pattern=pattern), code="E_NUMBER_PATTERN") from exc


def blocked_error(blockers: list[Blocker]) -> UserError:
    """Return the refusal listing every blocker (one per line in the message, each in ``details["blockers"]``)."""
    return UserError(Msg("不能出具验收意见，原因如下：\n  - {lines}", lines=join("\n  - ", [b.text for b in blockers])),
                     code="E_OPINION_BLOCKED",
                     details={"blockers": [{"code": b.code, "message": b.message} for b in blockers]})


def check_opinion(store: Store, inspection_id: str, *, acknowledge: str | None = None,
                  conclusion: Conclusion | str = Conclusion.PASS, supersedes: str | None = None) -> OpinionCheck:
    """Return the inspection's facts and everything that blocks its opinion now, this device's identity included.

    What the window shows before signing and what ``opinion issue`` checks first; ``issue_opinion`` checks the
    same blockers again inside its transaction.
    """
    from inspect_app.services import identity as identity_service

    with store.reader() as session:
        facts = opinion_facts(session, inspection_id)
        blockers = opinion_blockers(session, facts.inspection_id, acknowledge=acknowledge, conclusion=conclusion,
                                    supersedes=supersedes, blob_root=store.blob_root)
    if not identity_service.has_identity(store):
        blockers.append(Blocker("E_NO_IDENTITY", Msg("本机尚未创建签名证书：请在“设置 → 签名身份”中创建（或用命令 inspect-app identity create）")))
    return OpinionCheck(facts, blockers)


def issue_opinion(
    store: Store,
    *,
    inspection_id: str,
    conclusion: Conclusion | str,
    passphrase: str,
    out_path: Path,
    acknowledge: str | None = None,
    body: str | None = None,
    representative: str | dict[str, str] | None = None,
    supersedes: str | None = None,
    today: dt.date | None = None,
    signatures: Mapping[str, HandSignature] | None = None,
    signoff: SignOff | None = None,
) -> OpinionView:
    """Issue, sign and record the written acceptance opinion of a finished inspection (see the module doc).

    ``signoff`` carries a fail's or recheck's reasons and deadline, why members did not sign, and whether the
    enterprise agreed (``signoff_blockers`` says what it still lacks; checked with the other blockers).

    Refuses with ``E_OPINION_BLOCKED`` (``details["blockers"]``) listing every reason, ``E_FILE_EXISTS`` when
    ``out_path`` exists, ``E_PASSPHRASE`` / ``E_CERT_EXPIRED`` / ``E_NO_IDENTITY`` for the identity; a refusal
    changes nothing (no row, no number, no output file).
    """
    import time

    started = time.perf_counter()
    conclusion = rules.parse_conclusion(conclusion)
    out_path = Path(out_path)
    if out_path.exists():
        raise UserError(Msg("目标文件已存在：{path}（不会覆盖）", path=out_path), code="E_FILE_EXISTS", details={"path": str(out_path)})
    if not out_path.parent.is_dir():
        raise UserError(Msg("目标文件夹不存在：{folder}", folder=out_path.parent), code="E_DIR_NOT_FOUND")
    issued_on = today or china_today()
    ack = _normalise_ack(acknowledge)
    rep = _parse_representative(representative) if representative is not None else None
    blobs = BlobStore(store.blob_root)

    # Fast refusal before the passphrase is tried; checked again inside the write transaction below.
    signoff = signoff or SignOff()
    hands = set(signatures or {})
    with store.reader() as session:
        blockers = opinion_blockers(session, inspection_id, acknowledge=ack, conclusion=conclusion,
                                    supersedes=supersedes, blob_root=store.blob_root)
        blockers += signoff_blockers(session, inspection_id, conclusion, signoff, signed=hands, issued_on=issued_on)
    if blockers:
        raise blocked_error(blockers)
    from inspect_app.services import identity as identity_service

    ident = identity_service.load_device_identity(store, passphrase)
    ident.check_usable()
    if ident.self_signed:
        with store.reader() as session:
            if get_setting(session, "self_signed_opinions") == "forbid":
                raise UserError(Msg("市办公室已规定验收意见必须用市办公室签发的证书签署，本机证书为自签名证书："
                                    "请导出证书申请（identity export-request）交市办公室签发"),
                                code="E_SELF_SIGNED_FORBIDDEN")

    docs = documents_root(store)
    docs.mkdir(parents=True, exist_ok=True)
    wrote_out = False
    try:
        with store.transaction() as session:
            # Serialise issuers on PostgreSQL too (SQLite: BEGIN IMMEDIATE already holds the write lock).
            session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
            blockers = opinion_blockers(session, inspection_id, acknowledge=ack, conclusion=conclusion,
                                        supersedes=supersedes, blob_root=store.blob_root)
            blockers += signoff_blockers(session, inspection_id, conclusion, signoff, signed=hands,
                                         issued_on=issued_on)
            if blockers:
                raise blocked_error(blockers)
            insp = get_inspection_row(session, inspection_id)
            old = _check_supersedes(session, insp, supersedes) if supersedes else None
            year = issued_on.year
            last = session.scalar(select(func.max(AcceptanceOpinion.serial)).where(AcceptanceOpinion.year == year))
            serial = int(last or 0) + 1
            number = _format_number(str(get_setting(session, "opinion_number_pattern")), year, serial)
            opinion_id = new_id()
            built = _build_document(session, blobs, insp, opinion_id=opinion_id, number=number, conclusion=conclusion,
                                    issued_on=issued_on, body=body, representative=rep, acknowledgement=ack,
                                    signatures=signatures, signoff=signoff)
            pdf, pages = _render_and_sign(store, built.document, ident)
            pdf_sha = hashlib.sha256(pdf).hexdigest()
            stored = _store_document(store, pdf, pdf_sha)
            _write_out(out_path, pdf)
            wrote_out = True
            row = AcceptanceOpinion(
                id=opinion_id, inspection_id=insp.id, year=year, serial=serial, number=number, conclusion=conclusion,
                body=built.body, checklist=built.checklist, equipment_ids=built.equipment_ids, team=built.team,
                representative=built.representative, issued_on=issued_on, acknowledgement=ack,
                evidence_sha256=built.evidence, pdf_sha256=pdf_sha, signed_at=utcnow(),
                signer_name=ident.common_name, signer_fingerprint=ident.fingerprint,
                supersedes_id=old.id if old is not None else None,
                reasons=[r.strip() for r in signoff.reasons if r.strip()],
                recheck_by=signoff.recheck_by if conclusion is Conclusion.RECHECK else None,
                dismantle_by=signoff.dismantle_by if built.sealed else None,
            )
            row.inspection = insp
            session.add(row)
            moved: list[str] = []
            status_moves: dict[str, list[str]] = {}
            if conclusion is Conclusion.PASS:
                # The pass records the exit it confirmed on site, then the acceptance (blocked above when no
                # allowed path exists), so the equipment and the dashboard say what the opinion says.
                for eq in _covered_equipment(insp):
                    path = rules.acceptance_path(eq.status, _exit_method(session, eq).value,
                                                 aspect=main_aspect(eq)) or []
                    if path:
                        status_moves[eq.id] = [eq.status, *(step.value for step in path)]
                    for step in path:
                        eq.status = step.value
                        if step.value in EXIT_DATE_STATUSES and eq.exited_on is None:
                            eq.exited_on = issued_on
                    if path:
                        moved.append(eq.id)
                if moved:
                    refresh_enterprise_status(session, insp.enterprise)
            record_event(session, action="opinion.issue", entity=row, detail={
                "number": number, "conclusion": conclusion, "pdf_sha256": pdf_sha, "photos": len(built.evidence),
                "supersedes": old.id if old is not None else None, "accepted_equipment": moved,
                "status_moves": status_moves,
                "acknowledgement": ack, "reasons": row.reasons,
                "recheck_by": row.recheck_by.isoformat() if row.recheck_by else None,
                "dismantle_by": row.dismantle_by.isoformat() if row.dismantle_by else None,
            })
            session.flush()
            view = opinion_views(session, [row], store.blob_root)[0]
    except BaseException:
        if wrote_out:
            with contextlib.suppress(OSError):
                out_path.unlink()
        raise
    return dataclasses.replace(view, out_path=out_path, stored_path=stored, bytes=len(pdf), pages=pages,
                               seconds=time.perf_counter() - started, moved_equipment=moved)


def _render_and_sign(store: Store, doc: OpinionDocument, ident: Identity) -> tuple[bytes, int]:
    """Render with the signed QR payload to a temp file under ``documents/``, sign it; return bytes and pages."""
    from inspect_app import crypto
    from inspect_app.crypto.appearance import signature_face
    from inspect_app.reports.opinion_pdf import render_opinion_pdf
    from inspect_app.reports.qr import QrFields, evidence_digest, make_qr_payload

    fields = QrFields(doc.opinion_id, doc.document_number, doc.enterprise.uscc, doc.conclusion, doc.issue_date,
                      evidence_digest(doc.evidence_hashes), ident.fingerprint)
    doc = dataclasses.replace(doc, qr_payload=make_qr_payload(fields, ident.private_key),
                              self_signed=ident.self_signed)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-render-", suffix=".pdf", dir=documents_root(store))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        result = render_opinion_pdf(doc, tmp)
        box = result.signature_box
        face = signature_face(ident, dt.datetime.now(dt.UTC).replace(microsecond=0))
        signed = crypto.sign_pdf(tmp, tmp, ident, box=box.box if box else None, page=box.page if box else 0,
                                 location=doc.inspection_place[:60] or None, face=face)
        return signed, result.pages
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


# --- preview ---------------------------------------------------------------------------------------------------


def preview_opinion_pdf(
    store: Store,
    *,
    inspection_id: str,
    conclusion: Conclusion | str,
    body: str | None = None,
    representative: str | dict[str, str] | None = None,
    acknowledge: str | None = None,
    signatures: Mapping[str, HandSignature] | None = None,
    today: dt.date | None = None,
    signoff: SignOff | None = None,
) -> bytes:
    """Render the opinion as it would be issued now, unsigned and watermarked "预览 · 未签发"; return the PDF.

    Blockers are not checked (a preview helps exactly while something is missing) and no number is taken:
    the number reads e.g. ``郑淘汰落后验〔2026〕（预览）号``. Reads in one reader session; nothing is written
    except report-size images made from originals (as issuing does). Signature PNGs go to a temp folder, and a
    photo whose files are missing is shown as a grey placeholder with its caption.
    """
    from PIL import Image as PilImage
    from PIL import ImageDraw
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from reportlab.lib.colors import Color
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from inspect_app.reports.fonts import register_fonts
    from inspect_app.reports.opinion_pdf import render_opinion_bytes

    code = rules.parse_conclusion(conclusion)
    issued_on = today or china_today()
    rep: dict[str, str] | None = None
    if isinstance(representative, dict) and not str(representative.get("name", "")).strip():
        rep = None
    elif representative:
        rep = _parse_representative(representative)

    with tempfile.TemporaryDirectory(prefix="inspect-preview-") as scratch_dir:
        scratch = BlobStore(Path(scratch_dir) / "blobs")
        placeholder = Path(scratch_dir) / "missing.jpg"

        class PreviewBlobs(BlobStore):
            """The real blob store for reading; signatures go to the scratch store; missing photos to a placeholder."""

            def put_bytes(self, data: bytes, sha256: str | None = None) -> str:
                return scratch.put_bytes(data, sha256)

            def path(self, sha256: str) -> Path:
                return scratch.path(sha256) if scratch.has(sha256) else super().path(sha256)

            def has_derived(self, kind: Any, sha256: str) -> bool:
                return super().has_derived(kind, sha256) or not super().has(sha256)

            def derived_path(self, kind: Any, sha256: str) -> Path:
                real = super().derived_path(kind, sha256)
                if real.is_file() or super().has(sha256):
                    return real
                if not placeholder.exists():
                    image = PilImage.new("RGB", (800, 600), (226, 230, 235))
                    pen = ImageDraw.Draw(image)
                    pen.line([(0, 0), (800, 600)], fill=(170, 178, 189), width=6)
                    pen.line([(0, 600), (800, 0)], fill=(170, 178, 189), width=6)
                    image.save(placeholder, "JPEG", quality=70)
                return placeholder

        with store.reader() as session:
            insp = get_inspection_row(session, inspection_id)
            pattern = str(get_setting(session, "opinion_number_pattern") or "")
            try:
                number = pattern.format(year=issued_on.year, serial="（预览）")
            except (KeyError, IndexError, ValueError):
                number = "（预览）"
            built = _build_document(session, PreviewBlobs(store.blob_root), insp, opinion_id=new_id(),
                                    number=number, conclusion=code, issued_on=issued_on, body=body,
                                    representative=rep, acknowledgement=_normalise_ack(acknowledge),
                                    signatures=signatures, signoff=signoff)
        doc = dataclasses.replace(built.document, qr_payload=None)
        pdf, pages, _box = render_opinion_bytes(doc, signature_box=False)

    # The watermark: one reportlab page with the diagonal text, laid over every page as a form XObject.
    fonts = register_fonts()
    mark = io.BytesIO()
    canvas = Canvas(mark, pagesize=A4)
    width, height = A4
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(52)
    canvas.setFillColor(Color(0.78, 0.16, 0.16, alpha=0.22))
    canvas.setFont(fonts.song, 64)
    canvas.drawCentredString(0, -22, "预览 · 未签发")
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(mark.getvalue())))
    resources = generic.DictionaryObject({
        generic.pdf_name("/XObject"): generic.DictionaryObject({generic.pdf_name("/PreviewMark"): xobject}),
    })
    for index in range(pages):
        stream = writer.add_object(generic.StreamObject(stream_data=b"q /PreviewMark Do Q"))
        writer.add_stream_to_page(index, stream, resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- reading ---------------------------------------------------------------------------------------------------


def verify_opinion_file(store: Store | None, pdf_path: Path, *,
                        extra_trusted: Iterable[Any] = ()) -> VerificationReport:
    """Verify a signed opinion PDF (see ``services.verification``: signatures, allowed updates, trust,
    revocation, QR, and with the store the evidence and the record)."""
    from inspect_app.services.verification import verify_opinion_document

    return verify_opinion_document(store, pdf_path, extra_trusted=extra_trusted)


__all__ = [
    "Blocker",
    "ChecklistLine",
    "EquipmentExit",
    "OpinionCheck",
    "OpinionFacts",
    "OpinionView",
    "SignOff",
    "blocked_error",
    "check_opinion",
    "document_path",
    "documents_root",
    "equipment_exits",
    "get_opinion",
    "issue_opinion",
    "list_opinions",
    "opinion_blockers",
    "opinion_facts",
    "orphan_documents",
    "preview_opinion_pdf",
    "signoff_blockers",
    "verify_opinion_file",
]
