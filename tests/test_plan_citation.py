"""The plan an opinion cites is the office's setting per province and year (default: the Henan 2021 plan and
the standard system it applies), checked when set, chosen by the enterprise's province and the issue year."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from inspect_app.errors import UserError
from inspect_app.models.store import Store
from inspect_app.rules.opinion_wording import DEFAULT_PLAN_CITATIONS, PlanCitation, choose_plan_citation
from inspect_app.services import identity, opinions
from inspect_app.services.settings import check_setting, get_setting, plan_citations, set_setting
from tests.opinion_case import PASS, TODAY, make_case, signoff_for
from tests.tools import require

HENAN_2021 = DEFAULT_PLAN_CITATIONS[0]
HENAN_2026 = PlanCitation("河南省", 2026, "河南省2026年落后产能退出工作方案", "豫淘汰落后办〔2026〕3号")
HUBEI_2021 = PlanCitation("420000", 2021, "湖北省2021年淘汰落后产能工作方案", "鄂经信〔2021〕7号")
ANY_2023 = PlanCitation("", 2023, "全国2023年淘汰落后产能工作要点")


def test_the_plan_in_force_for_the_province_and_year() -> None:
    all_ = [HENAN_2021, HENAN_2026, HUBEI_2021, ANY_2023]
    henan = ["410000", "河南省"]
    assert choose_plan_citation(all_, henan, 2021) == HENAN_2021
    assert choose_plan_citation(all_, henan, 2022) == HENAN_2021  # in force until a later plan is configured
    assert choose_plan_citation(all_, henan, 2024) == ANY_2023  # a catch-all of a later year
    assert choose_plan_citation(all_, henan, 2026) == HENAN_2026  # the province's own, matched by name
    assert choose_plan_citation(all_, ["420000", "湖北省"], 2021) == HUBEI_2021
    assert choose_plan_citation(all_, henan, 2020) is None  # nothing in force yet
    assert choose_plan_citation([HENAN_2021, PlanCitation("", 2021, "x")], henan, 2021) == HENAN_2021
    assert HENAN_2021.text() == ("根据《河南省2021年利用综合标准依法依规推动落后产能退出工作方案》（豫淘汰落后办〔2021〕10号）"
                                 "要求，依据《河南省淘汰落后产能综合标准体系（2020年本）》（豫淘汰落后办〔2020〕4号），")
    assert HENAN_2026.text() == "根据《河南省2026年落后产能退出工作方案》（豫淘汰落后办〔2026〕3号）要求，"


@pytest.mark.parametrize("value", [
    "河南省2021年方案",  # not a list
    [{"year": 2021}],  # no plan
    [{"plan": "x", "year": "今年"}],
    [{"plan": "x", "year": 1999}],
    [{"plan": "x", "year": 2021, "文号": "y"}],  # unknown key
    [{"plan": "x" * 121, "year": 2021}],  # too long to print
])
def test_a_bad_setting_is_refused_with_a_clear_code(store: Store, value: object) -> None:
    with pytest.raises(UserError) as exc:
        check_setting("plan_citations", value)
    assert exc.value.code in ("E_SETTING_INVALID", "E_TEXT_TOO_LONG")
    with store.reader() as s:
        assert plan_citations(s) == list(DEFAULT_PLAN_CITATIONS)


def flat_text(pdf: Path) -> str:
    require("pdftotext")
    return "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


def test_the_opinion_cites_the_configured_plan(store: Store, tmp_path: Path) -> None:
    identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局", passphrase=PASS)
    case = make_case(store)  # an enterprise in 登封市 (410185), Zhengzhou, Henan

    def issue(name: str) -> str:
        out = tmp_path / name
        opinions.issue_opinion(store, inspection_id=case.inspection_id, conclusion="pass", passphrase=PASS,
                               out_path=out, today=TODAY, signoff=signoff_for(store, case.inspection_id),
                               supersedes=last[0] if last else None)
        with store.reader() as s:
            last[:] = [o.id for o in opinions.list_opinions(s, inspection_id=case.inspection_id)
                       if not o.superseded]
        return flat_text(out)

    last: list[str] = []
    text = issue("default.pdf")
    assert ("根据《河南省2021年利用综合标准依法依规推动落后产能退出工作方案》（豫淘汰落后办〔2021〕10号）要求，"
            "依据《河南省淘汰落后产能综合标准体系（2020年本）》（豫淘汰落后办〔2020〕4号），验收组于2021年10月26日") in text
    assert "厅/局" not in text

    # the office sets another plan for Henan from 2021 (and one for another province, which does not apply)
    with store.transaction() as s:
        set_setting(s, "plan_citations", [HUBEI_2021.to_json(),
                                          {"province": "410000", "year": 2021, "plan": "《郑州市落后产能退出实施方案》",
                                           "plan_number": "郑淘汰落后办〔2021〕2号"}])
    with store.reader() as s:
        assert get_setting(s, "plan_citations")[1]["plan"] == "郑州市落后产能退出实施方案"  # brackets not doubled
    text = issue("configured.pdf")
    assert "根据《郑州市落后产能退出实施方案》（郑淘汰落后办〔2021〕2号）要求，验收组于" in text
    assert "豫淘汰落后办〔2021〕10号" not in text and "鄂经信" not in text

    # nothing configured for the province: no plan is cited by name, the wording stays whole
    with store.transaction() as s:
        set_setting(s, "plan_citations", [HUBEI_2021.to_json()])
    text = issue("none.pdf")
    assert "根据落后产能退出工作有关要求，验收组于" in text and "鄂经信" not in text


def test_put_replaces_the_province_and_year_and_keeps_the_rest(store: Store) -> None:
    from inspect_app.services.settings import provinces, put_plan_citation

    with store.reader() as s:
        assert ("410000", "河南省") in provinces(s)
    with store.transaction() as s:
        put_plan_citation(s, HUBEI_2021)
        put_plan_citation(s, HENAN_2026)  # by name: 河南省
        kept = put_plan_citation(s, PlanCitation("410000", 2026, "河南省2026年工作方案（修订）", "豫淘汰落后办〔2026〕5号"))
    assert [c.plan_number for c in kept] == ["豫淘汰落后办〔2021〕10号", "豫淘汰落后办〔2026〕5号", "鄂经信〔2021〕7号"]


def test_the_settings_page_edits_the_plan_in_force(qtbot, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from inspect_app.ui.main_window import PAGE_SETTINGS
    from tests.ui_helpers import make_window, type_text

    window = make_window(qtbot, store, tmp_path)
    window.go_to(PAGE_SETTINGS)
    page = window.settings_page
    page.ensure_loaded()
    qtbot.waitUntil(lambda: page.plan_title.text() == HENAN_2021.plan, timeout=10_000)
    assert page.plan_province.currentText() == "河南省" and page.plan_number.text() == "豫淘汰落后办〔2021〕10号"
    assert page.plan_year.value() == 2021  # the plan in force this year is still the 2021 one
    page.plan_year.setValue(2026)
    page.plan_title.clear()
    type_text(qtbot, page.plan_title, "河南省2026年落后产能退出工作方案")
    page.plan_number.setText("豫淘汰落后办〔2026〕3号")
    page.standard_title.clear()
    page.standard_number.clear()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.saved_label.text() == "设置已保存", timeout=10_000)
    with store.reader() as s:
        cited = plan_citations(s)
    assert HENAN_2021 in cited  # earlier years keep their plan
    assert choose_plan_citation(cited, ["410000"], 2026) == PlanCitation(
        "410000", 2026, "河南省2026年落后产能退出工作方案", "豫淘汰落后办〔2026〕3号")
    window.ctx.runner.wait_idle()


def plan_events(store: Store) -> list[tuple[str, str]]:
    import json

    from sqlalchemy import select

    from inspect_app.models.audit import AuditEvent

    with store.reader() as s:
        return [(e.action, json.dumps(json.loads(e.change)["detail"], ensure_ascii=False))
                for e in s.scalars(select(AuditEvent).where(AuditEvent.action.like("settings.plan_citation.%"))
                                   .order_by(AuditEvent.seq))]


def test_the_office_lists_every_entry_and_removes_one_with_an_audit_event(store: Store) -> None:
    from inspect_app.services.settings import list_plan_citations, put_plan_citation, remove_plan_citation

    with store.transaction() as s:
        put_plan_citation(s, HUBEI_2021)
        put_plan_citation(s, HENAN_2026)  # named by name: listed as 河南省 with the code's entries
        put_plan_citation(s, ANY_2023)
    with store.reader() as s:
        listed = [(e.province_name, e.citation.year, e.citation.plan_number) for e in list_plan_citations(s)]
    assert listed == [("河南省", 2021, "豫淘汰落后办〔2021〕10号"), ("河南省", 2026, "豫淘汰落后办〔2026〕3号"),
                      ("420000", 2021, "鄂经信〔2021〕7号"), ("", 2023, "")]  # a code not in the reference data
    # is listed as stored; any-province entries come last
    assert [a for a, _ in plan_events(store)] == ["settings.plan_citation.put"] * 3

    with store.transaction() as s:
        removed = remove_plan_citation(s, "410000", 2026)  # by code, though stored by name
    assert removed == HENAN_2026
    with store.reader() as s:
        assert [e.citation for e in list_plan_citations(s)] == [HENAN_2021, HUBEI_2021, ANY_2023]
    action, detail = plan_events(store)[-1]
    assert action == "settings.plan_citation.remove" and "豫淘汰落后办〔2026〕3号" in detail  # the whole entry kept

    # an entry that is not there is refused, and nothing changes (no audit event either)
    for province, year in (("河南省", 2026), ("", 2021), ("湖北省", 2022)):
        with pytest.raises(UserError) as exc, store.transaction() as s:
            remove_plan_citation(s, province, year)
        assert exc.value.code == "E_PLAN_CITATION_UNKNOWN"
    assert len(plan_events(store)) == 4
    with store.reader() as s:
        assert len(list_plan_citations(s)) == 3


def test_cli_lists_sets_and_removes_plan_citations(tmp_path: Path) -> None:
    import json
    import sys

    repo = Path(__file__).resolve().parents[1]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(tmp_path / "d"), *args],
                              capture_output=True, text=True, cwd=repo,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(repo)})

    assert cli("init").returncode == 0
    listed = cli("settings", "plans")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split("\t")[:2] == ["河南省", "2021年起"] and "豫淘汰落后办〔2021〕10号" in listed.stdout
    put = cli("settings", "plan-set", "--province", "湖北省", "--year", "2021", "--plan", "湖北省2021年淘汰落后产能工作方案",
              "--plan-number", "鄂经信〔2021〕7号")
    assert put.returncode == 0, put.stderr
    rows = json.loads(cli("--json", "settings", "plans").stdout)["plan_citations"]
    assert [(r["province_name"], r["year"], r["plan_number"]) for r in rows] == [
        ("河南省", 2021, "豫淘汰落后办〔2021〕10号"), ("湖北省", 2021, "鄂经信〔2021〕7号")]
    gone = cli("settings", "plan-remove", "410000", "2021")
    assert gone.returncode == 0, gone.stderr
    assert gone.stdout.startswith("已删除（记入审计）：410000 2021年起 根据《河南省2021年")
    again = cli("settings", "plan-remove", "410000", "2021")
    assert again.returncode != 0 and "E_PLAN_CITATION_UNKNOWN" in again.stderr
    assert [r["province_name"] for r in json.loads(cli("--json", "settings", "plans").stdout)["plan_citations"]] == ["湖北省"]
    whole = cli("settings", "set", "plan_citations", json.dumps([HENAN_2026.to_json()], ensure_ascii=False))
    assert whole.returncode == 0, whole.stderr
    audit = cli("audit", "verify")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    from inspect_app.models.store import open_store

    opened = open_store(tmp_path / "d")
    try:
        assert [a for a, _ in plan_events(opened)] == ["settings.plan_citation.put", "settings.plan_citation.remove",
                                                        "settings.plan_citation.replace"]
        assert "鄂经信〔2021〕7号" in plan_events(opened)[-1][1]  # the list it replaced is kept in the audit
    finally:
        opened.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_settings_page_lists_every_entry_to_edit_or_remove(qtbot, qtmodeltester, store: Store, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              language: str) -> None:
    from PySide6.QtWidgets import QApplication, QScrollArea

    from inspect_app.services.settings import list_plan_citations, put_plan_citation
    from inspect_app.ui import style
    from inspect_app.ui.app import build_window
    from inspect_app.ui.main_window import PAGE_SETTINGS, make_settings
    from tests.ui_helpers import type_text

    with store.transaction() as s:
        put_plan_citation(s, HENAN_2026)
        put_plan_citation(s, ANY_2023)
    style.apply_style(QApplication.instance())  # type: ignore[arg-type]
    window = build_window(store, make_settings(str(tmp_path / "ui.ini")), language=language, inline=True)
    qtbot.addWidget(window)
    try:
        window.resize(1366, 768)
        window.show()
        window.go_to(PAGE_SETTINGS)
        page = window.settings_page
        page.ensure_loaded()
        table = page.plan_table
        qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=10_000)
        qtmodeltester.check(table.model())
        any_province = "任一省份" if language == "zh_CN" else "Any province"
        from_2026 = "2026年起" if language == "zh_CN" else "From 2026"
        assert [table.item(r, 0).text() for r in range(3)] == ["河南省", "河南省", any_province]
        assert table.item(1, 1).text() == from_2026
        assert table.item(1, 2).text() == "《河南省2026年落后产能退出工作方案》（豫淘汰落后办〔2026〕3号）"
        assert table.item(0, 3).text() == "《河南省淘汰落后产能综合标准体系（2020年本）》（豫淘汰落后办〔2020〕4号）"

        # seen at 1366×768: the list in view, its header and the remove button whole
        scroll = page.findChild(QScrollArea)
        assert scroll is not None
        QApplication.processEvents()
        scroll.ensureWidgetVisible(page.plan_status)
        qtbot.waitUntil(lambda: not table.visibleRegion().isEmpty() and not page.plan_remove_button.visibleRegion().isEmpty(),
                        timeout=5_000)
        QApplication.processEvents()
        window.grab().save(str(tmp_path / f"settings-plans-1366x768-{language}.png"))
        header = table.horizontalHeader()
        for column in range(4):
            label = table.horizontalHeaderItem(column).text()
            assert header.fontMetrics().horizontalAdvance(label) <= header.sectionSize(column), label
        button = page.plan_remove_button
        assert button.fontMetrics().horizontalAdvance(button.text()) < button.width()
        assert not button.isEnabled()  # nothing selected yet

        # edit: a row loads into the fields; the changed number is saved over the same province and year
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(1, 2)).center())
        assert page.plan_year.value() == 2026 and page.plan_number.text() == "豫淘汰落后办〔2026〕3号"
        assert page.plan_province.currentText() == "河南省" and button.isEnabled()
        page.plan_number.clear()
        type_text(qtbot, page.plan_number, "豫淘汰落后办〔2026〕5号")
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: table.rowCount() == 3 and "5号" in table.item(1, 2).text(), timeout=10_000)
        with store.reader() as s:
            assert [e.citation.plan_number for e in list_plan_citations(s)][:2] == ["豫淘汰落后办〔2021〕10号",
                                                                                      "豫淘汰落后办〔2026〕5号"]

        # remove: the any-province entry goes, the page says so, the audit keeps it
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(2, 0)).center())
        assert page.plan_province.currentText() == any_province and page.plan_citation() == ANY_2023  # saved as is
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=10_000)
        said = "已删除：任一省份 2023年起（已记入审计日志）" if language == "zh_CN" else \
            "Removed: Any province, from 2023 (recorded in the audit log)"
        assert page.plan_status.text() == said
        assert not table.selectionModel().hasSelection() and not button.isEnabled()
        QApplication.processEvents()
        window.grab().save(str(tmp_path / f"settings-plans-removed-1366x768-{language}.png"))
        with store.reader() as s:
            assert ANY_2023 not in [e.citation for e in list_plan_citations(s)]
        assert [a for a, _ in plan_events(store)][-2:] == ["settings.plan_citation.put", "settings.plan_citation.remove"]
        window.ctx.runner.wait_idle()
    finally:
        window.set_language("zh_CN")  # the translator is the application's: later tests read Chinese
