"""Real files for the opinion PDF, QR and signing tests: photo-like JPEGs, signature PNGs, an opinion."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from inspect_app.reports.opinion_model import (
    BasisItem,
    ChecklistRow,
    EnterpriseInfo,
    EquipmentItem,
    EvidencePhoto,
    OpinionDocument,
    Representative,
    TeamMember,
)

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_with_check(first17: str) -> str:
    """Append the GB 32100-2015 check character to 17 characters."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]


USCC = uscc_with_check("91410100MA44X7R2B")
DOC_NUMBER = "郑淘汰落后验〔2021〕3号"
OFFICE = "郑州市淘汰落后产能工作领导小组办公室"
ENTERPRISE = "郑州华丰建材有限公司"


def photo_jpeg_bytes(seed: int, size: tuple[int, int] = (1600, 1200), quality: int = 80) -> bytes:
    """Return a photo-like JPEG: gradients, blurred blobs and fine grain, so it compresses like a photo."""
    rng = random.Random(seed)
    w, h = size
    small = Image.new("RGB", (w // 8, h // 8))
    base = (rng.randrange(60, 200), rng.randrange(60, 200), rng.randrange(60, 200))
    small.putdata(
        [
            (
                min(255, base[0] + x // 3 + rng.randrange(-25, 25)),
                min(255, base[1] + y // 2 + rng.randrange(-25, 25)),
                max(0, base[2] - x // 4 + rng.randrange(-25, 25)),
            )
            for y in range(h // 8)
            for x in range(w // 8)
        ]
    )
    draw = ImageDraw.Draw(small)
    for _ in range(12):
        x0, y0 = rng.randrange(w // 8), rng.randrange(h // 8)
        draw.rectangle(
            (x0, y0, x0 + rng.randrange(5, 60), y0 + rng.randrange(5, 40)),
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    img = small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1.2))
    grain = Image.effect_noise(size, 24).convert("RGB")
    img = Image.blend(img, grain, 0.12)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def write_photo(
    path: Path, seed: int, *, size: tuple[int, int] = (1600, 1200), exif_time: bool = True
) -> str:
    """Write a photo-like JPEG (optionally with an EXIF DateTimeOriginal) and return its SHA-256."""
    raw = photo_jpeg_bytes(seed, size)
    if exif_time:
        img = Image.open(io.BytesIO(raw))
        exif = Image.Exif()
        exif[0x0132] = "2021:10:20 09:31:00"
        out = io.BytesIO()
        img.save(out, "JPEG", quality=80, exif=exif.tobytes())
        raw = out.getvalue()
    path.write_bytes(raw)
    return hashlib.sha256(raw).hexdigest()


def write_signature_png(path: Path, seed: int) -> Path:
    """Draw a transparent handwritten-looking scribble and save it as PNG."""
    rng = random.Random(seed)
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [(40 + i * 26, 100 + rng.randrange(-60, 60)) for i in range(21)]
    draw.line(points, fill=(10, 20, 90, 255), width=7, joint="curve")
    draw.arc((380, 40, 560, 170), 20, 300, fill=(10, 20, 90, 255), width=6)
    img.save(path, "PNG")
    return path


def sample_document(
    folder: Path,
    *,
    photos_per_stage: tuple[int, int, int] = (2, 3, 2),
    qr_payload: str | None = None,
    long_text: bool = False,
    photo_size: tuple[int, int] = (1600, 1200),
) -> OpinionDocument:
    """Build a realistic opinion with real image files under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    photos: list[EvidencePhoto] = []
    seed = 0
    captions = {"before": "主体设备拆除前全景", "during": "拆除作业现场", "after": "拆除后厂房空置"}
    for stage, count in zip(("before", "during", "after"), photos_per_stage, strict=True):
        for i in range(count):
            seed += 1
            rotated = seed == 2  # a portrait (rotated) picture
            size = (photo_size[1], photo_size[0]) if rotated else photo_size
            path = folder / f"photo_{seed:02d}.jpg"
            no_exif = seed % 3 == 0
            digest = write_photo(path, seed, size=size, exif_time=not no_exif)
            flags: tuple[str, ...] = ()
            if no_exif:
                flags = ("无拍摄时间（EXIF缺失）",)
            if seed == 4:
                flags = ("拍摄地点距厂址超过1公里", "拍摄时间早于整改期限")
            photos.append(
                EvidencePhoto(
                    stage=stage,  # type: ignore[arg-type]
                    image_path=path,
                    caption=f"{captions[stage]}（{i + 1}）",
                    sha256=digest,
                    captured_at=None if no_exif else dt.datetime(2021, 10, 20, 9, 31 + seed),
                    distance_m=None if seed == 5 else 35.0 * seed,
                    flags=flags,
                )
            )
    sig1 = write_signature_png(folder / "sig_zhang.png", 1)
    sig2 = write_signature_png(folder / "sig_li.png", 2)
    sig3 = write_signature_png(folder / "sig_rep.png", 3)
    intro = (
        f"根据《河南省2021年利用综合标准依法依规推动落后产能退出工作方案》（豫淘汰落后办〔2021〕10号）要求，"
        f"验收组对{ENTERPRISE}落后产能退出情况进行了现场检查和考核验收。现将验收意见函告如下。",
    )
    if long_text:
        intro = intro + tuple(
            "企业按照退出计划完成了主体设备拆除工作，拆除过程留存了影像资料，"
            "设备未向其他地区转移，企业已向社会公开承诺不再恢复生产。" * 3
            for _ in range(6)
        )
    equipment = tuple(
        EquipmentItem(
            name=f"Φ3.2×13m水泥粉磨机组{i + 1}号线",
            model_spec="Φ3.2×13m",
            quantity=1,
            capacity_value="60",
            capacity_unit="万吨/年",
            sector="水泥",
        )
        for i in range(12 if long_text else 2)
    )
    return OpinionDocument(
        opinion_id="3f2b6a4e-8c1d-4e7a-9b0f-1a2b3c4d5e6f",
        document_number=DOC_NUMBER,
        issuing_office=OFFICE,
        enterprise=EnterpriseInfo(
            name=ENTERPRISE, uscc=USCC, address="河南省郑州市上街区工业路88号", region="郑州市上街区"
        ),
        equipment=equipment,
        basis=(
            BasisItem(
                "技术", "Φ3.2m及以下水泥粉磨装备属《产业结构调整指导目录》淘汰类。", dt.date(2021, 3, 5)
            ),
            BasisItem("能耗", "单位产品综合能耗超过强制性标准限额，整改期满仍未达标。", None),
        ),
        exit_method="拆除主体设备（生产线），并断水、断电、拆除动力装置。",
        inspection_date=dt.date(2021, 10, 26),
        inspection_place="企业生产厂区",
        checklist=(
            ChecklistRow("主体设备已拆除", "是", "两条粉磨线主机已拆除"),
            ChecklistRow("已断水", "是"),
            ChecklistRow("已断电", "是", "供电部门已拆除专用变压器"),
            ChecklistRow("动力装置已拆除", "是"),
            ChecklistRow("主体设备已封存", "不适用", "已拆除，无需封存"),
            ChecklistRow("企业已向社会公开承诺", "是"),
            ChecklistRow("已在政府门户网站公告", "否", "待市政府门户网站公告"),
            ChecklistRow("设备未向其他地区转移", "是"),
        )
        * (6 if long_text else 1),
        conclusion="pass",
        conclusion_paragraphs=(
            "该企业落后产能已按要求退出，主体设备已拆除，不具备恢复生产条件，同意通过验收。",
        ),
        issue_date=dt.date(2021, 10, 28),
        team=(
            TeamMember("张建国", "郑州市工业和信息化局", "组长", sig1),
            TeamMember("李秀梅", "郑州市生态环境局", "成员", sig2),
            TeamMember("王磊", "上街区发展和改革委员会", "成员", None),
        ),
        representative=Representative("赵长海", "总经理", sig3, agreed=True),
        intro_paragraphs=intro,
        photos=tuple(photos),
        qr_payload=qr_payload,
    )


def scan_qr(pdf: Path, folder: Path, *, dpi: int = 150) -> str:
    """Render every page at ``dpi`` (poppler), decode the one QR code (zbarimg) and return its payload line."""
    prefix = folder / f"scan-{pdf.stem}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    found = []
    for png in sorted(folder.glob(f"{prefix.name}-*.png")):
        scan = subprocess.run(["zbarimg", "--raw", "-q", "-Sbinary", str(png)], capture_output=True)
        if scan.stdout:
            found.append(scan.stdout.decode("utf-8").strip())
    assert len(found) == 1, found  # one QR code, beside the seal block
    return found[0].splitlines()[-1]  # the signed payload, under a line a person can read
