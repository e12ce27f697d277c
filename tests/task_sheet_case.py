"""An official task list as an Excel workbook, made with openpyxl: shared by the import tests and the 报表 page's."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from inspect_app.rules import make_uscc

HEADERS = ["序号", "地区", "企业名称", "统一社会信用代码", "行业", "设备名称", "型号规格", "数量", "产能", "产能单位",
           "退出方式", "计划完成时间", "备注"]


def task_row(i: int, **over: Any) -> list[Any]:
    row = {"序号": i, "地区": "登封市", "企业名称": f"登封市测试水泥有限公司{i}", "统一社会信用代码": make_uscc("410185", 20000 + i),
           "行业": "水泥", "设备名称": "Φ3.2×50m 回转窑", "型号规格": "Φ3.2×50m", "数量": 1, "产能": 30, "产能单位": "万吨/年",
           "退出方式": "拆除", "计划完成时间": date(2021, 10, 31), "备注": ""}
    row.update(over)
    return [row[h] for h in HEADERS]


def write_sheet(path: Path, rows: list[list[Any]], *, headers: list[str] = HEADERS, title: bool = True,
                merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "任务清单"
    if title:
        ws.append(["2021年淘汰落后产能任务清单"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)
    return path
