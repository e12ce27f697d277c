"""The five aspects (方面) under which capacity is judged outdated, and what each implies.

Source: 《河南省2021年利用综合标准依法依规推动落后产能退出工作方案》, 二（二）1–5.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inspect_app.errors import RuleViolation, UserError
from inspect_app.i18n import Label, Msg

__all__ = [
    "ASPECTS",
    "Aspect",
    "AspectRule",
    "aspect_rule",
    "check_extension_allowed",
    "parse_aspect",
]


class Aspect(StrEnum):
    """Codes of the five aspects."""

    ENERGY = "energy"
    ENVIRONMENT = "environment"
    QUALITY = "quality"
    SAFETY = "safety"
    TECHNOLOGY = "technology"


@dataclass(frozen=True, slots=True)
class AspectRule:
    """What the plan says about one aspect."""

    code: Aspect
    name: str
    rectifiable: bool
    """Whether the capacity may be rectified at all (technology: no, it must go)."""
    rectification_months: int | None
    """Fixed rectification period set by the plan (6 for energy and quality), ``None`` if none is fixed."""
    extension_allowed: bool
    max_extension_months: int
    measure: str
    """What is ordered when the capacity is found below standard."""
    if_not_rectified: str
    lead_departments: tuple[str, ...]
    """The departments that lead on this aspect, named as at the city and county level where the inspections
    are made (局; the province's are 厅): the same names as the shipped reference data."""

    @property
    def has_rectification_period(self) -> bool:
        """Return whether the plan fixes a rectification period for this aspect."""
        return self.rectification_months is not None


ASPECTS: dict[Aspect, AspectRule] = {
    rule.code: rule
    for rule in (
        AspectRule(
            code=Aspect.ENERGY,
            name="能耗",
            rectifiable=True,
            rectification_months=6,
            extension_allowed=True,
            max_extension_months=3,
            measure="达不到强制性能耗限额标准的产能，应在6个月内整改到位",
            if_not_rectified="逾期未整改或经整改仍未达标的，依法关停",
            lead_departments=("工业和信息化局", "发展改革委", "能源局"),
        ),
        AspectRule(
            code=Aspect.ENVIRONMENT,
            name="环保",
            rectifiable=True,
            rectification_months=None,
            extension_allowed=False,
            max_extension_months=0,
            measure="由县级及以上生态环境部门依法采取限制生产、停产整治等措施",
            if_not_rectified="情节严重的，报经当地人民政府批准，责令停业、关闭",
            lead_departments=("生态环境局",),
        ),
        AspectRule(
            code=Aspect.QUALITY,
            name="质量",
            rectifiable=True,
            rectification_months=6,
            extension_allowed=False,
            max_extension_months=0,
            measure="产品质量达不到强制性标准要求的，依法查处并责令停产整改",
            if_not_rectified="在6个月内未整改或经整改仍未达标的，由县级及以上人民政府依法关停",
            lead_departments=("市场监督管理局",),
        ),
        AspectRule(
            code=Aspect.SAFETY,
            name="安全",
            rectifiable=True,
            rectification_months=None,
            extension_allowed=False,
            max_extension_months=0,
            measure="依法责令限期停产停业整改",
            if_not_rectified="经停产停业整改仍不具备安全生产条件的，予以关闭，并吊销其相关证照",
            lead_departments=("应急管理局",),
        ),
        AspectRule(
            code=Aspect.TECHNOLOGY,
            name="技术",
            rectifiable=False,
            rectification_months=None,
            extension_allowed=False,
            max_extension_months=0,
            measure="属淘汰类工艺技术装备，须拆除相应主体设备；暂不具备拆除条件的，立即断水、断电，拆除动力装置，封存主体设备",
            if_not_rectified="不适用整改：具备拆除条件的立即拆除，暂不具备的封存后限时拆除",
            lead_departments=("工业和信息化局",),
        ),
    )
}

_CODES: frozenset[str] = frozenset(a.value for a in Aspect)
_BY_NAME: dict[str, Aspect] = {rule.name: code for code, rule in ASPECTS.items()}


def parse_aspect(text: str) -> Aspect:
    """Return the aspect code for a code (``energy``) or Chinese name (``能耗``, ``能耗方面``)."""
    key = text.strip()
    lowered = key.lower()
    if lowered in _CODES:
        return Aspect(lowered)
    name = key.removesuffix("方面")
    if name in _BY_NAME:
        return _BY_NAME[name]
    known = "、".join(f"{rule.name}（{code.value}）" for code, rule in ASPECTS.items())
    raise UserError(Msg("未知的方面“{text}”，应为：{known}", text=text, known=known), code="E_ASPECT_UNKNOWN")


def aspect_rule(code: str) -> AspectRule:
    """Return the rule for an aspect code or Chinese name; raise ``UserError`` (``E_ASPECT_UNKNOWN``)."""
    return ASPECTS[parse_aspect(code)]


def check_extension_allowed(aspect: str) -> None:
    """Raise ``RuleViolation`` (``E_EXTENSION_NOT_ALLOWED``) unless the aspect allows an extension."""
    rule = aspect_rule(aspect)
    if not rule.extension_allowed:
        raise RuleViolation(
            Msg("{name}方面不适用延期申请（按工作方案，仅能耗方面可申请不超过3个月的延期）", name=Label(rule.name)),
            code="E_EXTENSION_NOT_ALLOWED",
        )
