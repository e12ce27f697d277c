"""Aspects, exit methods and the exit checklist."""

from __future__ import annotations

import pytest

from inspect_app.errors import RuleViolation, UserError
from inspect_app.rules import (
    ASPECTS,
    CHECKLIST,
    Aspect,
    ExitMethod,
    acceptance_passes,
    aspect_rule,
    check_extension_allowed,
    checklist_gaps,
    parse_aspect,
    parse_exit_method,
    required_checklist,
)

SEAL_ITEMS = [
    "water_cut",
    "power_cut",
    "power_units_removed",
    "sealed",
    "public_commitment",
    "portal_notice",
    "not_relocated",
]


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("energy", Aspect.ENERGY),
        (" Energy ", Aspect.ENERGY),
        ("能耗", Aspect.ENERGY),
        ("能耗方面", Aspect.ENERGY),
        ("环保", Aspect.ENVIRONMENT),
        ("质量", Aspect.QUALITY),
        ("安全", Aspect.SAFETY),
        ("技术", Aspect.TECHNOLOGY),
        ("technology", Aspect.TECHNOLOGY),
    ],
)
def test_parse_aspect(text: str, aspect: Aspect) -> None:
    assert parse_aspect(text) == aspect
    assert parse_aspect(text) == aspect.value


@pytest.mark.parametrize("text", ["", "energie", "能源", "tech"])
def test_unknown_aspect(text: str) -> None:
    with pytest.raises(UserError) as caught:
        aspect_rule(text)
    assert caught.value.code == "E_ASPECT_UNKNOWN"


@pytest.mark.parametrize(
    ("code", "name", "months", "extension", "rectifiable", "department"),
    [
        ("energy", "能耗", 6, True, True, "发展改革委"),
        ("environment", "环保", None, False, True, "生态环境局"),
        ("quality", "质量", 6, False, True, "市场监督管理局"),
        ("safety", "安全", None, False, True, "应急管理局"),
        ("technology", "技术", None, False, False, "工业和信息化局"),
    ],
)
def test_aspect_table(
    code: str, name: str, months: int | None, extension: bool, rectifiable: bool, department: str
) -> None:
    rule = aspect_rule(code)
    assert rule.code == code
    assert rule.name == name
    assert rule.rectification_months == months
    assert rule.has_rectification_period is (months is not None)
    assert rule.extension_allowed is extension
    assert rule.max_extension_months == (3 if extension else 0)
    assert rule.rectifiable is rectifiable
    assert department in rule.lead_departments
    assert rule.if_not_rectified
    assert aspect_rule(name) is rule


def test_five_aspects() -> None:
    assert [rule.name for rule in ASPECTS.values()] == ["能耗", "环保", "质量", "安全", "技术"]


@pytest.mark.parametrize("aspect", ["environment", "quality", "safety", "技术"])
def test_extension_only_for_energy(aspect: str) -> None:
    check_extension_allowed("能耗")
    with pytest.raises(RuleViolation) as caught:
        check_extension_allowed(aspect)
    assert caught.value.code == "E_EXTENSION_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("关停", ExitMethod.SHUTDOWN),
        ("停业", ExitMethod.SUSPENSION),
        ("关闭", ExitMethod.CLOSURE),
        ("取缔", ExitMethod.BAN),
        ("拆除", ExitMethod.DISMANTLE),
        ("封存", ExitMethod.SEAL),
        ("seal", ExitMethod.SEAL),
        (" Dismantle ", ExitMethod.DISMANTLE),
    ],
)
def test_parse_exit_method(text: str, method: ExitMethod) -> None:
    assert parse_exit_method(text) is method


def test_unknown_exit_method() -> None:
    with pytest.raises(UserError) as caught:
        required_checklist("搬迁")
    assert caught.value.code == "E_EXIT_METHOD_UNKNOWN"


@pytest.mark.parametrize(
    ("method", "required"),
    [
        ("dismantle", ["dismantled", "not_relocated"]),
        ("seal", SEAL_ITEMS),
        ("封存", SEAL_ITEMS),
        ("shutdown", ["water_cut", "power_cut", "not_relocated"]),
        ("suspension", ["water_cut", "power_cut", "not_relocated"]),
        ("closure", ["water_cut", "power_cut", "not_relocated"]),
        ("取缔", ["water_cut", "power_cut", "not_relocated"]),
    ],
)
def test_required_checklist(method: str, required: list[str]) -> None:
    assert required_checklist(method) == required


def test_checklist_codes_and_labels() -> None:
    assert {item.code: item.label for item in CHECKLIST} == {
        "dismantled": "已拆除主体设备",
        "water_cut": "已断水",
        "power_cut": "已断电",
        "power_units_removed": "已拆除动力装置",
        "sealed": "已封存主体设备",
        "public_commitment": "已向社会公开承诺不再恢复生产",
        "portal_notice": "已在政府门户网站公告",
        "not_relocated": "设备未向其他地区转移",
    }


ALL_YES = {item.code: "yes" for item in CHECKLIST}


@pytest.mark.parametrize(
    ("method", "results", "gaps"),
    [
        ("dismantle", {"dismantled": "yes", "not_relocated": "yes"}, []),
        ("dismantle", {"dismantled": "yes", "not_relocated": "yes", "water_cut": "no"}, []),
        ("dismantle", {"dismantled": "no", "not_relocated": "yes"}, ["主体设备未拆除"]),
        ("dismantle", {"dismantled": "yes", "not_relocated": "no"}, ["设备已向其他地区转移或去向不明"]),
        ("dismantle", {"not_relocated": "yes"}, ["未核查：已拆除主体设备"]),
        ("dismantle", {"dismantled": "na", "not_relocated": "是"}, ["“已拆除主体设备”为必查项，不能填“不适用”"]),
        ("dismantle", {}, ["未核查：已拆除主体设备", "未核查：设备未向其他地区转移"]),
        ("seal", ALL_YES, []),
        ("seal", {**ALL_YES, "dismantled": "na"}, []),
        ("seal", {**ALL_YES, "power_units_removed": "否"}, ["动力装置未拆除"]),
        ("seal", {**ALL_YES, "portal_notice": "NO", "public_commitment": "no"},
         ["企业未向社会公开承诺不再恢复生产", "未在政府门户网站公告"]),
        ("seal", {"dismantled": "yes", "not_relocated": "yes"},
         ["未核查：已断水", "未核查：已断电", "未核查：已拆除动力装置", "未核查：已封存主体设备",
          "未核查：已向社会公开承诺不再恢复生产", "未核查：已在政府门户网站公告"]),
        ("closure", {"water_cut": "yes", "power_cut": "no", "not_relocated": "yes"}, ["未断电"]),
    ],
)  # fmt: skip
def test_checklist_gaps(method: str, results: dict[str, str], gaps: list[str]) -> None:
    assert checklist_gaps(method, results) == gaps
    assert acceptance_passes(method, results) is (not gaps)


@pytest.mark.parametrize(
    "results",
    [{"dismantled": "maybe"}, {"dismantled": ""}, {"moved_away": "no"}],
)
def test_checklist_refuses_bad_results(results: dict[str, str]) -> None:
    with pytest.raises(UserError) as caught:
        checklist_gaps("dismantle", results)
    assert caught.value.code == "E_CHECKLIST_INVALID"


def test_each_method_is_judged_by_its_own_required_items() -> None:
    from inspect_app.rules import gaps_by_method, required_by

    required = required_by(["dismantle", "seal", "dismantle"])
    assert required["dismantled"] == [ExitMethod.DISMANTLE]
    assert required["public_commitment"] == [ExitMethod.SEAL]
    assert required["not_relocated"] == [ExitMethod.DISMANTLE, ExitMethod.SEAL]
    answers = {code: "yes" for code in required_checklist("seal")}
    judged = gaps_by_method(["dismantle", "seal"], answers)
    assert [m for m, _ in judged] == [ExitMethod.DISMANTLE, ExitMethod.SEAL]
    assert [g.zh for g in judged[0][1]] == ["未核查：已拆除主体设备"] and judged[1][1] == []
    answers["dismantled"] = "yes"
    assert all(not gaps for _m, gaps in gaps_by_method(["dismantle", "seal"], answers))


def test_no_placeholder_department_names() -> None:
    # "厅/局" is not a department: the rules name the city/county department, as the shipped reference data does
    import json

    from inspect_app.resources import load_json

    shipped = {a["code"]: a["lead_departments"] for a in load_json("reference", "aspects.json")["aspects"]}
    for code in ("energy", "environment", "quality", "safety", "technology"):
        rule = aspect_rule(code)
        assert not any("/" in d for d in rule.lead_departments), rule.lead_departments
        assert list(rule.lead_departments) == shipped[code]
    assert "厅/局" not in json.dumps(shipped, ensure_ascii=False)
