"""Benchmark: render and sign a 24-photo acceptance opinion (1600×1200 report JPEGs at quality 80).

Run: python bench/bench_opinion_pdf.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import random
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inspect_app.crypto import create_identity, sign_pdf
from inspect_app.reports.opinion_model import (
    BasisItem,
    ChecklistRow,
    EnterpriseInfo,
    EquipmentItem,
    EvidencePhoto,
    OpinionDocument,
    TeamMember,
)
from inspect_app.reports.opinion_pdf import render_opinion_pdf
from inspect_app.reports.qr import QrFields, evidence_digest, make_qr_payload


def photo_jpeg(seed: int, size: tuple[int, int] = (1600, 1200), quality: int = 80) -> bytes:
    """Return a photo-like JPEG: gradients, shapes, blur and grain."""
    rng = random.Random(seed)
    w, h = size
    small = Image.linear_gradient("L").resize((w // 8, h // 8)).convert("RGB")
    tint = Image.new("RGB", small.size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    small = Image.blend(small, tint, 0.5)
    draw = ImageDraw.Draw(small)
    for _ in range(40):
        x, y = rng.randrange(w // 8), rng.randrange(h // 8)
        draw.ellipse(
            (x, y, x + rng.randrange(4, 50), y + rng.randrange(4, 40)),
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    img = small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1.5))
    img = Image.blend(img, Image.effect_noise(size, 30).convert("RGB"), 0.15)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        photos = []
        for i in range(24):
            raw = photo_jpeg(i)
            path = folder / f"p{i:02d}.jpg"
            path.write_bytes(raw)
            photos.append(
                EvidencePhoto(
                    stage=("before", "during", "after")[i % 3],
                    image_path=path,
                    caption=f"现场照片 {i + 1}",
                    sha256=hashlib.sha256(raw).hexdigest(),
                    captured_at=None,
                    distance_m=float(i * 10),
                    flags=("无拍摄时间",),
                )
            )
        jpeg_mb = sum(p.image_path.stat().st_size for p in photos) / 1e6
        print(f"made 24 JPEGs ({jpeg_mb:.1f} MB) in {time.perf_counter() - t0:.2f} s")
        ident = create_identity(
            folder / "id",
            common_name="Bench",
            organisation="郑州市工业和信息化局",
            passphrase="x",
            device_id="bench",
        )
        doc = OpinionDocument(
            opinion_id="3f2b6a4e-8c1d-4e7a-9b0f-1a2b3c4d5e6f",
            document_number="郑淘汰落后验〔2021〕3号",
            issuing_office="郑州市淘汰落后产能工作领导小组办公室",
            enterprise=EnterpriseInfo(
                "郑州华丰建材有限公司", "91410100MA44X7R2B3", "河南省郑州市上街区工业路88号"
            ),
            equipment=(EquipmentItem("水泥粉磨机组", "Φ3.2×13m", 2, "60", "万吨/年", "水泥"),),
            basis=(BasisItem("技术", "属淘汰类装备。"),),
            exit_method="拆除主体设备。",
            inspection_date=dt.date(2021, 10, 26),
            inspection_place="企业厂区",
            checklist=tuple(ChecklistRow(f"核查项目{i}", "是") for i in range(8)),
            conclusion="pass",
            issue_date=dt.date(2021, 10, 28),
            team=(TeamMember("张建国", "郑州市工业和信息化局", "组长"),),
            photos=tuple(photos),
        )
        fields = QrFields(
            doc.opinion_id,
            doc.document_number,
            doc.enterprise.uscc,
            doc.conclusion,
            doc.issue_date,
            evidence_digest(doc.evidence_hashes),
            ident.fingerprint,
        )
        doc = dataclasses.replace(doc, qr_payload=make_qr_payload(fields, ident.private_key))
        t_cold = time.perf_counter()
        render_opinion_pdf(doc, folder / "warm.pdf")  # font registration (parsing two CJK fonts) is a one-off
        print(f"first render (registers fonts): {time.perf_counter() - t_cold:.3f} s")
        for run in range(3):
            t1 = time.perf_counter()
            result = render_opinion_pdf(doc, folder / "o.pdf")
            t2 = time.perf_counter()
            assert result.signature_box is not None
            sign_pdf(
                folder / "o.pdf",
                folder / "s.pdf",
                ident,
                box=result.signature_box.box,
                page=result.signature_box.page,
            )
            t3 = time.perf_counter()
            size = (folder / "s.pdf").stat().st_size / 1e6
            print(
                f"run {run + 1}: render {t2 - t1:.3f} s, sign {t3 - t2:.3f} s, total {t3 - t1:.3f} s, "
                f"{result.pages} pages, signed file {size:.2f} MB"
            )


if __name__ == "__main__":
    main()
