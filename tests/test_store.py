"""The store on real files: pragmas, transactional DDL, locking, migrations, backups, refusals."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from inspect_app.errors import StoreCorrupt, StoreLocked, StoreReadOnly, StoreTooNew
from inspect_app.models import Enterprise, Region, Sector
from inspect_app.models.migrate import head_revision
from inspect_app.models.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]


def test_sqlite_pragmas_are_set_on_every_connection(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_ddl_is_transactional_with_the_sqlite3_driver(store: Store) -> None:
    with store.engine.connect() as conn:
        trans = conn.begin()
        conn.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO scratch VALUES (1)")
        trans.rollback()
    assert not inspect(store.engine).has_table("scratch")


def test_foreign_keys_are_enforced(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO equipment (id, created_at, updated_at, version, origin_device, enterprise_id, sector_id,"
            " name, model, quantity, capacity, unit, status, notes) VALUES ('x', '2021-01-01', '2021-01-01', 1, '',"
            " 'no-such-enterprise', 'no-such-sector', 'n', '', 1, 1, 'u', 'identified', '')")


def test_first_open_creates_schema_device_and_reference_data(store: Store) -> None:
    info = store.info()
    assert info.schema_revision == head_revision()
    assert info.device_id
    with store.reader() as session:
        names = set(session.scalars(select(Region.name)))
        sectors = set(session.scalars(select(Sector.name)))
    assert {"郑州市", "济源示范区", "巩义市", "郑州航空港经济综合实验区", "登封市"} <= names
    assert sectors == {"钢铁", "煤炭", "焦化", "水泥", "石化化工", "电解铝", "平板玻璃"}


def test_second_instance_on_same_data_dir_is_refused(tmp_path: Path) -> None:
    first = open_store(tmp_path)
    try:
        with pytest.raises(StoreLocked) as err:
            open_store(tmp_path)
        assert "另一个" in err.value.message
        # And from another process, as a second app instance would be.
        proc = subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(tmp_path), "init"],
                              capture_output=True, text=True, cwd=REPO)
        assert proc.returncode == 1
        assert "E_STORE_LOCKED" in proc.stderr
    finally:
        first.close()
    open_store(tmp_path).close()  # released on close


def test_corrupt_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "inspect.db"
    db.write_bytes(b"this is not a database at all" * 100)
    before = db.read_bytes()
    with pytest.raises(StoreCorrupt):
        open_store(tmp_path)
    assert db.read_bytes() == before


def test_damaged_sqlite_pages_are_refused(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    db = tmp_path / "inspect.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    raw = bytearray(db.read_bytes())
    page = 4096
    for i in range(2 * page + 100, min(len(raw), 6 * page), 7):  # scribble over b-tree pages
        raw[i] = 0xA5
    db.write_bytes(bytes(raw))
    with pytest.raises(StoreCorrupt):
        open_store(tmp_path)


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    db = tmp_path / "inspect.db"
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = db.read_bytes()
    with pytest.raises(StoreTooNew) as err:
        open_store(tmp_path)
    assert "更新版本" in err.value.message
    assert db.read_bytes() == before


def test_old_schema_is_upgraded_in_place_after_a_backup(tmp_path: Path) -> None:
    from alembic import command

    from inspect_app.models.migrate import alembic_config
    from inspect_app.models.store import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'inspect.db'}")
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
        conn.exec_driver_sql(
            "INSERT INTO setting (key, value) VALUES ('office_name', '\"测试办公室\"')")
        conn.commit()
    engine.dispose()
    st = open_store(tmp_path)
    try:
        assert st.info().schema_revision == head_revision()
        assert inspect(st.engine).has_table("photo")
        with st.engine.connect() as conn:
            assert conn.execute(text("SELECT value FROM setting WHERE key='office_name'")).scalar() == '"测试办公室"'
    finally:
        st.close()
    backups = list((tmp_path / "backups").glob("inspect-*-0001.db"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    con.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_database_is_refused(tmp_path: Path) -> None:
    open_store(tmp_path / "data").close()
    data = tmp_path / "data"
    db = data / "inspect.db"
    if os.geteuid() == 0:
        # Root ignores permission bits; the immutable attribute stops root too.
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(db)]).returncode != 0:
            pytest.skip("chattr +i is not available on this filesystem")
        try:
            before = db.read_bytes()
            with pytest.raises(StoreReadOnly):
                open_store(data)
            assert db.read_bytes() == before
        finally:
            subprocess.run(["chattr", "-i", str(db)], check=True)
    else:
        os.chmod(db, 0o444)
        try:
            with pytest.raises(StoreReadOnly):
                open_store(data)
        finally:
            os.chmod(db, 0o644)


def test_refused_write_changes_nothing(store: Store) -> None:
    from inspect_app.errors import UserError
    from inspect_app.services.enterprises import register_enterprise

    with store.reader() as session:
        before = session.scalar(text("SELECT COUNT(*) FROM audit_event"))
    with pytest.raises(UserError), store.transaction() as session:
        register_enterprise(session, name="甲", uscc="91410100MA44ABCD1X", region="郑州市")
    with store.reader() as session:
        assert session.scalar(text("SELECT COUNT(*) FROM audit_event")) == before
        assert session.scalar(select(Enterprise.id)) is None


def test_write_without_audit_event_is_a_bug(store: Store) -> None:
    with pytest.raises(RuntimeError, match="audit"), store.transaction() as session:
        session.add(Sector(code="x", name="测试", units=[]))
    with store.reader() as session:
        assert session.scalar(select(Sector.id).where(Sector.code == "x")) is None


def test_postgresql_store_migrates_and_writes(pg_url: str, tmp_path: Path) -> None:
    from inspect_app.services.demo import load_demo
    from inspect_app.services.enterprises import list_enterprises

    st = open_store(tmp_path, pg_url)
    try:
        assert st.engine.dialect.name == "postgresql"
        assert st.info().schema_revision == head_revision()
        with st.transaction() as session:
            load_demo(session)
        with st.reader() as session:
            assert len(list_enterprises(session)) == 20
    finally:
        st.close()
    st = open_store(tmp_path, pg_url)  # reopening does not migrate or reload anything
    try:
        with st.reader() as session:
            assert len(list_enterprises(session)) == 20
    finally:
        st.close()


def test_postgresql_upgrade_from_first_revision(pg_url: str, tmp_path: Path) -> None:
    from alembic import command

    from inspect_app.models.migrate import alembic_config
    from inspect_app.models.store import make_engine

    engine = make_engine(pg_url)
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
    assert not inspect(engine).has_table("photo")
    engine.dispose()
    st = open_store(tmp_path, pg_url)
    try:
        assert st.info().schema_revision == head_revision()
        assert inspect(st.engine).has_table("photo") and inspect(st.engine).has_table("acceptance_opinion")
    finally:
        st.close()


def test_same_photo_bytes_filed_once_per_use(store: Store, backend: str) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.exc import IntegrityError

    from inspect_app.models import Inspection, Photo
    from inspect_app.models.audit import record_event
    from inspect_app.services.demo import load_demo

    with store.transaction() as session:
        load_demo(session)
    with store.reader() as session:
        inspection_id = session.scalars(select(Inspection.id)).first()

    def add() -> None:
        with store.transaction() as session:
            photo = Photo(inspection_id=inspection_id, equipment_id=None, stage="before", sha256="ab" * 32, size=1,
                          width=1, height=1, format="JPEG", imported_at=datetime.now(UTC))
            session.add(photo)
            record_event(session, action="photo.import", entity=photo)

    add()
    with pytest.raises(IntegrityError):
        add()


# --- integrity owned by the store ------------------------------------------------------------------------------

FRESH_INTERPRETER = """
import sys
from datetime import UTC, datetime

import inspect_app.models
from sqlalchemy import select
from inspect_app.models import Sector
from inspect_app.models.audit import UnrecordedWrite, applying_remote_rows, record_event
from inspect_app.models.store import open_store

store = open_store(sys.argv[1])
out = {}
try:
    with store.transaction() as s:
        s.add(Sector(code="x_unrecorded", name="未记录行业", units=[], sort=1))
except UnrecordedWrite:
    out["refused"] = True
with store.reader() as s:
    out["left_nothing"] = s.scalar(select(Sector).where(Sector.code == "x_unrecorded")) is None
with store.transaction() as s:
    row = Sector(code="x_local", name="本机行业", units=[], sort=1)
    s.add(row)
    record_event(s, action="sector.add", entity=row)
with store.transaction() as s:
    row = s.scalar(select(Sector).where(Sector.code == "x_local"))
    row.name = "本机行业（改）"
    record_event(s, action="sector.edit", entity=row)
with store.reader() as s:
    row = s.scalar(select(Sector).where(Sector.code == "x_local"))
    out["local"] = [row.version, row.origin_device == store.device_id, row.updated_at > row.created_at]
# A row from another device keeps its stamps; it still needs an event.
stamp = datetime(2021, 6, 1, 8, 0, tzinfo=UTC)
try:
    with store.transaction() as s, applying_remote_rows(s):
        s.add(Sector(code="x_remote", name="他机行业", units=[], sort=1, version=7, origin_device="other-device",
                     updated_at=stamp, created_at=stamp))
except UnrecordedWrite:
    out["remote_needs_event"] = True
with store.transaction() as s, applying_remote_rows(s):
    row = Sector(code="x_remote", name="他机行业", units=[], sort=1, version=7, origin_device="other-device",
                 updated_at=stamp, created_at=stamp)
    s.add(row)
    record_event(s, action="sync.apply", entity=("bundle", "b1"))
with store.transaction() as s, applying_remote_rows(s):
    row = s.scalar(select(Sector).where(Sector.code == "x_remote"))
    row.name, row.version = "他机行业（改）", 8
    record_event(s, action="sync.apply", entity=("bundle", "b2"))
with store.reader() as s:
    row = s.scalar(select(Sector).where(Sector.code == "x_remote"))
    out["remote"] = [row.version, row.origin_device, row.updated_at == stamp]
store.close()
out["services_loaded"] = sorted(m for m in sys.modules if m.startswith("inspect_app.services"))
print(out)
"""


def test_store_owns_its_integrity_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """Only ``inspect_app.models`` is imported: the store's own sessions still stamp rows and refuse unrecorded
    writes, and rows from another device keep their stamps (the sync importer's way in)."""
    import ast

    proc = subprocess.run([sys.executable, "-c", FRESH_INTERPRETER, str(tmp_path / "data")],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0, proc.stderr
    out = ast.literal_eval(proc.stdout.strip().splitlines()[-1])
    assert out == {
        "refused": True, "left_nothing": True,
        "local": [2, True, True],
        "remote_needs_event": True, "remote": [8, "other-device", True],
        "services_loaded": [],
    }
