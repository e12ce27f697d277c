"""Command line: the opinion, identity and ca commands (registered by ``inspect_app.cli.build_parser``).

Passphrases are asked for at a prompt (twice when a key is created), or read from ``INSPECT_APP_PASSPHRASE``
(device key) and ``INSPECT_APP_CA_PASSPHRASE`` (office CA key) for scripts.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from inspect_app.cli import emit, open_from_args, today
from inspect_app.errors import EnvironmentProblem, UserError
from inspect_app.i18n import Msg
from inspect_app.rules.conclusions import Conclusion

PASSPHRASE_ENV = "INSPECT_APP_PASSPHRASE"
CA_PASSPHRASE_ENV = "INSPECT_APP_CA_PASSPHRASE"


# --- helpers ---------------------------------------------------------------------------------------------------


def ask_passphrase(env: str, prompt: str, *, confirm: bool = False) -> str:
    """Return the passphrase from ``env`` or a prompt (asked twice with ``confirm``)."""
    value = os.environ.get(env)
    if value:
        return value
    import getpass

    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("请再次输入口令：") != first:
            raise UserError(Msg("两次输入的口令不一致"), code="E_PASSPHRASE_MISMATCH")
    except EOFError:
        raise UserError(Msg("未输入口令（脚本中可设置环境变量 {env}）", env=env), code="E_PASSPHRASE") from None
    if not first:
        raise UserError(Msg("口令不能为空"), code="E_PASSPHRASE")
    return first


def _read(path_text: str, what: Msg) -> bytes:
    path = Path(path_text)
    if not path.is_file():
        raise UserError(Msg("找不到{what}文件：{path}", what=what, path=path), code="E_FILE_NOT_FOUND", details={"path": str(path)})
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法读取文件 {path}：{error}", path=path, error=exc.strerror or exc), code="E_READ_FAILED") from exc


def _write_new(path_text: str, content: bytes) -> Path:
    from inspect_app.fileio import write_new

    path = Path(path_text)
    if path.exists():
        raise UserError(Msg("目标文件已存在：{path}（不会覆盖）", path=path), code="E_FILE_EXISTS", details={"path": str(path)})
    try:
        created = write_new(path, content)
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法写入文件 {path}：{error}", path=path, error=exc.strerror or exc), code="E_WRITE_FAILED") from exc
    if not created:
        raise UserError(Msg("目标文件已存在：{path}（不会覆盖）", path=path), code="E_FILE_EXISTS", details={"path": str(path)})
    return path


def _with_store(args: argparse.Namespace, action: Callable[[Any], Any], *, lock: bool = True,
                read_only: bool = False) -> Any:
    store = open_from_args(args, lock=lock, read_only=read_only)
    try:
        return action(store)
    finally:
        store.close()


def _opinion_line(v: Any) -> str:
    mark = "  [已被更正]" if v.superseded else ""
    again = "  (更正)" if v.supersedes_id else ""
    return f"{v.id[:8]}  {v.number}  {v.issued_on.isoformat()}  {v.enterprise_name}  {v.conclusion_label}{again}{mark}"


# --- opinion ---------------------------------------------------------------------------------------------------


def _signoff(args: argparse.Namespace) -> Any:
    """The sign-off from the command line: reasons, recheck deadline, members not signing by hand (the command
    line draws no signatures: each member is 未签 with a reason), the enterprise's agreement or opinion."""
    import datetime as dt

    from inspect_app.services.opinions import SignOff

    unsigned: dict[str, str] = {}
    for item in args.unsigned or []:
        name, sep, reason = item.replace("＝", "=").partition("=")
        if not sep or not name.strip() or not reason.strip():
            raise UserError(Msg("--unsigned 应写作 姓名=未签原因：{item}", item=item), code="E_UNSIGNED_INVALID")
        unsigned[name.strip()] = reason.strip()
    def day(value: str | None) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise UserError(Msg("日期应写作 YYYY-MM-DD：{value}", value=value), code="E_DATE_INVALID") from exc

    return SignOff(reasons=tuple(args.reason or ()), recheck_by=day(args.recheck_by),
                   dismantle_by=day(args.dismantle_by), unsigned=unsigned,
                   representative_agrees=bool(args.representative_agrees),
                   representative_opinion=args.representative_opinion or "",
                   representative_unsigned=args.representative_unsigned or "")


def cmd_opinion_issue(args: argparse.Namespace) -> None:
    from inspect_app.rules.text import decode_text_file
    from inspect_app.services import opinions

    # A body file that cannot be read as text is refused before the store is opened or a passphrase asked.
    body = decode_text_file(_read(args.body_file, Msg("正文")), Msg("正文文件")) if args.body_file else args.body or None

    def action(store: Any) -> Any:
        out = Path(args.out)
        if out.exists():
            raise UserError(Msg("目标文件已存在：{out}（不会覆盖）", out=out), code="E_FILE_EXISTS", details={"path": str(out)})
        signoff = _signoff(args)
        # Refuse before asking for the passphrase when anything blocks.
        with store.reader() as session:
            blockers = opinions.opinion_blockers(session, args.inspection, acknowledge=args.acknowledge,
                                                 conclusion=args.conclusion, supersedes=args.supersedes,
                                                 blob_root=store.blob_root)
            blockers += opinions.signoff_blockers(session, args.inspection, args.conclusion, signoff,
                                                  issued_on=today())
        if blockers:
            raise opinions.blocked_error(blockers)
        passphrase = ask_passphrase(PASSPHRASE_ENV, "签名私钥口令：")
        return opinions.issue_opinion(store, inspection_id=args.inspection, conclusion=args.conclusion,
                                      passphrase=passphrase, out_path=out, acknowledge=args.acknowledge, body=body,
                                      representative=args.representative, supersedes=args.supersedes, today=today(),
                                      signoff=signoff)

    view = _with_store(args, action)
    lines = [f"{view.number}  {view.out_path}",
             f"验收结论：{view.conclusion_label}；共 {view.pages} 页，影像 {len(view.evidence_sha256)} 张，"
             f"签名人：{view.signer_name}（{view.signer_fingerprint}）"]
    if view.dismantle_by:
        lines.append(f"限时拆除期限：{view.dismantle_by.isoformat()}")
    if view.supersedes_id:
        lines.append(f"已更正替代：{view.supersedes_id}")
    emit(args, {"id": view.id, "number": view.number, "path": str(view.out_path), "opinion": view}, lines)


def cmd_opinion_list(args: argparse.Namespace) -> None:
    # The read model only (opinion_records), not services.opinions: listing needs no evidence checks or document.
    from inspect_app.services.opinion_records import list_opinions

    def action(store: Any) -> Any:
        enterprise_id = None
        with store.reader() as session:
            if args.enterprise:
                from inspect_app.services.enterprises import resolve_enterprise

                enterprise_id = resolve_enterprise(session, args.enterprise).id
            return list_opinions(session, inspection_id=args.inspection, enterprise_id=enterprise_id,
                                 year=args.year, blob_root=store.blob_root)

    rows = _with_store(args, action, read_only=True)
    emit(args, rows, [_opinion_line(v) for v in rows] + [f"共 {len(rows)} 份验收意见"])


def cmd_opinion_show(args: argparse.Namespace) -> None:
    from inspect_app.services.opinion_records import get_opinion

    def action(store: Any) -> Any:
        with store.reader() as session:
            return get_opinion(session, args.id, blob_root=store.blob_root)

    v = _with_store(args, action, read_only=True)
    lines = [
        f"{v.number}（{v.id}）",
        f"企业：{v.enterprise_name}（{v.uscc}）",
        f"验收结论：{v.conclusion_label}  成文日期：{v.issued_on.isoformat()}",
        f"签名人：{v.signer_name}（密钥指纹 {v.signer_fingerprint}）  签署时间：{v.signed_at.isoformat() if v.signed_at else '—'}",
        f"文件 SHA-256：{v.pdf_sha256}",
        f"存储位置：{v.stored_path}",
        f"影像：{len(v.evidence_sha256)} 张  设备：{len(v.equipment_ids)} 台（套）",
        "验收组：" + "、".join(str(m.get("name", "")) for m in v.team),
    ]
    if v.representative:
        lines.append(f"企业代表：{v.representative.get('name', '')} {v.representative.get('title', '')}".rstrip())
    if v.acknowledgement:
        lines.append(f"疑点说明：{v.acknowledgement}")
    if v.recheck_by:
        lines.append(f"整改期限：{v.recheck_by.isoformat()}")
    if v.dismantle_by:
        lines.append(f"限时拆除期限：{v.dismantle_by.isoformat()}")
    if v.supersedes_id:
        lines.append(f"更正替代：{v.supersedes_id}")
    if v.superseded_by_id:
        lines.append(f"已被更正：{v.superseded_by_id}")
    lines += ["正文：", *[f"  {p}" for p in v.body.splitlines()]]
    emit(args, v, lines)


def cmd_opinion_verify(args: argparse.Namespace) -> int:
    from inspect_app.services.verification import verify_any

    target = args.qr if args.qr else args.file
    if not target:
        raise UserError(Msg("请给出要核验的 PDF、页面照片或扫描件，或用 --qr 给出二维码文本"), code="E_USAGE")
    report = _with_store(args, lambda store: verify_any(store, target), read_only=True)
    payload = {"ok": report.ok, "verdict": report.verdict, "signer": report.signer, "path": str(report.path),
               "trusted": report.trusted, "countersigned": report.countersigned,
               "signatures": [{"field": s.field, "role": s.role, "name": s.name, "organisation": s.organisation,
                               "issuer": s.issuer, "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                               "trusted": s.trusted, "intact": s.intact} for s in report.signatures],
               "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in report.checks]}
    lines = [report.verdict] + [f"  [{'通过' if c.ok else '失败'}] {c.name}：{c.detail}" for c in report.checks]
    emit(args, payload, lines)
    return 0 if report.ok else 1


def cmd_opinion_countersign(args: argparse.Namespace) -> int:
    from inspect_app.services import office_trust

    def action(store: Any) -> Any:
        passphrase = ask_passphrase(PASSPHRASE_ENV, "市办公室签名私钥口令：")
        return office_trust.countersign_pending(store, passphrase=passphrase)

    report = _with_store(args, action)
    lines = [f"{o.number}  {o.message}" for o in report.outcomes] or ["没有待会签的验收意见"]
    lines.append(f"已会签 {report.signed} 份")
    emit(args, {"signed": report.signed, "outcomes": report.outcomes}, lines)
    return 0 if all(o.done for o in report.outcomes) else 1


# --- identity --------------------------------------------------------------------------------------------------


def _identity_lines(view: Any) -> list[str]:
    cert = view.certificate
    lines = [
        f"签名人：{cert.common_name}  单位：{cert.organisation}",
        f"密钥指纹：{cert.fingerprint}",
        f"证书：{'自签名（尚未由市办公室签发）' if cert.self_signed else '由 ' + cert.issuer + ' 签发'}",
        f"有效期：{cert.not_before:%Y-%m-%d} 至 {cert.not_after:%Y-%m-%d}{'（已失效）' if cert.expired else ''}",
        f"本机设备：{view.device_id}",
        f"文件夹：{view.folder}",
    ]
    if view.ca is not None:
        lines.append(f"签发机构证书：{view.ca.subject}")
    return lines


def cmd_identity_create(args: argparse.Namespace) -> None:
    from inspect_app.services import identity

    def action(store: Any) -> Any:
        if identity.has_identity(store):
            raise UserError(Msg("签名身份已存在：{folder}，不能覆盖", folder=identity.identity_dir(store)), code="E_IDENTITY_EXISTS")
        passphrase = ask_passphrase(PASSPHRASE_ENV, "设置签名私钥口令：", confirm=True)
        return identity.create_device_identity(store, common_name=args.name, organisation=args.organisation,
                                               passphrase=passphrase)

    view = _with_store(args, action)
    emit(args, view, ["已创建签名身份", *_identity_lines(view),
                      "请用 identity export-request 导出证书申请，交市淘汰落后产能办公室签发证书。"])


def cmd_identity_show(args: argparse.Namespace) -> None:
    from inspect_app.services import identity

    view = _with_store(args, identity.show_identity, read_only=True)
    emit(args, view, _identity_lines(view))


def cmd_identity_export_request(args: argparse.Namespace) -> None:
    from inspect_app.services import identity

    def action(store: Any) -> Path:
        target = Path(args.out)
        if target.exists():  # before asking for the passphrase
            raise UserError(Msg("目标文件已存在：{out}（不会覆盖）", out=args.out), code="E_FILE_EXISTS")
        return identity.export_request_file(store, ask_passphrase(PASSPHRASE_ENV, "签名私钥口令："), target)

    path = _with_store(args, action)
    emit(args, {"path": str(path)}, f"证书申请已导出：{path}")


def cmd_identity_import_cert(args: argparse.Namespace) -> None:
    from inspect_app.services import identity

    cert_path, ca_path = Path(args.cert), Path(args.ca) if args.ca else None
    for path, what in ((cert_path, Msg("证书")), (ca_path, Msg("CA 证书"))):
        if path is not None:
            identity.read_certificate_file(path, what)  # refuse a missing file before asking for the passphrase

    def action(store: Any) -> Any:
        passphrase = ask_passphrase(PASSPHRASE_ENV, "签名私钥口令：")
        return identity.import_device_certificate_files(store, cert_path, passphrase, ca_path)

    view = _with_store(args, action)
    emit(args, view, ["已导入证书", *_identity_lines(view)])


def cmd_identity_trust(args: argparse.Namespace) -> None:
    from inspect_app.services import identity

    pem = _read(args.cert, Msg("证书"))
    path = _with_store(args, lambda store: identity.trust_certificate(store, pem, name=Path(args.cert).stem))
    emit(args, {"path": str(path)}, f"已加入信任列表：{path}")


# --- ca (office side; no store) --------------------------------------------------------------------------------


def cmd_ca_create(args: argparse.Namespace) -> None:
    from inspect_app.services import identity

    passphrase = ask_passphrase(CA_PASSPHRASE_ENV, "设置 CA 私钥口令：", confirm=True)
    view = identity.create_office_ca(Path(args.dir), name=args.name, passphrase=passphrase)
    cert = view.certificate
    emit(args, view, [f"已创建 CA：{cert.common_name}", f"CA 证书：{view.certificate_path}",
                      f"有效期：{cert.not_before:%Y-%m-%d} 至 {cert.not_after:%Y-%m-%d}",
                      "请将 CA 证书分发给各核查设备（放入数据目录的 trusted 文件夹）。"])


def cmd_ca_issue(args: argparse.Namespace) -> None:
    from cryptography import x509

    from inspect_app.services import identity

    request = _read(args.request, Msg("证书申请"))
    if Path(args.out).exists():
        raise UserError(Msg("目标文件已存在：{out}（不会覆盖）", out=args.out), code="E_FILE_EXISTS")
    passphrase = ask_passphrase(CA_PASSPHRASE_ENV, "CA 私钥口令：")
    pem = identity.issue_device_certificate(Path(args.dir), request, passphrase=passphrase, days=args.days)
    path = _write_new(args.out, pem)
    cert = identity.certificate_view(x509.load_pem_x509_certificates(pem)[0])
    emit(args, {"path": str(path), "certificate": cert},
         [f"已签发证书：{path}", f"持有人：{cert.common_name}（{cert.organisation}）  密钥指纹：{cert.fingerprint}",
          f"有效期：{cert.not_before:%Y-%m-%d} 至 {cert.not_after:%Y-%m-%d}"])


def cmd_ca_crl(args: argparse.Namespace) -> None:
    from inspect_app.services import office_trust

    def action(store: Any) -> Any:
        return office_trust.publish_crl(store, Path(args.dir), passphrase=ask_passphrase(CA_PASSPHRASE_ENV,
                                                                                       "CA 私钥口令："))

    view = _with_store(args, action)
    emit(args, view, [f"已发布吊销列表第 {view.number} 号：{view.path}",
                      f"列有 {view.revoked} 个已吊销的设备证书；下次更新不晚于 {view.next_update:%Y-%m-%d}"])


def cmd_ca_export(args: argparse.Namespace) -> None:
    from inspect_app.services import office_trust
    from inspect_app.services.settings import get_setting

    def action(store: Any) -> Any:
        with store.reader() as session:
            url = str(get_setting(session, "verification_url") or "")
        return office_trust.export_verification_kit(
            store, Path(args.dir), Path(args.out), passphrase=ask_passphrase(CA_PASSPHRASE_ENV, "CA 私钥口令："),
            verification_url=url)

    kit = _with_store(args, action)
    emit(args, kit, [f"已导出到 {kit.folder}：" + "、".join(p.name for p in kit.files),
                     f"根证书 SHA-256 指纹：{kit.fingerprint}",
                     f"吊销列表第 {kit.crl.number} 号，列有 {kit.crl.revoked} 个已吊销的设备证书"])


def cmd_settings_seal(args: argparse.Namespace) -> None:
    from inspect_app.services import office_trust

    png = _read(args.file, Msg("印章图片"))
    digest = _with_store(args, lambda store: office_trust.set_office_seal(store, png))
    emit(args, {"office_seal": digest}, f"已设置市办公室印章图片（SHA-256 {digest[:16]}）")


# --- parser ----------------------------------------------------------------------------------------------------


def register(sub: Any, leaf: Callable[..., Any], group: Callable[..., Any]) -> None:
    """Add the opinion, identity and ca subcommands to the parser."""
    op = group("opinion", "书面验收意见")
    p = leaf(op, "issue", cmd_opinion_issue, "出具并签署书面验收意见（输出文号与文件路径）")
    p.add_argument("--inspection", required=True, help="现场核查 id")
    p.add_argument("--conclusion", required=True, choices=[c.value for c in Conclusion],
                   help="pass 通过 | fail 不予通过 | recheck 限期整改后复验")
    p.add_argument("--out", required=True, help="输出 PDF 文件（不会覆盖已有文件）")
    p.add_argument("--acknowledge", help="对影像疑点的说明（有未说明的疑点时必填）")
    p.add_argument("--supersedes", help="被更正替代的验收意见 id")
    p.add_argument("--representative", help="企业代表，写作 姓名:职务")
    p.add_argument("--body", help="验收结论正文（替代标准表述，换行分段）")
    p.add_argument("--body-file", help="从文本文件读取验收结论正文（UTF-8 或 GBK）")
    p.add_argument("--reason", action="append", help="不予通过或限期整改的理由（可多次）；未达要求的核查项目自动列入")
    p.add_argument("--recheck-by", help="限期整改的整改期限 YYYY-MM-DD（recheck 必填）")
    p.add_argument("--dismantle-by", help="封存设备限时拆除的期限 YYYY-MM-DD（封存退出通过验收时必填）")
    p.add_argument("--unsigned", action="append", metavar="姓名=原因",
                   help="验收组成员未手写签名的原因（命令行不能手写签名：每位成员都须注明，可多次）")
    p.add_argument("--representative-agrees", action="store_true",
                   help="企业代表签字并表示无异议（仅在有企业代表手写签名时印“无异议”）")
    p.add_argument("--representative-opinion", help="企业的意见（未表示无异议时印出）")
    p.add_argument("--representative-unsigned", metavar="原因", help="企业代表未签字的原因（印作“未签（原因）”）")
    p = leaf(op, "list", cmd_opinion_list, "列出验收意见（含已被更正的）")
    p.add_argument("--inspection")
    p.add_argument("--enterprise")
    p.add_argument("--year", type=int)
    p = leaf(op, "show", cmd_opinion_show, "查看验收意见")
    p.add_argument("id", help="验收意见 id、id 前缀或文号")
    p = leaf(op, "verify", cmd_opinion_verify,
             "核验验收意见：签署的 PDF、纸质件的照片或扫描件，或二维码文本（有效时退出码 0，否则 1）")
    p.add_argument("file", nargs="?", help="PDF 文件、页面照片/扫描件（PNG/JPEG/TIFF）或含二维码文本的文件")
    p.add_argument("--qr", help="二维码文本（扫码枪或手机扫出的内容）")
    leaf(op, "countersign", cmd_opinion_countersign, "市办公室会签收到的验收意见（嵌入证书链与吊销列表）")

    ident = group("identity", "本机签名身份")
    p = leaf(ident, "create", cmd_identity_create, "创建本机签名密钥与自签名证书")
    p.add_argument("--name", required=True, help="签名人姓名")
    p.add_argument("--organisation", "--organization", required=True, help="签名人单位")
    leaf(ident, "show", cmd_identity_show, "查看本机签名身份")
    p = leaf(ident, "export-request", cmd_identity_export_request, "导出证书申请（CSR）")
    p.add_argument("--out", required=True)
    p = leaf(ident, "import-cert", cmd_identity_import_cert, "导入市办公室签发的证书")
    p.add_argument("cert")
    p.add_argument("--ca", help="签发机构（CA）证书")
    p = leaf(ident, "trust", cmd_identity_trust, "将证书（如市办公室 CA 证书）加入验证信任列表")
    p.add_argument("cert")

    ca = group("ca", "市办公室证书签发（CA）")
    p = leaf(ca, "create", cmd_ca_create, "创建 CA 密钥与证书")
    p.add_argument("--dir", required=True)
    p.add_argument("--name", required=True, help="发证单位名称")
    p = leaf(ca, "issue", cmd_ca_issue, "根据证书申请签发设备证书")
    p.add_argument("--dir", required=True)
    p.add_argument("--request", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--days", type=int, default=1825, help="有效天数（默认 5 年）")
    p = leaf(ca, "crl", cmd_ca_crl, "按设备登记簿中的吊销发布吊销列表（CRL）")
    p.add_argument("--dir", required=True)
    p = leaf(ca, "export", cmd_ca_export, "导出根证书、当前吊销列表和一页验证指南（供外部核验）")
    p.add_argument("--dir", required=True)
    p.add_argument("--out", required=True, help="输出文件夹")
