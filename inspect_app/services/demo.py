"""A realistic demo data set for Zhengzhou: fictional enterprises with valid USCCs in all seven sectors."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from inspect_app import rules
from inspect_app.models.reference import load_reference
from inspect_app.models.store import Store
from inspect_app.rules.china_time import CHINA_TZ
from inspect_app.services import casework, enterprises

# (name, district code, sector, address, (lat, lon), [(equipment, model, quantity, capacity, unit)])
DEMO_ENTERPRISES: list[tuple[str, str, str, str, tuple[float, float], list[tuple[str, str, int, str, str]]]] = [
    ("郑州豫中特钢有限公司", "410185", "steel", "登封市大冶镇工业园区", (34.4230, 113.1510),
     [("450立方米高炉", "450m³", 1, "40", "万吨/年"), ("30吨转炉", "30t", 2, "60", "万吨/年")]),
    ("新密市宏泰铸钢有限公司", "410183", "steel", "新密市来集镇李堂村", (34.5410, 113.4210),
     [("10吨中频感应炉", "GW-10", 3, "12", "万吨/年")]),
    ("巩义市金鑫冶金材料有限公司", "410181", "steel", "巩义市回郭镇工业区", (34.7720, 112.9080),
     [("20吨电弧炉", "HX-20", 1, "15", "万吨/年")]),
    ("登封市嵩阳煤业有限公司", "410185", "coal", "登封市告成镇", (34.4080, 113.1200),
     [("井下采煤工作面", "综采", 1, "30", "万吨/年")]),
    ("新密市超化煤矿有限公司", "410183", "coal", "新密市超化镇", (34.4870, 113.4930),
     [("斜井提升系统", "JK-2.5", 1, "21", "万吨/年")]),
    ("荥阳市豫源焦化有限公司", "410182", "coking", "荥阳市高村乡", (34.8520, 113.3080),
     [("4.3米捣固焦炉", "JNDK43-99D", 2, "40", "万吨/年")]),
    ("巩义市豫联焦化厂", "410181", "coking", "巩义市北山口镇", (34.7300, 113.0520),
     [("3.2米焦炉", "TJL3200", 1, "20", "万吨/年")]),
    ("登封市中岳水泥有限公司", "410185", "cement", "登封市卢店镇", (34.4610, 113.0840),
     [("Φ3.2×50m 回转窑", "Φ3.2×50m", 1, "30", "万吨/年"), ("Φ2.2×6.5m 水泥磨", "Φ2.2×6.5m", 2, "20", "万吨/年")]),
    ("新郑市龙湖建材有限公司", "410184", "cement", "新郑市龙湖镇", (34.4550, 113.7030),
     [("立窑", "Φ2.5×10m", 2, "16", "万吨/年")]),
    ("荥阳市金龙水泥厂", "410182", "cement", "荥阳市王村镇", (34.8640, 113.2670),
     [("Φ2.6×13m 机立窑", "Φ2.6×13m", 1, "10", "万吨/年")]),
    ("中牟县华豫化工有限公司", "410122", "petrochemical", "中牟县官渡镇", (34.7440, 114.0140),
     [("硫酸生产装置", "硫铁矿制酸", 1, "8", "万吨/年")]),
    ("郑州经开区恒达精细化工有限公司", "410171", "petrochemical", "郑州经济技术开发区第九大街", (34.7200, 113.8100),
     [("间歇式釜式反应装置", "K-5000", 4, "2", "万吨/年")]),
    ("上街区中孚铝业有限公司", "410106", "aluminium", "上街区工业路", (34.8090, 113.2870),
     [("160kA 预焙电解槽系列", "160kA", 1, "6.5", "万吨/年")]),
    ("巩义市汇源铝业有限公司", "410181", "aluminium", "巩义市站街镇", (34.7520, 112.9800),
     [("自焙电解槽系列", "80kA", 1, "3", "万吨/年")]),
    ("郑州华晶平板玻璃有限公司", "410108", "flat_glass", "惠济区古荥镇", (34.8730, 113.5350),
     [("平拉工艺生产线", "平拉", 1, "120", "万重量箱/年")]),
    ("新密市豫新玻璃有限公司", "410183", "flat_glass", "新密市曲梁镇", (34.5900, 113.5600),
     [("格法平板玻璃生产线", "格法", 1, "80", "万重量箱/年")]),
    ("二七区马寨鑫源铸造有限公司", "410103", "steel", "二七区马寨镇工业园", (34.6900, 113.5600),
     [("5吨冲天炉", "5t", 2, "3", "万吨/年")]),
    ("管城区圃田耐火材料有限公司", "410104", "cement", "管城回族区圃田乡", (34.7150, 113.7400),
     [("倒焰窑", "倒焰", 3, "2", "万吨/年")]),
    ("航空港区恒昌化工有限公司", "410173", "petrochemical", "郑州航空港经济综合实验区八岗", (34.5300, 113.8600),
     [("焦油加工装置", "常压蒸馏", 1, "5", "万吨/年")]),
    ("金水区北郊热能有限公司", "410105", "coal", "金水区北郊", (34.8200, 113.6600),
     [("煤炭洗选线", "跳汰", 1, "15", "万吨/年")]),
]

TEAM = [
    {"name": "王建国", "organisation": "郑州市工业和信息化局", "title": "科长"},
    {"name": "李红梅", "organisation": "郑州市发展和改革委员会", "title": "主任科员"},
    {"name": "张伟", "organisation": "登封市工业和信息化局", "title": "副局长"},
]
ASPECT_FOR_SECTOR = {"steel": "technology", "coal": "safety", "coking": "environment", "cement": "energy",
                     "petrochemical": "safety", "aluminium": "energy", "flat_glass": "technology"}


def demo_established_on(n: int) -> date:
    """Return the 成立日期 of the n-th demo enterprise: spread over 1984–2011, as old plants with outdated capacity are.

    Made from ``n`` alone (not the seeded random numbers), so the rest of the demo data stays as it was.
    """
    return date(1984 + (n * 7) % 28, 1 + (n * 5) % 12, 1 + (n * 11) % 28)


def load_demo(session: Session, *, today: date | None = None, seed: int = 2021) -> int:
    """Load the demo data set (relative to ``today``, so deadlines fall on both sides of it); return enterprises."""
    today = today or date.today()
    rnd = random.Random(seed)
    load_reference(session)
    session.flush()
    for n, (name, region, sector, address, (lat, lon), items) in enumerate(DEMO_ENTERPRISES, start=1):
        uscc = rules.make_uscc(region, 1000 + n * 37)
        ent = enterprises.register_enterprise(session, name=name, uscc=uscc, region=region, address=address,
                                              lat=lat, lon=lon, contact_name=rnd.choice(["刘", "陈", "杨", "赵", "周"]) + "经理",
                                              contact_phone=f"0371-6{rnd.randint(1000000, 9999999)}",
                                              established_on=demo_established_on(n))
        eq_ids = []
        for eq_name, model, qty, cap, unit in items:
            eq = enterprises.add_equipment(session, enterprise_id=ent.id, name=eq_name, model=model, quantity=qty,
                                           capacity=cap, unit=unit, sector=sector)
            eq_ids.append(eq.id)
        aspect = ASPECT_FOR_SECTOR[sector]
        if n % 5 == 0 and aspect != "technology":
            aspect = "quality" if aspect != "energy" else "energy"
        rule = rules.aspect_rule(aspect)
        # Spread the findings so that some deadlines are overdue, some near, some far.
        found_on = today - timedelta(days=40 + (n * 23) % 200)
        deadline = None if rule.rectification_months is not None or not rule.rectifiable else found_on + timedelta(days=120)
        finding = casework.record_finding(session, equipment_id=eq_ids[0], aspect=aspect, found_on=found_on,
                                          basis=f"经{rule.lead_departments[0]}核查，{rule.measure}", deadline=deadline,
                                          today=today)
        if aspect == "energy" and n % 3 == 0 and finding.deadline and finding.deadline >= today:
            casework.extend_finding(session, finding.id, until=rules.add_months(finding.deadline, 2),
                                    reason="企业节能改造设备到货延迟，申请延期", today=today)
        plan_method = "dismantle" if n % 2 else "seal"
        if n % 4 == 0:
            casework.issue_card(session, enterprise_id=ent.id, equipment_id=eq_ids[0], color="yellow",
                                issued_on=found_on + timedelta(days=10), reason="能耗、质量未达标，限期整改"
                                if rule.rectifiable else "属淘汰类装备，限期退出")
        for i, eq_id in enumerate(eq_ids):
            # One planned visit covers equipment under two plans (the last item exits the other way): its checklist
            # judges each by its own method.
            method = plan_method
            if n % 3 == 2 and i > 0 and i == len(eq_ids) - 1:
                method = "seal" if plan_method == "dismantle" else "dismantle"
            casework.plan_exit(session, equipment_id=eq_id, year=today.year, method=method,
                               target_date=date(today.year, 10, 31))
        if n % 3 == 1:
            eq_row = enterprises.get_equipment_row(session, eq_ids[0])
            for target in (rules.EquipmentStatus.CLOSED, rules.EquipmentStatus.DISMANTLING,
                           rules.EquipmentStatus.SEALED, rules.EquipmentStatus.DISMANTLED):
                if plan_method == "seal" and target == rules.EquipmentStatus.DISMANTLING:
                    continue
                if plan_method == "dismantle" and target == rules.EquipmentStatus.SEALED:
                    continue
                if target in rules.allowed_equipment_moves(eq_row.status, aspect=aspect):
                    enterprises.set_equipment_status(session, eq_ids[0], target.value, reason="演示数据",
                                                      on=today - timedelta(days=6))
                    eq_row = enterprises.get_equipment_row(session, eq_ids[0])
            insp = casework.plan_inspection(session, enterprise_id=ent.id, equipment_ids=eq_ids[:1],
                                            planned_on=today - timedelta(days=3), team=TEAM[:2])
            results = {code: "yes" for code in rules.required_checklist(plan_method)}
            # A real arrival time on the visit day (China time), not the moment the demo was loaded.
            arrived = datetime.combine(today - timedelta(days=2), time(9, 5 + (n * 7) % 50), tzinfo=CHINA_TZ)
            casework.record_inspection(session, insp.id, visited_on=today - timedelta(days=2), lat=lat + 0.0004,
                                       arrived_at=arrived,
                                       lon=lon - 0.0003, location_text=address, team=TEAM[:2] + TEAM[2:3],
                                       checklist={k: {"result": v, "note": ""} for k, v in results.items()},
                                       finish=n % 2 == 1, today=today)
        elif n % 3 == 2:
            casework.plan_inspection(session, enterprise_id=ent.id, equipment_ids=eq_ids,
                                     planned_on=today + timedelta(days=n % 9 + 1), team=TEAM[:2])
    if DEMO_ENTERPRISES:
        red_ent = enterprises.resolve_enterprise(session, rules.make_uscc(DEMO_ENTERPRISES[2][1], 1000 + 3 * 37))
        casework.issue_card(session, enterprise_id=red_ent.id, color="red", issued_on=today - timedelta(days=20),
                            reason="整改期满仍未达标，依法关停")
        coking = enterprises.resolve_enterprise(session, rules.make_uscc(DEMO_ENTERPRISES[5][1], 1000 + 6 * 37))
        casework.record_env_listing(session, enterprise_id=coking.id, kind="over_limit",
                                    listed_on=today - timedelta(days=30), department="郑州市生态环境局",
                                    pollutant="颗粒物、二氧化硫", reason="焦炉烟气在线监测小时均值超过排放标准")
    return len(DEMO_ENTERPRISES)


def _demo_scene(stage: str, site: int, shot: int, size: tuple[int, int] = (1200, 900)) -> Any:
    """Draw a plausible site picture: the equipment intact (before), being cut up (during), gone (after).

    The layout depends on the site, so different enterprises' pictures do not look alike (the near-duplicate
    check would rightly flag them), and each shot is framed a little differently.
    """
    from PIL import Image, ImageDraw, ImageFilter, ImageOps

    layout = random.Random(site * 7919)
    rnd = random.Random(site * 7919 + shot * 31 + len(stage))
    w, h = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    horizon = int(h * layout.uniform(0.35, 0.7))
    sky = (layout.randint(120, 190), layout.randint(150, 200), layout.randint(180, 235))
    for y in range(horizon):
        t = y / horizon
        draw.line([(0, y), (w, y)], fill=(int(sky[0] + 50 * t), int(sky[1] + 40 * t), int(sky[2] + 15 * t)))
    ground = (layout.randint(80, 150), layout.randint(80, 140), layout.randint(70, 120))
    for y in range(horizon, h):
        t = (y - horizon) / (h - horizon)
        draw.line([(0, y), (w, y)], fill=(int(ground[0] * (1 - 0.3 * t)), int(ground[1] * (1 - 0.3 * t)),
                                           int(ground[2] * (1 - 0.3 * t))))
    for _ in range(layout.randint(2, 5)):  # workshops on the skyline
        x0 = layout.randint(0, w - 200)
        top = horizon - layout.randint(60, 260)
        shade = layout.randint(110, 190)
        draw.rectangle([x0, top, x0 + layout.randint(120, 380), horizon], fill=(shade, shade - 8, shade - 18))
    cx = int(w * layout.uniform(0.3, 0.6))
    base_y = min(h - 80, horizon + layout.randint(30, 120))
    if stage == "before":
        draw.rectangle([cx, horizon - layout.randint(250, 420), cx + 70, base_y], fill=(70, 66, 64))  # stack
        draw.rectangle([cx - 160, base_y - 220, cx + 320, base_y], fill=(60, 58, 60))  # main equipment
        draw.ellipse([cx - 200, base_y - 260, cx + 360, base_y - 120], fill=(80, 74, 70))
        for i in range(6):
            draw.rectangle([cx - 140 + i * 80, base_y, cx - 110 + i * 80, base_y + 70], fill=(40, 40, 44))
    elif stage == "during":
        draw.rectangle([cx - 60, base_y - 120, cx + 140, base_y], fill=(75, 70, 66))
        for _ in range(16):  # cut sections lying in the yard
            x, y = rnd.randint(int(w * 0.1), int(w * 0.9)), rnd.randint(base_y - 10, h - 40)
            draw.rectangle([x, y, x + rnd.randint(50, 160), y + rnd.randint(20, 50)],
                           fill=(rnd.randint(150, 200), rnd.randint(90, 120), rnd.randint(40, 70)))
        draw.line([cx + 160, horizon - 300, cx + 420, base_y], fill=(235, 185, 35), width=14)  # crane jib
        draw.rectangle([cx + 380, base_y - 110, cx + 500, base_y], fill=(235, 185, 35))
    else:
        for i in range(6):  # only the foundations are left
            draw.rectangle([cx - 140 + i * 80, base_y - 12, cx - 100 + i * 80, base_y + 12], fill=(200, 196, 188))
    if layout.random() < 0.5:
        img = ImageOps.mirror(img)
    dx, dy = rnd.randint(0, 60), rnd.randint(0, 45)  # each shot framed a little differently
    img = img.crop((dx, dy, w - 60 + dx, h - 45 + dy)).resize(size)
    noise = Image.effect_noise(size, 18).convert("RGB")
    return Image.blend(img, noise, 0.08).filter(ImageFilter.SMOOTH)


def load_demo_photos(store: Store, *, today: date | None = None) -> int:
    """Import before/during/after photos (with EXIF time and position) for the demo's finished inspections."""
    import shutil
    import tempfile
    from pathlib import Path

    from inspect_app import __version__
    from inspect_app.evidence.capture import write_captured_jpeg
    from inspect_app.services.photos import import_photos

    today = today or date.today()
    with store.reader() as session:
        done = [i for i in casework.list_inspections(session, status="done")]
        sites = {i.id: enterprises.get_enterprise(session, i.enterprise_id) for i in done}
    folder = Path(tempfile.mkdtemp(prefix="demo-photos-", dir=store.data_dir))
    imported = 0
    try:
        for n, insp in enumerate(done):
            ent = sites[insp.id]
            if ent.lat is None or ent.lon is None or not insp.equipment_ids:
                continue
            visited = insp.visited_on or today
            plan = (("before", 20, 2), ("during", 10, 1), ("after", 0, 2))
            for stage, days_before, count in plan:
                paths = []
                for k in range(count):
                    moment = datetime.combine(visited - timedelta(days=days_before), time(9 + k, 12 + 7 * k),
                                              tzinfo=CHINA_TZ)
                    # A few tens of metres from the site; the last demo photo of all was taken far away.
                    far = n == len(done) - 1 and stage == "after" and k == count - 1
                    offset = 0.03 if far else 0.0002 * (k + 1)
                    jpeg = write_captured_jpeg(_demo_scene(stage, site=n, shot=k), taken_at=moment,
                                               position=(ent.lat + offset, ent.lon - offset / 2),
                                               camera_name="DEMO DC-1", app_version=__version__, quality=85)
                    path = folder / f"{insp.id[:8]}_{stage}_{k + 1}.jpg"
                    path.write_bytes(jpeg)
                    paths.append(path)
                results = import_photos(store, inspection_id=insp.id, stage=stage, paths=paths,
                                        equipment_id=insp.equipment_ids[0])
                imported += sum(1 for r in results if r.status == "imported")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return imported
