"""Command line: looking after the data folder — backup, restore, doctor — and the first-run setup.

Registered by ``inspect_app.cli.build_parser``. The window offers the same through the same services
(``services.backup``, ``services.doctor``, ``services.setup``).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from inspect_app.cli import emit, open_from_args
from inspect_app.errors import UserError
from inspect_app.i18n import Msg


def _data_dir(args: argparse.Namespace) -> Path:
    from inspect_app.datadir import resolve_data_dir

    return resolve_data_dir(getattr(args, "data_dir", None))


def _size(n: int) -> str:
    return f"{n / 1024**2:.1f} MB" if n >= 1024**2 else f"{n / 1024:.0f} KB"


def _confirm(args: argparse.Namespace, question: Msg) -> None:
    """Ask on the terminal unless --yes; refuse when nobody can answer."""
    if getattr(args, "yes", False):
        return
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(Msg("{question}（在脚本中请加 --yes 确认）", question=question), code="E_CONFIRM_REQUIRED")
    answer = input(f"{question.render()} [y/N] ").strip().lower()
    if answer not in ("y", "yes", "是"):
        raise UserError(Msg("已取消，未做任何更改"), code="E_CANCELLED")


# --- backup / restore -----------------------------------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> None:
    from inspect_app.services.backup import create_backup

    store = open_from_args(args)
    try:
        result = create_backup(store, Path(args.out), overwrite=args.overwrite)
    finally:
        store.close()
    m = result.manifest
    emit(args, {"path": str(result.path), "size": result.size, "entries": len(m.entries),
                "schema_revision": m.schema_revision, "counts": m.counts},
         [f"已备份到 {result.path}（{_size(result.size)}，{len(m.entries)} 个文件，已逐一核对）",
          f"企业 {m.counts.get('enterprise', 0)} 家，核查 {m.counts.get('inspection', 0)} 次，"
          f"照片 {m.counts.get('photo', 0)} 张，验收意见 {m.counts.get('acceptance_opinion', 0)} 份"])


def _manifest_lines(m: Any) -> list[str]:
    from inspect_app.evidence.flags import CHINA_TZ

    return [f"备份时间：{m.created_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}  程序版本：{m.app_version}  结构版本：{m.schema_revision}",
            f"企业 {m.counts.get('enterprise', 0)} 家，核查 {m.counts.get('inspection', 0)} 次，"
            f"照片 {m.counts.get('photo', 0)} 张，验收意见 {m.counts.get('acceptance_opinion', 0)} 份；"
            f"{len(m.entries)} 个文件，{_size(m.total_size)}"]


def cmd_restore(args: argparse.Namespace) -> int:
    from inspect_app.models import datadir
    from inspect_app.services.backup import restore_backup, verify_backup

    archive = Path(args.file)
    if args.check:
        manifest = verify_backup(archive)
        emit(args, {"ok": True, "path": str(archive), "schema_revision": manifest.schema_revision,
                    "created_at": manifest.created_at, "counts": manifest.counts, "entries": len(manifest.entries)},
             ["备份文件完整：每个文件的长度与哈希都与清单一致，数据库完整性检查通过", *_manifest_lines(manifest)])
        return 0
    directory = _data_dir(args)
    if getattr(args, "db_url", None):
        raise UserError(Msg("从备份恢复只用于本机 SQLite 数据库"), code="E_BACKUP_UNSUPPORTED")
    directory.mkdir(parents=True, exist_ok=True)
    _confirm(args, Msg("将用备份替换数据目录 {directory} 中的数据（现有数据会移到 restore-kept 文件夹保留）。继续？",
                       directory=directory))
    with datadir.locked(directory):
        result = restore_backup(archive, directory)
    store = open_from_args(args)  # migrations bring an older backup up to date; the device and clock start
    try:
        info = store.info()
    finally:
        store.close()
    emit(args, {"data_dir": str(directory), "kept": str(result.kept), "schema_revision": info.schema_revision,
                "counts": result.manifest.counts, "notes": result.notes},
         ["已从备份恢复：" + str(archive), *_manifest_lines(result.manifest), *(n.render() for n in result.notes),
          f"恢复前的数据保存在：{result.kept}"])
    return 0


# --- doctor ---------------------------------------------------------------------------------------------------------

_SEVERITY_LABEL = {"error": "错误", "warning": "注意", "info": "正常"}


def cmd_doctor(args: argparse.Namespace) -> int:
    from inspect_app.models import datadir
    from inspect_app.services.doctor import quarantine_orphans, run_doctor

    directory = _data_dir(args)
    if getattr(args, "db_url", None):
        raise UserError(Msg("健康检查只用于本机 SQLite 数据目录"), code="E_DOCTOR_UNSUPPORTED")
    if not directory.is_dir():
        raise UserError(Msg("数据目录不存在：{directory}", directory=directory), code="E_NOT_FOUND")
    report = run_doctor(directory)
    moved: Path | None = None
    if args.quarantine_orphans and "W_DOCTOR_ORPHANS" in report.codes():
        _confirm(args, Msg("把没有记录引用的证据文件移到隔离文件夹（不删除）？"))
        with datadir.locked(directory):
            moved = quarantine_orphans(directory, run_doctor(directory))
    payload = {"ok": report.ok, "data_dir": str(directory), "checked": report.checked,
               "findings": report.findings, "quarantined_to": str(moved) if moved else None}
    lines = [f"健康检查：{directory}"]
    for finding in sorted(report.findings, key=lambda f: {"error": 0, "warning": 1, "info": 2}[f.severity]):
        lines.append(f"[{_SEVERITY_LABEL[finding.severity]}] {finding.code}: {finding.message.render()}")
        lines += [f"    {item}" for item in finding.items[:10]]
        more = len(finding.items) - 10 + finding.more
        if more > 0:
            lines.append(f"    …另有 {more} 项（--json 列出全部）")
    if moved:
        lines.append(f"孤立文件已移到：{moved}")
    elif "W_DOCTOR_ORPHANS" in report.codes():
        lines.append("孤立文件可用 doctor --quarantine-orphans 移到隔离文件夹（不删除）")
    lines.append("结论：" + ("未发现错误" if report.ok else "发现错误，请按提示处理"))
    emit(args, payload, lines)
    return 0 if report.ok else 1


# --- first run ------------------------------------------------------------------------------------------------------


def cmd_setup(args: argparse.Namespace) -> None:
    from inspect_app.cli_opinions import PASSPHRASE_ENV, ask_passphrase
    from inspect_app.services.setup import FirstRunAnswers, check_answers, first_run

    ca_pem = None
    if args.office_ca:
        try:
            ca_pem = Path(args.office_ca).read_bytes()
        except OSError as exc:
            raise UserError(Msg("无法读取证书文件 {path}：{error}", path=args.office_ca, error=exc.strerror or str(exc)), code="E_FILE_NOT_FOUND") from exc
    answers = FirstRunAnswers(name=args.name, organisation=args.organisation, title=args.title or "",
                              role=args.role, create_identity=not args.no_identity, passphrase="",
                              office_ca_pem=ca_pem, office_ca_name=Path(args.office_ca).stem if args.office_ca else "",
                              request_out=Path(args.request_out) if args.request_out else None)
    check_answers(answers, passphrase_asked=False)  # refuse what cannot work before asking for a passphrase
    if answers.create_identity:
        answers = dataclasses.replace(answers, passphrase=ask_passphrase(PASSPHRASE_ENV, "设置签名口令：", confirm=True))
    store = open_from_args(args)
    try:
        result = first_run(store, answers)
    finally:
        store.close()
    lines = [f"核查人员：{args.name}（{args.organisation}）  角色：{'市办公室' if result.role == 'office' else '核查人员'}"]
    if result.identity is not None:
        kept = "（沿用已有的）" if "identity_kept" in result.done else ""
        lines.append(f"签名身份{kept}：{result.identity.common_name}  指纹 {result.identity.fingerprint}")
    if result.trusted is not None:
        lines.append(f"已信任市办公室 CA 证书：{result.trusted}")
    if result.request is not None:
        lines.append(f"证书申请已保存：{result.request}（带到市办公室签发证书，再用 identity import-cert 导入）")
    emit(args, {"role": result.role, "done": result.done, "identity": result.identity,
                "trusted": str(result.trusted) if result.trusted else None,
                "request": str(result.request) if result.request else None}, lines)


def register(sub: Any, leaf: Any, group: Any) -> None:
    """Add the backup, restore, doctor and setup commands to the parser."""
    p = leaf(sub, "backup", cmd_backup, "备份：数据库、照片与文件存储、签名身份，写成一个经过核对的备份文件")
    p.add_argument("--out", required=True, help="备份文件或文件夹（如 U 盘；文件名自动生成）")
    p.add_argument("--overwrite", action="store_true", help="覆盖已有的同名文件")
    p = leaf(sub, "restore", cmd_restore, "从备份恢复（先逐一核对；现有数据移到 restore-kept 保留，不会被覆盖）")
    p.add_argument("file", help="备份文件（.inspect-backup）")
    p.add_argument("--check", action="store_true", help="只核对备份文件，不恢复")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    p = leaf(sub, "doctor", cmd_doctor,
             "健康检查：数据库完整性、每个证据文件的哈希、缺失与孤立文件、审计链、结构版本、剩余空间、数据目录位置")
    p.add_argument("--quarantine-orphans", action="store_true", help="把孤立的证据文件移到 orphans 文件夹（不删除）")
    p.add_argument("--yes", action="store_true", help="不再询问")
    p = leaf(sub, "setup", cmd_setup, "首次设置：核查人员、角色、签名身份、市办公室证书或证书申请（与窗口中的向导相同）")
    p.add_argument("--name", required=True, help="核查人员姓名")
    p.add_argument("--organisation", "--organization", required=True, help="所在单位")
    p.add_argument("--title", help="职务")
    p.add_argument("--role", choices=["inspector", "office"], default="inspector")
    p.add_argument("--no-identity", action="store_true", help="暂不创建签名身份")
    p.add_argument("--office-ca", help="市办公室 CA 证书文件（加入信任列表）")
    p.add_argument("--request-out", help="把本机的证书申请保存到此文件，带到市办公室签发")
