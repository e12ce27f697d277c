"""Office reports: every format read back (openpyxl, pdftotext, csv) and its totals checked against the records."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from inspect_app.errors import UserError
from inspect_app.models import Card, Enterprise, EnvListing, Equipment, ExitPlan, Region
from inspect_app.models.store import Store
from inspect_app.reports.csv_out import PREAMBLE_LINES
from inspect_app.rules import make_uscc
from inspect_app.services import casework, enterprises
from inspect_app.services.demo import load_demo
from inspect_app.services.overview import EXITED
from inspect_app.services.reports import ReportFilters, build_report, export_report

TODAY = date(2021, 10, 28)
REPO = Path(__file__).resolve().parents[1]
HAVE_POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdftoppm"))
KINDS = ("survey", "cards", "closed-list", "summary")


@pytest.fixture
def demo(store: Store) -> Store:
    with store.transaction() as s:
        load_demo(s, today=TODAY)
    return store


def xlsx_tables(path: Path) -> dict[str, list[list[object]]]:
    wb = load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def pdf_text(path: Path) -> str:
    if HAVE_POPPLER:
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def expected_survey(store: Store) -> dict[str, Decimal]:
    """Capacity per unit of live, not rectified equipment, summed from the ORM rows (an independent path)."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    with store.reader() as s:
        for eq in s.scalars(select(Equipment).where(Equipment.deleted_at.is_(None))):
            if eq.status != "rectified" and (eq.exited_on is None or eq.exited_on.year >= 2021):
                out[eq.unit] += Decimal(eq.capacity)
    return out


def test_every_report_in_every_format_reads_back_with_the_records_totals(demo: Store, backend: str,
                                                                       tmp_path: Path) -> None:
    survey_caps = expected_survey(demo)
    with demo.reader() as s:
        cards = {c: len(list(s.scalars(select(Card).where(Card.color == c, Card.deleted_at.is_(None)))))
                 for c in ("red", "yellow")}
        env_count = len(list(s.scalars(select(EnvListing))))
        planned = list(s.execute(select(Equipment.status, Equipment.capacity, Equipment.unit)
                                 .join(ExitPlan, ExitPlan.equipment_id == Equipment.id).where(ExitPlan.year == 2021)))
        closed = [(eq.capacity, eq.unit, eq.enterprise_id) for eq in s.scalars(select(Equipment))
                  if eq.status in EXITED and eq.exited_on is not None and eq.exited_on.year == 2021]
    assert cards["red"] and cards["yellow"] and env_count and closed and planned
    exited_planned = sum(1 for status, _c, _u in planned if status in EXITED)
    filters = ReportFilters(year=2021)
    for kind in KINDS:
        for fmt in ("xlsx", "csv", "pdf"):
            out = tmp_path / f"{kind}.{fmt}"
            result = export_report(demo, kind, filters, out, today=TODAY)
            assert result.as_of == TODAY and out.stat().st_size == result.bytes

    # survey: one totals row per unit, capacity equal to the records
    sheets = xlsx_tables(tmp_path / "survey.xlsx")
    rows = sheets["摸排情况"]
    assert rows[0][0] == "2021年落后生产设备及产能摸排情况统计表" and "统计截止日期：2021年10月28日" in str(rows[1][0])
    header = rows[2]
    assert header[:8] == ["序号", "地区", "行业", "企业数（家）", "设备（生产线）条数", "设备数量（台套）", "产能单位", "产能合计"]
    totals = {r[6]: r for r in rows if str(r[0]).startswith("合计")}
    assert {u: Decimal(str(t[7])) for u, t in totals.items()} == survey_caps
    for t in totals.values():  # the aspect split adds up to the total
        assert sum(Decimal(str(v)) for v in t[8:]) == Decimal(str(t[7]))
    data = [r for r in rows[3:] if isinstance(r[0], int)]
    assert sum(Decimal(str(r[7])) for r in data) == sum(survey_caps.values())
    csv_survey = csv_rows(tmp_path / "survey.csv")
    assert csv_survey[0] == ["2021年落后生产设备及产能摸排情况统计表"]
    assert csv_survey[PREAMBLE_LINES] == header
    csv_totals = {r[6]: Decimal(r[7]) for r in csv_survey if r and r[0].startswith("合计")}
    assert csv_totals == survey_caps

    # cards: red, yellow and the environment list, one sheet each, counts equal to the records
    sheets = xlsx_tables(tmp_path / "cards.xlsx")
    assert list(sheets) == ["红牌企业名单", "黄牌企业名单", "生态环境部门超标排放及严重违法企业名单"]
    assert sum(1 for r in sheets["红牌企业名单"][3:] if isinstance(r[0], int)) == cards["red"]
    assert sum(1 for r in sheets["黄牌企业名单"][3:] if isinstance(r[0], int)) == cards["yellow"]
    assert sheets["黄牌企业名单"][-1][4] == f"{cards['yellow']} 张"
    assert sum(1 for r in sheets["生态环境部门超标排放及严重违法企业名单"][3:] if isinstance(r[0], int)) == env_count

    # closed list: the announcement's columns, capacity per unit equal to the records
    rows = xlsx_tables(tmp_path / "closed-list.xlsx")["关闭退出企业名单"]
    want: dict[str, Decimal] = defaultdict(Decimal)
    for cap, unit, _ent in closed:
        want[unit] += Decimal(cap)
    units = [u for u in ("万吨/年", "万重量箱/年", "吨/年", "吨/日") if u in want]  # 万吨/年 first, the rest by name
    assert rows[2] == ["序号", "地区", "企业名称", "统一社会信用代码", "设备名称/型号/数量", *(f"产能（{u}）" for u in units),
                       "退出方式", "拆除(封存)完成时间", "验收时间", "验收意见文号", "备注"]
    (total,) = [r for r in rows if str(r[0]).startswith("合计")]  # one totals line, each unit in its column
    assert {u: Decimal(str(total[5 + k])) for k, u in enumerate(units)} == want
    # one line per enterprise, each of its exited items on a line of its own within the cell
    data = [r for r in rows[3:] if isinstance(r[0], int)]
    assert len(data) == len({ent for _c, _u, ent in closed}) and len({r[3] for r in data}) == len(data)
    assert sum(len(str(r[4]).split("；\n")) for r in data) == len(closed)

    # summary: planned and exited items, region totals equal to the records
    sheets = xlsx_tables(tmp_path / "summary.xlsx")
    assert list(sheets) == ["说明", "分地区目标完成情况", "分行业退出产能", "逾期事项"]
    region_total = sheets["分地区目标完成情况"][-1]
    assert region_total[0] == "合计" and region_total[3:5] == [len(planned), exited_planned]
    assert region_total[5] == pytest.approx(exited_planned / len(planned))
    assert f"计划退出落后产能设备（生产线）{len(planned)}台（套）" in str(sheets["说明"][2][0])

    # PDF: the same figures in the text, the as-of date on every page, only embedded fonts
    for kind in KINDS:
        path = tmp_path / f"{kind}.pdf"
        text = pdf_text(path)
        reader = PdfReader(str(path))
        assert reader.metadata is not None and reader.metadata.get("/InspectAppAsOf") == "2021-10-28"
        pages = text.split("\f")
        assert all("统计截止日期：2021年10月28日" in p for p in pages if p.strip())
        assert "郑州市淘汰落后产能工作领导小组办公室" in pages[0]
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                name = str(font.get_object()["/BaseFont"])
                assert "+" in name, f"{kind}: font {name} is not an embedded subset"
    survey_text = pdf_text(tmp_path / "survey.pdf")
    for unit, cap in survey_caps.items():
        assert f"合计（{unit}）" in survey_text.replace("\n", "").replace(" ", "") or unit in survey_text
        assert format(cap.quantize(Decimal("0.01")), "f") in survey_text
    summary_text = pdf_text(tmp_path / "summary.pdf")
    assert "各地区目标完成率" in summary_text and "各行业退出产能" in summary_text  # the charts' titles
    assert f"{exited_planned / len(planned):.1%}" in summary_text


def test_filters_region_sector_and_as_of(demo: Store) -> None:
    with demo.reader() as s:
        dengfeng = build_report(s, "survey", ReportFilters(2021, region="登封市"), today=TODAY)
        assert {r[1] for r in dengfeng.tables[0].rows} == {"登封市"}
        zhengzhou = build_report(s, "survey", ReportFilters(2021, region="郑州市"), today=TODAY)
        province = build_report(s, "survey", ReportFilters(2021, region="410000"), today=TODAY)
        everything = build_report(s, "survey", ReportFilters(2021), today=TODAY)
        # 巩义市 is a county under the province directly (省直管县), not under 郑州市
        assert "巩义市" not in {r[1] for r in zhengzhou.tables[0].rows}
        assert len(zhengzhou.tables[0].rows) < len(province.tables[0].rows) == len(everything.tables[0].rows)
        cement = build_report(s, "survey", ReportFilters(2021, sector="水泥"), today=TODAY)
        assert {r[2] for r in cement.tables[0].rows} == {"水泥"}
        assert ("行业", "水泥") in cement.filters and ("地区", "全部") in cement.filters
        # before the demo's exits (six days before TODAY) nothing was closed yet
        early = build_report(s, "closed-list", ReportFilters(2021, as_of=date(2021, 10, 1)), today=TODAY)
        late = build_report(s, "closed-list", ReportFilters(2021), today=TODAY)
        assert early.tables[0].rows == [] and late.tables[0].rows
        assert early.as_of_text() == "统计截止日期：2021年10月1日"
        past = build_report(s, "cards", ReportFilters(2020), today=TODAY)
        assert past.as_of == date(2020, 12, 31) and all(not t.rows for t in past.tables)
        with pytest.raises(UserError) as exc:
            build_report(s, "survey", ReportFilters(2021, region="火星市"), today=TODAY)
        assert exc.value.code == "E_REGION_UNKNOWN"
        with pytest.raises(UserError) as exc:
            build_report(s, "survey", ReportFilters(2021, as_of=date(2020, 5, 1)), today=TODAY)
        assert exc.value.code == "E_REPORT_AS_OF"
        with pytest.raises(UserError) as exc:
            build_report(s, "nonsense", ReportFilters(2021), today=TODAY)
        assert exc.value.code == "E_REPORT_KIND"


def test_lifted_card_and_delisting_show_as_of_the_day(demo: Store) -> None:
    with demo.transaction() as s:
        card = next(c for c in casework.list_cards(s) if c.color == "yellow")
        casework.lift_card(s, card.id, lifted_on=date(2021, 10, 20), reason="整改达标")
    with demo.reader() as s:
        before = build_report(s, "cards", ReportFilters(2021, as_of=date(2021, 10, 19)), today=TODAY)
        after = build_report(s, "cards", ReportFilters(2021), today=TODAY)
    row_before = next(r for r in before.tables[1].rows if r[5] == card.issued_on)
    row_after = next(r for r in after.tables[1].rows if r[5] == card.issued_on)
    assert row_before[8] == "有效" and row_before[9] is None
    assert row_after[8] == "已撤销" and row_after[9] == date(2021, 10, 20)


def test_closed_list_dates_exit_and_overdue_plans_in_summary(store: Store) -> None:
    with store.transaction() as s:
        ent = enterprises.register_enterprise(s, name="登封市测试钢铁有限公司", uscc=make_uscc("410185", 90001),
                                              region="登封市")
        eq1 = enterprises.add_equipment(s, enterprise_id=ent.id, name="30吨转炉", capacity="60", unit="万吨/年",
                                        sector="钢铁", model="30t", quantity=2)
        eq2 = enterprises.add_equipment(s, enterprise_id=ent.id, name="450立方米高炉", capacity="40", unit="万吨/年",
                                        sector="钢铁")
    with store.transaction() as s:
        casework.plan_exit(s, equipment_id=eq1.id, year=2021, method="seal", target_date=date(2021, 9, 30))
        casework.plan_exit(s, equipment_id=eq2.id, year=2021, method="dismantle", target_date=date(2021, 9, 30))
    with store.transaction() as s:
        enterprises.set_equipment_status(s, eq1.id, "sealed", on=date(2021, 9, 15))
    with store.reader() as s:
        closed = build_report(s, "closed-list", ReportFilters(2021), today=TODAY)
        summary = build_report(s, "summary", ReportFilters(2021), today=TODAY)
    (row,) = closed.tables[0].rows
    assert row[1:5] == ["登封市", "登封市测试钢铁有限公司", ent.uscc, "30吨转炉/30t/2台（套）"]
    assert row[5] == Decimal("60") and row[6] == "封存" and row[7] == date(2021, 9, 15)
    assert row[8] is None and row[9] == "" and row[10] == "已封存，限时拆除"
    region_row = summary.tables[0].rows[0]
    assert region_row[1:] == ["登封市", 1, 2, 1, 0.5, 0, 1, 1]
    overdue = summary.tables[2].rows
    assert [(r[4], r[5], r[6], r[7]) for r in overdue] == [("450立方米高炉", "逾期未退出", date(2021, 9, 30), 28)]
    sector_row = summary.tables[1].rows[0]
    assert sector_row[1:6] == ["钢铁", "万吨/年", Decimal("100"), Decimal("60"), pytest.approx(0.6)]


def test_existing_output_is_not_overwritten_unless_asked(demo: Store, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    out.write_bytes(b"keep me")
    with pytest.raises(UserError) as exc:
        export_report(demo, "survey", ReportFilters(2021), out, today=TODAY)
    assert exc.value.code == "E_FILE_EXISTS" and out.read_bytes() == b"keep me"
    export_report(demo, "survey", ReportFilters(2021), out, today=TODAY, overwrite=True)
    assert load_workbook(out).sheetnames == ["摸排情况"]
    with pytest.raises(UserError) as exc:
        export_report(demo, "survey", ReportFilters(2021), tmp_path / "s.docx", today=TODAY)
    assert exc.value.code == "E_REPORT_FORMAT"


def test_spreadsheet_layout(demo: Store, tmp_path: Path) -> None:
    out = tmp_path / "closed.xlsx"
    export_report(demo, "closed-list", ReportFilters(2021), out, today=TODAY)
    ws = load_workbook(out)["关闭退出企业名单"]
    assert ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    # one page wide (1 is the attribute's default, which the file may leave out), as many pages long as needed
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3" and ws.print_options.gridLines
    assert ws.oddFooter.left.text == "统计截止日期：2021年10月28日"
    assert int(ws.column_dimensions["C"].width) == 26  # stored with Excel's padding (26.71), shown as 26
    header = [c.value for c in ws[3]]
    done = header.index("拆除(封存)完成时间") + 1
    assert ws["A3"].font.b and ws["F4"].number_format == "#,##0.00" and ws.cell(4, done).number_format == "yyyy-mm-dd"
    assert isinstance(ws.cell(4, done).value, datetime)  # a real date cell, not text
    last = ws.max_row
    assert str(ws.cell(last, 1).value).startswith("合计") and ws.cell(last, 1).font.b


@pytest.mark.skipif(not HAVE_POPPLER, reason="poppler-utils not installed")
def test_pdf_pages_render(demo: Store, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    export_report(demo, "summary", ReportFilters(2021), out, today=TODAY)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(str(out)).pages) >= 3
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in fonts


def test_cli_report(demo: Store, tmp_path: Path) -> None:
    data_dir = demo.data_dir
    env = {"INSPECT_APP_TODAY": "2021-10-28", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data_dir), *args],
                              capture_output=True, text=True, cwd=REPO, env=env)

    out = tmp_path / "closed.pdf"
    done = run("report", "closed-list", "--year", "2021", "--region", "郑州市", "--format", "pdf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "统计截止日期 2021-10-28" in done.stdout and out.read_bytes().startswith(b"%PDF")
    again = run("report", "closed-list", "--year", "2021", "--format", "pdf", "--out", str(out))
    assert again.returncode == 1 and again.stderr.startswith("E_FILE_EXISTS")
    csv_out = tmp_path / "cards.csv"
    js = run("--json", "report", "cards", "--year", "2021", "--out", str(csv_out))
    assert js.returncode == 0 and '"format": "csv"' in js.stdout
    bad = run("report", "survey", "--year", "2021", "--region", "火星市", "--out", str(tmp_path / "x.xlsx"))
    assert bad.returncode == 1 and bad.stderr.startswith("E_REGION_UNKNOWN")
    with demo.reader() as s:
        regions = {r for r in s.scalars(select(Region.name).join(Enterprise, Enterprise.region_id == Region.id))}
    assert regions


def test_a_chart_with_many_regions_is_drawn_in_pieces_that_fit_a_page(tmp_path: Path) -> None:
    from inspect_app.reports.report_pdf import report_pdf_bytes, split_chart
    from inspect_app.reports.tabular import Chart, Report

    regions = [f"地区{i}" for i in range(60)]
    chart = Chart("各地区目标完成率", regions, [("完成率", [i / 60 for i in range(60)])], percent=True)
    parts = split_chart(chart)
    assert [len(p.categories) for p in parts] == [24, 24, 12] and parts[0].title.endswith("（1/3）")
    report = Report("summary", "测试", "测试办公室", date(2021, 10, 28), [], charts=[chart])
    out = tmp_path / "charts.pdf"
    out.write_bytes(report_pdf_bytes(report))
    assert len(PdfReader(str(out)).pages) >= 2


def test_report_cells_break_between_words_not_inside(tmp_path: Path) -> None:
    from inspect_app.reports.fast_table import wrap_lines
    from inspect_app.reports.report_pdf import report_pdf_bytes
    from inspect_app.reports.tabular import Column, Report, Table

    # the unit: a word moves whole to the next line; only a word wider than the cell is cut
    lines = wrap_lines("回转窑Φ2.6×13m m³ PC42.5R", 60.0, 10.0)
    assert "".join(lines).replace(" ", "") == "回转窑Φ2.6×13mm³PC42.5R"
    for word in ("Φ2.6×13m", "m³", "PC42.5R"):
        assert any(word in line for line in lines), lines
    assert not any(line.startswith(" ") or line.endswith(" ") for line in lines)
    uscc = "91410100MA44X7R2B0"
    narrow = wrap_lines(uscc, 40.0, 10.0)
    assert len(narrow) > 1 and "".join(narrow) == uscc
    # in a rendered report, read back with pdfplumber: every word whole on one line
    import pdfplumber

    words = ["Φ2.6×13m", "PC42.5R", "ZJ-3000×2"]  # (the credit code is wider than its cell here: it is cut)
    # narrow columns beside wide ones, so that the cells wrap (the old wrap printed "回转窑Φ2.6×1" over "3m")
    columns = [Column("序号", width=4), Column("设备（生产线）", width=9), Column("说明", width=9),
               *[Column(f"列{i}", width=12) for i in range(6)]]
    table = Table("设备清单", columns)
    # the widths come from the content: six columns of long text leave the first two too little room
    filler = "这是一段用于占满页面宽度的说明文字共二十个字"
    table.rows = [[1, "2号回转窑Φ2.6×13m熟料线", "配套PC42.5R粉磨ZJ-3000×2", *[filler] * 6],
                  [2, "代码91410100MA44X7R2B0", "无", *[filler] * 6]]
    report = Report("survey", "测试", "测试办公室", date(2021, 10, 28), [], tables=[table])
    out = tmp_path / "words.pdf"
    out.write_bytes(report_pdf_bytes(report))
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    lines = text.splitlines()
    assert not any("2号回转窑Φ2.6×13m熟料线" in line for line in lines), lines  # the cell did wrap
    assert not any(line.startswith("）") for line in lines), lines  # the header "设备（生产线）" too, not before "）"
    for word in words:
        assert word in text, (word, text)


def closing_enterprises(store: Store) -> dict[str, str]:
    """Two enterprises of 登封市: a cement works closing a long-named kiln (sealed) and a mill (dismantled), a
    steel works closing one converter; returns their USCCs by name."""
    with store.transaction() as s:
        cement = enterprises.register_enterprise(s, name="登封市测试水泥有限公司", uscc=make_uscc("410185", 90002),
                                                 region="登封市")
        kiln = enterprises.add_equipment(s, enterprise_id=cement.id, name="机立窑", model=LONG_MODEL, capacity="8.8",
                                         unit="万吨/年", sector="水泥", quantity=2)
        mill = enterprises.add_equipment(s, enterprise_id=cement.id, name="水泥磨", model="Φ2.2×6.5m", capacity="12",
                                         unit="万吨/年", sector="水泥")
        steel = enterprises.register_enterprise(s, name="登封市测试钢铁有限公司", uscc=make_uscc("410185", 90003),
                                                region="登封市")
        converter = enterprises.add_equipment(s, enterprise_id=steel.id, name="30吨转炉", capacity="60", unit="万吨/年",
                                              sector="钢铁", model="30t")
    with store.transaction() as s:
        for eq, method in ((kiln, "seal"), (mill, "dismantle"), (converter, "dismantle")):
            casework.plan_exit(s, equipment_id=eq.id, year=2021, method=method, target_date=date(2021, 10, 30))
    with store.transaction() as s:
        enterprises.set_equipment_status(s, kiln.id, "sealed", on=date(2021, 9, 15))
        for eq, on in ((mill, date(2021, 10, 2)), (converter, date(2021, 8, 1))):
            enterprises.set_equipment_status(s, eq.id, "dismantling")
            enterprises.set_equipment_status(s, eq.id, "dismantled", on=on)
    return {"cement": cement.uscc, "steel": steel.uscc}


LONG_MODEL = "Φ2.6×13m 机立窑/Φ2.6×13m"


def test_closed_list_is_one_line_per_enterprise_with_its_items_and_capacity_summed(store: Store,
                                                                                   tmp_path: Path) -> None:
    uscc = closing_enterprises(store)
    filters = ReportFilters(2021, region="登封市")
    for fmt in ("xlsx", "csv", "pdf"):
        export_report(store, "closed-list", filters, tmp_path / f"closed.{fmt}", today=TODAY)
    rows = xlsx_tables(tmp_path / "closed.xlsx")["关闭退出企业名单"]
    assert load_workbook(tmp_path / "closed.xlsx")["关闭退出企业名单"]["E4"].alignment.wrap_text  # one item a line
    data = [r for r in rows[3:] if isinstance(r[0], int)]
    assert [r[3] for r in data] == [uscc["cement"], uscc["steel"]]  # 水泥 sorts before 钢铁 by name
    cement, steel = data
    assert cement[4] == f"机立窑/{LONG_MODEL}/2台（套）；\n水泥磨/Φ2.2×6.5m/1台（套）"
    assert rows[2][5] == "产能（万吨/年）" and cement[5] == pytest.approx(20.8) and cement[6] == "封存、拆除"
    assert cement[7] == datetime(2021, 10, 2) and cement[8] is None and cement[9] is None
    assert cement[10] == "1条已封存，限时拆除；1条待验收"
    assert steel[4] == "30吨转炉/30t/1台（套）" and steel[5] == 60 and steel[7] == datetime(2021, 8, 1)
    (total,) = [r for r in rows if str(r[0]).startswith("合计")]
    assert total[2] == "2 家" and total[4] == "3 条 / 4 台（套）" and total[5] == pytest.approx(80.8)
    csv_data = [r for r in csv_rows(tmp_path / "closed.csv")[PREAMBLE_LINES + 1:] if r and r[0].isdigit()]
    assert [(r[2], r[5], r[6]) for r in csv_data] == [("登封市测试水泥有限公司", "20.80", "封存、拆除"),
                                                      ("登封市测试钢铁有限公司", "60.00", "拆除")]
    text = pdf_text(tmp_path / "closed.pdf")
    assert text.count(uscc["cement"]) == 1 and text.count(uscc["steel"]) == 1  # one line each, not one per item
    assert "20.80" in text and "80.80" in text and "3 条 / 4 台（套）" in text


def test_a_closed_list_cell_breaks_where_chinese_allows_and_never_runs_past_its_rules(store: Store,
                                                                                     tmp_path: Path) -> None:
    import pdfplumber

    closing_enterprises(store)
    out = tmp_path / "closed.pdf"
    export_report(store, "closed-list", ReportFilters(2021), out, today=TODAY)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        rules_x = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
        top = min(e["top"] for e in page.edges if e["orientation"] == "v")
        bottom = max(e["bottom"] for e in page.edges if e["orientation"] == "v")
        chars = [c for c in page.chars if top < c["top"] < bottom and c["text"].strip()]
        assert len(rules_x) == 12 and chars  # 11 columns: one capacity column (万吨/年), its unit in the header
        vertical = [e for e in page.edges if e["orientation"] == "v"]
        for c in chars:  # no character crosses a column rule drawn beside it
            middle = (c["top"] + c["bottom"]) / 2
            assert not any(c["x0"] + 0.2 < e["x0"] < c["x1"] - 0.2 and e["top"] < middle < e["bottom"]
                           for e in vertical), (c["text"], c["x0"], c["x1"])
        # the item's lines in the 设备名称/型号/数量 column: the Latin runs stay whole, each line inside the cell
        left, right = rules_x[4], rules_x[5]
        lines: dict[float, list[dict[str, Any]]] = defaultdict(list)
        for c in chars:
            if left < c["x0"] < right:
                lines[round(c["top"])].append(c)
        texts = ["".join(str(c["text"]) for c in sorted(line, key=lambda c: c["x0"])) for _t, line in sorted(lines.items())]
    # the cement works' cell: both items whole, in order; each Latin run on one line
    assert f"机立窑/{LONG_MODEL}/2台（套）；水泥磨/Φ2.2×6.5m/1台（套）".replace(" ", "") in "".join(texts)
    runs = [t for t in texts if "Φ" in t]
    assert len(runs) == 3 and all("Φ2.6×13m" in t or "Φ2.2×6.5m" in t for t in runs), texts


def test_wrap_breaks_at_allowed_points_and_cuts_a_run_only_when_it_alone_is_too_wide() -> None:
    from inspect_app.reports.fast_table import text_width, wrap_lines

    size = 9.0
    run = text_width("Φ2.6×13m", size)
    assert run == pytest.approx(9 * 2 + 4.5 * 6)  # the Song face sets Φ and × full width
    for width in (run + 1, run + 30, 80.0, 120.0):
        lines = wrap_lines(LONG_MODEL, width, size)
        assert all(text_width(line, size) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == LONG_MODEL.replace(" ", "")
        assert all("Φ" not in line or "Φ2.6×13m" in line for line in lines), lines
    narrow = wrap_lines("Φ2.6×13m", run - 5, size)  # the run alone is wider: cut inside it, still inside the cell
    assert len(narrow) == 2 and "".join(narrow) == "Φ2.6×13m"
    assert all(text_width(line, size) <= run - 5 for line in narrow)
    # closing marks stay with the character before them, opening ones with the one after
    for width in range(30, 80, 3):  # (a cell narrower than "线），" must cut somewhere)
        for line in wrap_lines("主要设备（生产线），已封存。另有说明（附件）", float(width), size):
            assert line[0] not in "，。）" and line[-1] != "（", (width, line)


def test_survey_filtered_by_registration_date_in_china_time(demo: Store, tmp_path: Path) -> None:
    """Items entered in the records on given days (China Standard Time, as printed) — in the service, the files
    and on the command line; a range that ends before it starts, or the filter on another report, is refused."""
    from sqlalchemy import update

    from inspect_app.rules.china_time import china_time

    with demo.reader() as s:
        ids = sorted(s.scalars(select(Equipment.id).where(Equipment.deleted_at.is_(None))))
    spring = datetime(2021, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in China
    late_june = datetime(2021, 6, 30, 20, 0, tzinfo=UTC)  # already 1 July, 04:00, in China
    with demo.engine.begin() as conn:  # as if registered on those days (the records' own creation stamps)
        for n, eq_id in enumerate(ids):
            moment = spring if n % 3 == 0 else late_june if n % 3 == 1 else datetime(2021, 8, 1, tzinfo=UTC)
            conn.execute(update(Equipment).where(Equipment.id == eq_id).values(created_at=moment))

    def expected(start: date | None, end: date | None) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        with demo.reader() as s:
            for eq in s.scalars(select(Equipment).where(Equipment.deleted_at.is_(None))):
                day = china_time(eq.created_at).date()
                if eq.status != "rectified" and (eq.exited_on is None or eq.exited_on.year >= 2021) \
                        and (start is None or day >= start) and (end is None or day <= end):
                    out[eq.unit] += Decimal(eq.capacity)
        return dict(out)

    first_half = expected(None, date(2021, 6, 30))
    july = expected(date(2021, 7, 1), date(2021, 7, 31))
    assert first_half and july and first_half != expected(None, None)
    out = tmp_path / "survey.xlsx"
    export_report(demo, "survey", ReportFilters(2021, registered_to=date(2021, 6, 30)), out, today=TODAY)
    rows = xlsx_tables(out)["摸排情况"]
    assert "录入日期：不限 至 2021-06-30" in str(rows[1][0])
    assert {r[6]: Decimal(str(r[7])) for r in rows if str(r[0]).startswith("合计")} == first_half
    with demo.reader() as s:
        report = build_report(s, "survey", ReportFilters(2021, registered_from=date(2021, 7, 1),
                                                         registered_to=date(2021, 7, 31)), today=TODAY)
        assert {t[6]: t[7] for t in report.tables[0].totals} == july
        for bad in (ReportFilters(2021, registered_from=date(2021, 7, 2), registered_to=date(2021, 7, 1)),):
            with pytest.raises(UserError) as exc:
                build_report(s, "survey", bad, today=TODAY)
            assert exc.value.code == "E_REPORT_REGISTERED"
        with pytest.raises(UserError) as exc:
            build_report(s, "cards", ReportFilters(2021, registered_to=date(2021, 6, 30)), today=TODAY)
        assert exc.value.code == "E_REPORT_REGISTERED"

    env = {"INSPECT_APP_TODAY": "2021-10-28", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    base = [sys.executable, "-m", "inspect_app", "--data-dir", str(demo.data_dir), "report"]
    demo.close()
    csv_out = tmp_path / "july.csv"
    done = subprocess.run([*base, "survey", "--year", "2021", "--registered-from", "2021-07-01", "--registered-to",
                           "2021-07-31", "--out", str(csv_out)], capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr
    assert {r[6]: Decimal(r[7]) for r in csv_rows(csv_out) if r and r[0].startswith("合计")} == july
    pdf_out = tmp_path / "july.pdf"
    done = subprocess.run([*base, "survey", "--year", "2021", "--registered-from", "2021-07-01", "--out",
                           str(pdf_out)], capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 0 and "录入日期：2021-07-01 至 不限" in pdf_text(pdf_out)
    bad = subprocess.run([*base, "cards", "--year", "2021", "--registered-to", "2021-06-30", "--out",
                          str(tmp_path / "c.csv")], capture_output=True, text=True, cwd=REPO, env=env)
    assert bad.returncode == 1 and bad.stderr.startswith("E_REPORT_REGISTERED") and not (tmp_path / "c.csv").exists()


def test_survey_filtered_by_the_enterprises_date_of_establishment(demo: Store, tmp_path: Path) -> None:
    """成立日期 (the enterprise's own date, not the day its record was entered): in the service, the files and on
    the command line; enterprises without the date are left out and counted in the note."""
    from sqlalchemy import update

    with demo.reader() as s:
        dated = {ent_id: day for ent_id, day in s.execute(select(Enterprise.id, Enterprise.established_on))}
    assert all(dated.values()), "every demo enterprise has a date of establishment"
    undated = sorted(dated)[:2]
    with demo.engine.begin() as conn:
        conn.execute(update(Enterprise).where(Enterprise.id.in_(undated)).values(established_on=None))
        dated.update(dict.fromkeys(undated))

    def expected(start: date | None, end: date | None) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        with demo.reader() as s:
            for eq in s.scalars(select(Equipment).where(Equipment.deleted_at.is_(None))):
                day = dated[eq.enterprise_id]
                if eq.status != "rectified" and (eq.exited_on is None or eq.exited_on.year >= 2021) \
                        and day is not None and (start is None or day >= start) and (end is None or day <= end):
                    out[eq.unit] += Decimal(eq.capacity)
        return dict(out)

    old = expected(None, date(1999, 12, 31))
    new = expected(date(2000, 1, 1), None)
    assert old and new and old != expected(None, None)
    out = tmp_path / "survey.xlsx"
    export_report(demo, "survey", ReportFilters(2021, established_to=date(1999, 12, 31)), out, today=TODAY)
    rows = xlsx_tables(out)["摸排情况"]
    assert "成立日期：不限 至 1999-12-31" in str(rows[1][0])
    assert "未填成立日期的企业2家未计入" in str(rows[1][0])
    assert {r[6]: Decimal(str(r[7])) for r in rows if str(r[0]).startswith("合计")} == old
    with demo.reader() as s:
        report = build_report(s, "survey", ReportFilters(2021, established_from=date(2000, 1, 1)), today=TODAY)
        assert {t[6]: t[7] for t in report.tables[0].totals} == new
        with pytest.raises(UserError) as exc:
            build_report(s, "survey", ReportFilters(2021, established_from=date(2001, 1, 2),
                                                    established_to=date(2001, 1, 1)), today=TODAY)
        assert exc.value.code == "E_REPORT_ESTABLISHED"
        with pytest.raises(UserError) as exc:
            build_report(s, "closed-list", ReportFilters(2021, established_to=date(1999, 12, 31)), today=TODAY)
        assert exc.value.code == "E_REPORT_ESTABLISHED"

    env = {"INSPECT_APP_TODAY": "2021-10-28", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    base = [sys.executable, "-m", "inspect_app", "--data-dir", str(demo.data_dir), "report", "survey", "--year", "2021"]
    demo.close()
    pdf_out = tmp_path / "new.pdf"
    done = subprocess.run([*base, "--established-from", "2000-01-01", "--out", str(pdf_out)], capture_output=True,
                          text=True, cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr
    text = pdf_text(pdf_out)
    assert "成立日期：2000-01-01 至 不限" in text and "未填成立日期的企业2家未计入" in text.replace(" ", "")


def test_closed_list_keeps_several_capacity_units_numeric_one_column_each(store: Store, tmp_path: Path) -> None:
    """An enterprise closing items measured in different units: a number in each unit's column (summed per unit),
    never text; the PDF prints each under its unit's header, inside its column, and the columns fit the page."""
    import pdfplumber

    from inspect_app.reports.report_pdf import GEOMETRY

    uscc = closing_enterprises(store)
    with store.transaction() as s:
        glass = enterprises.register_enterprise(s, name="登封市测试玻璃建材有限公司", uscc=make_uscc("410185", 90009),
                                                region="登封市")
        items = [enterprises.add_equipment(s, enterprise_id=glass.id, name=name, model=model, capacity=cap, unit=unit,
                                           sector=sector)
                 for name, model, cap, unit, sector in (("格法平板玻璃生产线", "格法", "80", "万重量箱/年", "平板玻璃"),
                                                        ("浮法玻璃熔窑", "300t/d", "300", "吨/日", "平板玻璃"),
                                                        ("水泥粉磨站", "Φ2.2×6.5m", "12.5", "万吨/年", "水泥"))]
    with store.transaction() as s:
        for eq in items:
            casework.plan_exit(s, equipment_id=eq.id, year=2021, method="dismantle", target_date=date(2021, 10, 30))
            enterprises.set_equipment_status(s, eq.id, "dismantling")
            enterprises.set_equipment_status(s, eq.id, "dismantled", on=date(2021, 9, 20))
    for fmt in ("xlsx", "csv", "pdf"):
        export_report(store, "closed-list", ReportFilters(2021), tmp_path / f"closed.{fmt}", today=TODAY)
    rows = xlsx_tables(tmp_path / "closed.xlsx")["关闭退出企业名单"]
    assert rows[2][5:9] == ["产能（万吨/年）", "产能（万重量箱/年）", "产能（吨/日）", "退出方式"]
    by_uscc = {r[3]: r for r in rows[3:] if isinstance(r[0], int)}
    glass_row = by_uscc[glass.uscc]
    assert glass_row[5:8] == [12.5, 80, 300]  # numbers, not "12.50\n80.00"
    assert by_uscc[uscc["steel"]][5:8] == [60, None, None]
    ws = load_workbook(tmp_path / "closed.xlsx")["关闭退出企业名单"]
    glass_at = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 4).value == glass.uscc)
    assert all(ws.cell(glass_at, c).number_format == "#,##0.00" for c in (6, 7, 8))
    (total,) = [r for r in rows if str(r[0]).startswith("合计")]
    assert total[2] == "3 家" and total[5:8] == [pytest.approx(93.3), 80, 300]
    csv_data = {r[3]: r for r in csv_rows(tmp_path / "closed.csv")[PREAMBLE_LINES + 1:] if r and r[0].isdigit()}
    assert csv_data[glass.uscc][5:8] == ["12.50", "80.00", "300.00"]

    with pdfplumber.open(tmp_path / "closed.pdf") as pdf:
        page = pdf.pages[0]
        rules_x = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
        assert len(rules_x) == 14  # 13 columns
        assert rules_x[-1] - rules_x[0] == pytest.approx(GEOMETRY.text_w, abs=1)  # the text block's width
        words = page.extract_words()
        for figure, column in (("12.50", 5), ("80.00", 6), ("300.00", 7)):
            found = [w for w in words if w["text"] == figure]  # the glass works' line (and the totals')
            assert found and all(rules_x[column] < w["x0"] < w["x1"] < rules_x[column + 1] for w in found), figure
        # the glass works' three figures side by side on one baseline
        tops = {round(min(w["top"] for w in words if w["text"] == f)) for f in ("12.50", "80.00", "300.00")}
        assert len(tops) == 1
