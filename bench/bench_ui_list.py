"""Benchmark the enterprise list with 10,000 enterprises / 50,000 equipment rows, with the real widgets offscreen.

Measures: opening the list (query in the worker + one model reset + first paint), filtering (search text and a
sector), scrolling to the end, and the longest event-loop stall (a 10 ms timer measuring gaps) meanwhile.
Targets: open < 1 s, filter < 100 ms, no stall > 100 ms.

Run: ``QT_QPA_PLATFORM=offscreen python bench/bench_ui_list.py``. The fixture rows are written with SQLAlchemy Core
bulk inserts into a fresh store (schema from ``open_store``); the audit trail is set aside, as this is a fixture.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select

from inspect_app import rules
from inspect_app.models import Aspect, Card, Enterprise, Equipment, Finding, Region, Sector
from inspect_app.models.reference import load_reference
from inspect_app.models.store import Store, open_store
from inspect_app.services import enterprises as enterprise_service

ENTERPRISES = 10_000
EQUIPMENT_PER = 5
WORDS = ["豫", "中", "华", "鑫", "源", "宏", "泰", "金", "龙", "恒", "达", "嵩", "阳", "新", "郑", "兴", "盛", "通"]
KINDS = ["钢铁", "铸造", "水泥", "建材", "焦化", "化工", "铝业", "玻璃", "煤业", "冶金"]


def build_store(root: Path) -> Store:
    """Create a store with the bench rows (Core bulk inserts; reference data through the service)."""
    store = open_store(root)
    with store.transaction() as session:
        load_reference(session)
    rnd = random.Random(7)
    now = datetime.now(UTC)
    today = date.today()
    with store.engine.begin() as conn:
        regions = [(r.id, r.code) for r in conn.execute(select(Region.id, Region.code))]
        sectors = [(s.id, s.name, (s.units or ["万吨/年"])[0]) for s in conn.execute(select(Sector.id, Sector.name, Sector.units))]
        aspect_id = conn.execute(select(Aspect.id).where(Aspect.code == "energy")).scalar_one()
        common = {"created_at": now, "updated_at": now, "version": 1, "origin_device": store.device_id}
        ents, eqs, findings, cards = [], [], [], []
        for n in range(ENTERPRISES):
            ent_id = str(uuid.uuid4())
            region_id, region_code = regions[n % len(regions)]
            name = "".join(rnd.choice(WORDS) for _ in range(3)) + rnd.choice(KINDS) + f"有限公司{n:05d}"
            ents.append({"id": ent_id, "uscc": rules.make_uscc(region_code[:6].ljust(6, "0"), 10_000 + n),
                         "name": name, "region_id": region_id, "address": f"{region_code} 工业园 {n} 号",
                         "status": "listed", "contact_name": "", "contact_phone": "", "notes": "", **common})
            for k in range(EQUIPMENT_PER):
                sector_id, _sector_name, unit = sectors[(n + k) % len(sectors)] if k else sectors[n % len(sectors)]
                eq_id = str(uuid.uuid4())
                eqs.append({"id": eq_id, "enterprise_id": ent_id, "sector_id": sector_id, "name": f"生产线{k + 1}",
                            "model": "M", "quantity": 1, "capacity": rnd.randint(1, 90), "unit": unit,
                            "status": "identified", "notes": "", **common})
                if k == 0 and n % 2 == 0:
                    found = today - timedelta(days=rnd.randint(30, 260))
                    findings.append({"id": str(uuid.uuid4()), "equipment_id": eq_id, "aspect_id": aspect_id,
                                     "basis": "", "found_on": found, "deadline": rules.rectification_deadline(found),
                                     "extension_reason": "", "outcome": "open", **common})
            if n % 10 == 0:
                cards.append({"id": str(uuid.uuid4()), "enterprise_id": ent_id, "color": "yellow" if n % 20 else "red",
                              "issued_on": today, "reason": "基准测试", "lift_reason": "", **common})
        conn.execute(insert(Enterprise.__table__), ents)
        conn.execute(insert(Equipment.__table__), eqs)
        conn.execute(insert(Finding.__table__), findings)
        conn.execute(insert(Card.__table__), cards)
    return store


class StallMeter:
    """A 10 ms timer; the longest gap between its ticks is the longest time the event loop was blocked."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.worst = 0

    def start(self) -> None:
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last)
        self.last = now


def wait_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 30) -> None:
    end = time.perf_counter() + timeout_s
    while not done():
        app.processEvents()
        time.sleep(0.001)
        if time.perf_counter() > end:
            raise TimeoutError


def main() -> None:
    from inspect_app.ui.app import build_window, ensure_application
    from inspect_app.ui.main_window import PAGE_ENTERPRISES, make_settings

    tmp = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    t = time.perf_counter()
    store = build_store(tmp / "data")
    print(f"fixture: {ENTERPRISES} enterprises, {ENTERPRISES * EQUIPMENT_PER} equipment in {time.perf_counter() - t:.1f} s")
    with store.reader() as session:
        t = time.perf_counter()
        rows = enterprise_service.list_enterprises(session)
        query_s = time.perf_counter() - t
    print(f"services.enterprises.list_enterprises: {len(rows)} rows in {query_s * 1000:.0f} ms (worker thread)")

    app = ensure_application()
    window = build_window(store, make_settings(str(tmp / "ui.ini")), language="zh_CN")
    window.resize(1400, 900)
    window.show()
    wait_until(app, lambda: window.dashboard.overview is not None)
    page = window.enterprises
    meter = StallMeter()
    meter.start()
    app.processEvents()

    t = time.perf_counter()
    window.go_to(PAGE_ENTERPRISES)
    wait_until(app, lambda: page.model.rowCount() == ENTERPRISES)
    page.table.viewport().repaint()
    open_ms = (time.perf_counter() - t) * 1000
    for _ in range(10):
        app.processEvents()
        time.sleep(0.01)
    stalls: dict[str, int] = {"open": meter.worst}

    def timed(action: Callable[[], None]) -> float:
        app.processEvents()
        meter.worst = 0
        start = time.perf_counter()
        action()
        page.table.viewport().repaint()
        elapsed = (time.perf_counter() - start) * 1000
        for _ in range(3):
            app.processEvents()
            time.sleep(0.012)
        track()
        return elapsed

    worst_after_open = 0

    def track() -> None:
        nonlocal worst_after_open
        worst_after_open = max(worst_after_open, meter.worst)

    search_ms = timed(lambda: (page.search.setText("鑫"), page.apply_filter()))
    shown_search = page.proxy.rowCount()
    sector_ms = timed(lambda: page.sector_combo.setCurrentIndex(page.sector_combo.findText("水泥")))
    shown_both = page.proxy.rowCount()
    clear_ms = timed(lambda: page.set_filters())
    overdue_ms = timed(lambda: page.overdue_check.setChecked(True))
    shown_overdue = page.proxy.rowCount()
    page.set_filters()
    scroll_ms = timed(page.table.scrollToBottom)
    sort_ms = timed(lambda: page.table.sortByColumn(8, page.table.horizontalHeader().sortIndicatorOrder()))
    stalls["after open"] = worst_after_open
    from inspect_app.ui.enterprises import prepare_rows

    prepared = prepare_rows(rows)
    t = time.perf_counter()
    page.model.set_rows(prepared)
    reset_ms = (time.perf_counter() - t) * 1000
    print(f"open list (query + reset + first paint): {open_ms:.0f} ms   [model reset alone: {reset_ms:.0f} ms]")
    print(f"longest stall while opening (query in the worker): {stalls['open']} ms")
    print(f"filter search '鑫': {search_ms:.1f} ms -> {shown_search} rows")
    print(f"filter + sector 水泥: {sector_ms:.1f} ms -> {shown_both} rows")
    print(f"clear filters: {clear_ms:.1f} ms;  overdue only: {overdue_ms:.1f} ms -> {shown_overdue} rows")
    print(f"scroll to end: {scroll_ms:.1f} ms;  sort by deadline: {sort_ms:.1f} ms")
    print(f"longest event-loop stall: {max(stalls.values())} ms  (opening {stalls['open']} ms, filters/scroll/sort {stalls['after open']} ms)")
    window.close()
    window.ctx.runner.wait_idle()
    store.close()


if __name__ == "__main__":
    main()
