"""The official task list from Excel: mapping, every bad-input class row by row, one transaction, idempotent."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from inspect_app.errors import Cancelled, UserError
from inspect_app.models import AuditEvent, Enterprise, Equipment, ExitPlan
from inspect_app.models.store import Store
from inspect_app.rules import make_uscc
from inspect_app.services import task_import
from inspect_app.services.audit import verify_audit
from tests.task_sheet_case import HEADERS, task_row, write_sheet

REPO = Path(__file__).resolve().parents[1]
def counts(store: Store) -> tuple[int, int, int, int]:
    with store.reader() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(t)) or 0)  # type: ignore[return-value]
                     for t in (Enterprise, Equipment, ExitPlan, AuditEvent))


def preview_of(store: Store, path: Path, **kw: Any) -> task_import.TaskPreview:
    sheet = task_import.read_task_sheet(path)
    mapping = task_import.confirm_mapping(sheet, kw.pop("overrides", None))
    with store.reader() as s:
        return task_import.validate_tasks(s, sheet, mapping, year=2021)


def apply(store: Store, path: Path, **kw: Any) -> task_import.ApplyResult:
    sheet = task_import.read_task_sheet(path)
    mapping = task_import.confirm_mapping(sheet, kw.pop("overrides", None))
    return task_import.apply_tasks(store, sheet, mapping, year=2021, **kw)


def test_import_applies_everything_and_reimport_changes_nothing(store: Store, backend: str, tmp_path: Path) -> None:
    rows = [task_row(i) for i in range(1, 6)]
    rows.append(task_row(6, 企业名称="登封市测试水泥有限公司1", 统一社会信用代码=make_uscc("410185", 20001),
                         设备名称="Φ2.2×6.5m 水泥磨", 型号规格="Φ2.2×6.5m", 数量=2, 产能="20", 退出方式="封存",
                         计划完成时间="2021年9月30日"))
    rows.append(task_row(7, 行业="钢铁", 设备名称="450立方米高炉", 型号规格="450m³", 产能=40, 退出方式=None,
                         计划完成时间=None))
    path = write_sheet(tmp_path / "tasks.xlsx", rows)
    before = counts(store)
    preview = preview_of(store, path)
    assert preview.ok, task_import.report_lines(preview)
    summary = preview.summary()
    assert (summary["new_enterprises"], summary["new_equipment"], summary["plans"]) == (6, 7, 6)
    assert counts(store) == before  # the preview writes nothing

    result = apply(store, path)
    assert (result.enterprises_added, result.equipment_added, result.plans_set) == (6, 7, 6)
    after = counts(store)
    assert after[:3] == (before[0] + 6, before[1] + 7, before[2] + 6)
    with store.reader() as s:
        assert verify_audit(s).ok
        plan = s.execute(select(ExitPlan.method, ExitPlan.target_date).join(Equipment).where(
            Equipment.name == "Φ2.2×6.5m 水泥磨")).one()
        assert tuple(plan) == ("seal", date(2021, 9, 30))

    again = apply(store, path)  # the same sheet again: nothing to do, nothing written, not even an audit event
    assert not again.changed and again.audit_events == 0
    assert counts(store) == after
    assert preview_of(store, path).summary()["unchanged"] == 7

    rows[0] = task_row(1, 产能=35)  # a later version of the list changes one capacity
    changed = apply(store, write_sheet(tmp_path / "tasks2.xlsx", rows))
    assert (changed.equipment_updated, changed.equipment_added, changed.enterprises_added) == (1, 0, 0)
    assert counts(store)[:3] == after[:3]


def test_wrong_columns_are_named_and_the_mapping_can_be_confirmed(store: Store, tmp_path: Path) -> None:
    headers = [h if h != "统一社会信用代码" else "信用号" for h in HEADERS]
    path = write_sheet(tmp_path / "cols.xlsx", [task_row(1)], headers=headers)
    sheet = task_import.read_task_sheet(path)
    with pytest.raises(UserError) as exc:
        task_import.confirm_mapping(sheet)
    assert exc.value.code == "E_TASKS_COLUMNS"
    assert "统一社会信用代码" in exc.value.message and "信用号" in exc.value.message
    mapping = task_import.confirm_mapping(sheet, {"uscc": "信用号"})
    assert mapping["uscc"] == "信用号"
    with store.reader() as s:
        assert task_import.validate_tasks(s, sheet, mapping, year=2021).ok
    with pytest.raises(UserError, match="没有“不存在”列"):
        task_import.confirm_mapping(sheet, {"uscc": "不存在"})
    with pytest.raises(UserError, match="同一列不能对应多个字段"):
        task_import.confirm_mapping(sheet, {"uscc": "信用号", "enterprise_name": "信用号"})

    unrelated = write_sheet(tmp_path / "other.xlsx", [[1, 2, 3]], headers=["甲", "乙", "丙"], title=False)
    with pytest.raises(UserError) as exc:
        task_import.read_task_sheet(unrelated)
    assert exc.value.code == "E_TASKS_COLUMNS"
    not_xlsx = tmp_path / "old.xlsx"
    not_xlsx.write_bytes(b"\xd0\xcf\x11\xe0 an old .xls file")
    with pytest.raises(UserError) as exc:
        task_import.read_task_sheet(not_xlsx)
    assert exc.value.code == "E_TASKS_NOT_XLSX"


def _errors(preview: task_import.TaskPreview) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for e in preview.errors:
        out.setdefault(e.row, []).append(e.code)
    return out


def test_merged_cells_in_the_data_are_reported_per_row(store: Store, tmp_path: Path) -> None:
    rows = [task_row(i) for i in range(1, 5)]
    rows[2][1] = None  # what a merged 地区 cell reads as below its first row
    path = write_sheet(tmp_path / "merged.xlsx", rows, merges=("B4:B5",))
    preview = preview_of(store, path)
    errors = _errors(preview)
    assert "E_TASKS_MERGED" in errors[4] and "E_TASKS_MERGED" in errors[5]
    assert not preview.ok and {3, 6}.isdisjoint(errors)
    assert any("B4:B5" in line for line in task_import.report_lines(preview))


def test_bad_usccs_name_the_row_and_the_expected_check_character(store: Store, tmp_path: Path) -> None:
    good = make_uscc("410185", 20002)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [task_row(1), task_row(2, 统一社会信用代码=wrong_check), task_row(3, 统一社会信用代码="91410185MA1234"),
            task_row(4, 统一社会信用代码="91410185DM00O0123X")]
    preview = preview_of(store, write_sheet(tmp_path / "uscc.xlsx", rows))
    errors = _errors(preview)
    assert set(errors) == {4, 5, 6} and all(codes == ["E_USCC_INVALID"] for codes in errors.values())
    by_row = {e.row: e for e in preview.errors}
    assert f"应为“{good[-1]}”" in by_row[4].message and by_row[4].column == "统一社会信用代码"
    assert "18位" in by_row[5].message
    assert "第 4 行“统一社会信用代码”列" in by_row[4].line()


def test_text_in_number_columns(store: Store, tmp_path: Path) -> None:
    rows = [task_row(1, 产能="30万吨"), task_row(2, 数量="两台"), task_row(3, 数量=1.5), task_row(4, 产能=-3),
            task_row(5, 计划完成时间="十月底"), task_row(6, 产能="1,200.5")]
    preview = preview_of(store, write_sheet(tmp_path / "numbers.xlsx", rows))
    errors = _errors(preview)
    assert errors == {3: ["E_TASKS_NOT_A_NUMBER"], 4: ["E_TASKS_NOT_A_NUMBER"], 5: ["E_QUANTITY_INVALID"],
                      6: ["E_CAPACITY_INVALID"], 7: ["E_DATE_INVALID"]}
    assert "30万吨" in next(e.message for e in preview.errors if e.row == 3)


def test_duplicate_rows_and_conflicting_enterprise_facts(store: Store, tmp_path: Path) -> None:
    rows = [task_row(1), task_row(2), task_row(1), task_row(4, 统一社会信用代码=make_uscc("410185", 20002),
                                                            设备名称="另一台设备", 企业名称="别的名称")]
    preview = preview_of(store, write_sheet(tmp_path / "dupes.xlsx", rows))
    by_row = {e.row: e for e in preview.errors}
    assert by_row[5].code == "E_TASKS_DUPLICATE" and "与第 3 行重复" in by_row[5].message
    assert by_row[6].code == "E_TASKS_CONFLICT" and "第 4 行" in by_row[6].message
    assert set(by_row) == {5, 6}


def test_unknown_region_sector_and_unit(store: Store, tmp_path: Path) -> None:
    rows = [task_row(1, 地区="火星市"), task_row(2, 行业="造纸"), task_row(3, 产能单位="吨/日"),
            task_row(4, 企业名称=None)]
    preview = preview_of(store, write_sheet(tmp_path / "ref.xlsx", rows))
    assert _errors(preview) == {3: ["E_REGION_UNKNOWN"], 4: ["E_SECTOR_UNKNOWN"], 5: ["E_UNIT_INVALID"],
                                6: ["E_TASKS_REQUIRED"]}
    assert "万吨/年" in next(e.message for e in preview.errors if e.row == 5)


def test_one_bad_row_means_nothing_is_imported(store: Store, backend: str, tmp_path: Path) -> None:
    rows = [task_row(i) for i in range(1, 30)] + [task_row(30, 产能="abc")]
    path = write_sheet(tmp_path / "one-bad.xlsx", rows)
    before = counts(store)
    with pytest.raises(UserError) as exc:
        apply(store, path)
    assert exc.value.code == "E_TASKS_INVALID" and "第 32 行" in exc.value.message
    assert counts(store) == before


def test_cancel_part_way_rolls_everything_back(store: Store, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "many.xlsx", [task_row(i) for i in range(1, 1600)])
    before = counts(store)
    calls = {"n": 0}

    def cancel() -> None:
        calls["n"] += 1
        if calls["n"] > 3:  # after validation, in the middle of the writes
            raise Cancelled()

    with pytest.raises(Cancelled):
        apply(store, path, cancel=cancel)
    assert counts(store) == before
    with store.reader() as s:
        assert verify_audit(s).ok


def test_too_many_rows_is_refused_before_anything_else(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "long.xlsx", [task_row(i) for i in range(1, 52)])
    with pytest.raises(UserError) as exc:
        task_import.read_task_sheet(path, max_rows=50)
    assert exc.value.code == "E_TASKS_TOO_MANY_ROWS" and "第 53 行" in exc.value.message


def test_a_100000_row_sheet_gets_a_row_by_row_report(store: Store, tmp_path: Path) -> None:
    # the required columns only, so the sheet writes and reads in a sensible time on a busy 2-core machine
    headers = ["地区", "企业名称", "统一社会信用代码", "行业", "设备名称", "产能", "产能单位"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("任务清单")
    ws.append(headers)
    usccs = [make_uscc("410185", 100_000 + k) for k in range(100_000 // 3 + 1)]
    bad = {17: (5, "约30"), 50_000: (2, "914101850000000000"), 99_999: (0, "未知县")}
    for i in range(1, 100_001):  # three equipment items an enterprise
        row: list[Any] = ["登封市", f"企业{i // 3}", usccs[i // 3], "水泥", f"设备{i}", 30, "万吨/年"]
        if i in bad:
            row[bad[i][0]] = bad[i][1]
        ws.append(row)
    path = tmp_path / "province.xlsx"
    wb.save(path)
    sheet = task_import.read_task_sheet(path)
    assert len(sheet.rows) == 100_000
    mapping = task_import.confirm_mapping(sheet)
    with store.reader() as s:
        preview = task_import.validate_tasks(s, sheet, mapping, year=2021)
    assert _errors(preview) == {18: ["E_TASKS_NOT_A_NUMBER"], 50_001: ["E_USCC_INVALID"],
                                100_000: ["E_REGION_UNKNOWN"]}
    lines = task_import.report_lines(preview, limit=2)
    assert lines[0].startswith("数据 100000 行：可导入 99997 行，有错误 3 行")
    assert any("第 18 行“产能”列" in line for line in lines) and any("第 50001 行" in line for line in lines)
    assert lines[-1] == "……另有 1 处错误未列出"


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {"INSPECT_APP_TODAY": "2021-06-01", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
        return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(tmp_path / "d"), *args],
                              capture_output=True, text=True, cwd=REPO, env=env)
    return run


def test_cli_tasks_import(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = write_sheet(tmp_path / "good.xlsx", [task_row(i) for i in range(1, 4)])
    dry = cli("tasks", "import", str(good), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "将新增企业 3 家" in dry.stdout and "试运行" in dry.stdout
    done = cli("tasks", "import", str(good), "--year", "2021")
    assert done.returncode == 0 and "新增企业 3 家" in done.stdout
    again = cli("tasks", "import", str(good), "--year", "2021")
    assert again.returncode == 0 and "未作任何改动" in again.stdout
    bad = write_sheet(tmp_path / "bad.xlsx", [task_row(1, 产能="三十")])
    refused = cli("--json", "tasks", "import", str(bad), "--year", "2021")
    assert refused.returncode == 1
    assert '"E_TASKS_NOT_A_NUMBER"' in refused.stdout and '"row": 3' in refused.stdout
    mapped = write_sheet(tmp_path / "mapped.xlsx", [task_row(9)],
                         headers=[h if h != "企业名称" else "单位全称" for h in HEADERS])
    missing = cli("tasks", "import", str(mapped), "--dry-run")
    assert missing.returncode == 1 and missing.stderr.startswith("E_TASKS_COLUMNS")
    ok = cli("tasks", "import", str(mapped), "--dry-run", "--map", "企业名称=单位全称")
    assert ok.returncode == 0, ok.stderr


def test_date_of_establishment_column_is_found_checked_and_imported(store: Store, backend: str,
                                                                     tmp_path: Path) -> None:
    from inspect_app.rules.china_time import china_now
    from inspect_app.services.enterprises import register_enterprise

    headers = [*HEADERS, "成立时间"]  # the other usual header of the column
    tomorrow = date.fromordinal(china_now().date().toordinal() + 1)

    def row(i: int, established: Any, **over: Any) -> list[Any]:
        return [*task_row(i, **over), established]

    bad = write_sheet(tmp_path / "bad.xlsx", [row(1, "2003-05-18"), row(2, "去年"), row(3, tomorrow),
                                              row(4, "1899年12月31日"), row(5, "2003-02-30"),
                                              row(6, date(2001, 1, 1), 统一社会信用代码=make_uscc("410185", 20001),
                                                  企业名称="登封市测试水泥有限公司1", 设备名称="另一台")],
                      headers=headers)
    sheet = task_import.read_task_sheet(bad)
    assert task_import.confirm_mapping(sheet)["established_on"] == "成立时间"
    preview = preview_of(store, bad)
    assert _errors(preview) == {4: ["E_ESTABLISHED_INVALID"], 5: ["E_ESTABLISHED_INVALID"],
                                6: ["E_ESTABLISHED_INVALID"], 7: ["E_ESTABLISHED_INVALID"], 8: ["E_TASKS_CONFLICT"]}
    by_row = {e.row: e for e in preview.errors}
    assert "去年" in by_row[4].message and by_row[4].column == "成立时间"
    assert "晚于今天" in by_row[5].message and "早于 1900 年" in by_row[6].message
    assert "2003-02-30" in by_row[7].message
    assert "第 3 行的成立日期为 2003-05-18" in by_row[8].message

    # an enterprise already registered without the date gets it from the list; a new one is registered with it,
    # from whichever of its rows carries it
    with store.transaction() as s:
        register_enterprise(s, name="登封市测试水泥有限公司3", uscc=make_uscc("410185", 20003), region="410185")
    good = write_sheet(tmp_path / "good.xlsx", [
        row(1, None), row(1, "2003/5/18", 设备名称="Φ2.2×6.5m 水泥磨"), row(2, datetime(1995, 3, 1)),
        row(3, "1998年7月1日"), row(4, None)], headers=headers)
    preview = preview_of(store, good)
    assert preview.ok, task_import.report_lines(preview)
    assert preview.summary()["established_set"] == 1
    assert any("补填或更正已登记企业的成立日期 1 家" in line for line in task_import.report_lines(preview))
    result = apply(store, good)
    assert (result.enterprises_added, result.enterprises_updated) == (3, 1)
    with store.reader() as s:
        dates = {uscc: day for uscc, day in s.execute(select(Enterprise.uscc, Enterprise.established_on))}
        assert verify_audit(s).ok
    assert dates[make_uscc("410185", 20001)] == date(2003, 5, 18)
    assert dates[make_uscc("410185", 20002)] == date(1995, 3, 1)
    assert dates[make_uscc("410185", 20003)] == date(1998, 7, 1)
    assert dates[make_uscc("410185", 20004)] is None
    again = apply(store, good)
    assert not again.changed

    # a corrected date on a later version of the list updates only the enterprise
    corrected = write_sheet(tmp_path / "corrected.xlsx", [row(3, "1998-07-02")], headers=headers)
    preview = preview_of(store, corrected)
    assert [r.action for r in preview.rows] == ["update_enterprise"]
    before = counts(store)
    result = apply(store, corrected)
    assert (result.enterprises_updated, result.equipment_updated, result.equipment_added) == (1, 0, 0)
    assert counts(store)[:3] == before[:3]
    with store.reader() as s:
        assert s.scalar(select(Enterprise.established_on).where(
            Enterprise.uscc == make_uscc("410185", 20003))) == date(1998, 7, 2)
