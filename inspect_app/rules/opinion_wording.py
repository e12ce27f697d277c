"""The standard wording of the written acceptance opinion (书面验收意见): one source for the window and the CLI.

Printed in the official document, so always Chinese whatever the UI language. The inspector may replace the
conclusion paragraphs; these are what the form starts from and what an opinion issued without a body says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .conclusions import Conclusion
from .exit_methods import EXIT_METHOD_LABELS, ExitMethod

__all__ = [
    "DEFAULT_EXIT_METHOD",
    "DEFAULT_PLAN_CITATIONS",
    "EXIT_WORDING",
    "STAGE_SUFFIXES",
    "PlanCitation",
    "china_today",
    "chinese_date",
    "choose_plan_citation",
    "dismantle_deadline_text",
    "exit_method_text",
    "needs_dismantle_deadline",
    "photo_stage_labels",
    "stage_labels",
    "stage_word",
    "standard_conclusion",
    "standard_intro",
]

DEFAULT_EXIT_METHOD = ExitMethod.DISMANTLE
"""The method assumed for equipment without an exit plan (the plan's usual path)."""

EXIT_WORDING: dict[ExitMethod, str] = {
    ExitMethod.DISMANTLE: "拆除主体设备（生产线），设备不向其他地区转移",
    ExitMethod.SEAL: "断水、断电，拆除动力装置，封存主体设备，企业向社会公开承诺不再恢复生产，并在政府门户网站公告，"
                     "限时拆除",
    ExitMethod.SHUTDOWN: "整个企业关停，断水、断电，不具备恢复生产条件",
    ExitMethod.SUSPENSION: "整个企业停业，断水、断电，不具备恢复生产条件",
    ExitMethod.CLOSURE: "整个企业依法关闭，断水、断电，不具备恢复生产条件",
    ExitMethod.BAN: "整个企业依法取缔，断水、断电，不具备恢复生产条件",
}


CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def china_today() -> dt.date:
    """Return today's date in China Standard Time, the date every document carries, whatever the machine's zone
    (a laptop left on UTC signing at 07:15 Beijing time on 2 December must not date its opinion 1 December)."""
    return dt.datetime.now(dt.UTC).astimezone(CHINA_TZ).date()


def chinese_date(day: dt.date) -> str:
    """Format a date as in official documents: 2021年10月28日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class PlanCitation:
    """The plan an opinion is issued under, as the office configures it per province and year (setting
    ``plan_citations``): the province's work plan and the standard system it applies, each with its 文号."""

    province: str
    """The province's region code (410000) or name (河南省); empty for any province."""
    year: int
    """The year the plan takes effect; it applies until a later year's plan is configured."""
    plan: str
    plan_number: str = ""
    standard: str = ""
    standard_number: str = ""

    def text(self) -> str:
        """Return the citation as the opinion's opening words: 根据《…》（…号）要求，依据《…》（…号），"""
        def cited(title: str, number: str) -> str:
            title = title if title.startswith("《") else f"《{title}》"
            return title + (f"（{number}）" if number else "")

        out = f"根据{cited(self.plan, self.plan_number)}要求，"
        if self.standard:
            out += f"依据{cited(self.standard, self.standard_number)}，"
        return out

    def to_json(self) -> dict[str, Any]:
        return {"province": self.province, "year": self.year, "plan": self.plan, "plan_number": self.plan_number,
                "standard": self.standard, "standard_number": self.standard_number}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanCitation:
        return cls(province=str(data.get("province") or ""), year=int(data["year"]), plan=str(data["plan"]),
                   plan_number=str(data.get("plan_number") or ""), standard=str(data.get("standard") or ""),
                   standard_number=str(data.get("standard_number") or ""))


DEFAULT_PLAN_CITATIONS: tuple[PlanCitation, ...] = (
    PlanCitation(province="410000", year=2021,
                 plan="河南省2021年利用综合标准依法依规推动落后产能退出工作方案", plan_number="豫淘汰落后办〔2021〕10号",
                 standard="河南省淘汰落后产能综合标准体系（2020年本）", standard_number="豫淘汰落后办〔2020〕4号"),
)
"""What a new store cites: the Henan 2021 plan (the domain's source document) and the standard it applies."""


def choose_plan_citation(citations: Sequence[PlanCitation], provinces: Sequence[str], year: int) -> PlanCitation | None:
    """Return the plan in force for an enterprise in ``provinces`` (its province's code and name; empty when the
    enterprise has no region) in ``year``: the entry of that province (or of any province) with the latest
    year not after ``year``; None when none applies (the opinion then cites no plan by name)."""
    wanted = {p for p in provinces if p}
    fitting = [c for c in citations if c.year <= year and (not c.province or not wanted or c.province in wanted)]
    if not fitting:
        return None
    # the province's own plan before a catch-all one of the same year
    return max(fitting, key=lambda c: (c.year, bool(c.province)))


def standard_intro(enterprise: str, visited: dt.date, citation: PlanCitation | None = None) -> str:
    """Return the opening paragraph: under which plan, who inspected what, when."""
    basis = citation.text() if citation is not None else "根据落后产能退出工作有关要求，"
    return (f"{basis}验收组于{chinese_date(visited)}对{enterprise}落后产能退出情况"
            "进行了现场检查和考核验收。现将验收意见函告如下。")


def exit_method_text(methods: Sequence[tuple[str, ExitMethod]]) -> str:
    """Return the exit-method paragraph for ``(equipment name, method)`` pairs, in equipment order."""
    distinct = list(dict.fromkeys(method for _name, method in methods))
    if len(distinct) <= 1:
        method = distinct[0] if distinct else DEFAULT_EXIT_METHOD
        return f"{EXIT_METHOD_LABELS[method]}：{EXIT_WORDING[method]}。"
    return "；".join(f"{name}：{EXIT_METHOD_LABELS[method]}（{EXIT_WORDING[method]}）" for name, method in methods) + "。"


def standard_conclusion(conclusion: Conclusion, enterprise: str, equipment: Sequence[str],
                        methods: Sequence[ExitMethod], gaps: Sequence[str]) -> list[str]:
    """Return the standard conclusion paragraphs.

    ``equipment`` names the covered equipment, ``methods`` their distinct exit methods in equipment order,
    ``gaps`` what the checklist still lacks for those methods (named in a fail or recheck conclusion).
    """
    what = "、".join(equipment) if equipment else "相关设备"
    method_text = "、".join(EXIT_METHOD_LABELS[m] for m in dict.fromkeys(methods)) or \
        EXIT_METHOD_LABELS[DEFAULT_EXIT_METHOD]
    if conclusion is Conclusion.PASS:
        return [f"经现场核查，{enterprise}的{what}已按{method_text}方式完成退出，核查项目均符合要求，"
                "不具备恢复生产条件，同意通过验收。",
                "请属地工业和信息化主管部门加强日常监管，防止已退出产能死灰复燃。"]
    problems = f"（{'；'.join(gaps)}）" if gaps else ""
    if conclusion is Conclusion.FAIL:
        return [f"经现场核查，{enterprise}的{what}落后产能退出未达到要求{problems}，不予通过验收。",
                "企业应按退出计划落实退出措施，完成后重新申请验收。"]
    return [f"经现场核查，{enterprise}的{what}落后产能退出尚存在问题{problems}，请企业限期整改。",
            "整改完成后，由属地主管部门组织复验。"]


# --- sealed equipment: the dismantling deadline and the photo stages -------------------------------------------

STAGE_SUFFIXES: dict[str, str] = {"before": "前", "during": "中", "after": "后"}


def stage_word(methods: Sequence[ExitMethod]) -> str:
    """Return what the photo stages are before, during and after: 拆除 (dismantling, the plan's words for the
    evidence), 封存 when every method is sealing (nothing is dismantled yet), 拆除（封存） when both occur."""
    distinct = set(methods)
    if distinct and distinct <= {ExitMethod.SEAL}:
        return "封存"
    return "拆除（封存）" if ExitMethod.SEAL in distinct else "拆除"


def stage_labels(methods: Sequence[ExitMethod]) -> dict[str, str]:
    """Return the stage names for ``methods``: {"before": "封存前", …} or {"before": "拆除前", …}."""
    word = stage_word(methods)
    return {stage: f"{word}{suffix}" for stage, suffix in STAGE_SUFFIXES.items()}


def photo_stage_labels(equipment_id: str | None, methods: Mapping[str, ExitMethod]) -> dict[str, str]:
    """Return the stage names of a photo of ``equipment_id`` given each covered equipment's exit method
    (``methods``): its own method's (封存前 … for sealed equipment), or all methods' for a photo of no equipment."""
    own = [methods[equipment_id]] if equipment_id is not None and equipment_id in methods else list(methods.values())
    return stage_labels(own)


def needs_dismantle_deadline(methods: Sequence[ExitMethod]) -> bool:
    """Whether the opinion must set a dismantling deadline (限时拆除): sealed equipment is dismantled later."""
    return ExitMethod.SEAL in set(methods)


def dismantle_deadline_text(sealed: Sequence[str], by: dt.date) -> str:
    """Return the paragraph setting the dismantling deadline of the sealed equipment named in ``sealed``."""
    what = "、".join(sealed) if sealed else "封存的主体设备（生产线）"
    return (f"限时拆除：{what}已封存，企业应于{chinese_date(by)}前拆除主体设备（生产线），"
            "拆除前、中、后影像资料报属地主管部门核查；封存期间不得启封、恢复生产或向其他地区转移。")
