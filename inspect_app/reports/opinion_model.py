"""Plain data for the written acceptance opinion (书面验收意见), free of the ORM.

The services build an ``OpinionDocument`` from the database; ``opinion_pdf.render_opinion_pdf`` draws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from inspect_app.rules import CONCLUSION_LABELS, Conclusion

Stage = Literal["before", "during", "after"]
CheckResult = Literal["是", "否", "不适用"]

STAGE_LABELS: dict[str, str] = {"before": "拆除前", "during": "拆除中", "after": "拆除后"}


@dataclass(frozen=True, slots=True)
class EnterpriseInfo:
    """The enterprise whose capacity exits."""

    name: str
    uscc: str
    address: str
    region: str = ""


@dataclass(frozen=True, slots=True)
class EquipmentItem:
    """One outdated piece of equipment or production line."""

    name: str
    model_spec: str
    quantity: int
    capacity_value: str
    capacity_unit: str
    sector: str


@dataclass(frozen=True, slots=True)
class BasisItem:
    """Why the capacity must exit: the aspect (能耗/环保/质量/安全/技术) and the finding."""

    aspect: str
    finding: str
    found_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One item of the on-site exit checklist."""

    label: str
    result: str  # 是 / 否 / 不适用
    note: str = ""


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A member of the acceptance team (验收组), with an optional handwritten signature PNG."""

    name: str
    organisation: str
    title: str
    signature_png: Path | None = None
    unsigned_reason: str = ""  # printed as 未签（reason） when there is no handwritten signature


@dataclass(frozen=True, slots=True)
class Representative:
    """The enterprise representative: "无异议" is printed only when they signed and agreed."""

    name: str
    title: str
    signature_png: Path | None = None
    agreed: bool = False
    opinion: str = ""  # the enterprise's own words when it did not simply agree
    unsigned_reason: str = ""  # printed as 未签（reason） when there is no handwritten signature


@dataclass(frozen=True, slots=True)
class EvidencePhoto:
    """A prepared report image (JPEG, ~1600 px) of a photo in the blob store."""

    stage: Stage
    image_path: Path
    caption: str
    sha256: str
    captured_at: dt.datetime | None = None
    distance_m: float | None = None
    flags: tuple[str, ...] = ()
    explanations: tuple[str, ...] = ()  # why a doubt does not stand in the way, with who and when (beside the photo)


@dataclass(frozen=True, slots=True)
class OpinionDocument:
    """Everything printed on one acceptance opinion."""

    opinion_id: str
    document_number: str
    issuing_office: str
    enterprise: EnterpriseInfo
    equipment: tuple[EquipmentItem, ...]
    basis: tuple[BasisItem, ...]
    exit_method: str
    inspection_date: dt.date
    inspection_place: str
    checklist: tuple[ChecklistRow, ...]
    conclusion: Conclusion
    issue_date: dt.date
    team: tuple[TeamMember, ...]
    representative: Representative | None = None
    title: str = ""
    intro_paragraphs: tuple[str, ...] = ()
    conclusion_paragraphs: tuple[str, ...] = ()
    photos: tuple[EvidencePhoto, ...] = ()
    qr_payload: str | None = None
    addressee: str = ""  # 主送机关; the enterprise when empty
    cc: tuple[str, ...] = ()  # 抄送 in the 版记
    seal_image: Path | None = None  # the office's seal (PNG with transparency), pressed on the 署名 and date
    self_signed: bool = False  # signed with a certificate the office CA did not issue: said on the face
    verification_url: str = ""  # printed under the QR code and carried in it
    rendered_at: dt.datetime | None = None  # the file's creation time (aware); now when not given
    stage_word: str = "拆除"  # the photo stages are 拆除前/中/后, or 封存前/中/后 for sealed equipment

    @property
    def stage_labels(self) -> dict[str, str]:
        """Return the annex's stage names: {"before": "拆除前", …} (or 封存前 … for sealed equipment)."""
        return {stage: f"{self.stage_word}{suffix}" for stage, suffix in (("before", "前"), ("during", "中"),
                                                                           ("after", "后"))}

    @property
    def display_title(self) -> str:
        """Return the title, defaulting to 关于<企业>落后产能退出的验收意见."""
        return self.title or f"关于{self.enterprise.name}落后产能退出的验收意见"

    @property
    def addressee_text(self) -> str:
        """Return the 主送机关 (the enterprise unless set)."""
        return self.addressee or self.enterprise.name

    @property
    def conclusion_label(self) -> str:
        """Return the conclusion in words (通过 / 不予通过 / 限期整改后复验)."""
        return CONCLUSION_LABELS[Conclusion(self.conclusion)]

    @property
    def evidence_hashes(self) -> tuple[str, ...]:
        """Return the SHA-256 of every listed photo, sorted."""
        return tuple(sorted(p.sha256 for p in self.photos))
