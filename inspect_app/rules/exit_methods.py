"""Exit methods (退出方式) and the on-site exit checklist used by an acceptance inspection.

Source: the 2021 plan, 二（二）5–6. Dismantling needs the main equipment gone and not moved elsewhere;
sealing needs water and power cut, power units removed, the main equipment sealed, a public commitment
and a portal notice; a whole-enterprise exit (关停、停业、关闭、取缔) needs water and power cut
(“两断”) so the capacity cannot resume. Every path needs the equipment not moved to another region.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from inspect_app.errors import UserError
from inspect_app.i18n import Label, Msg, Text

__all__ = [
    "CHECKLIST",
    "CHECKLIST_ANSWERS",
    "EXIT_METHOD_LABELS",
    "WHOLE_ENTERPRISE_METHODS",
    "ChecklistItem",
    "ExitMethod",
    "acceptance_passes",
    "checklist_gap_messages",
    "checklist_gaps",
    "gaps_by_method",
    "parse_exit_method",
    "required_by",
    "required_checklist",
]


class ExitMethod(StrEnum):
    """How a unit of capacity exits."""

    SHUTDOWN = "shutdown"
    SUSPENSION = "suspension"
    CLOSURE = "closure"
    BAN = "ban"
    DISMANTLE = "dismantle"
    SEAL = "seal"


EXIT_METHOD_LABELS: dict[ExitMethod, str] = {
    ExitMethod.SHUTDOWN: "关停",
    ExitMethod.SUSPENSION: "停业",
    ExitMethod.CLOSURE: "关闭",
    ExitMethod.BAN: "取缔",
    ExitMethod.DISMANTLE: "拆除",
    ExitMethod.SEAL: "封存",
}
WHOLE_ENTERPRISE_METHODS: frozenset[ExitMethod] = frozenset(
    {ExitMethod.SHUTDOWN, ExitMethod.SUSPENSION, ExitMethod.CLOSURE, ExitMethod.BAN}
)

_ALL = frozenset(ExitMethod)
_WHOLE = WHOLE_ENTERPRISE_METHODS
_SEAL = frozenset({ExitMethod.SEAL})
_DISMANTLE = frozenset({ExitMethod.DISMANTLE})


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One thing the inspector checks on site, and the exit methods that require it."""

    code: str
    label: str
    required_for: frozenset[ExitMethod]
    missing: str = ""
    """What to say when the answer is ``no``."""


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("dismantled", "已拆除主体设备", _DISMANTLE, "主体设备未拆除"),
    ChecklistItem("water_cut", "已断水", _SEAL | _WHOLE, "未断水"),
    ChecklistItem("power_cut", "已断电", _SEAL | _WHOLE, "未断电"),
    ChecklistItem("power_units_removed", "已拆除动力装置", _SEAL, "动力装置未拆除"),
    ChecklistItem("sealed", "已封存主体设备", _SEAL, "主体设备未封存"),
    ChecklistItem(
        "public_commitment", "已向社会公开承诺不再恢复生产", _SEAL, "企业未向社会公开承诺不再恢复生产"
    ),
    ChecklistItem("portal_notice", "已在政府门户网站公告", _SEAL, "未在政府门户网站公告"),
    ChecklistItem("not_relocated", "设备未向其他地区转移", _ALL, "设备已向其他地区转移或去向不明"),
)
_BY_CODE: dict[str, ChecklistItem] = {item.code: item for item in CHECKLIST}

# Accepted answers -> canonical yes / no / na.
CHECKLIST_ANSWERS: dict[str, str] = {
    "yes": "yes", "no": "no", "na": "na",
    "是": "yes", "否": "no", "不适用": "na",
}  # fmt: skip


def parse_exit_method(text: str) -> ExitMethod:
    """Return the exit method for a code (``seal``) or Chinese name (``封存``); raise ``UserError``."""
    key = text.strip()
    for method, label in EXIT_METHOD_LABELS.items():
        if key.lower() == method.value or key == label:
            return method
    known = "、".join(f"{label}（{method.value}）" for method, label in EXIT_METHOD_LABELS.items())
    raise UserError(Msg("未知的退出方式“{text}”，应为：{known}", text=text, known=known), code="E_EXIT_METHOD_UNKNOWN")


def required_checklist(method: str) -> list[str]:
    """Return the codes of the checklist items ``method`` requires, in checklist order."""
    exit_method = parse_exit_method(method)
    return [item.code for item in CHECKLIST if exit_method in item.required_for]


def required_by(methods: Iterable[str]) -> dict[str, list[ExitMethod]]:
    """Return, for each checklist item that some of ``methods`` require, those methods (distinct, in given order).

    An inspection may cover equipment under several exit plans: each item is required by its own methods only.
    """
    distinct = list(dict.fromkeys(parse_exit_method(m) for m in methods))
    return {item.code: [m for m in distinct if m in item.required_for]
            for item in CHECKLIST if any(m in item.required_for for m in distinct)}


def gaps_by_method(methods: Iterable[str], results: Mapping[str, str]) -> list[tuple[ExitMethod, list[Text]]]:
    """Return each distinct exit method of ``methods`` (in given order) with what its own checklist still lacks.

    A method whose list is empty passes; the acceptance passes when every method does.
    """
    distinct = list(dict.fromkeys(parse_exit_method(m) for m in methods))
    return [(m, checklist_gap_messages(m.value, results)) for m in distinct]


def checklist_gap_messages(method: str, results: Mapping[str, str]) -> list[Text]:
    """Return what keeps an acceptance by ``method`` from passing, as messages; empty means it passes.

    ``results`` maps item codes to ``yes`` / ``no`` / ``na`` (or 是 / 否 / 不适用). A required item that
    is missing, ``no`` or ``na`` is a gap; items the method does not require are ignored. Unknown codes
    or answers raise ``UserError`` (``E_CHECKLIST_INVALID``).
    """
    answers: dict[str, str] = {}
    for code, raw in results.items():
        if code not in _BY_CODE:
            raise UserError(Msg("未知的核查项“{code}”", code=code), code="E_CHECKLIST_INVALID")
        answer = CHECKLIST_ANSWERS.get(str(raw).strip().lower())
        if answer is None:
            raise UserError(
                Msg("核查项“{label}”的结果“{raw}”无效，应为 是/否/不适用（yes/no/na）", label=Label(_BY_CODE[code].label),
                    raw=raw),
                code="E_CHECKLIST_INVALID",
            )
        answers[code] = answer
    gaps: list[Text] = []
    for code in required_checklist(method):
        item = _BY_CODE[code]
        answer = answers.get(code)
        if answer is None:
            gaps.append(Msg("未核查：{item}", item=Label(item.label)))
        elif answer == "no":
            gaps.append(Label(item.missing) if item.missing else Msg("未做到：{item}", item=Label(item.label)))
        elif answer == "na":
            gaps.append(Msg("“{item}”为必查项，不能填“不适用”", item=Label(item.label)))
    return gaps


def checklist_gaps(method: str, results: Mapping[str, str]) -> list[str]:
    """Return in Chinese (the printed opinion's language) what keeps an acceptance by ``method`` from passing."""
    return [gap.zh for gap in checklist_gap_messages(method, results)]


def acceptance_passes(method: str, results: Mapping[str, str]) -> bool:
    """Return whether the checklist has no gaps for ``method``."""
    return not checklist_gaps(method, results)
