"""The command line: ``inspect-app`` (also ``python -m inspect_app``).

Exit status: 0 success, 1 refused input or an environment problem (with a stable ``E_…`` code),
2 usage error. ``--json`` (before or after the subcommand) prints machine-readable output.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from inspect_app import APP_TITLE, __version__
from inspect_app.errors import InspectError, UserError
from inspect_app.i18n import Msg, Text

Handler = Callable[[argparse.Namespace], Any]


# --- output ---------------------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Text):
        return value.render()
    return value


def emit(args: argparse.Namespace, payload: Any, text: str | Sequence[str]) -> None:
    """Print ``payload`` as JSON with --json, else the human text."""
    if getattr(args, "json", False):
        print(json.dumps(_jsonable(payload), ensure_ascii=False, indent=2))
    else:
        lines = [text] if isinstance(text, str) else list(text)
        for line in lines:
            print(line)


# --- argument types -------------------------------------------------------------------------------------------


def iso_date(text: str) -> date:
    """Parse YYYY-MM-DD; a well-formed date that does not exist (2021-02-30) is told so, not "wrong format"."""
    import calendar
    import re

    value = text.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        raise argparse.ArgumentTypeError(str(Msg("日期格式应为 YYYY-MM-DD：{text}", text=text)))
    year, month, _day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(str(Msg("{value} 不是真实的日期：月份应为 01–12", value=value)))
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    raise argparse.ArgumentTypeError(str(Msg("{value} 不是真实的日期：{year} 年 {month} 月只有 {days} 天", value=value,
                                                 year=year, month=month, days=days)))


def today() -> date:
    """Return today in China (whatever the machine's zone), or ``INSPECT_APP_TODAY`` (for scripts and tests)."""
    from inspect_app.rules.opinion_wording import china_today

    override = os.environ.get("INSPECT_APP_TODAY")
    return date.fromisoformat(override) if override else china_today()


def _team(values: list[str] | None) -> list[dict[str, str]]:
    team = []
    for value in values or []:
        parts = [p.strip() for p in value.split(":")]
        team.append({"name": parts[0], "organisation": parts[1] if len(parts) > 1 else "",
                     "title": parts[2] if len(parts) > 2 else ""})
    return team


def _checks(values: list[str] | None) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for value in values or []:
        if "=" not in value:
            raise UserError(Msg("核查项格式应为 代码=yes|no|na[:备注]：{value}", value=value), code="E_CHECKLIST_INVALID")
        code, _, rest = value.partition("=")
        result, _, note = rest.partition(":")
        out[code.strip()] = {"result": result.strip(), "note": note.strip()}
    return out


# --- store ---------------------------------------------------------------------------------------------------

# Start-up (SQLAlchemy, the mapped tables, the services) allocates tens of thousands of objects that live as long
# as the process. With the collector on, every burst of them makes it walk the growing heap again, for nothing to
# free (~0.1 s of a list command). When this process is the command, its entry point (inspect_app/__main__.py)
# turns it off before main() until the store is open, then moves what start-up made out of its sight (gc.freeze)
# and turns it back on for the command's own work. Called as a library (tests, the window) nothing changes.
_collector_paused = False


def pause_collector() -> None:
    """Turn the garbage collector off until the store is open (only for a process that is one command)."""
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def _resume_collector() -> None:
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()



def open_from_args(args: argparse.Namespace, *, lock: bool = True, read_only: bool = False) -> Any:
    """Open the store named by --data-dir / --db-url; ``read_only`` for commands that only read.

    An empty ``--data-dir ""`` is refused (it is a mistake in a script, not a wish for the default folder);
    an empty environment variable counts as unset.
    """
    from inspect_app.datadir import resolve_data_dir
    from inspect_app.models.store import open_store

    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    db_url = getattr(args, "db_url", None) or os.environ.get("INSPECT_APP_DB_URL") or None
    try:
        return open_store(data_dir, db_url, lock=lock, read_only=read_only)
    finally:
        _resume_collector()


def with_write(args: argparse.Namespace, action: Callable[..., Any]) -> Any:
    """Run ``action(session)`` in one transaction on the store."""
    store = open_from_args(args)
    try:
        with store.transaction() as session:
            return action(session)
    finally:
        store.close()


def with_read(args: argparse.Namespace, action: Callable[..., Any]) -> Any:
    """Run ``action(session)`` for reading (no lock; works on a read-only or full data folder)."""
    store = open_from_args(args, read_only=True)
    try:
        with store.reader() as session:
            return action(session)
    finally:
        store.close()


# --- commands ------------------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> None:
    from inspect_app.services.settings import set_setting, store_role

    store = open_from_args(args)
    try:
        with store.transaction() as session:
            if getattr(args, "role", None):
                set_setting(session, "role", args.role)
            role = store_role(session)
        info = store.info()
    finally:
        store.close()
    emit(args, {**dataclasses.asdict(info), "role": role},
         [f"数据库已就绪：{info.database}", f"结构版本：{info.schema_revision}", f"本机设备：{info.device_id}",
          f"角色：{'市办公室' if role == 'office' else '核查人员'}"])


def cmd_demo(args: argparse.Namespace) -> None:
    from inspect_app.services.demo import load_demo, load_demo_photos
    from inspect_app.services.enterprises import count_enterprises

    store = open_from_args(args)
    try:
        with store.transaction() as session:
            if count_enterprises(session) and not args.force:
                raise UserError(Msg("数据库中已有企业，未载入演示数据（如确需载入，请加 --force）"), code="E_DEMO_NOT_EMPTY")
            n = load_demo(session, today=today())
        photos = 0 if args.no_photos else load_demo_photos(store, today=today())
    finally:
        store.close()
    emit(args, {"enterprises": n, "photos": photos}, f"已载入演示数据：{n} 家企业，{photos} 张现场照片")


def cmd_enterprise_add(args: argparse.Namespace) -> None:
    from inspect_app.services.enterprises import register_enterprise

    if (args.lat is None) != (args.lon is None):
        raise UserError(Msg("经度和纬度须同时填写（--lat 与 --lon）"), code="E_LOCATION_INVALID")
    view = with_write(args, lambda s: register_enterprise(
        s, name=args.name, uscc=args.uscc, region=args.region, address=args.address or "", lat=args.lat, lon=args.lon,
        contact_name=args.contact or "", contact_phone=args.phone or "", sector=args.sector,
        established_on=args.established))
    emit(args, {"id": view.id, "enterprise": view}, view.id)


def cmd_enterprise_list(args: argparse.Namespace) -> None:
    from inspect_app.services.enterprises import list_enterprises

    rows = with_read(args, lambda s: list_enterprises(
        s, search=args.search, region=args.region, sector=args.sector, status=args.status, card=args.card,
        overdue_only=args.overdue, today=today()))
    lines = [f"{r.id[:8]}  {r.uscc}  {r.name}  {r.region}  {r.sectors}  {r.status_label}"
             f"{'  [' + ('红牌' if r.card == 'red' else '黄牌') + ']' if r.card else ''}"
             f"{'  逾期' if r.overdue else ''}" for r in rows]
    emit(args, rows, [*lines, f"共 {len(rows)} 家企业"])


def cmd_enterprise_show(args: argparse.Namespace) -> None:
    from inspect_app.services import casework
    from inspect_app.services.enterprises import get_enterprise

    def action(s: Any) -> dict[str, Any]:
        ent = get_enterprise(s, args.id)
        return {"enterprise": ent, "findings": casework.list_findings(s, enterprise_id=ent.id, today=today()),
                "cards": casework.list_cards(s, enterprise_id=ent.id),
                "exit_plans": casework.list_exit_plans(s, enterprise_id=ent.id),
                "inspections": casework.list_inspections(s, enterprise_id=ent.id)}

    out = with_read(args, action)
    ent = out["enterprise"]
    lines = [f"{ent.name}（{ent.uscc}）", f"区域：{ent.region}  地址：{ent.address}  状态：{ent.status_label}",
             f"成立日期：{ent.established_on or '未填'}", "设备："]
    lines += [f"  {e.id[:8]}  {e.name} {e.model}  ×{e.quantity}  {format(e.capacity.normalize(), 'f')} {e.unit}"
              f"  {e.sector}  {e.status_label}" for e in ent.equipment]
    lines += ["认定："] + [f"  {f.id[:8]}  {f.aspect_label}  认定 {f.found_on}  期限 {f.effective_deadline or '—'}  {f.state}"
                         for f in out["findings"]]
    lines += ["红黄牌："] + [f"  {c.id[:8]}  {c.color_label}  {c.issued_on}  {'已撤销' if c.lifted_on else '有效'}"
                           for c in out["cards"]]
    emit(args, out, lines)


def cmd_equipment_add(args: argparse.Namespace) -> None:
    from inspect_app.services.enterprises import add_equipment, resolve_enterprise

    view = with_write(args, lambda s: add_equipment(
        s, enterprise_id=resolve_enterprise(s, args.enterprise).id, name=args.name, capacity=args.capacity,
        unit=args.unit, sector=args.sector, model=args.model or "", quantity=args.quantity))
    emit(args, {"id": view.id, "equipment": view}, view.id)


def cmd_equipment_list(args: argparse.Namespace) -> None:
    from inspect_app.services.enterprises import list_equipment, resolve_enterprise

    rows = with_read(args, lambda s: list_equipment(
        s, enterprise_id=resolve_enterprise(s, args.enterprise).id if args.enterprise else None))
    emit(args, rows, [f"{e.id[:8]}  {e.name}  {format(e.capacity.normalize(), 'f')} {e.unit}  {e.sector}  {e.status_label}"
                      for e in rows] + [f"共 {len(rows)} 台（套）设备"])


def cmd_equipment_status(args: argparse.Namespace) -> None:
    from inspect_app.services.enterprises import set_equipment_status

    view = with_write(args, lambda s: set_equipment_status(s, args.id, args.to, reason=args.reason or "",
                                                           on=args.on or today()))
    emit(args, view, f"{view.name}：{view.status_label}")


def cmd_equipment_edit(args: argparse.Namespace) -> None:
    from inspect_app.services.enterprises import update_equipment

    view = with_write(args, lambda s: update_equipment(s, args.id, name=args.name, model=args.model,
                                                       quantity=args.quantity, capacity=args.capacity, unit=args.unit,
                                                       sector=args.sector))
    emit(args, view, f"{view.name}  {view.capacity} {view.unit}  × {view.quantity}")


def cmd_finding_add(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import record_finding

    view = with_write(args, lambda s: record_finding(s, equipment_id=args.equipment, aspect=args.aspect,
                                                     found_on=args.found_on, basis=args.basis or "",
                                                     deadline=args.deadline, today=today()))
    emit(args, {"id": view.id, "deadline": view.deadline, "finding": view},
         f"{view.id}  整改期限：{view.deadline.isoformat() if view.deadline else '无'}")


def cmd_finding_extend(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import extend_finding

    view = with_write(args, lambda s: extend_finding(s, args.id, until=args.until, reason=args.reason or "",
                                                     today=today()))
    emit(args, {"id": view.id, "deadline": view.effective_deadline, "finding": view},
         f"{view.id}  延期至：{view.extended_until}")


def cmd_finding_list(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import list_findings

    rows = with_read(args, lambda s: list_findings(s, open_only=args.open, today=today()))
    emit(args, rows, [f"{f.id[:8]}  {f.aspect_label}  {f.found_on}  期限 {f.effective_deadline or '—'}  {f.state}"
                      for f in rows])


def cmd_card_issue(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import issue_card
    from inspect_app.services.enterprises import resolve_enterprise

    view = with_write(args, lambda s: issue_card(s, enterprise_id=resolve_enterprise(s, args.enterprise).id,
                                                 color=args.color, issued_on=args.on or today(),
                                                 reason=args.reason, equipment_id=args.equipment))
    emit(args, {"id": view.id, "card": view}, view.id)


def cmd_card_lift(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import lift_card

    view = with_write(args, lambda s: lift_card(s, args.id, lifted_on=args.on or today(), reason=args.reason))
    emit(args, view, f"{view.id}  已撤销")


def cmd_card_list(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import list_cards

    rows = with_read(args, lambda s: list_cards(s, active_only=args.active))
    emit(args, rows, [f"{c.id[:8]}  {c.color_label}  {c.issued_on}  {c.reason}" for c in rows])


def cmd_env_listing_add(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import record_env_listing
    from inspect_app.services.enterprises import resolve_enterprise

    view = with_write(args, lambda s: record_env_listing(
        s, enterprise_id=resolve_enterprise(s, args.enterprise).id, kind=args.kind, listed_on=args.on or today(),
        reason=args.reason, pollutant=args.pollutant or "", department=args.department or ""))
    emit(args, {"id": view.id, "listing": view}, view.id)


def cmd_plan_add(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import plan_exit

    view = with_write(args, lambda s: plan_exit(s, equipment_id=args.equipment, year=args.year or args.target.year,
                                                method=args.method, target_date=args.target, notes=args.notes or ""))
    emit(args, {"id": view.id, "plan": view}, view.id)


def cmd_inspection_add(args: argparse.Namespace) -> None:
    from inspect_app.services import casework
    from inspect_app.services.enterprises import resolve_enterprise

    def action(s: Any) -> Any:
        ent = resolve_enterprise(s, args.enterprise)
        view = casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=args.equipment or [],
                                        planned_on=args.date, team=_team(args.team))
        if args.date <= today() and (args.check or args.finish or args.team):
            view = casework.record_inspection(s, view.id, visited_on=args.date, checklist=_checks(args.check),
                                              lat=args.lat, lon=args.lon, location_text=args.location,
                                              finish=args.finish, today=today())
        return view

    view = with_write(args, action)
    emit(args, {"id": view.id, "inspection": view}, view.id)


def cmd_inspection_record(args: argparse.Namespace) -> None:
    from inspect_app.services import casework

    view = with_write(args, lambda s: casework.record_inspection(
        s, args.id, visited_on=args.date, checklist=_checks(args.check) if args.check else None,
        team=_team(args.team) if args.team else None, lat=args.lat, lon=args.lon, location_text=args.location,
        finish=args.finish, today=today()))
    emit(args, view, f"{view.id}  {view.status}")


def cmd_inspection_list(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import list_inspections

    rows = with_read(args, lambda s: list_inspections(s, status=args.status))
    emit(args, rows, [f"{i.id[:8]}  {i.enterprise_name}  {i.status}  {i.visited_on or i.planned_on}" for i in rows])


def cmd_inspection_show(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import get_inspection

    view = with_read(args, lambda s: get_inspection(s, args.id))
    emit(args, view, [f"{view.enterprise_name}  {view.status}  {view.visited_on or view.planned_on}"]
         + [f"  {k}: {v['result']} {v.get('note', '')}" for k, v in view.checklist.items()])


def cmd_inspection_assign(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import assign_inspection

    view = with_write(args, lambda s: assign_inspection(s, args.id, device=None if args.device == "none" else args.device))
    emit(args, view, f"{view.id}  已分派给 {view.assigned_device or '（无）'}")


def cmd_inspection_reopen(args: argparse.Namespace) -> None:
    from inspect_app.services.casework import reopen_inspection

    view = with_write(args, lambda s: reopen_inspection(s, args.id, reason=args.reason))
    emit(args, view, f"{view.id}  已重新打开（原因已记入审计）；修改后完成核查，再以 --supersedes 出具更正意见")


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from inspect_app.services.audit import verify_audit

    report = with_read(args, verify_audit)
    if report.ok:
        emit(args, {"ok": True, "events": report.events, "rows_checked": report.rows_checked, "problems": []},
             f"审计链完整：{report.events} 条记录，核对 {report.rows_checked} 行数据，未发现改动")
        return 0
    first = report.first_broken
    emit(args, {"ok": False, "code": first.code if first else "", "events": report.events,
                "rows_checked": report.rows_checked, "problems": report.problems},
         [f"{p.code}: {p.message}" for p in report.problems] + [f"审计核验失败：首个问题 — {first.message if first else ''}"])
    return 1


def cmd_settings_show(args: argparse.Namespace) -> None:
    from inspect_app.services.settings import DEFAULTS, get_setting

    values = with_read(args, lambda s: {key: get_setting(s, key) for key in sorted(DEFAULTS)})
    emit(args, values, [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()])


def cmd_settings_set(args: argparse.Namespace) -> None:
    from inspect_app.services.settings import get_setting, replace_plan_citations, set_setting

    try:
        value: Any = json.loads(args.value)
    except ValueError:
        value = args.value  # plain text, e.g. a document number pattern

    def action(s: Any) -> Any:
        if args.key == "plan_citations":
            replace_plan_citations(s, value)  # the list the opinions cite: audited like plan-set and plan-remove
        else:
            set_setting(s, args.key, value)
        return get_setting(s, args.key)

    stored = with_write(args, action)
    emit(args, {args.key: stored}, f"{args.key} = {json.dumps(stored, ensure_ascii=False)}")


def _plan_lines(entries: Sequence[Any]) -> list[str]:
    if not entries:
        return ["未设置工作方案：验收意见不引用具体方案（用 settings plan-set 添加）"]
    return [f"{e.province_name or '任一省份'}\t{e.citation.year}年起\t{e.citation.text()}" for e in entries]


def _plan_payload(entries: Sequence[Any]) -> list[dict[str, Any]]:
    return [{**e.citation.to_json(), "province_name": e.province_name} for e in entries]


def cmd_settings_plans(args: argparse.Namespace) -> None:
    from inspect_app.services.settings import list_plan_citations

    entries = with_read(args, list_plan_citations)
    emit(args, {"plan_citations": _plan_payload(entries)}, _plan_lines(entries))


def cmd_settings_plan_set(args: argparse.Namespace) -> None:
    from inspect_app.rules.opinion_wording import PlanCitation
    from inspect_app.services.settings import list_plan_citations, put_plan_citation

    citation = PlanCitation(args.province, args.year, args.plan, args.plan_number, args.standard,
                            args.standard_number)

    def action(s: Any) -> Any:
        put_plan_citation(s, citation)
        return list_plan_citations(s)

    entries = with_write(args, action)
    emit(args, {"plan_citations": _plan_payload(entries)}, ["已保存（记入审计）：", *_plan_lines(entries)])


def cmd_settings_plan_remove(args: argparse.Namespace) -> None:
    from inspect_app.services.settings import list_plan_citations, remove_plan_citation

    def action(s: Any) -> Any:
        removed = remove_plan_citation(s, args.province, args.year)
        return removed, list_plan_citations(s)

    removed, entries = with_write(args, action)
    emit(args, {"removed": removed.to_json(), "plan_citations": _plan_payload(entries)},
         [f"已删除（记入审计）：{args.province or '任一省份'} {removed.year}年起 {removed.text()}", "现有设置：",
          *_plan_lines(entries)])


def cmd_settings_seal(args: argparse.Namespace) -> None:
    from inspect_app.cli_opinions import cmd_settings_seal as seal

    seal(args)


def cmd_gui(args: argparse.Namespace) -> int:
    from inspect_app.ui.app import GuiLaunch, run_gui

    data_dir = getattr(args, "data_dir", None) or os.environ.get("INSPECT_APP_DATA_DIR")
    return run_gui(GuiLaunch(data_dir=Path(data_dir) if data_dir else None,
                             db_url=getattr(args, "db_url", None) or os.environ.get("INSPECT_APP_DB_URL"),
                             demo_if_empty=bool(getattr(args, "demo_if_empty", False)),
                             language=getattr(args, "language", None)))


def _window_size(text: str) -> tuple[int, int]:
    """``1366x768`` -> (1366, 768); argparse reports anything else as a usage error."""
    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit() and 320 <= int(width) <= 8000 and 240 <= int(height) <= 8000):
        raise argparse.ArgumentTypeError(f"窗口尺寸应写作 宽x高，如 1366x768：{text}")
    return int(width), int(height)


def cmd_screenshots(args: argparse.Namespace) -> None:
    from inspect_app.ui.screenshots import SIZES, render_all

    sizes: list[tuple[int, int]] = args.size or list(SIZES)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        # Qt's offscreen screen is 800×800: dialogs sized to the screen would be drawn for that. Each size is
        # rendered by a child on a screen of its own size, as on that laptop.
        paths = [p for size in sizes for p in _screenshots_on_screen(args, size)]
    else:
        store = open_from_args(args)
        try:
            paths = [str(p) for p in render_all(store, Path(args.out), language=args.language, sizes=sizes)]
        finally:
            store.close()
    emit(args, paths, paths)


def _screenshots_on_screen(args: argparse.Namespace, size: tuple[int, int]) -> list[str]:
    """Run ``screenshots`` for one size in a child whose offscreen screen has that size; return its PNGs."""
    import subprocess
    import tempfile

    width, height = size
    command = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "inspect_app"]
    for option, value in (("--data-dir", getattr(args, "data_dir", None)), ("--db-url", getattr(args, "db_url", None))):
        if value:
            command += [option, value]
    command += ["--json", "screenshots", "--out", str(args.out), "--language", args.language, "--size",
                f"{width}x{height}"]
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "screen.json"
        config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                                   "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
        env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(done.returncode)
    return [str(p) for p in json.loads(done.stdout)]


# --- parser --------------------------------------------------------------------------------------------------


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Top level gets real defaults; subcommands SUPPRESS theirs so a value given before the subcommand
    # is not reset by the subparser's default (so --json works before or after the subcommand).
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument("--data-dir", default=default, help="数据目录（默认为系统的用户数据目录）")
    parser.add_argument("--db-url", default=default, help="数据库地址，如 postgresql+psycopg://user@host/db")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="以 JSON 输出")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors: exit status 2 with a short hint
        self.print_usage(sys.stderr)
        print(f"E_USAGE: {message}", file=sys.stderr)
        raise SystemExit(2)


class _Unbuilt:
    """Stands in for the parsers of commands not being run: takes their arguments and forgets them.

    Building argparse parsers for all fifty-odd subcommands costs tens of milliseconds on every start;
    only the command named on the command line is built in full (see ``build_parser``).
    """

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self

    def __setattr__(self, name: str, value: Any) -> None:
        pass


_UNBUILT = _Unbuilt()
_VALUE_OPTIONS = frozenset({"--data-dir", "--db-url"})


def command_name(argv: Sequence[str]) -> str | None:
    """Return the subcommand named in ``argv`` (the first word that is neither an option nor its value)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word.startswith("--") and len(word) > 2 and any(opt.startswith(word) for opt in _VALUE_OPTIONS):
            skip = True  # --data-dir DIR, or an abbreviation argparse accepts (--data DIR)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser: every subcommand, or with ``command`` only that one in full.

    With ``command`` the other commands are still listed (names and help, so usage errors and ``--help``
    read the same) but their arguments are not built.
    """
    parser = _Parser(prog="inspect-app", description=f"{APP_TITLE} — Capacity Exit Field Inspector")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def wanted(name: str) -> bool:
        return command is None or name == command

    def leaf(container: Any, name: str, handler: Handler, help_text: str) -> Any:
        if container is _UNBUILT:
            return _UNBUILT
        if container is sub and not wanted(name):
            sub.add_parser(name, help=help_text, add_help=False)
            return _UNBUILT
        p: argparse.ArgumentParser = container.add_parser(name, help=help_text, description=help_text)
        _common(p, top=False)
        p.set_defaults(handler=handler)
        return p

    def group(name: str, help_text: str) -> Any:
        if not wanted(name):
            sub.add_parser(name, help=help_text, add_help=False)
            return _UNBUILT
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, top=False)
        p.set_defaults(handler=lambda a, p=p: (p.print_help(), 2)[1])
        return p.add_subparsers(dest="action", parser_class=_Parser)

    p = leaf(sub, "init", cmd_init, "创建或升级数据库")
    p.add_argument("--role", choices=["inspector", "office"], help="本数据库属于核查人员（笔记本）还是市办公室")
    p = leaf(sub, "demo", cmd_demo, "载入郑州市演示数据")
    p.add_argument("--force", action="store_true", help="即使已有企业也载入")
    p.add_argument("--no-photos", action="store_true", help="不生成演示照片")

    ent = group("enterprise", "企业")
    p = leaf(ent, "add", cmd_enterprise_add, "登记企业（输出新企业 id）")
    p.add_argument("--name", required=True)
    p.add_argument("--uscc", required=True, help="统一社会信用代码（18 位）")
    p.add_argument("--region", required=True, help="区域名称或代码")
    p.add_argument("--sector", help="主要行业（名称或代码）：登记设备时的默认行业")
    p.add_argument("--address")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p.add_argument("--contact")
    p.add_argument("--phone")
    p.add_argument("--established", help="成立日期（YYYY-MM-DD，可不填）")
    p = leaf(ent, "list", cmd_enterprise_list, "列出企业")
    p.add_argument("--search")
    p.add_argument("--region")
    p.add_argument("--sector")
    p.add_argument("--status")
    p.add_argument("--card", choices=["yellow", "red", "none"])
    p.add_argument("--overdue", action="store_true")
    p = leaf(ent, "show", cmd_enterprise_show, "查看企业详情")
    p.add_argument("id", help="企业 id、id 前缀或统一社会信用代码")

    eq = group("equipment", "设备（生产线）")
    p = leaf(eq, "add", cmd_equipment_add, "登记设备（输出新设备 id）")
    p.add_argument("--enterprise", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--capacity", required=True, help="产能数值（正数）")
    p.add_argument("--unit", required=True, help="产能单位，如 万吨/年")
    p.add_argument("--sector")
    p.add_argument("--model")
    p.add_argument("--quantity", type=int, default=1)
    p = leaf(eq, "list", cmd_equipment_list, "列出设备")
    p.add_argument("--enterprise")
    p = leaf(eq, "edit", cmd_equipment_edit, "更正设备信息（名称、型号、数量、产能、行业）")
    p.add_argument("id")
    for option in ("--name", "--model", "--capacity", "--unit", "--sector"):
        p.add_argument(option)
    p.add_argument("--quantity", type=int)
    p = leaf(eq, "status", cmd_equipment_status, "变更设备状态")
    p.add_argument("id")
    p.add_argument("--to", required=True)
    p.add_argument("--reason")
    p.add_argument("--on", type=iso_date, help="变更日期（关停、封存、拆除完成的日期；默认今天）")

    fi = group("finding", "认定与整改")
    p = leaf(fi, "add", cmd_finding_add, "记录认定（输出 id 与整改期限）")
    p.add_argument("--equipment", required=True)
    p.add_argument("--aspect", required=True, help="energy|environment|quality|safety|technology 或中文")
    p.add_argument("--found-on", required=True, type=iso_date)
    p.add_argument("--basis")
    p.add_argument("--deadline", type=iso_date, help="环保、安全方面由主管部门确定的期限")
    p = leaf(fi, "extend", cmd_finding_extend, "延期（一次，不超过 3 个月）")
    p.add_argument("id")
    p.add_argument("--until", required=True, type=iso_date)
    p.add_argument("--reason")
    p = leaf(fi, "list", cmd_finding_list, "列出认定")
    p.add_argument("--open", action="store_true")

    ca = group("card", "红黄牌")
    p = leaf(ca, "issue", cmd_card_issue, "亮牌")
    p.add_argument("--enterprise", required=True)
    p.add_argument("--color", required=True, help="yellow|red")
    p.add_argument("--reason", required=True)
    p.add_argument("--equipment")
    p.add_argument("--on", type=iso_date)
    p = leaf(ca, "lift", cmd_card_lift, "撤牌")
    p.add_argument("id")
    p.add_argument("--reason", required=True)
    p.add_argument("--on", type=iso_date)
    p = leaf(ca, "list", cmd_card_list, "列出红黄牌")
    p.add_argument("--active", action="store_true")
    p = leaf(ca, "env-add", cmd_env_listing_add, "记录生态环境部门公布的超标排放或严重违法名单")
    p.add_argument("--enterprise", required=True)
    p.add_argument("--kind", required=True, help="over_limit|serious（超标排放|严重违法）")
    p.add_argument("--reason", required=True)
    p.add_argument("--pollutant")
    p.add_argument("--department")
    p.add_argument("--on", type=iso_date)

    pl = group("plan", "退出计划")
    p = leaf(pl, "add", cmd_plan_add, "制定设备退出计划")
    p.add_argument("--equipment", required=True)
    p.add_argument("--method", required=True, help="dismantle|seal|shutdown|suspension|closure|ban")
    p.add_argument("--target", required=True, type=iso_date)
    p.add_argument("--year", type=int)
    p.add_argument("--notes")

    ins = group("inspection", "现场核查")
    p = leaf(ins, "add", cmd_inspection_add, "安排或记录现场核查（输出 id）")
    p.add_argument("--enterprise", required=True)
    p.add_argument("--equipment", action="append")
    p.add_argument("--date", required=True, type=iso_date)
    p.add_argument("--team", action="append", help="姓名:单位:职务，可重复")
    p.add_argument("--check", action="append", help="核查项=yes|no|na[:备注]，可重复")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p.add_argument("--location")
    p.add_argument("--finish", action="store_true", help="完成核查")
    p = leaf(ins, "record", cmd_inspection_record, "记录现场核查结果")
    p.add_argument("id")
    p.add_argument("--date", type=iso_date)
    p.add_argument("--team", action="append")
    p.add_argument("--check", action="append")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p.add_argument("--location")
    p.add_argument("--finish", action="store_true")
    p = leaf(ins, "list", cmd_inspection_list, "列出核查")
    p.add_argument("--status", choices=["planned", "draft", "done", "cancelled"])
    p = leaf(ins, "show", cmd_inspection_show, "查看核查")
    p.add_argument("id")
    p = leaf(ins, "assign", cmd_inspection_assign, "办公室：把现场核查分派给一台核查设备（随下发包送达）")
    p.add_argument("id")
    p.add_argument("--device", required=True, help="设备 id 或前缀（见 device list）；none 取消分派")

    p = leaf(ins, "reopen", cmd_inspection_reopen, "重新打开已完成的核查（如需补充影像资料后出具更正意见）")
    p.add_argument("id")
    p.add_argument("--reason", required=True, help="重新打开的原因（记入审计）")

    au = group("audit", "审计")
    leaf(au, "verify", cmd_audit_verify, "重新计算审计链，指出第一处断裂与被改动的记录")

    st = group("settings", "设置（发文机关、文号格式、核查半径、每阶段照片数等）")
    leaf(st, "show", cmd_settings_show, "列出设置")
    p = leaf(st, "set", cmd_settings_set, "修改一项设置")
    p.add_argument("key", help="office_name | opinion_number_pattern | geofence_radius_m | photos_per_stage | inspector"
                                 " | self_signed_opinions (allow|forbid) | verification_url")
    p.add_argument("value", help="值（文本，或 JSON）")
    leaf(st, "plans", cmd_settings_plans, "列出验收意见引用的工作方案（各省份、各年份）")
    p = leaf(st, "plan-set", cmd_settings_plan_set, "设置某省份自某年起引用的工作方案（同省份同年份的一项被替换，记入审计）")
    p.add_argument("--province", required=True, help="省份代码或名称（如 410000 或 河南省）；空字符串表示任一省份")
    p.add_argument("--year", required=True, type=int, help="自该年份起适用")
    p.add_argument("--plan", required=True, help="方案名称")
    p.add_argument("--plan-number", default="", help="方案文号")
    p.add_argument("--standard", default="", help="综合标准名称")
    p.add_argument("--standard-number", default="", help="标准文号")
    p = leaf(st, "plan-remove", cmd_settings_plan_remove, "删除一项工作方案设置（记入审计）")
    p.add_argument("province", help="省份代码或名称；空字符串表示任一省份的一项")
    p.add_argument("year", type=int)
    p = leaf(st, "seal", cmd_settings_seal, "设置市办公室印章图片（PNG，透明背景），出具验收意见时压在落款上")
    p.add_argument("file")


    p = leaf(sub, "gui", cmd_gui, "打开桌面程序（默认）")
    p.add_argument("--demo-if-empty", action="store_true", help="数据库为空时载入演示数据")
    p.add_argument("--language", choices=["zh_CN", "en"])
    p = leaf(sub, "screenshots", cmd_screenshots, "离屏渲染各主要页面的截图（默认 1400×900 与 1366×768 两种尺寸）")
    p.add_argument("--out", required=True)
    p.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN", help="界面语言")
    p.add_argument("--size", action="append", type=_window_size, metavar="WxH", help="窗口尺寸，可重复，如 1366x768")

    # Evidence and opinion commands live in their own modules; they use this module's helpers.
    from inspect_app import cli_admin, cli_evidence, cli_opinions, cli_reports, cli_sync

    cli_evidence.register(sub, leaf, group)
    cli_opinions.register(sub, leaf, group)
    cli_sync.register(sub, leaf, group)
    cli_reports.register(sub, leaf, group)
    cli_admin.register(sub, leaf, group)
    return parser


def _start_log(args: argparse.Namespace) -> Path | None:
    """Log to the data folder's rotating log file (``applog``); a folder that cannot be written is no error here."""
    from inspect_app import applog
    from inspect_app.datadir import resolve_data_dir

    db_url = getattr(args, "db_url", None) or os.environ.get("INSPECT_APP_DB_URL")
    try:
        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    except UserError:
        data_dir = None  # --data-dir "": the command itself refuses it with its code
    # An office workstation on PostgreSQL logs to this user's own log folder: its data folder may be shared.
    return applog.start_for_store(data_dir, db_url)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from inspect_app import applog, i18n

    i18n.set_language(i18n.language_from_environment())  # messages follow INSPECT_APP_LANG or the locale
    applog.ensure_streams()  # a windowed program has no console: its output goes to the log
    applog.capture_early()
    for stream in (sys.stdout, sys.stderr):
        # A name that cannot be encoded for this terminal (undecodable bytes, a console code page) is printed
        # escaped instead of ending the command with a UnicodeEncodeError halfway through its report.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    words = list(argv) if argv is not None else sys.argv[1:]
    parser = build_parser(command_name(words))
    args = parser.parse_args(words)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        if args.command is None:
            handler = cmd_gui
        else:
            parser.print_help()
            return 2
    # The window starts its log once it knows its data folder (ui/app.py).
    logging_to = _start_log(args) if handler is not cmd_gui else None
    command = " ".join(part for part in (args.command, getattr(args, "action", None)) if part) or "gui"
    applog.log.info("%s %s: %s", APP_TITLE, __version__, command)
    try:
        return _run_handler(handler, args, command)
    finally:
        if handler is not cmd_gui and logging_to is None:
            _start_log(args)  # the command made the data folder (init, demo, restore …): its log goes there too


def _run_handler(handler: Handler, args: argparse.Namespace, command: str) -> int:
    """Run the command's handler; an expected error is printed with its code and logged."""
    from inspect_app import applog

    try:
        result = handler(args)
    except InspectError as exc:
        applog.log.warning("%s: %s: %s", command, exc.code, exc.message)
        if getattr(args, "json", False):
            print(json.dumps({"error": _jsonable(exc.as_dict())}, ensure_ascii=False, indent=2))
        else:
            print(f"{exc.code}: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("E_CANCELLED: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except Exception:
        applog.log.exception("%s: unexpected error", command)
        raise
    return int(result) if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
