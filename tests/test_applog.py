"""Logs and crash reports without Qt: the rotating log file, a missing console, exceptions from any thread."""

from __future__ import annotations

import errno
import io
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_app import __version__, applog

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    applog.stop_logging()  # a window opened earlier in this process may still log to its folder
    yield tmp_path
    applog.stop_logging()


def test_log_file_in_the_data_folder_with_what_came_before(log_dir: Path) -> None:
    applog.capture_early()
    applog.log.info("before the data folder was known")
    (log_dir / "data").mkdir()
    path = applog.start_logging(log_dir / "data")
    applog.log.warning("after")
    assert path == log_dir / "data" / "logs" / "inspect-app.log"
    text = path.read_text(encoding="utf-8")
    assert text.index("before the data folder was known") < text.index("after")
    assert "WARNING" in text and "inspect_app" in text


def test_a_data_folder_is_never_made_by_the_log(log_dir: Path) -> None:
    """A command on a folder that does not exist decides itself whether to make it; its records wait meanwhile."""
    applog.capture_early()
    applog.log.info("before the folder existed")
    assert applog.start_logging(log_dir / "not-yet") is None
    assert not (log_dir / "not-yet").exists()
    (log_dir / "not-yet").mkdir()  # as init does
    path = applog.start_logging(log_dir / "not-yet")
    assert path is not None and "before the folder existed" in path.read_text(encoding="utf-8")


def test_log_rotates(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(applog, "LOG_MAX_BYTES", 2000)
    path = applog.start_logging(log_dir)
    assert path is not None
    for n in range(200):
        applog.log.info("line %d %s", n, "x" * 50)
    rotated = sorted(path.parent.glob("inspect-app.log.*"))
    assert 1 <= len(rotated) <= applog.LOG_BACKUPS
    assert path.stat().st_size <= 2000 + 200


def test_a_log_that_cannot_be_written_says_nothing(log_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A full disk must leave the command's own error alone on stderr, not a traceback about the log."""
    path = applog.start_logging(log_dir)
    assert path is not None
    handler = logging.getLogger().handlers[-1]
    assert isinstance(handler, logging.FileHandler)
    applog.log.warning("written")  # the first record opens the file

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    handler.stream.close()
    handler.stream = FullDisk()  # every write now fails, as on a full disk
    applog.log.warning("cannot be written")
    assert capsys.readouterr().err == ""


def test_the_file_is_opened_by_the_first_record(tmp_path: Path) -> None:
    """Setting the log up opens no file (every command sets it up); the first record opens it and is written."""
    code = """
import logging, sys
from pathlib import Path
from inspect_app import applog
applog.capture_early()
path = applog.start_logging(Path(sys.argv[1]))
handler = logging.getLogger().handlers[-1]
print(path is not None, path.parent.is_dir(), path.exists(), handler.stream is None)
applog.log.warning("the first record")
print(handler.stream is not None, "the first record" in path.read_text(encoding="utf-8"))
"""
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=REPO,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    # set up: the logs folder exists, no file, no stream; after one record: the stream, the record in the file
    assert proc.stdout.split() == ["True", "True", "False", "True", "True", "True"], proc.stdout


def test_unwritable_folder_is_no_error(log_dir: Path) -> None:
    blocker = log_dir / "file"
    blocker.write_text("not a folder")
    assert applog.start_logging(blocker) is None  # logs/ cannot be made under a file


def test_exceptions_from_threads_reach_the_reporter_and_the_log(log_dir: Path) -> None:
    applog.start_logging(log_dir)
    seen: list[tuple[BaseException, str]] = []
    previous = (sys.excepthook, threading.excepthook)
    restore = applog.install_excepthooks(lambda exc, details: seen.append((exc, details)))
    try:
        def boom() -> None:
            raise RuntimeError("from a worker thread")

        worker = threading.Thread(target=boom)
        worker.start()
        worker.join()
        try:
            raise ValueError("in the main thread")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        restore()
    assert [type(exc) for exc, _d in seen] == [RuntimeError, ValueError]
    assert "in boom" in seen[0][1] and "Traceback" in seen[0][1]
    text = (log_dir / "logs" / "inspect-app.log").read_text(encoding="utf-8")
    assert "from a worker thread" in text and "in the main thread" in text
    assert (sys.excepthook, threading.excepthook) == previous


def test_crash_report_says_what_where_and_the_end_of_the_log(log_dir: Path) -> None:
    applog.start_logging(log_dir)
    applog.log.info("the user opened the opinion page")
    try:
        raise KeyError("missing")
    except KeyError as exc:
        report = applog.crash_report(exc, extra={"Qt": "6.x"})
    assert f"inspect-app {__version__}" in report and "KeyError" in report and "Traceback" in report
    assert "the user opened the opinion page" in report and "Qt: 6.x" in report


def test_log_stream_writes_whole_lines(log_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    stream = applog.LogStream(logging.getLogger("inspect_app.stdout"), logging.INFO)
    with caplog.at_level(logging.INFO, logger="inspect_app.stdout"):
        stream.write("第一行\n第二")
        stream.write("行\n")
        stream.write("未完")
        stream.flush()
    assert [r.getMessage() for r in caplog.records] == ["第一行", "第二行", "未完"]


@pytest.mark.skipif(os.name != "posix", reason="closing the standard streams of a child is a POSIX shell idiom")
def test_a_program_without_console_loses_nothing(tmp_path: Path) -> None:
    """As the windowed build runs: no stdout, no stderr (Python sets them to None); the output is in the log."""
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ran = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&- 2>&-', sys.executable, "-m", "inspect_app", "--data-dir",
                          str(data), "init"], env=env, cwd=REPO, timeout=120, check=False)
    assert ran.returncode == 0
    failed = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&- 2>&-', sys.executable, "-m", "inspect_app",
                             "--data-dir", str(data), "enterprise", "show", "no-such"], env=env, cwd=REPO,
                            timeout=120, check=False)
    assert failed.returncode == 1
    text = (data / "logs" / "inspect-app.log").read_text(encoding="utf-8")
    assert "数据库已就绪" in text  # what init printed
    assert "E_ENTERPRISE_NOT_FOUND" in text or "E_NOT_FOUND" in text  # the error line it wrote to stderr


# --- a workstation on the office database (--db-url): its own log in the platform's user log folder ----------------


def test_the_workstation_log_is_made_in_its_folder_opened_by_the_first_record_and_rotates(
        log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    applog.capture_early()
    applog.log.info("before the office database was reached")
    folder = log_dir / "state" / "inspect-app" / "log"  # none of it exists yet
    path = applog.start_workstation_logging(folder)
    assert path == folder / "inspect-app.log" and folder.is_dir()
    assert "before the office database was reached" in path.read_text(encoding="utf-8")  # what came before, first
    monkeypatch.setattr(applog, "LOG_MAX_BYTES", 2000)
    path = applog.start_workstation_logging(log_dir / "other")  # a handler made with the small size
    assert path is not None and not path.exists()  # set up: no file until a record comes
    for n in range(200):
        applog.log.info("line %d %s", n, "x" * 50)
    rotated = sorted(path.parent.glob("inspect-app.log.*"))
    assert 1 <= len(rotated) <= applog.LOG_BACKUPS and path.stat().st_size <= 2000 + 200
    assert applog.log_path() == path


def test_the_workstation_log_folder_is_the_platforms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs

    assert applog.user_log_dir() == Path(platformdirs.user_log_dir("inspect-app", appauthor=False))
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
        assert applog.user_log_dir() == tmp_path / "inspect-app" / "log"


def test_a_workstation_log_folder_that_cannot_be_made_is_no_error(log_dir: Path) -> None:
    blocker = log_dir / "file"
    blocker.write_text("not a folder")
    assert applog.start_workstation_logging(blocker / "log") is None


def _workstation(tmp_path: Path, db_url: str, *args: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the command line as an office workstation (``--db-url``); return it and where its log must be."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_STATE_HOME": str(tmp_path / "state"),
           "INSPECT_APP_DATA_DIR": str(tmp_path / "data")}
    env.pop("INSPECT_APP_DB_URL", None)
    ran = subprocess.run([sys.executable, "-m", "inspect_app", "--db-url", db_url, *args], env=env, cwd=REPO,
                         capture_output=True, text=True, timeout=180, check=False, stdin=subprocess.DEVNULL)
    return ran, tmp_path / "state" / "inspect-app" / "log" / "inspect-app.log"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the user log folder is moved with XDG_STATE_HOME")
def test_a_workstation_whose_office_database_is_unreachable_has_the_error_in_its_log(tmp_path: Path) -> None:
    ran, log_file = _workstation(tmp_path, "postgresql+psycopg://inspect@127.0.0.1:1/office", "enterprise", "list")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert ran.stderr.startswith("E_DB_UNREACHABLE: ") and "Traceback" not in ran.stderr
    text = log_file.read_text(encoding="utf-8")
    assert "enterprise list" in text and "E_DB_UNREACHABLE" in text
    assert not (tmp_path / "data" / "logs").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the user log folder is moved with XDG_STATE_HOME")
def test_a_workstation_on_postgresql_logs_to_the_user_log_folder(tmp_path: Path, pg_url: str) -> None:
    ran, log_file = _workstation(tmp_path, pg_url, "init", "--role", "office")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    ran, _ = _workstation(tmp_path, pg_url, "enterprise", "list")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    text = log_file.read_text(encoding="utf-8")
    assert text.index(": init") < text.index(": enterprise list")  # both commands, one file, in order
    assert not (tmp_path / "data" / "logs").exists()
