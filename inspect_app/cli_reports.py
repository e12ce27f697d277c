"""Command line: ``report`` (survey, cards, closed-list, summary) and ``tasks import`` (registered by ``cli.build_parser``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from inspect_app.cli import emit, iso_date, open_from_args, today
from inspect_app.errors import UserError
from inspect_app.i18n import Msg

REPORT_CHOICES = ("survey", "cards", "closed-list", "summary")


def cmd_report(args: argparse.Namespace) -> None:
    from inspect_app.services.reports import ReportFilters, export_report

    filters = ReportFilters(year=args.year, region=args.region, sector=args.sector, as_of=args.as_of,
                            registered_from=args.registered_from, registered_to=args.registered_to,
                            established_from=args.established_from, established_to=args.established_to)
    store = open_from_args(args, read_only=True)  # reads the store, writes only the report file
    try:
        result = export_report(store, args.kind, filters, Path(args.out), fmt=args.format,
                               overwrite=args.overwrite, today=today())
    finally:
        store.close()
    emit(args, result, f"已导出 {result.path}（{result.format}，{result.rows} 行，{result.bytes} 字节，"
                       f"统计截止日期 {result.as_of.isoformat()}，用时 {result.seconds:.2f} 秒）")


def _mapping(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        field, sep, header = value.partition("=")
        if not sep or not field.strip():
            raise UserError(Msg("列对应格式应为 字段=表头：{value}", value=value), code="E_TASKS_MAPPING")
        out[field.strip()] = header.strip()
    return out


def cmd_tasks_import(args: argparse.Namespace) -> int:
    from inspect_app.services import task_import

    path = Path(args.file)
    sheet = task_import.read_task_sheet(path, sheet=args.sheet, header_row=args.header_row)
    mapping = task_import.confirm_mapping(sheet, _mapping(args.map))
    store = open_from_args(args)
    try:
        with store.reader() as session:
            preview = task_import.validate_tasks(session, sheet, mapping, year=args.year or today().year)
        applied = None
        if not args.dry_run and preview.ok:
            applied = task_import.apply_tasks(store, sheet, mapping, year=preview.year)
    finally:
        store.close()
    lines = [f"工作表：{sheet.sheet_name}，表头在第 {sheet.header_row} 行，数据 {len(sheet.rows)} 行",
             "列对应：" + "；".join(f"{task_import.FIELD_LABELS[f]}←{h}" for f, h in mapping.items())]
    lines += task_import.report_lines(preview, limit=args.limit)
    payload: dict[str, Any] = {"sheet": sheet.sheet_name, "mapping": mapping, "preview": preview.summary(),
                               "errors": [e.as_dict() for e in preview.errors[: args.limit]],
                               "applied": applied}
    if not preview.ok:
        emit(args, payload, [*lines, f"E_TASKS_INVALID: 共 {len(preview.errors)} 处错误，未导入任何数据"])
        return 1
    if args.dry_run:
        lines.append("试运行：未写入数据库")
    elif applied is not None:
        lines.append(f"已导入：新增企业 {applied.enterprises_added} 家、设备 {applied.equipment_added} 条、"
                     f"更新设备 {applied.equipment_updated} 条、退出计划 {applied.plans_set} 条"
                     + (f"、补填成立日期 {applied.enterprises_updated} 家" if applied.enterprises_updated else "")
                     if applied.changed else "数据库中已有这些任务，未作任何改动")
    emit(args, payload, lines)
    return 0


def register(sub: Any, leaf: Callable[..., argparse.ArgumentParser], group: Callable[..., Any]) -> None:
    """Add the report and tasks commands to the parser."""
    p = leaf(sub, "report", cmd_report, "生成报表：摸排情况、红黄牌名单、关闭退出企业名单、年度工作总结")
    p.add_argument("kind", choices=REPORT_CHOICES)
    p.add_argument("--year", type=int, required=True, help="年度")
    p.add_argument("--region", help="地区（名称或代码，含下级）")
    p.add_argument("--sector", help="行业（名称或代码）")
    p.add_argument("--as-of", type=iso_date, help="统计截止日期（默认今天，往年为 12 月 31 日）")
    p.add_argument("--registered-from", type=iso_date, help="只统计此日及以后登记的设备（仅 survey，北京时间）")
    p.add_argument("--registered-to", type=iso_date, help="只统计此日及以前登记的设备（仅 survey，北京时间）")
    p.add_argument("--established-from", type=iso_date,
                   help="只统计此日及以后成立的企业（成立日期，仅 survey；未填成立日期的企业不计入）")
    p.add_argument("--established-to", type=iso_date, help="只统计此日及以前成立的企业（成立日期，仅 survey）")
    p.add_argument("--format", choices=["xlsx", "pdf", "csv"], help="格式（默认按文件扩展名）")
    p.add_argument("--out", required=True, help="输出文件")
    p.add_argument("--overwrite", action="store_true", help="覆盖已有文件")

    tasks = group("tasks", "任务清单")
    p = leaf(tasks, "import", cmd_tasks_import, "导入上级下达的任务清单（Excel .xlsx）：逐行校验，全部通过才导入")
    p.add_argument("file", help="任务清单 .xlsx 文件")
    p.add_argument("--dry-run", action="store_true", help="只校验并预览，不写入")
    p.add_argument("--sheet", help="工作表名称（默认第一个）")
    p.add_argument("--header-row", type=int, help="表头所在行（默认自动识别）")
    p.add_argument("--map", action="append", help="确认列对应：字段=表头，如 uscc=统一社会信用代码，可重复")
    p.add_argument("--year", type=int, help="退出计划年度（默认今年）")
    p.add_argument("--limit", type=int, default=200, help="最多列出多少处错误（默认 200）")
