"""Benchmark: the window stays responsive while 12 MP photos are imported through the evidence step.

Imports N camera-size JPEGs (made like bench_photo_import.py's) through ``PhotoEvidenceWidget.import_paths``
with the app's real worker thread, offscreen, and prints the photos per second and the longest gap of a
10 ms QTimer on the GUI thread (target: no stall over 100 ms).

    QT_QPA_PLATFORM=offscreen python bench/bench_ui_import.py --count 40
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_photo_import import make_base, make_photos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from inspect_app.models.store import open_store
    from inspect_app.services import casework
    from inspect_app.services.demo import load_demo
    from inspect_app.ui.photos import PhotoEvidenceWidget
    from inspect_app.ui.tasks import OpRunner

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-ui-import-") as tmp:
        folder = Path(tmp) / "DCIM"
        folder.mkdir()
        paths = make_photos(folder, args.count, [make_base(i) for i in range(4)])
        store = open_store(Path(tmp) / "data")
        with store.transaction() as session:
            load_demo(session)
        with store.reader() as session:
            inspection = casework.list_inspections(session, status="planned")[0]
        runner = OpRunner()
        widget = PhotoEvidenceWidget(store, inspection.id, runner=runner)
        widget.resize(1200, 800)
        widget.show()
        app.processEvents()

        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        finished: list[object] = []
        widget.imported.connect(finished.append)
        started = time.perf_counter()
        widget.import_paths("before", paths)
        while not finished:
            app.processEvents()
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
        for _ in range(50):  # let the grid refresh and the thumbnails load
            app.processEvents()
            time.sleep(0.01)
        timer.stop()
        results = finished[0]
        ok = sum(1 for r in results if r.status == "imported")  # type: ignore[attr-defined]
        print(f"imported {ok}/{len(paths)} photos of 12 MP through the evidence step in {elapsed:.1f} s "
              f"= {ok / elapsed:.1f} photos/s (rows, flags and audit events included)")
        print(f"longest event-loop stall during the import: {max(gaps) - 10:.0f} ms "
              f"(timer gaps: median {sorted(gaps)[len(gaps) // 2]:.0f} ms over {len(gaps)} ticks; target < 100 ms)")
        widget.close()
        runner.wait_idle()
        store.close()


if __name__ == "__main__":
    main()
