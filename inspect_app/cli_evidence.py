"""Command line: the photos commands (registered by ``inspect_app.cli.build_parser``)."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_app.cli import emit, open_from_args

STAGE_CHOICES = ("before", "during", "after")

IMPORT_HELP = "导入照片作为核查某一阶段（拆除前/拆除中/拆除后）的证据；可给文件或文件夹（递归查找图片）"
IMPORT_EPILOG = """\
每个文件输出一行：已导入、已存在（同一核查、阶段、设备已有这张照片）或未导入（附错误代码和原因）。
--json 输出一个列表，每个文件一项：path、status（imported/present/refused）、
被拒绝时的 code 与 message、photo_id、sha256、taken_at（ISO 8601，未知为 null）、flags。

退出状态：
  0  没有文件被拒绝（均已导入或已存在）
  1  有文件被拒绝（其余文件照常导入）；或核查、设备无效，或导入被取消
  2  命令用法错误（如 --stage 取值不对）

导入中按 Ctrl+C 会在处理中的照片完成后停止，已导入的照片保留，重新运行即可继续。"""
CHECK_HELP = "检查核查的影像资料是否齐全，列出缺少的照片和存疑标记（退出状态：齐全为 0，缺少照片为 1）"


def _local_time(moment: datetime | None) -> str:
    from inspect_app.evidence.flags import CHINA_TZ

    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if moment is not None else "无拍摄时间"


def _distance(metres: float | None) -> str:
    from inspect_app.evidence.flags import format_distance

    return f"距厂址{format_distance(metres)}" if metres is not None else "无位置"


@contextlib.contextmanager
def _interrupt_as_cancel() -> Iterator[Callable[[], bool]]:
    """Turn the first Ctrl+C into a cancel request (photos in progress finish); a second one interrupts."""
    asked: list[bool] = []

    def on_sigint(signum: int, frame: Any) -> None:
        if asked:
            raise KeyboardInterrupt
        asked.append(True)
        print("\n正在停止：等待处理中的照片完成…（再按一次 Ctrl+C 立即中断）", file=sys.stderr)

    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: leave Ctrl+C as it is
        yield lambda: False
        return
    try:
        yield lambda: bool(asked)
    finally:
        signal.signal(signal.SIGINT, previous)


def _progress_line() -> tuple[Callable[[int, int, str], None] | None, Callable[[], None]]:
    """Return a progress callback drawing one line on stderr (only on a terminal) and its cleanup."""
    if not sys.stderr.isatty():
        return None, lambda: None
    drawn: list[bool] = []

    def show(done: int, total: int, name: str) -> None:
        drawn.append(True)
        text = f"导入照片 {done}/{total}  {name}"[:100]
        sys.stderr.write("\r" + text.ljust(100))
        sys.stderr.flush()

    def clear() -> None:
        if drawn:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()

    return show, clear


def _import_json(result: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"path": result.path, "status": result.status}
    if result.status == "refused":
        out["code"] = result.code
        out["message"] = result.message
    out.update(photo_id=result.photo_id, sha256=result.sha256, taken_at=result.taken_at, flags=list(result.flags))
    if result.raw_path is not None:
        out["raw_path"] = result.raw_path
    return out


def cmd_photos_import(args: argparse.Namespace) -> int:
    from inspect_app.datadir import resolve_data_dir
    from inspect_app.evidence.blobstore import BlobStore
    from inspect_app.evidence.pipeline import Ingest, expand_paths

    # The workers start first and decode while this process imports the database layer and opens the store;
    # they write to a staging folder until the inspection is known good (a refusal leaves the store untouched).
    blob_root = resolve_data_dir(getattr(args, "data_dir", None)) / "blobs"
    ingest = Ingest(expand_paths([Path(p) for p in args.paths]), BlobStore(blob_root), staged=True)
    try:
        from inspect_app.services.photos import ImportIncomplete, import_photos

        store = open_from_args(args)
    except BaseException:
        ingest.close()
        raise
    progress, clear = _progress_line()
    incomplete: ImportIncomplete | None = None
    try:
        with _interrupt_as_cancel() as cancel:
            try:
                results = import_photos(store, inspection_id=args.inspection, stage=args.stage,
                                        equipment_id=args.equipment, paths=[], ingest=ingest,
                                        source=args.source, progress=progress, cancel=cancel)
            except ImportIncomplete as exc:  # the report is still printed: each file's outcome is known
                incomplete, results = exc, exc.results
            finally:
                clear()
    finally:
        store.close()
    lines = []
    for r in results:
        if r.status == "imported":
            extra = f"  存疑：{'、'.join(r.flags)}" if r.flags else ""
            lines.append(f"已导入  {r.path}  {(r.photo_id or '')[:8]}{extra}")
        elif r.status == "present":
            lines.append(f"已存在  {r.path}  {(r.photo_id or '')[:8]}")
        else:
            lines.append(f"未导入  {r.path}  {r.code}：{r.message}")
    refused = sum(1 for r in results if r.status == "refused")
    imported = sum(1 for r in results if r.status == "imported")
    present = sum(1 for r in results if r.status == "present")
    if not results:
        lines.append("没有找到可导入的照片文件")
    lines.append(f"共 {len(results)} 个文件：导入 {imported}，已存在 {present}，未导入 {refused}")
    emit(args, [_import_json(r) for r in results], lines)
    if incomplete is not None:
        print(f"{incomplete.code}: {incomplete.message}", file=sys.stderr)
        return 1
    return 1 if refused else 0


def cmd_photos_list(args: argparse.Namespace) -> None:
    from inspect_app.services.photo_records import list_photos

    store = open_from_args(args, read_only=True)
    try:
        with store.reader() as session:
            rows = list_photos(session, inspection_id=args.inspection, blob_root=store.blob_root)
    finally:
        store.close()
    lines = [f"{p.id[:8]}  {p.stage_label}  {_local_time(p.taken_at)}  {p.original_name}  {_distance(p.distance_m)}"
             + (f"  存疑：{'、'.join(p.flag_codes)}" if p.flags else "") for p in rows]
    emit(args, rows, [*lines, f"共 {len(rows)} 张照片"])


def cmd_photos_show(args: argparse.Namespace) -> None:
    from inspect_app.services.photo_records import get_photo

    store = open_from_args(args, read_only=True)
    try:
        with store.reader() as session:
            p = get_photo(session, args.id, blob_root=store.blob_root)
    finally:
        store.close()
    lines = [
        f"{p.original_name}（{p.stage_label}{'，' + p.equipment_name if p.equipment_name else ''}）",
        f"编号：{p.id}",
        f"拍摄时间：{_local_time(p.taken_at)}（相机记录：{p.taken_at_local or '无'}）",
        f"位置：{f'{p.lat:.6f}, {p.lon:.6f}' if p.lat is not None and p.lon is not None else '无'}  {_distance(p.distance_m)}",
        f"相机：{p.camera_make} {p.camera_model}".rstrip() + (f"  软件：{p.software}" if p.software else ""),
        f"尺寸：{p.width}×{p.height} {p.format}  {p.size} 字节  SHA-256：{p.sha256}",
        f"导入：{p.imported_by}  {_local_time(p.imported_at)}",
        f"说明：{p.caption or '无'}",
        f"原件：{p.original_path}",
    ]
    lines += [f"存疑［{f.code}］：{f.message}" + (f"（已说明：{f.ack_reason}）" if f.ack_reason else "")
              for f in p.flags]
    emit(args, p, lines)


def cmd_photos_explain(args: argparse.Namespace) -> None:
    from inspect_app.services.photos import explain_flag_as_signer

    store = open_from_args(args)
    try:
        p = explain_flag_as_signer(store, args.id, args.code, reason=args.reason)
    finally:
        store.close()
    lines = [f"已说明 {p.original_name} 的疑点［{args.code}］"]
    lines += [f"存疑［{f.code}］：{f.message}" + (f"（已说明：{f.ack_reason}，{f.ack_by}）" if f.ack_reason else "")
              for f in p.flags]
    emit(args, p, lines)


def cmd_photos_check(args: argparse.Namespace) -> int:
    from inspect_app.services.photos import check_inspection

    store = open_from_args(args, read_only=True)
    try:
        with store.reader() as session:
            check = check_inspection(session, args.inspection)
    finally:
        store.close()
    lines = ["影像资料齐全" if check.ok else f"影像资料不全：缺 {len(check.gaps)} 项"]
    lines += [f"  缺少：{g.message}" for g in check.gaps]
    if check.unassigned:
        lines.append(f"  另有 {check.unassigned} 张照片未指定设备，不计入各设备的照片数")
    lines += [f"  存疑：{f.message} {f.count} 张［{f.code}］" for f in check.flags]
    emit(args, check, lines)
    return 0 if check.ok else 1


def cmd_photos_verify(args: argparse.Namespace) -> int:
    from inspect_app.services.photos import verify_blobs

    store = open_from_args(args, read_only=True)
    try:
        bad = verify_blobs(store)
    finally:
        store.close()
    emit(args, {"ok": not bad, "photos": bad},
         [f"原件缺失或已被改动：{pid}" for pid in bad] + ["照片原件完整" if not bad else f"共 {len(bad)} 张照片的原件有问题"])
    return 1 if bad else 0


def cmd_photos_withdraw(args: argparse.Namespace) -> None:
    from inspect_app.cli import with_write
    from inspect_app.services.photos import withdraw_photo

    view = with_write(args, lambda s: withdraw_photo(s, args.id, reason=args.reason))
    emit(args, view, f"已撤回  {view.id[:8]}  {view.stage_label}  {view.original_name}（原件保留）")


def register(sub: Any, leaf: Callable[..., Any], group: Callable[..., Any]) -> None:
    """Add the photos subcommands to the parser."""
    ph = group("photos", "照片证据（拆除前、拆除中、拆除后）")
    p = leaf(ph, "import", cmd_photos_import, IMPORT_HELP)
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = IMPORT_EPILOG
    p.add_argument("--inspection", required=True, help="核查 id 或 id 前缀")
    p.add_argument("--stage", required=True, choices=STAGE_CHOICES, help="before 拆除前 | during 拆除中 | after 拆除后")
    p.add_argument("--equipment", help="设备 id（核查只含一台设备时可省略）")
    p.add_argument("--source", choices=["imported", "captured"], default="imported", help=argparse.SUPPRESS)
    p.add_argument("paths", nargs="+", metavar="PATH", help="照片文件或文件夹")
    p = leaf(ph, "list", cmd_photos_list, "列出核查的照片")
    p.add_argument("--inspection", required=True)
    p = leaf(ph, "show", cmd_photos_show, "查看一张照片的拍摄信息和存疑标记")
    p.add_argument("id", help="照片 id 或 id 前缀")
    p = leaf(ph, "explain", cmd_photos_explain,
             "在一张照片的疑点上写明原因（严重疑点须逐张说明后才能通过验收；说明印在附件中该照片旁，"
             "署本机签名身份的姓名）")
    p.add_argument("id", help="照片 id 或 id 前缀")
    p.add_argument("code", help="疑点代码（photos show 中［］内，如 far_from_site）")
    p.add_argument("--reason", required=True, help="为何不影响验收")
    p = leaf(ph, "check", cmd_photos_check, CHECK_HELP)
    p.add_argument("--inspection", required=True)
    p = leaf(ph, "withdraw", cmd_photos_withdraw, "撤回误导入的照片（出具验收意见前；原件保留，原因记入审计）")
    p.add_argument("id", help="照片 id 或 id 前缀")
    p.add_argument("--reason", required=True, help="撤回原因")
    leaf(ph, "verify", cmd_photos_verify, "核对照片原件是否完整（退出状态：完整为 0，有缺失或改动为 1）")
