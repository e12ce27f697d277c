"""Logs and crash reports, for the command line and the window alike (no Qt here).

* ``start_logging(data_dir)``: a rotating log file, ``<data_dir>/logs/inspect-app.log`` (1 MB × 5), with what
  happened before it was known kept in memory and written first; the file is opened by its first record.
* ``start_workstation_logging()``: the same log for a workstation on the office database (``--db-url``), whose
  data folder may be a share or not its own: in the platform's user log folder (``user_log_dir()``).
* ``ensure_streams()``: a windowed program has no console (``sys.stdout``/``sys.stderr`` are None when frozen with
  ``console=False`` or started by ``pythonw``); their output goes to the log instead of nowhere.
* ``install_excepthooks(report)``: an exception that nothing caught, in the main thread or any other, is logged
  with its traceback and handed to ``report`` (the window shows the bug dialog).
* ``crash_report(...)``: the text a user copies or saves for the office: what failed, where, on what machine,
  and the end of the log.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from inspect_app import APP_NAME, __version__

LOG_DIR = "logs"
LOG_FILE = f"{APP_NAME}.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [%(process)d %(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("inspect_app")

_file_handler: logging.Handler | None = None
_log_path: Path | None = None


class _EarlyRecords(logging.Handler):
    """Keeps the first records made before the data folder (and so the log file) is known."""

    capacity = 1000

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < self.capacity:
            self.records.append(record)


_early = _EarlyRecords()

ExceptionReport = Callable[[BaseException, str], None]


class LogStream(io.TextIOBase):
    """A text stream that writes each line to a logger: stands in for a console that is not there."""

    def __init__(self, logger: logging.Logger, level: int) -> None:
        super().__init__()
        self._logger = logger
        self._level = level
        self._pending = ""
        self._lock = threading.Lock()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        with self._lock:
            self._pending += text
            *lines, self._pending = self._pending.split("\n")
        for line in lines:
            if line.strip():
                self._logger.log(self._level, line.rstrip())
        return len(text)

    def flush(self) -> None:
        with self._lock:
            rest, self._pending = self._pending, ""
        if rest.strip():
            self._logger.log(self._level, rest.rstrip())


def ensure_streams() -> None:
    """Give a program without a console standard streams that go to the log."""
    if sys.stdout is None:
        sys.stdout = LogStream(logging.getLogger("inspect_app.stdout"), logging.INFO)
    if sys.stderr is None:
        sys.stderr = LogStream(logging.getLogger("inspect_app.stderr"), logging.WARNING)


def _configure_levels() -> None:
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    log.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.migration").setLevel(logging.INFO)  # "Running upgrade 0004 -> 0005"
    logging.captureWarnings(True)


def capture_early() -> None:
    """Keep what is logged from now until ``start_logging`` knows where the log file goes."""
    _configure_levels()
    root = logging.getLogger()
    if _file_handler is None and _early not in root.handlers:
        root.addHandler(_early)


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log file; a record it cannot write (disk full, folder gone) is dropped without a word.

    logging's default prints "--- Logging error ---" and a traceback on stderr, which would bury the command's
    own clear error (E_DISK_FULL …) under a traceback about the log.
    """

    def handleError(self, record: logging.LogRecord) -> None:
        return None


def user_log_dir() -> Path:
    """Return the platform's per-user log folder for the app (``~/.local/state/inspect-app/log`` on Linux,
    ``%LOCALAPPDATA%\\inspect-app\\Logs`` on Windows, ``~/Library/Logs/inspect-app`` on macOS)."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def start_logging(data_dir: Path) -> Path | None:
    """Log to ``<data_dir>/logs/inspect-app.log`` (rotating); return its path, or None when its folder cannot be made.

    A data folder that does not exist yet is not created here; the records wait in memory until a later call.

    A second call for another folder moves the log there (tests open many stores in one process).
    """
    _configure_levels()
    if not Path(data_dir).is_dir():
        return None  # never made as a side effect: the command decides whether the data folder is created
    return _log_to(Path(data_dir) / LOG_DIR, parents=False)


def start_workstation_logging(log_dir: Path | None = None) -> Path | None:
    """Log to ``<log_dir>/inspect-app.log`` (default ``user_log_dir()``, made if missing), rotating, as ``start_logging``.

    For a workstation on the office database (``--db-url``): its data folder may be shared with others or hold
    no store at all, while the log belongs to this user on this machine. Returns None when the folder cannot be
    made; the records then stay in memory.
    """
    _configure_levels()
    return _log_to(Path(log_dir) if log_dir is not None else user_log_dir(), parents=True)


def start_for_store(data_dir: Path | None, db_url: str | None) -> Path | None:
    """Start the log where it belongs for this store: the data folder's log for the embedded SQLite store, this
    user's own log folder for a workstation on the office database (``db_url``). The window and the command line
    both call this, so a workstation's window and its commands write to the same file."""
    if db_url:
        return start_workstation_logging()
    return start_logging(data_dir) if data_dir is not None else None


def _log_to(folder: Path, *, parents: bool) -> Path | None:
    """Send the log to ``folder/inspect-app.log`` (the file opened by its first record), after what came before."""
    global _file_handler, _log_path
    path = folder / LOG_FILE
    if _log_path == path and _file_handler is not None:
        return path
    try:
        folder.mkdir(parents=parents, exist_ok=True)
    except OSError:
        return None  # a read-only or missing folder must not stop the program; the store reports it
    # delay: the file is opened by the first record it writes, not when the log is set up; a file that cannot be
    # opened then (read-only) drops its records quietly, as a full disk does (see _QuietFileHandler).
    handler: logging.Handler = _QuietFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    if _file_handler is not None:
        root.removeHandler(_file_handler)
        _file_handler.close()
    root.addHandler(handler)
    _file_handler, _log_path = handler, path
    root.removeHandler(_early)
    for record in _early.records:
        handler.handle(record)
    _early.records.clear()
    return path


def stop_logging() -> None:
    """Close the log file (tests; the program's exit closes it too)."""
    global _file_handler, _log_path
    if _file_handler is not None:
        logging.getLogger().removeHandler(_file_handler)
        _file_handler.close()
    _file_handler, _log_path = None, None


def log_path() -> Path | None:
    """Return the log file in use, if any."""
    return _log_path


def log_tail(lines: int = 60) -> str:
    """Return the last ``lines`` lines of the log file (for a crash report)."""
    if _log_path is None:
        return ""
    if _file_handler is not None:
        _file_handler.flush()
    try:
        text = _log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def format_exception(exc: BaseException) -> str:
    """Return the traceback of ``exc`` as text."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def crash_report(exc: BaseException, details: str = "", *, extra: dict[str, str] | None = None) -> str:
    """Return the report of an unexpected error that a user copies or saves for the office."""
    facts = {
        "Program": f"{APP_NAME} {__version__}{' (frozen)' if getattr(sys, 'frozen', False) else ''}",
        "Time (UTC)": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "System": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": platform.python_version(),
        **(extra or {}),
        "Log file": str(_log_path or "—"),
    }
    lines = [f"{APP_NAME} 错误报告 / error report", ""]
    lines += [f"{key}: {value}" for key, value in facts.items()]
    lines += ["", f"{type(exc).__name__}: {exc}", "", (details or format_exception(exc)).rstrip()]
    tail = log_tail()
    if tail:
        lines += ["", "—— 日志末尾 / end of the log ——", tail]
    return "\n".join(lines) + "\n"


def install_excepthooks(report: ExceptionReport | None = None) -> Callable[[], None]:
    """Log every exception nothing caught (main thread and other threads) and pass it to ``report``.

    Returns a function that puts the previous hooks back (for tests).
    """
    previous_sys, previous_thread = sys.excepthook, threading.excepthook

    def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous_sys(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unhandled exception\n%s", details.rstrip())
        if report is not None:
            try:
                report(exc, details)
                return
            except Exception:  # the reporter itself failed: fall back to the default output
                log.exception("the error reporter failed")
        previous_sys(exc_type, exc, tb)

    def handle_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or args.exc_type is SystemExit:
            return
        handle(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = handle
    threading.excepthook = handle_thread

    def restore() -> None:
        sys.excepthook, threading.excepthook = previous_sys, previous_thread

    return restore
