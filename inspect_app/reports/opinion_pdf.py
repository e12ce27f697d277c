"""Draw the written acceptance opinion (书面验收意见) as a PDF in the GB/T 9704-2012 manner.

A4, text block 156 × 225 mm (top 37 mm, left 28 mm), body in 3号 Song with 22 lines of 28 characters,
red issuing-office header, the 文号 and a red separator, numbered headings, tables that split across pages
with repeated headers, the team's handwritten signatures, the issuing office and date under a seal area
(where the cryptographic signature field goes), the signed QR code in the top-right margin of page 1, and
an appendix of the evidence photos grouped before / during / after dismantling.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from inspect_app.errors import UserError
from inspect_app.evidence.flags import format_distance
from inspect_app.fileio import write_atomic
from inspect_app.i18n import Msg
from inspect_app.reports.fonts import HEI, SONG, font_runs, para_markup, register_fonts
from inspect_app.reports.official_layout import (
    BODY_SIZE,
    CAPTION_SIZE,
    LEADING,
    PORTRAIT,
    RED,
    RedHeader,
    balanced_title,
    body_styles,
    canvas_with_info,
    cn_number,
    draw_text,
    grid_table,
    no_ascii85,
    official_template,
    page_number,
)
from inspect_app.reports.opinion_model import (
    STAGE_LABELS,
    EvidencePhoto,
    OpinionDocument,
)
from inspect_app.rules.opinion_wording import chinese_date

PAGE_W, PAGE_H = PORTRAIT.pagesize
LEFT = PORTRAIT.left
TOP = PORTRAIT.top
TEXT_W = PORTRAIT.text_w
TEXT_H = PORTRAIT.text_h
BOTTOM = PORTRAIT.bottom
QR_SIZE = 26 * mm

METADATA_QR_KEY = "InspectAppQR"
METADATA_EVIDENCE_KEY = "InspectAppEvidence"
METADATA_OPINION_KEY = "InspectAppOpinion"
METADATA_NUMBER_KEY = "InspectAppNumber"
METADATA_USCC_KEY = "InspectAppUSCC"
METADATA_CONCLUSION_KEY = "InspectAppConclusion"
METADATA_ISSUE_DATE_KEY = "InspectAppIssueDate"


@dataclass(frozen=True, slots=True)
class SignatureBox:
    """Where the visible signature field goes: 0-based page index and box in PDF points."""

    page: int
    box: tuple[float, float, float, float]
    seal_circle: tuple[float, float, float]  # centre x, centre y, radius


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What ``render_opinion_pdf`` wrote."""

    path: Path
    pages: int
    sha256: str
    bytes: int
    signature_box: SignatureBox | None


# --- styles --------------------------------------------------------------------------------------------------
def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(para_markup(text, style.fontName), style)


# --- custom flowables ----------------------------------------------------------------------------------------
class _SealBlock(Flowable):
    """Issuing office and date, right side, under a dashed seal circle; records the signature box."""

    def __init__(self, office: str, date_text: str, placement: dict[str, Any], *, draw_seal: bool) -> None:
        super().__init__()
        self.office = office
        self.date_text = date_text
        self.placement = placement
        self.draw_seal = draw_seal
        self.radius = 21 * mm
        self.height = 2 * self.radius + 4 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return TEXT_W, self.height

    def draw(self) -> None:
        canv = self.canv
        date_w = pdfmetrics.stringWidth(self.date_text, SONG, BODY_SIZE)
        date_right = TEXT_W - 4 * BODY_SIZE  # 成文日期右空四字
        cx = date_right - date_w / 2
        office_w = sum(pdfmetrics.stringWidth(r, f, BODY_SIZE) for r, f in font_runs(self.office, SONG))
        # A long office name is set smaller rather than run off the page (the name is one line, GB/T 9704).
        office_size = BODY_SIZE * min(1.0, TEXT_W / max(office_w, 1.0))
        office_w = office_w * office_size / BODY_SIZE
        office_cx = min(cx, TEXT_W - office_w / 2)
        cy = self.radius + 2 * mm
        y_office = cy - 2 * mm
        y_date = y_office - LEADING
        draw_text(canv, office_cx, y_office, self.office, SONG, office_size, align="center")
        draw_text(canv, cx, y_date, self.date_text, SONG, BODY_SIZE, align="center")
        if not self.draw_seal:
            return
        canv.saveState()
        canv.setStrokeColor(RED)
        canv.setLineWidth(0.8)
        canv.setDash(3, 2)
        canv.circle(cx, cy, self.radius, stroke=1, fill=0)
        canv.setFillColor(colors.Color(0.85, 0.5, 0.5))
        draw_text(canv, cx, cy + self.radius - 6 * mm, "印章区", HEI, 8, align="center")
        canv.restoreState()
        ax, ay = canv.absolutePosition(cx, cy)
        page = canv.getPageNumber() - 1
        box = (ax - 17 * mm, ay + 4 * mm, ax + 17 * mm, ay + 15 * mm)
        self.placement["box"] = SignatureBox(page=page, box=box, seal_circle=(ax, ay, self.radius))


# --- the document --------------------------------------------------------------------------------------------
def _page_number(canv: Canvas, number: int) -> None:
    page_number(canv, number, PORTRAIT)


def _draw_qr(canv: Canvas, payload: str) -> None:
    """Draw the QR code as vectors in the top-right margin of page 1, captioned 扫码核验."""
    # reportlab's encoder, drawn straight onto the canvas: renderPDF would pull in an unembedded Helvetica
    qr = QrCodeWidget(payload, barLevel="M", barBorder=0).qr
    qr.make()
    count = qr.getModuleCount()
    module = QR_SIZE / count
    x0 = LEFT + TEXT_W - QR_SIZE
    y0 = PAGE_H - 5 * mm - QR_SIZE
    canv.saveState()
    canv.setFillColor(colors.black)
    path = canv.beginPath()
    for r, row in enumerate(qr.modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect(x0 + start * module, y0 + QR_SIZE - (r + 1) * module, (c - start) * module, module)
            else:
                c += 1
    canv.drawPath(path, stroke=0, fill=1)
    draw_text(canv, x0 + QR_SIZE / 2, y0 - 3.6 * mm, "扫码核验", HEI, 8, align="center")
    canv.restoreState()


def _table(rows: list[list[Any]], widths: Sequence[float], *, header: bool = True) -> Table:
    return grid_table(rows, widths, header_rows=1 if header else 0)


def _fit_image(path: Path, max_w: float, max_h: float, *, mask: str | None = None) -> Image:
    """Return an Image flowable of ``path`` scaled to fit, embedded by path (JPEGs pass through unchanged)."""
    if not path.is_file():
        raise UserError(Msg("找不到图片文件：{path}", path=path), code="E_IMAGE_MISSING", details={"path": str(path)})
    try:
        img = Image(str(path), mask=mask)
    except Exception as exc:  # reportlab raises assorted errors for unreadable images
        raise UserError(Msg("无法读取图片：{path}", path=path), code="E_IMAGE_INVALID", details={"path": str(path)}) from exc
    iw, ih = img.imageWidth, img.imageHeight
    scale = min(max_w / iw, max_h / ih)
    img.drawWidth, img.drawHeight = iw * scale, ih * scale
    return img


def _photo_cell(photo: EvidencePhoto, index: int, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    when = photo.captured_at.strftime("%Y-%m-%d %H:%M") if photo.captured_at else "无拍摄时间"
    # Metres below 1 km, kilometres above: "距厂址 58854 米" read as a number to count, not a distance.
    where = f"距厂址{format_distance(photo.distance_m).zh}" if photo.distance_m is not None else "无定位"
    cell: list[Flowable] = [
        _fit_image(photo.image_path, TEXT_W / 2 - 8, 52 * mm),
        Spacer(1, 2),
        _p(f"{index}. {photo.caption}" if photo.caption else f"{index}.", st["caption"]),
        _p(f"拍摄时间：{when}；{where}", st["caption"]),
        _p(f"SHA-256：{photo.sha256[:16]}", st["caption"]),
    ]
    if photo.flags:
        cell.append(_p("提示：" + "；".join(photo.flags), st["flag"]))
    return cell


def _appendix(doc: OpinionDocument, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        _p("附件", st["annex_label"]),
        _p("影像资料", st["title"]),
    ]
    numerals = "一二三"
    counter = 0
    for n, (stage, label) in enumerate(STAGE_LABELS.items()):
        photos = [p for p in doc.photos if p.stage == stage]
        heading = _p(f"{numerals[n]}、{label}（{len(photos)}张）", st["h1"])
        if not photos:
            story.append(KeepTogether([heading, _p("无。", st["body"])]))
            continue
        rows: list[list[Any]] = []
        for i in range(0, len(photos), 2):
            row: list[Any] = []
            for photo in photos[i : i + 2]:
                counter += 1
                row.append(_photo_cell(photo, counter, st))
            if len(row) == 1:
                row.append("")
            rows.append(row)
        table = Table(rows, colWidths=[TEXT_W / 2] * 2, hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), SONG, CAPTION_SIZE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        story.extend([CondPageBreak(90 * mm), heading, table])
    return story


def _story(
    doc: OpinionDocument, st: dict[str, ParagraphStyle], placement: dict[str, Any], *, signature_box: bool
) -> list[Flowable]:
    ent = doc.enterprise
    story: list[Flowable] = [
        RedHeader(doc.issuing_office, doc.document_number),
        Paragraph(_balanced_title(doc.display_title), st["title"]),
    ]
    story += [_p(text, st["body"]) for text in doc.intro_paragraphs]

    story.append(_p("一、企业基本情况", st["h1"]))
    story.append(_p(f"企业名称：{ent.name}", st["body"]))
    story.append(_p(f"统一社会信用代码：{ent.uscc}", st["body"]))
    story.append(_p(f"地址：{ent.address}", st["body"]))
    if ent.region:
        story.append(_p(f"所属地区：{ent.region}", st["body"]))

    story.append(_p("二、落后设备及产能", st["h1"]))
    if doc.equipment:
        head = ["序号", "设备（生产线）名称", "型号规格", "数量", "产能", "所属行业"]
        rows: list[list[Any]] = [[_p(h, st["head"]) for h in head]]
        for i, item in enumerate(doc.equipment, 1):
            rows.append(
                [
                    _p(str(i), st["cell_c"]),
                    _p(item.name, st["cell"]),
                    _p(item.model_spec, st["cell"]),
                    _p(str(item.quantity), st["cell_c"]),
                    _p(f"{item.capacity_value} {item.capacity_unit}", st["cell_c"]),
                    _p(item.sector, st["cell_c"]),
                ]
            )
        story.append(_table(rows, [12 * mm, 46 * mm, 30 * mm, 14 * mm, 30 * mm, 24 * mm]))
        story.append(Spacer(1, LEADING * 0.3))
    else:
        story.append(_p("无。", st["body"]))

    story.append(_p("三、认定依据", st["h1"]))
    if doc.basis:
        for i, basis in enumerate(doc.basis, 1):
            found = f"（发现日期：{chinese_date(basis.found_on)}）" if basis.found_on else ""
            story.append(_p(f"（{cn_number(i)}）{basis.aspect}方面。{basis.finding}{found}", st["body"]))
    else:
        story.append(_p("无。", st["body"]))

    story.append(_p("四、退出方式", st["h1"]))
    story.append(_p(doc.exit_method, st["body"]))

    story.append(_p("五、现场核查情况", st["h1"]))
    story.append(
        _p(
            f"验收组于{chinese_date(doc.inspection_date)}在{doc.inspection_place}进行了现场核查，"
            "核查情况如下：",
            st["body"],
        )
    )
    if doc.checklist:
        rows = [[_p(h, st["head"]) for h in ("序号", "核查项目", "结果", "说明")]]
        for i, check in enumerate(doc.checklist, 1):
            result_style = (
                st["cell_c"]
                if check.result != "否"
                else ParagraphStyle("no", parent=st["cell_c"], textColor=RED)
            )
            rows.append(
                [
                    _p(str(i), st["cell_c"]),
                    _p(check.label, st["cell"]),
                    _p(check.result, result_style),
                    _p(check.note, st["cell"]),
                ]
            )
        story.append(_table(rows, [12 * mm, 64 * mm, 20 * mm, 60 * mm]))
        story.append(Spacer(1, LEADING * 0.3))

    story.append(_p("六、验收结论", st["h1"]))
    story.append(
        Paragraph(
            para_markup("验收结论：")
            + f'<font face="{HEI}">{para_markup(doc.conclusion_label, HEI)}</font>'
            + para_markup("。"),
            st["body"],
        )
    )
    story += [_p(text, st["body"]) for text in doc.conclusion_paragraphs]

    story.append(CondPageBreak(LEADING * 4))
    story.append(_p("验收组成员签字：", st["plain"]))
    rows = [[_p(h, st["head"]) for h in ("姓名", "单位", "职务", "签字")]]
    for member in doc.team:
        rows.append(
            [
                _p(member.name, st["cell_c"]),
                _p(member.organisation, st["cell"]),
                _p(member.title, st["cell_c"]),
                _signature_cell(member.signature_png),
            ]
        )
    story.append(_table(rows, [24 * mm, 62 * mm, 30 * mm, 40 * mm]))

    if doc.representative is not None:
        rep = doc.representative
        rep_rows: list[list[Any]] = [
            [_p(h, st["head"]) for h in ("企业代表", "职务", "签字")],
            [_p(rep.name, st["cell_c"]), _p(rep.title, st["cell_c"]), _signature_cell(rep.signature_png)],
        ]
        story.append(
            KeepTogether(
                [
                    Spacer(1, LEADING * 0.5),
                    _p("企业代表确认：本企业对上述核查情况无异议。", st["plain"]),
                    _table(rep_rows, [40 * mm, 60 * mm, 56 * mm]),
                ]
            )
        )

    story.append(Spacer(1, LEADING * 0.5))
    story.append(
        _SealBlock(doc.issuing_office, chinese_date(doc.issue_date), placement, draw_seal=signature_box)
    )
    if doc.photos:
        story += _appendix(doc, st)
    return story


def _balanced_title(title: str) -> str:
    return balanced_title(title, TEXT_W)


def _signature_cell(path: Path | None) -> Flowable | str:
    if path is None:
        return ""
    return _fit_image(path, 36 * mm, 12 * mm, mask="auto")


def render_opinion_bytes(
    doc: OpinionDocument, *, signature_box: bool = True
) -> tuple[bytes, int, SignatureBox | None]:
    """Render the opinion in memory; return the PDF bytes, the page count and the signature box."""
    register_fonts()
    st = body_styles()
    placement: dict[str, Any] = {}
    extras = {
        METADATA_OPINION_KEY: doc.opinion_id,
        METADATA_NUMBER_KEY: doc.document_number,
        METADATA_USCC_KEY: doc.enterprise.uscc,
        METADATA_CONCLUSION_KEY: doc.conclusion,
        METADATA_ISSUE_DATE_KEY: doc.issue_date.isoformat(),
        METADATA_EVIDENCE_KEY: " ".join(doc.evidence_hashes),
    }
    if doc.qr_payload:
        extras[METADATA_QR_KEY] = doc.qr_payload
    buffer = io.BytesIO()

    def first_page(canv: Canvas, _template: BaseDocTemplate) -> None:
        _page_number(canv, canv.getPageNumber())
        if doc.qr_payload:
            _draw_qr(canv, doc.qr_payload)

    def later_page(canv: Canvas, _template: BaseDocTemplate) -> None:
        _page_number(canv, canv.getPageNumber())

    template = official_template(
        buffer,
        PORTRAIT,
        title=doc.display_title,
        author=doc.issuing_office,
        subject=doc.document_number,
        first_page=first_page,
        later_page=later_page,
    )
    with no_ascii85():
        template.build(
            _story(doc, st, placement, signature_box=signature_box), canvasmaker=canvas_with_info(extras)
        )
    return buffer.getvalue(), template.page, placement.get("box")


def render_opinion_pdf(doc: OpinionDocument, out_path: Path, *, signature_box: bool = True) -> RenderResult:
    """Render the opinion to ``out_path`` atomically (temp file, fsync, rename)."""
    pdf, pages, box = render_opinion_bytes(doc, signature_box=signature_box)
    write_atomic(out_path, pdf)
    return RenderResult(
        path=out_path, pages=pages, sha256=hashlib.sha256(pdf).hexdigest(), bytes=len(pdf), signature_box=box
    )


