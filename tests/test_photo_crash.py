"""A photo import killed part-way (power loss, crash) leaves a consistent store; running it again completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models import Photo
from inspect_app.models.store import open_store
from inspect_app.services.audit import verify_audit
from inspect_app.services.photos import verify_blobs
from tests.photo_case import make_case, shot, write

REPO = Path(__file__).resolve().parents[1]
COUNT = 40


def _photo_count(db: Path) -> int:
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return int(con.execute("SELECT COUNT(*) FROM photo").fetchone()[0])
    except sqlite3.OperationalError:  # busy or not yet created
        return 0
    finally:
        con.close()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_cli_import_leaves_a_consistent_store_and_rerun_completes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(data)
    try:
        case = make_case(store, 501)
    finally:
        store.close()
    # Larger photos so the batch takes long enough to be killed in the middle.
    files = {f"IMG_{i:04d}.jpg": shot(1000 + i, f"2021:05:0{1 + i % 4} 10:{i % 60:02d}:00", size=(1600, 1200))
             for i in range(COUNT)}
    write(tmp_path / "DCIM", files)
    cmd = [sys.executable, "-m", "inspect_app", "--data-dir", str(data), "--json", "photos", "import",
           "--inspection", case.inspection_id, "--stage", "before", str(tmp_path / "DCIM")]
    env = {**os.environ, "INSPECT_APP_TODAY": "2021-05-10"}
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while _photo_count(data / "inspect.db") < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its worker processes, mid-batch
    proc.wait()
    committed = _photo_count(data / "inspect.db")
    assert 3 <= committed < COUNT, "the import should have been killed part-way"

    store = open_store(data)  # the lock of the killed process is gone with it
    try:
        assert verify_blobs(store) == []  # every committed row has its original, intact
        with store.reader() as session:
            report = verify_audit(session)
            assert report.ok, report.problems[:3]
            for sha in session.scalars(select(Photo.sha256)):
                assert BlobStore(store.blob_root).has_derived("thumb", sha)
    finally:
        store.close()

    rerun = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    results = json.loads(rerun.stdout)
    statuses = [r["status"] for r in results]
    assert statuses.count("present") == committed and statuses.count("imported") == COUNT - committed
    store = open_store(data)
    try:
        with store.reader() as session:
            assert session.scalar(select(func.count()).select_from(Photo)) == COUNT
            assert verify_audit(session).ok
        assert verify_blobs(store) == []
    finally:
        store.close()
