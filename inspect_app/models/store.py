"""Open the store: data directory, single-instance lock, engine with pragmas, backups and migrations."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from filelock import FileLock, Timeout
from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from inspect_app import APP_NAME
from inspect_app.errors import (
    EnvironmentProblem,
    StoreCorrupt,
    StoreLocked,
    StoreReadOnly,
    StoreTooNew,
    UserError,
)
from inspect_app.i18n import Msg
from inspect_app.models.audit import CHANGED_TABLES, install_integrity, record_event
from inspect_app.models.changes import ChangeLog
from inspect_app.models.stamps import CLOCK_KEY
from inspect_app.rules.hlc import HybridClock

DB_FILE = "inspect.db"
LOCK_FILE = "inspect.lock"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def default_data_dir() -> Path:
    """Return the platform's per-user data directory for the app."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # The sqlite3 module's own transaction handling starts transactions late and never around DDL;
    # turn it off and let SQLAlchemy's "begin" event below emit BEGIN, so DDL is transactional too.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        # These pragmas are ignored (foreign_keys) or fail (WAL) inside a transaction: set them now.
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
    finally:
        cur.close()


def _sqlite_on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "BEGIN")
    conn.exec_driver_sql(mode)


def make_engine(url: str) -> Engine:
    """Create an engine for a SQLite file or a PostgreSQL URL, with the store's connection settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, future=True)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        try:
            return create_engine(url, pool_pre_ping=True, future=True)
        except ImportError as exc:  # the inspectors' built program carries no PostgreSQL driver (build.spec)
            raise EnvironmentProblem(
                Msg("本程序未包含 PostgreSQL 驱动（{module}），请使用办公室版本或 pip 安装 inspect-app[postgres]", module=exc.name or ""),
                code="E_DB_DRIVER") from exc
    raise UserError(Msg("不支持的数据库地址：{backend}（仅支持 SQLite 与 PostgreSQL）", backend=parsed.get_backend_name()), code="E_DB_URL")


def check_sqlite_file(path: Path) -> None:
    """Refuse a database file that is not SQLite, is damaged, or cannot be written."""
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except PermissionError as exc:
        raise StoreReadOnly(Msg("无法读取数据库文件 {path}：没有权限", path=path), details={"path": str(path)}) from exc
    if path.stat().st_size and head != SQLITE_MAGIC:
        raise StoreCorrupt(Msg("数据库文件已损坏或不是本应用的数据库：{path}", path=path), details={"path": str(path)})
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise StoreReadOnly(Msg("数据库文件只读，无法保存：{path}", path=path), details={"path": str(path)})
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StoreCorrupt(Msg("数据库文件已损坏：{path}（{error}）", path=path, error=exc), details={"path": str(path)}) from exc
    if not row or row[0] != "ok":
        raise StoreCorrupt(Msg("数据库文件已损坏：{path}（{problem}）", path=path, problem=row[0] if row else Msg("无结果")), details={"path": str(path)})


def backup_sqlite(src: Path, dest: Path) -> Path:
    """Copy a live SQLite database with SQLite's backup API (consistent even in WAL mode)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    source = sqlite3.connect(str(src), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        target = sqlite3.connect(str(tmp))
        try:
            source.backup(target)
            target.commit()
        finally:
            target.close()
    finally:
        source.close()
    with tmp.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return dest


@dataclass
class StoreInfo:
    """Plain facts about an open store, for the UI and `--json` output."""

    url: str
    data_dir: str
    device_id: str
    schema_revision: str
    backend: str


class Store:
    """An open store: engine, session factories, the data directory and its lock.

    Use ``with store.transaction() as session:`` for one user action: it commits on success and rolls
    back on any error, so a refused action changes nothing. Every session the store makes carries the
    integrity hooks (``models.audit``): stamps on synced rows, and no commit of synced rows without an
    audit event. ``tracking_changes()`` reports what the transactions of a piece of work changed.
    """

    def __init__(self, engine: Engine, data_dir: Path, lock: FileLock | None) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self._lock = lock
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, future=True)
        self._writer = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        self._write_sessions = sessionmaker(bind=self._writer, expire_on_commit=False, future=True)
        install_integrity(self._sessions)
        install_integrity(self._write_sessions)
        self._tracking = threading.local()
        self.device_id = ""
        self.actor = os.environ.get("INSPECT_APP_ACTOR") or _os_user()
        # This store's hybrid logical clock: stamps every synced write (models/stamps.py).
        self.clock = HybridClock()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def blob_root(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def db_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        database = self.engine.url.database
        return Path(database) if database else None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session in one write transaction; commit on success, roll back on error."""
        session = self._write_sessions()
        session.info["actor"] = self.actor
        session.info["device_id"] = self.device_id
        session.info[CLOCK_KEY] = self.clock
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        else:
            tables = session.info.pop(CHANGED_TABLES, set())
            for log in getattr(self._tracking, "logs", ()):
                log.add(tables)
        finally:
            session.close()

    @contextmanager
    def tracking_changes(self) -> Iterator[ChangeLog]:
        """Collect what the transactions this thread commits inside the block changed (``log.changes``)."""
        log = ChangeLog()
        logs: list[ChangeLog] = getattr(self._tracking, "logs", [])
        self._tracking.logs = [*logs, log]
        try:
            yield log
        finally:
            self._tracking.logs = [x for x in self._tracking.logs if x is not log]

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """Yield a session for reading (a deferred transaction, rolled back at the end)."""
        session = self._sessions()
        session.info["actor"] = self.actor
        session.info["device_id"] = self.device_id
        session.info[CLOCK_KEY] = self.clock
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def info(self) -> StoreInfo:
        from inspect_app.models.migrate import current_revision

        with self.engine.connect() as conn:
            rev = current_revision(conn) or ""
        return StoreInfo(
            url=self.engine.url.render_as_string(hide_password=True),
            data_dir=str(self.data_dir),
            device_id=self.device_id,
            schema_revision=rev,
            backend=self.engine.dialect.name,
        )

    def close(self) -> None:
        """Dispose of the engine and release the data-directory lock."""
        self.engine.dispose()
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _os_user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no user name on some Windows service accounts
        return "inspector"


def open_store(
    data_dir: Path | str | None = None,
    db_url: str | None = None,
    *,
    lock: bool = True,
    migrate: bool = True,
) -> Store:
    """Open (and create or upgrade) the store in ``data_dir``, or at ``db_url`` when given.

    Raises ``StoreLocked`` when another instance holds the data directory, ``StoreCorrupt``,
    ``StoreReadOnly`` or ``StoreTooNew`` when the database cannot be used; nothing is changed then.
    """
    from inspect_app.models.migrate import ensure_schema

    directory = Path(data_dir) if data_dir is not None else default_data_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreReadOnly(Msg("无法创建数据目录 {directory}：{strerror}", directory=directory, strerror=exc.strerror), details={"path": str(directory)}) from exc
    file_lock: FileLock | None = None
    # The lock guards a SQLite file. An office on PostgreSQL has several workstations (processes) sharing one
    # database and one blob folder: the database serialises them, and blobs are written link-or-nothing.
    if lock and not (db_url and make_url(db_url).get_backend_name() == "postgresql"):
        file_lock = FileLock(str(directory / LOCK_FILE))
        try:
            file_lock.acquire(timeout=0)
        except Timeout as exc:
            raise StoreLocked(
                Msg("数据目录 {directory} 正被另一个核查程序使用。请先关闭另一个窗口，或用 --data-dir 指定其他目录。", directory=directory),
                details={"path": str(directory)},
            ) from exc
        except OSError as exc:
            raise StoreReadOnly(Msg("无法在数据目录 {directory} 中加锁：{strerror}", directory=directory, strerror=exc.strerror), details={"path": str(directory)}) from exc
    try:
        url = db_url or f"sqlite:///{directory / DB_FILE}"
        if make_url(url).get_backend_name() == "sqlite" and make_url(url).database:
            check_sqlite_file(Path(make_url(url).database or ""))
        engine = make_engine(url)
        store = Store(engine, directory, file_lock)
        try:
            if migrate:
                ensure_schema(store)
            store.device_id = _ensure_device(store)
            store.clock.device_id = store.device_id
            _start_clock(store)
            if migrate:
                _ensure_reference(store)
        except OperationalError as exc:
            engine.dispose()
            message = str(exc.orig) if exc.orig is not None else str(exc)
            if "readonly" in message or "read-only" in message:
                raise StoreReadOnly(Msg("数据库只读，无法保存：{message}", message=message)) from exc
            raise
        except DatabaseError as exc:
            engine.dispose()
            raise StoreCorrupt(Msg("数据库无法使用：{orig}", orig=exc.orig)) from exc
        except StoreTooNew:
            engine.dispose()
            raise
        return store
    except BaseException:
        if file_lock is not None and file_lock.is_locked:
            file_lock.release()
        raise


def _ensure_device(store: Store) -> str:
    """Return this machine's device id, registering the device on first open."""
    from inspect_app.models.base import new_id
    from inspect_app.models.entities import Device

    if not inspect(store.engine).has_table("device"):
        return ""
    with store.reader() as session:
        device_id = session.scalar(select(Device.id).where(Device.is_self.is_(True)))
    if device_id:
        return device_id
    import platform

    with store.transaction() as session:
        device_id = new_id()
        session.info["device_id"] = device_id
        store.clock.device_id = device_id
        device = Device(id=device_id, name=platform.node() or "device", is_self=True, kind="laptop",
                        inspector_name=store.actor, origin_device=device_id)
        session.add(device)
        session.flush()
        record_event(session, action="device.register", entity=device, detail={"name": device.name})
        return device.id


def _start_clock(store: Store) -> None:
    """Start the clock above every stamp the store holds, so it never goes backwards across restarts."""
    from inspect_app.models.base import Base, SyncMixin

    if not inspect(store.engine).has_table("device") or "hlc" not in {
            c["name"] for c in inspect(store.engine).get_columns("device")}:
        return
    from sqlalchemy import func

    with store.reader() as session:
        for mapper in Base.registry.mappers:
            cls = mapper.class_
            if issubclass(cls, SyncMixin):
                top = session.scalar(select(func.max(cls.hlc)))
                if top:
                    store.clock.observe(top)


def _ensure_reference(store: Store) -> None:
    """Load the shipped reference data on first run (regions, sectors, aspects, exit methods)."""
    from inspect_app.models.entities import Region
    from inspect_app.models.reference import load_reference

    with store.reader() as session:
        have = session.scalar(select(Region.id).limit(1))
    if have is None:
        with store.transaction() as session:
            load_reference(session)


def now_stamp() -> str:
    """Return a file-name-safe UTC timestamp."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


__all__ = ["Store", "StoreInfo", "backup_sqlite", "default_data_dir", "make_engine", "now_stamp", "open_store", "text"]
