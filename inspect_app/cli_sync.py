"""Command line: bundles, the device registry and conflicts (registered by ``inspect_app.cli.build_parser``).

``bundle export`` signs with this device's key: the passphrase is asked at a prompt or read from
``INSPECT_APP_PASSPHRASE``; ``device register --ca DIR`` issues a certificate with the office CA
(``INSPECT_APP_CA_PASSPHRASE``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from inspect_app.cli import emit, open_from_args
from inspect_app.errors import UserError
from inspect_app.i18n import Msg

PASSPHRASE_ENV = "INSPECT_APP_PASSPHRASE"
CA_PASSPHRASE_ENV = "INSPECT_APP_CA_PASSPHRASE"


def _with_store(args: argparse.Namespace, action: Callable[[Any], Any], *, read_only: bool = False) -> Any:
    # read_only: the command only reads (no lock, and a read-only or full data folder still works).
    store = open_from_args(args, read_only=read_only)
    try:
        return action(store)
    finally:
        store.close()


def _mb(n: int) -> str:
    return f"{n / 1024**2:.1f} MB"


# --- bundle ----------------------------------------------------------------------------------------------------


def cmd_bundle_export(args: argparse.Namespace) -> None:
    from inspect_app.cli_opinions import ask_passphrase
    from inspect_app.services.identity import load_device_identity
    from inspect_app.sync.export import export_bundle

    def action(store: Any) -> Any:
        identity = load_device_identity(store, ask_passphrase(PASSPHRASE_ENV, "本机签名私钥口令："))
        return export_bundle(store, identity, Path(args.out), full=args.all, target=args.device)

    result = _with_store(args, action)
    tables = "，".join(f"{k} {v}" for k, v in sorted(result.by_table.items())) or "无更改"
    emit(args, result, [f"已导出同步包：{result.path}",
                        f"第 {result.sequence} 号（{'全部' if result.full else '自上次确认以来的更改'}），"
                        f"{result.records} 条记录（{tables}），{result.blobs} 个证据文件（{_mb(result.blob_bytes)}），"
                        f"共 {_mb(result.size)}，已复核"])


def cmd_bundle_verify(args: argparse.Namespace) -> None:
    from inspect_app.sync.verify import verify_bundle

    report = verify_bundle(Path(args.file))
    m = report.manifest
    emit(args, report.as_dict(), [
        f"同步包完整，签名有效：{report.path}",
        f"类型：{'报送（核查人员 → 办公室）' if m.kind == 'submission' else '下发（办公室 → 核查人员）'}  第 {m.sequence} 号"
        f"  {'全部' if m.full else '增量'}",
        f"发送设备：{m.source.device_name}（{m.source.device_id[:8]}）  签名人：{report.signer}  证书签发者：{report.issuer}",
        f"内容：{report.records} 条记录，{report.audit_events} 条审计记录，{report.blobs} 个证据文件（{_mb(report.blob_bytes)}）",
        "（是否接受该设备由导入时的设备登记决定）"])


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from inspect_app.sync.importer import import_bundles, rebuild_thumbnails

    countersigned: list[str] = []

    def action(store: Any) -> Any:
        reports = import_bundles(store, [Path(f) for f in args.files])
        if not args.no_thumbnails and any(r.status == "applied" and r.blobs_added for r in reports):
            rebuild_thumbnails(store)
        if any(r.status == "applied" for r in reports):
            countersigned.extend(_countersign_received(store))
        return reports

    reports = _with_store(args, action)
    lines = []
    for r in reports:
        head = {"applied": "已导入", "duplicate": "已导入过", "refused": "已拒绝"}.get(r.status, r.status)
        lines.append(f"{head}：{r.path}")
        if r.status == "refused":
            lines.append(f"  {r.code}: {r.message}")
            if r.quarantined_to:
                lines.append(f"  已移入隔离目录：{r.quarantined_to}")
        else:
            lines.append(f"  {r.message}")
        lines += [f"  注意：{w}" for w in r.warnings]
    lines += countersigned
    emit(args, [r.as_dict() for r in reports], lines)
    return 0 if all(r.ok for r in reports) else 1


def _countersign_received(store: Any) -> list[str]:
    """At the office, with the office key's passphrase in INSPECT_APP_PASSPHRASE: countersign what arrived."""
    import os

    from inspect_app.errors import InspectError
    from inspect_app.services.office_trust import countersign_pending
    from inspect_app.services.settings import store_role

    passphrase = os.environ.get("INSPECT_APP_PASSPHRASE", "")
    with store.reader() as session:
        if store_role(session) != "office":
            return []
    if not passphrase:
        return ["注意：未设置办公室签名口令（INSPECT_APP_PASSPHRASE），收到的验收意见尚未会签（opinion countersign）"]
    try:
        report = countersign_pending(store, passphrase=passphrase)
    except InspectError as exc:
        return [f"注意：收到的验收意见未会签：{exc.message}"]
    return [f"会签：{o.number}  {o.message}" for o in report.outcomes]


def cmd_bundle_inbox(args: argparse.Namespace) -> int:
    from inspect_app.sync.importer import process_inbox

    reports = _with_store(args, lambda store: process_inbox(store, Path(args.dir), min_age_s=args.min_age))
    emit(args, [r.as_dict() for r in reports],
         [f"{r.status}: {Path(r.path).name}  {r.message}" for r in reports] or ["收件文件夹中没有待导入的同步包"])
    return 0 if all(r.ok for r in reports) else 1


def cmd_bundle_history(args: argparse.Namespace) -> None:
    from inspect_app.sync.history import bundle_history

    rows = _with_store(args, lambda store: bundle_history(store, device=args.device), read_only=True)
    emit(args, rows, [f"{r.recorded_at:%Y-%m-%d %H:%M}  {r.direction_label}  {r.peer_name or r.peer[:8]}  第 {r.sequence} 号"
                      f"  {r.status_label}  {r.summary}" for r in rows] or ["尚无同步记录"])


# --- device ----------------------------------------------------------------------------------------------------


def _device_line(d: Any) -> str:
    state = "已吊销" if d.revoked else "有效"
    return (f"{d.device_id[:8]}  {d.inspector or d.name}  {d.organisation}  {d.role}  {state}"
            f"  已收到第 {d.received_seq} 号  {d.bundles} 个同步包")


def cmd_device_register(args: argparse.Namespace) -> None:
    from inspect_app.crypto.ca import load_ca
    from inspect_app.sync.devices import read_pem_file, register_device

    pem = read_pem_file(Path(args.file))
    ca = None
    if args.ca:
        from inspect_app.cli_opinions import ask_passphrase

        ca = load_ca(Path(args.ca), ask_passphrase(CA_PASSPHRASE_ENV, "CA 私钥口令："))

    def action(store: Any) -> Any:
        with store.transaction() as session:
            return register_device(session, pem=pem, role=args.role, ca=ca, actor=store.actor)

    view, issued = _with_store(args, action)
    lines = [f"已登记设备：{_device_line(view)}"]
    if issued is not None and args.cert_out:
        out = Path(args.cert_out)
        if out.exists():
            raise UserError(Msg("目标文件已存在：{out}（不会覆盖）", out=out), code="E_FILE_EXISTS")
        from inspect_app.fileio import write_atomic

        write_atomic(out, issued)
        lines.append(f"已签发证书：{out}（也将随下一个下发包送达该设备）")
    elif issued is not None:
        lines.append("已签发证书，将随下一个下发包送达该设备")
    emit(args, {"device": view, "issued_certificate": issued.decode() if issued else None}, lines)


def cmd_device_revoke(args: argparse.Namespace) -> None:
    from inspect_app.sync.devices import revoke_device

    def action(store: Any) -> Any:
        with store.transaction() as session:
            return revoke_device(session, args.id, reason=args.reason, actor=store.actor)

    view = _with_store(args, action)
    emit(args, view, f"已吊销：{_device_line(view)}")


def cmd_device_list(args: argparse.Namespace) -> None:
    from inspect_app.sync.devices import list_devices

    def action(store: Any) -> Any:
        with store.reader() as session:
            return list_devices(session)

    rows = _with_store(args, action, read_only=True)
    emit(args, rows, [_device_line(d) for d in rows] or ["尚未登记任何设备"])


# --- conflicts -------------------------------------------------------------------------------------------------


def _conflict_lines(c: Any) -> list[str]:
    lines = [f"{c.id[:8]}  {c.table_label}「{c.row_label}」 {c.field_label}：{c.kind_label}  当前：{c.current_display}"]
    for cand in c.candidates:
        when = f"{cand.changed_at:%Y-%m-%d %H:%M}" if cand.changed_at else ""
        mark = "  ← 当前" if cand.current else ""
        lines.append(f"    [{cand.number}] {cand.display}  — {cand.changed_by or '?'}（{cand.device_name or cand.device[:8]}）"
                     f" {when}{mark}")
    return lines


def cmd_conflicts_list(args: argparse.Namespace) -> None:
    from inspect_app.sync.conflicts import list_conflicts

    def action(store: Any) -> Any:
        with store.reader() as session:
            return list_conflicts(session, status=None if args.all else "open")

    rows = _with_store(args, action, read_only=True)
    lines = [line for c in rows for line in _conflict_lines(c)]
    emit(args, rows, lines or ["没有待处理的冲突"])


def cmd_conflicts_resolve(args: argparse.Namespace) -> None:
    from inspect_app.sync.conflicts import resolve_conflict

    choice = "keep" if args.keep else "delete" if args.delete else str(args.take)

    def action(store: Any) -> Any:
        with store.transaction() as session:
            return resolve_conflict(session, args.id, choose=choice, actor=store.actor)

    view = _with_store(args, action)
    emit(args, view, [f"已处理冲突 {view.id[:8]}：{view.table_label}「{view.row_label}」{view.field_label} = {view.current_display}"])


# --- parser ----------------------------------------------------------------------------------------------------


def register(sub: Any, leaf: Callable[..., Any], group: Callable[..., Any]) -> None:
    """Add the bundle, device and conflicts commands."""
    bu = group("bundle", "同步包（核查人员 ⇄ 市办公室）")
    p = leaf(bu, "export", cmd_bundle_export, "导出签名的同步包（默认为自上次确认以来的更改）")
    p.add_argument("--out", required=True, help="文件名（.icb）或文件夹（如 U 盘）")
    p.add_argument("--all", action="store_true", help="导出全部数据，而不只是更改")
    p.add_argument("--device", help="办公室：接收下发包的设备 id（或前缀）")
    p = leaf(bu, "verify", cmd_bundle_verify, "检查同步包是否完整、签名是否有效（不导入）")
    p.add_argument("file")
    p = leaf(bu, "import", cmd_bundle_import, "导入同步包（全部核对无误才写入；拒绝的包移入隔离目录）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--no-thumbnails", action="store_true", help="不在导入后生成缩略图（稍后在程序中生成）")
    p = leaf(bu, "inbox", cmd_bundle_inbox, "导入收件文件夹中的同步包（办公室共享文件夹）")
    p.add_argument("dir")
    p.add_argument("--min-age", type=float, default=10.0, help="只导入至少这么多秒未被改动的文件")
    p = leaf(bu, "history", cmd_bundle_history, "同步记录（导出、导入、拒绝）")
    p.add_argument("--device", help="只看某台设备")

    dev = group("device", "设备登记（办公室）")
    p = leaf(dev, "register", cmd_device_register, "从证书申请（CSR）或证书登记设备")
    p.add_argument("file", help="设备的证书申请或证书（PEM）")
    p.add_argument("--role", choices=["inspector", "office"], default="inspector")
    p.add_argument("--ca", help="市办公室 CA 文件夹：据申请签发设备证书")
    p.add_argument("--cert-out", help="签发的证书另存为此文件")
    p = leaf(dev, "revoke", cmd_device_revoke, "吊销设备（此后拒绝其同步包，并通知各设备）")
    p.add_argument("id", help="设备 id 或前缀")
    p.add_argument("--reason", required=True)
    leaf(dev, "list", cmd_device_list, "列出登记的设备")

    co = group("conflicts", "同步冲突")
    p = leaf(co, "list", cmd_conflicts_list, "列出待处理的冲突（双方的值、修改人与时间）")
    p.add_argument("--all", action="store_true", help="包括已处理的")
    p = leaf(co, "resolve", cmd_conflicts_resolve, "处理冲突")
    p.add_argument("id")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--take", type=int, help="采用第 N 个值（见 conflicts list）")
    how.add_argument("--keep", action="store_true", help="保留当前的值")
    how.add_argument("--delete", action="store_true", help="删除冲突：仍然删除该记录")
