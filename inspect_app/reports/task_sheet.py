"""Read the official task list (任务清单) from an .xlsx file: find the header row, suggest the column mapping.

openpyxl in read-only mode streams the rows (a 100,000-row sheet reads in seconds and small memory). It does
not expose merged ranges in that mode, so they are read from the sheet's own XML (``<mergeCell ref=…>``): a
merged range inside the data leaves empty cells below its first row, which the validation must name.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_app.errors import EnvironmentProblem, UserError
from inspect_app.i18n import Msg

MAX_ROWS = 100_000
HEADER_SCAN_ROWS = 20
CancelFn = Callable[[], None]
ProgressFn = Callable[[int, int, str], None]

# field -> (Chinese label, required, header synonyms in order of preference)
FIELDS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "region": ("地区", True, ("地区", "所属地区", "所在地区", "县（市、区）", "县(市、区)", "区县", "行政区划", "region")),
    "enterprise_name": ("企业名称", True, ("企业名称", "单位名称", "企业", "enterprise", "name")),
    "uscc": ("统一社会信用代码", True, ("统一社会信用代码", "社会信用代码", "信用代码", "uscc")),
    "sector": ("行业", True, ("行业", "所属行业", "行业类别", "sector")),
    "equipment_name": ("设备名称", True, ("设备名称", "设备（生产线）名称", "设备(生产线)名称", "生产线名称",
                                          "主要设备名称", "设备", "equipment")),
    "model": ("型号规格", False, ("型号规格", "型号", "规格型号", "规格", "model")),
    "quantity": ("数量", False, ("数量", "数量（台/套）", "数量(台/套)", "台数", "quantity")),
    "capacity": ("产能", True, ("产能", "生产能力", "产能数值", "capacity")),
    "unit": ("产能单位", True, ("产能单位", "单位", "计量单位", "unit")),
    "exit_method": ("退出方式", False, ("退出方式", "淘汰方式", "处置方式", "exit_method")),
    "target_date": ("计划完成时间", False, ("计划完成时间", "计划退出时间", "完成时限", "目标日期", "target_date")),
    "address": ("地址", False, ("地址", "企业地址", "生产地址", "address")),
    "established_on": ("成立日期", False, ("成立日期", "成立时间", "企业成立日期", "企业成立时间", "established_on")),
    "notes": ("备注", False, ("备注", "notes")),
}
FIELD_LABELS = {key: label for key, (label, _req, _syn) in FIELDS.items()}
REQUIRED_FIELDS = [key for key, (_label, required, _syn) in FIELDS.items() if required]


@dataclass(frozen=True)
class SheetRow:
    """One data row: its row number in the sheet (as Excel shows it) and its cell values."""

    number: int
    values: tuple[Any, ...]


@dataclass
class TaskSheet:
    """The rows of a task-list sheet below its header row."""

    path: Path
    sheet_name: str
    header_row: int
    headers: list[str]
    rows: list[SheetRow]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first row, first column, last row, last column), 1-based."""

    def merged_below_header(self) -> list[tuple[int, int, int, int]]:
        return [m for m in self.merged if m[2] > self.header_row]


def _norm(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or "")).replace("（", "(").replace("）", ")").lower()


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """Return field -> header for every field whose header (or a synonym) is found, best synonym first."""
    by_norm = {_norm(h): h for h in headers if str(h or "").strip()}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for key, (_label, _required, synonyms) in FIELDS.items():
        for synonym in synonyms:
            header = by_norm.get(_norm(synonym))
            if header is not None and header not in taken:
                mapping[key] = header
                taken.add(header)
                break
    # "产能（万吨/年）" and the like: a capacity header that carries its unit
    if "capacity" not in mapping:
        for header in headers:
            if header not in taken and _norm(header).startswith("产能("):
                mapping["capacity"] = header
                taken.add(header)
                break
    return mapping


def _cell_ref(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if match is None:
        raise ValueError(ref)
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


def _merged_ranges(path: Path, worksheet_path: str) -> list[tuple[int, int, int, int]]:
    """Return the merged ranges recorded in the sheet's XML."""
    out = []
    with zipfile.ZipFile(path) as archive:
        data = archive.read(worksheet_path)
    for match in re.finditer(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+):([A-Z]+\d+)"', data):
        r1, c1 = _cell_ref(match.group(1).decode())
        r2, c2 = _cell_ref(match.group(2).decode())
        out.append((r1, c1, r2, c2))
    return out


def _header_score(values: tuple[Any, ...]) -> int:
    known = {_norm(s) for _l, _r, synonyms in FIELDS.values() for s in synonyms}
    return sum(1 for v in values if _norm(v) in known)


def read_task_sheet(
    path: Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    max_rows: int = MAX_ROWS,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> TaskSheet:
    """Read the sheet's header and data rows; refuse a file that is not an .xlsx workbook or is too long."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise UserError(Msg("找不到文件：{path}", path=path), code="E_FILE_NOT_FOUND", details={"path": str(path)})
    if not zipfile.is_zipfile(path):
        raise UserError(Msg("不是 Excel 工作簿（.xlsx）：{name}（旧版 .xls 请先在 Excel 中另存为 .xlsx）", name=path.name),
                        code="E_TASKS_NOT_XLSX", details={"path": str(path)})
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法读取文件 {path}：{value}", path=path, value=exc.strerror or exc), code="E_READ_FAILED") from exc
    except Exception as exc:  # openpyxl raises assorted errors for files it cannot parse
        raise UserError(Msg("无法读取 Excel 工作簿 {name}：{exc}", name=path.name, exc=exc), code="E_TASKS_NOT_XLSX",
                        details={"path": str(path)}) from exc
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise UserError(Msg("工作簿中没有工作表“{sheet}”（有：{value}）", sheet=sheet, value='、'.join(wb.sheetnames)),
                                code="E_TASKS_SHEET")
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        rows_iter = ws.iter_rows(values_only=True)
        head: list[tuple[Any, ...]] = []
        found = header_row
        for n, values in enumerate(rows_iter, start=1):
            head.append(tuple(values))
            if found is None and _header_score(values) >= 3:
                found = n
            if found is not None and n >= found:
                break
            if n >= HEADER_SCAN_ROWS:
                break
        if found is None or found > len(head):
            raise UserError(
                Msg("在工作表“{sheet}”的前 {rows} 行中找不到表头（应含 {columns} 等列）", sheet=ws.title,
                    rows=HEADER_SCAN_ROWS, columns="、".join(FIELD_LABELS[f] for f in REQUIRED_FIELDS)),
                code="E_TASKS_COLUMNS")
        header_values = head[found - 1]
        headers = [str(v).strip() if v is not None else "" for v in header_values]
        rows: list[SheetRow] = []
        number = found
        for values in rows_iter:
            number += 1
            if number % 5000 == 0:
                if cancel is not None:
                    cancel()
                if progress is not None:
                    progress(number, 0, f"已读取 {number} 行")
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(rows) >= max_rows:
                raise UserError(Msg("任务清单超过 {max_rows:,} 行数据（第 {number} 行起超出），请按地区拆分后分别导入", max_rows=max_rows, number=number),
                                code="E_TASKS_TOO_MANY_ROWS", details={"max_rows": max_rows})
            rows.append(SheetRow(number, tuple(values)))
        worksheet_path = getattr(ws, "_worksheet_path", None)  # openpyxl's read-only sheet keeps its part name
        merged = _merged_ranges(path, worksheet_path) if worksheet_path else []
        return TaskSheet(path=path, sheet_name=ws.title, header_row=found, headers=headers, rows=rows,
                         merged=merged)
    finally:
        wb.close()
