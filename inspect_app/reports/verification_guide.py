"""The one-page verification guide the office publishes with its root certificate (验证指南.pdf).

It says who issues the certificates, the root's SHA-256 fingerprint to compare before trusting it, the current
revocation list, and how to check an opinion: in a PDF reader (adding the root as a trusted root), on paper
(the QR code), and with the app. Set in the same embedded faces as the opinion, PDF/A-2b.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

from inspect_app.reports.cjk_text import CJKParagraph
from inspect_app.reports.fonts import FANG, HEI, XBS, register_fonts
from inspect_app.reports.official_layout import PORTRAIT, canvas_with_info, no_ascii85
from inspect_app.reports.pdfa import ArchiveMeta

CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
SIZE = 11.5
LEAD = SIZE * 1.55


@dataclass(frozen=True, slots=True)
class GuideFacts:
    """What the guide states."""

    authority: str
    fingerprint: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    crl_number: int
    crl_issued: dt.datetime
    crl_next: dt.datetime
    revoked: int
    verification_url: str = ""


def _day(when: dt.datetime) -> str:
    local = when.astimezone(CHINA_TZ)
    return f"{local.year}年{local.month}月{local.day}日"


def _p(text: str, *, font: str = FANG, size: float = SIZE, indent: float = 0.0, align: str = "justify",
       before: float = 0.0) -> CJKParagraph:
    return CJKParagraph([(text, font)], size=size, leading=size * 1.55, first_indent=indent, align=align,
                        space_before=before)


def render_guide(facts: GuideFacts) -> bytes:
    """Return the guide as PDF bytes."""
    register_fonts()
    half = len(facts.fingerprint) // 2 + 1
    fp1, fp2 = facts.fingerprint[:half].rstrip(":"), facts.fingerprint[half:]
    story = [
        _p("验收意见电子签名验证指南", font=XBS, size=20, align="center"),
        Spacer(1, 4 * mm),
        _p(f"发证机构：{facts.authority}"),
        _p("根证书 SHA-256 指纹（导入前请逐组核对）："),
        _p(fp1, size=10.5, indent=2),
        _p(fp2, size=10.5, indent=2),
        _p(f"根证书有效期：{_day(facts.valid_from)}至{_day(facts.valid_to)}"),
        _p(f"吊销列表：第{facts.crl_number}号，发布于{_day(facts.crl_issued)}，下次更新不晚于{_day(facts.crl_next)}，"
           f"列有{facts.revoked}个已吊销的设备证书（文件 office-ca.crl）。"),
        _p("一、在PDF阅读器中信任根证书", font=HEI, before=6),
        _p("Adobe Acrobat Reader：打开“编辑 → 首选项 → 签名”，在“身份与可信证书”处点“更多”；选择“可信证书”，"
           "点“导入”，选中本文件夹中的 root.cer，核对上方指纹后导入；再选中该证书，点“编辑信任”，勾选"
           "“将此证书用作可信的根证书”，确定。福昕、WPS 等阅读器在“数字签名/证书管理”中导入同一文件即可。", indent=2),
        _p("信任后打开验收意见，签名面板应显示两个有效签名：验收组签名人的签名，以及市办公室的收文会签；"
           "阅读器提示“签名后文档未修改”，或仅“添加了签名/文档安全存储（长期验证信息）”。"
           "如显示“签名后文档已被修改”或“签名无效”，该文件不可采信。", indent=2),
        _p("二、核验纸质件", font=HEI, before=6),
        _p("意见书落款旁的二维码第一行为文号、企业、结论和日期，应与纸面一致；其余内容为设备签名数据。"
           + (f"可访问 {facts.verification_url} 核验，" if facts.verification_url else "")
           + "也可将二维码照片或扫描件交市办公室，用 inspect-app opinion verify 照片.jpg 核验签名。", indent=2),
        _p("三、用本系统核验电子文件", font=HEI, before=6),
        _p("在空白数据目录中执行：inspect-app identity trust root.pem；inspect-app identity trust office-ca.crl；"
           "inspect-app opinion verify 验收意见.pdf。结果为“验证通过”方可采信；未导入根证书时显示"
           "“签名人不受信任”。", indent=2),
    ]
    buffer = io.BytesIO()
    geometry = PORTRAIT
    template = BaseDocTemplate(buffer, pagesize=geometry.pagesize, leftMargin=geometry.left,
                               rightMargin=geometry.page_w - geometry.left - geometry.text_w,
                               topMargin=geometry.top, bottomMargin=geometry.bottom, title="验收意见电子签名验证指南",
                               author=facts.authority, subject="根证书与吊销列表", creator="inspect-app",
                               initialFontName=FANG, initialFontSize=SIZE, initialLeading=LEAD)
    frame = Frame(geometry.left, geometry.bottom, geometry.text_w, geometry.text_h, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="guide", frames=[frame], pagesize=geometry.pagesize)])
    archive = ArchiveMeta(title="验收意见电子签名验证指南", author=facts.authority, subject="根证书与吊销列表",
                          created=dt.datetime.now(dt.UTC).replace(microsecond=0))
    with no_ascii85():
        template.build(story, canvasmaker=canvas_with_info({}, archive=archive))
    return buffer.getvalue()
