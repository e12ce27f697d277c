"""Open the store: data directory, single-instance lock, engine with pragmas, backups and migrations."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from inspect_app.datadir import default_data_dir
from inspect_app.errors import EnvironmentProblem, StoreCorrupt, StoreLocked, StoreReadOnly, UserError
from inspect_app.i18n import Msg
from inspect_app.models import datadir
from inspect_app.models.audit import CHANGED_TABLES, install_integrity, record_event
from inspect_app.models.changes import ChangeLog
from inspect_app.models.stamps import CLOCK_KEY
from inspect_app.rules.hlc import HybridClock

if TYPE_CHECKING:  # filelock costs ~30 ms to import: only commands that write take the lock
    from filelock import FileLock

DB_FILE = "inspect.db"
LOCK_FILE = "inspect.lock"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
# Below this much free space an I/O error from SQLite is reported as a full disk (it cannot grow its files).
LOW_SPACE_BYTES = 1 << 20

# SQLite primary result codes (the low byte of the extended code the sqlite3 module reports).
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26
_SQLITE_BUSY = (5, 6)  # BUSY, LOCKED
_PG_DISK_FULL = "53100"




def _low_on_space(folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def disk_full(folder: Path | None, detail: str = "") -> EnvironmentProblem:
    """Return the error for a store that cannot grow its files (``E_DISK_FULL``)."""
    message = (Msg("磁盘空间已满，数据未能保存（{folder}）。本次操作已撤销，已有数据完好；请清理磁盘后重试。", folder=folder)
               if folder is not None else Msg("磁盘空间已满，数据未能保存。本次操作已撤销，已有数据完好；请清理磁盘后重试。"))
    return EnvironmentProblem(message, code="E_DISK_FULL", details={"path": str(folder or ""), "error": detail})


def environment_error(exc: BaseException, folder: Path | None = None) -> EnvironmentProblem | None:
    """Translate a database driver error caused by the machine into our error, or None if it is not one.

    Disk full, read-only, I/O error, busy and corrupt files each get their own stable code; a bug (a
    programming or integrity error) gives None and stays a bug.
    """
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    message = str(orig)
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary == _SQLITE_FULL or "database or disk is full" in message:
            return disk_full(folder, message)
        if primary == _SQLITE_READONLY or "readonly" in message:
            return StoreReadOnly(Msg("数据库只读，无法保存：{message}", message=message), details={"path": str(folder or "")})
        if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "disk I/O error" in message:
            if _low_on_space(folder):
                return disk_full(folder, message)
            return EnvironmentProblem(Msg("读写数据库文件时出错：{message}", message=message), code="E_STORE_IO",
                                      details={"path": str(folder or "")})
        if primary in _SQLITE_BUSY:
            return EnvironmentProblem(Msg("数据库正被其他程序占用，请稍后重试"), code="E_STORE_BUSY",
                                      details={"error": message})
        if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return StoreCorrupt(Msg("数据库文件已损坏：{message}", message=message), details={"path": str(folder or "")})
        return None
    if getattr(orig, "sqlstate", None) == _PG_DISK_FULL or getattr(orig, "pgcode", None) == _PG_DISK_FULL:
        return disk_full(None, message)
    if isinstance(exc, OperationalError):
        state = str(getattr(orig, "sqlstate", None) or "")
        first_line = message.strip().splitlines()[0] if message.strip() else type(orig).__name__
        if not state or state.startswith("08"):  # no answer at all, or SQLSTATE class 08: connection exception
            return EnvironmentProblem(Msg("无法连接数据库服务器：{message}。请检查网络和 --db-url 地址。", message=first_line),
                                      code="E_DB_UNREACHABLE", details={"error": message})
        if state.startswith("28"):  # class 28: invalid authorization (user or password)
            return EnvironmentProblem(Msg("数据库服务器拒绝登录：{message}", message=first_line), code="E_DB_LOGIN",
                                      details={"error": message})
    return None


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any, *, read_only: bool = False) -> None:
    # The sqlite3 module's own transaction handling starts transactions late and never around DDL;
    # turn it off and let SQLAlchemy's "begin" event below emit BEGIN, so DDL is transactional too.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        # These pragmas are ignored (foreign_keys) or fail (WAL) inside a transaction: set them now.
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not read_only:  # a read-only connection cannot choose its journal mode, and writes nothing
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
    finally:
        cur.close()


def _sqlite_on_connect_read_only(dbapi_conn: sqlite3.Connection, record: Any) -> None:
    _sqlite_on_connect(dbapi_conn, record, read_only=True)


def _sqlite_on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "BEGIN")
    conn.exec_driver_sql(mode)


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """Create an engine for a SQLite file or a PostgreSQL URL, with the store's connection settings.

    ``read_only`` (SQLite, a ``file:…?mode=ro`` URI) leaves the journal mode and durability pragmas alone.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if read_only and parsed.database:
            uri = read_only_uri(Path(parsed.database))
            engine = create_engine("sqlite://", future=True, creator=lambda: sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False))
        else:
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, future=True)
        event.listen(engine, "connect", _sqlite_on_connect_read_only if read_only else _sqlite_on_connect)
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


def _uri(path: Path, *, immutable: bool = False) -> str:
    # as_uri() percent-encodes what URIs reserve ("?", "#", "%", spaces, non-ASCII) and handles drive letters.
    return f"{Path(path).absolute().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"


def _wal_is_empty(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def read_only_uri(path: Path) -> str:
    """Return the SQLite URI that reads ``path`` without writing anything beside it.

    A WAL database normally needs its ``-shm`` file, which cannot be made in a read-only folder or on a
    full disk; then, provided the write-ahead log holds nothing, the file is opened as immutable (nobody can
    be writing it either). A pending log in such a folder cannot be read safely: ``StoreReadOnly``.
    """
    try:
        con = sqlite3.connect(_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            con.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        finally:
            con.close()
        return _uri(path)
    except sqlite3.DatabaseError as exc:
        primary = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            raise StoreCorrupt(Msg("数据库文件已损坏：{path}（{error}）", path=path, error=exc), details={"path": str(path)}) from exc
        if not _wal_is_empty(path):
            raise StoreReadOnly(Msg("数据目录无法写入，而数据库还有未写完的日志，无法安全读取：{path}", path=path),
                                details={"path": str(path)}) from exc
        return _uri(path, immutable=True)


def check_sqlite_file(path: Path, *, writable: bool = True) -> None:
    """Refuse a database file that is not SQLite, is damaged, or (``writable``) cannot be written.

    Only a damaged file is ``StoreCorrupt``; a full disk, an I/O error or a read-only folder while checking
    is the machine's problem (``environment_error``), and the file is left as it is.
    """
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except PermissionError as exc:
        raise StoreReadOnly(Msg("无法读取数据库文件 {path}：没有权限", path=path), details={"path": str(path)}) from exc
    if path.stat().st_size and head != SQLITE_MAGIC:
        raise StoreCorrupt(Msg("数据库文件已损坏或不是本应用的数据库：{path}", path=path), details={"path": str(path)})
    if writable and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)):
        raise StoreReadOnly(Msg("数据库文件只读，无法保存：{path}", path=path), details={"path": str(path)})
    uri = read_only_uri(path) if not writable else _uri(path)
    try:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        problem = environment_error(exc, path.parent)
        if problem is not None:
            raise problem from exc
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
    database: str = ""  # the SQLite file as a plain path (the URL percent-encodes it), or the URL


class Store:
    """An open store: engine, session factories, the data directory and its lock.

    Use ``with store.transaction() as session:`` for one user action: it commits on success and rolls
    back on any error, so a refused action changes nothing. Every session the store makes carries the
    integrity hooks (``models.audit``): stamps on synced rows, and no commit of synced rows without an
    audit event. ``tracking_changes()`` reports what the transactions of a piece of work changed.
    """

    def __init__(self, engine: Engine, data_dir: Path, lock: FileLock | None, *, read_only: bool = False) -> None:
        self.engine = engine
        self.read_only = read_only
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
        self._clock_started = False

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
        """Yield a session in one write transaction; commit on success, roll back on error.

        A database error the machine caused (disk full, read-only, I/O) becomes our ``EnvironmentProblem``
        after the rollback, so callers see ``E_DISK_FULL`` and the like instead of a driver traceback.
        """
        if not self._clock_started:
            # Started on the first write, not on opening: reading commands never need it (start-up time).
            self._clock_started = True
            _start_clock(self)
        session = self._write_sessions()
        session.info["actor"] = self.actor
        session.info["device_id"] = self.device_id
        session.info[CLOCK_KEY] = self.clock
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            self._rollback_quietly(session)
            problem = environment_error(exc, self.data_dir)
            if problem is not None:
                raise problem from exc
            raise
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
        except DBAPIError as exc:
            problem = environment_error(exc, self.data_dir)
            if problem is not None:
                raise problem from exc
            raise
        finally:
            self._rollback_quietly(session)
            session.close()

    @staticmethod
    def _rollback_quietly(session: Session) -> None:
        # After a full disk or an I/O error the rollback itself may fail; SQLite has already undone the
        # transaction (its journal is on disk), and the first error is the one to report.
        try:
            session.rollback()
        except DBAPIError:
            pass

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
            database=str(self.db_path) if self.db_path is not None else self.engine.url.render_as_string(
                hide_password=True),
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
    read_only: bool = False,
) -> Store:
    """Open (and create or upgrade) the store in ``data_dir``, or at ``db_url`` when given.

    ``read_only``: the caller only reads. It takes no lock (a reader disturbs neither the app nor another
    reader), and a data folder that cannot be written (read-only medium, a full disk) is still opened for
    reading, as long as nothing has to be written to open it (a current schema).

    Raises ``StoreLocked`` when another instance holds the data directory, ``StoreCorrupt``,
    ``StoreReadOnly``, ``StoreTooNew`` or ``E_DISK_FULL`` when the database cannot be used; nothing is
    changed then.
    """
    from inspect_app.models.migrate import ensure_schema

    directory = Path(data_dir) if data_dir is not None else default_data_dir()
    if isinstance(data_dir, str) and not data_dir.strip():
        raise UserError(Msg("数据目录不能为空（--data-dir 需要一个文件夹路径）"), code="E_DATA_DIR_INVALID")
    url = db_url or f"sqlite:///{directory / DB_FILE}"
    parsed = make_url(url)
    db_file = Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None
    # A restore a crash interrupted is finished by the next writer (it takes the lock); a reader never sees it.
    if read_only and not (db_url is None and (directory / datadir.RESTORE_JOURNAL).exists()):
        store = _open_for_reading(directory, url, db_file)
        if store is not None:
            return store
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreReadOnly(Msg("无法创建数据目录 {directory}：{strerror}", directory=directory, strerror=exc.strerror), details={"path": str(directory)}) from exc
    file_lock: FileLock | None = None
    # The lock guards a SQLite file. An office on PostgreSQL has several workstations (processes) sharing one
    # database and one blob folder: the database serialises them, and blobs are written link-or-nothing.
    if lock and not (db_url and make_url(db_url).get_backend_name() == "postgresql"):
        from filelock import FileLock, Timeout

        file_lock = FileLock(str(directory / LOCK_FILE))
        try:
            file_lock.acquire(timeout=0)
        except Timeout as exc:
            raise StoreLocked(
                Msg("数据目录 {directory} 正被另一个核查程序使用。请先关闭另一个窗口，或用 --data-dir 指定其他目录。", directory=directory),
                details={"path": str(directory)},
            ) from exc
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise disk_full(directory, str(exc)) from exc
            raise StoreReadOnly(Msg("无法在数据目录 {directory} 中加锁：{strerror}", directory=directory, strerror=exc.strerror), details={"path": str(directory)}) from exc
    try:
        if db_url is None and file_lock is not None:
            datadir.finish_interrupted_restore(directory)  # a restore a crash stopped half-way is completed first
        if db_file is not None:
            check_sqlite_file(db_file)
        engine = make_engine(url)
        store = Store(engine, directory, file_lock)
        try:
            ready = _ready_device(engine)
            if ready is not None:
                store.device_id = ready
            else:
                if migrate:
                    ensure_schema(store)
                store.device_id = _ensure_device(store)
                if migrate:
                    _ensure_reference(store)
            store.clock.device_id = store.device_id
        except DBAPIError as exc:
            engine.dispose()
            problem = environment_error(exc, directory)
            if problem is not None:
                raise problem from exc
            if isinstance(exc, OperationalError):
                raise
            if isinstance(exc, DatabaseError):
                raise StoreCorrupt(Msg("数据库无法使用：{orig}", orig=exc.orig)) from exc
            raise
        except BaseException:
            engine.dispose()
            raise
        return store
    except BaseException:
        if file_lock is not None and file_lock.is_locked:
            file_lock.release()
        raise


def _open_for_reading(directory: Path, url: str, db_file: Path | None) -> Store | None:
    """Open an existing, current store for reading, without the lock; None when it needs the full open."""
    writable = True
    if db_file is not None:
        if not db_file.is_file():
            return None  # a new store: made (under the lock) by the full open
        check_sqlite_file(db_file, writable=False)
        writable = (os.access(db_file, os.W_OK) and os.access(db_file.parent, os.W_OK)
                    and not _low_on_space(db_file.parent))
    engine = make_engine(url, read_only=not writable)
    ready = _ready_device(engine)
    if ready is None:
        engine.dispose()
        if not writable:
            raise StoreReadOnly(Msg("数据目录 {directory} 无法写入（只读或磁盘已满），而数据库需要先升级或初始化，"
                                    "请在可写的位置打开一次", directory=directory), details={"path": str(directory)})
        return None
    store = Store(engine, directory, None, read_only=True)
    store.device_id = store.clock.device_id = ready
    return store


def _ready_device(engine: Engine) -> str | None:
    """Return this device's id when the store needs nothing on opening (schema current, device and reference
    data there), else None.

    The common case of every command, answered with one plain query: no ORM, no alembic. Anything odd
    (missing tables of a new store, an error) gives None and the full path below decides and reports.
    """
    from inspect_app.models.migrate import HEAD_REVISION, VERSION_TABLE

    query = text(
        f"SELECT (SELECT version_num FROM {VERSION_TABLE} LIMIT 1),"
        " (SELECT id FROM device WHERE is_self = :yes LIMIT 1),"
        " (SELECT 1 FROM region LIMIT 1)"
    )
    try:
        with engine.connect() as conn:
            row = conn.execute(query, {"yes": True}).first()
            conn.rollback()
    except DatabaseError:
        return None
    if row is None or row[0] != HEAD_REVISION or not row[1] or row[2] is None:
        return None
    return str(row[1])


def _ensure_device(store: Store) -> str:
    """Return this machine's device id, registering the device on first open."""
    from inspect_app.models.base import new_id
    from inspect_app.models.office import Device

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
    from inspect_app.models import load_all
    from inspect_app.models.base import Base, SyncMixin

    if not inspect(store.engine).has_table("device") or "hlc" not in {
            c["name"] for c in inspect(store.engine).get_columns("device")}:
        return
    from sqlalchemy import func

    load_all()  # the stamps of every synced table, not only those this command happened to load
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
