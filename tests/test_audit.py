"""The audit chain: verification finds edited events, removed events and rows edited behind the app's back."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from inspect_app.models.store import open_store
from inspect_app.services.audit import verify_audit
from inspect_app.services.demo import load_demo

REPO = Path(__file__).resolve().parents[1]


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data), *args],
                          capture_output=True, text=True, cwd=REPO)


def _demo_store(path: Path) -> Path:
    st = open_store(path)
    with st.transaction() as s:
        load_demo(s)
    st.close()
    return path / "inspect.db"


def test_clean_chain_verifies(tmp_path: Path) -> None:
    _demo_store(tmp_path)
    proc = _cli(tmp_path, "audit", "verify", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert out["ok"] is True and out["events"] > 50 and out["rows_checked"] > 100


def test_row_edited_behind_the_apps_back_is_detected(tmp_path: Path) -> None:
    db = _demo_store(tmp_path)
    con = sqlite3.connect(db)
    ent_id, = con.execute("SELECT id FROM enterprise ORDER BY name LIMIT 1").fetchone()
    con.execute("UPDATE enterprise SET name = '被篡改的企业' WHERE id = ?", (ent_id,))
    con.commit()
    con.close()
    proc = _cli(tmp_path, "audit", "verify", "--json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["code"] == "E_AUDIT_ROW_CHANGED"
    assert out["problems"][0]["row_id"] == ent_id and "name" in out["problems"][0]["message"]
    text = _cli(tmp_path, "audit", "verify")
    assert text.returncode == 1 and "在程序之外被修改" in text.stdout


def test_row_of_a_table_the_command_does_not_otherwise_load_is_checked(tmp_path: Path) -> None:
    # audit verify runs in a fresh interpreter that loads model classes on first use; its row check must still
    # cover every synced table (here the device table, declared in models/office.py).
    db = _demo_store(tmp_path)
    con = sqlite3.connect(db)
    con.execute("UPDATE device SET name = 'mallory-laptop'")
    con.commit()
    con.close()
    proc = _cli(tmp_path, "audit", "verify", "--json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert out["code"] == "E_AUDIT_ROW_CHANGED" and out["problems"][0]["table"] == "device", out


def test_edited_event_names_the_first_broken_link(tmp_path: Path) -> None:
    db = _demo_store(tmp_path)
    con = sqlite3.connect(db)
    con.execute("UPDATE audit_event SET actor = 'mallory' WHERE seq = 7")
    con.commit()
    con.close()
    st = open_store(tmp_path)
    with st.reader() as s:
        report = verify_audit(s)
    st.close()
    assert not report.ok
    assert report.first_broken is not None
    assert report.first_broken.code == "E_AUDIT_HASH" and report.first_broken.seq == 7


def test_removed_events_and_rows_are_detected(tmp_path: Path) -> None:
    db = _demo_store(tmp_path)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM audit_event WHERE seq = 5")
    con.commit()
    con.close()
    st = open_store(tmp_path)
    with st.reader() as s:
        codes = {p.code for p in verify_audit(s).problems}
    st.close()
    assert "E_AUDIT_GAP" in codes
    db2 = _demo_store(tmp_path / "two")
    con = sqlite3.connect(db2)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("DELETE FROM card WHERE id = (SELECT id FROM card LIMIT 1)")
    con.commit()
    con.close()
    st = open_store(tmp_path / "two")
    with st.reader() as s:
        codes = {p.code for p in verify_audit(s).problems}
    st.close()
    assert codes == {"E_AUDIT_ROW_MISSING"}


def test_many_rows_changed_in_one_flush_still_verify(tmp_path: Path) -> None:
    from sqlalchemy import select

    from inspect_app.models import Equipment
    from inspect_app.models.audit import record_event

    _demo_store(tmp_path)
    st = open_store(tmp_path)
    try:
        with st.transaction() as s:
            rows = list(s.scalars(select(Equipment)))
            for row in rows:
                row.notes = "批量备注"
            s.flush()  # one flush updating many rows of one table (executemany)
            record_event(s, action="equipment.bulk_note", entity=("equipment", "*"), detail={"n": len(rows)})
        with st.reader() as s:
            report = verify_audit(s)
        assert report.ok, report.problems[:3]
        assert len(rows) > 5
    finally:
        st.close()


def test_core_snapshot_of_every_synced_row_is_the_objects_snapshot(tmp_path: Path) -> None:
    # verify_audit compares the trail with rows read through Core (table_snapshot, no mapper configured); the trail
    # holds snapshots of ORM objects (snapshot). A renamed attribute or a column property would make them differ.
    from sqlalchemy import select

    from inspect_app.models import Base, SyncMixin, load_all
    from inspect_app.models.audit import snapshot, table_snapshot

    _demo_store(tmp_path)
    load_all()
    st = open_store(tmp_path)
    try:
        with st.reader() as s:
            compared = 0
            for mapper in Base.registry.mappers:
                if not issubclass(mapper.class_, SyncMixin):
                    continue
                table = mapper.local_table
                by_id = {str(values["id"]): table_snapshot(table, values)
                         for values in s.execute(select(table)).mappings()}
                for obj in s.scalars(select(mapper.class_)):
                    assert by_id[obj.id] == snapshot(obj), mapper.class_.__name__
                    compared += 1
        assert compared > 100
    finally:
        st.close()
