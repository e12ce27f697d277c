"""Shared fixtures: stores on real SQLite files, and on a real PostgreSQL server when one is configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The core's messages follow INSPECT_APP_LANG, then the locale: tests read them in Chinese unless they switch.
os.environ["INSPECT_APP_LANG"] = "zh_CN"

PG_URL = os.environ.get("INSPECT_APP_TEST_PG_URL", "")


def _pg_admin_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database="postgres").render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def _messages_in_chinese() -> Iterator[None]:
    """Start every test with the core's messages in Chinese (a test that switches to English is undone after)."""
    from inspect_app import i18n

    i18n.set_language(i18n.CHINESE)
    yield
    i18n.set_language(i18n.CHINESE)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """Return the URL of a fresh, empty PostgreSQL database, dropped afterwards.

    Skipped locally when no server is configured; CI always provides one (dev.py test), and there a
    missing server is an error rather than a skip.
    """
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL (INSPECT_APP_TEST_PG_URL)")
        pytest.skip("no PostgreSQL configured (INSPECT_APP_TEST_PG_URL)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run a test once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[object]:
    """Return an open store on a SQLite file in tmp (or PostgreSQL when the test uses ``backend``)."""
    from inspect_app.models.store import open_store

    url = None
    if "backend" in request.fixturenames and request.getfixturevalue("backend") == "postgresql":
        url = request.getfixturevalue("pg_url")
    st = open_store(tmp_path / "data", url)
    try:
        yield st
    finally:
        st.close()


# --- the window's tests (Qt is imported inside the fixtures, so tests of the core never load it) ------------------

HARMLESS_QT = ("This plugin does not support propagateSizeHints()", "This plugin does not support raise()")
"""The offscreen platform plugin cannot resize native windows to hints nor raise them (a tooltip raises itself):
limits of the test platform."""


@pytest.fixture
def qt_warnings(qapp: object) -> Iterator[list[str]]:
    """Record Qt warnings and critical messages; fail the test at teardown when there were any."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    seen: list[str] = []

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        failing = kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if failing and not any(h in message for h in HARMLESS_QT):
            seen.append(message)

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)
    assert not seen, f"Qt warnings: {seen}"


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[object]:
    """A store on disk with the demo data."""
    from inspect_app.models.store import open_store
    from inspect_app.services.demo import load_demo

    store = open_store(tmp_path / "data")
    with store.transaction() as session:
        load_demo(session)
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[object]:
    """A new, empty store on disk (reference data only)."""
    from inspect_app.models.store import open_store

    store = open_store(tmp_path / "data")
    yield store
    store.close()


@pytest.fixture
def window(qtbot: object, demo_store: object, tmp_path: Path, qt_warnings: list[str]) -> Iterator[object]:
    """The main window on the demo store, running store work inline (deterministic)."""
    from tests.ui_helpers import make_window

    win = make_window(qtbot, demo_store, tmp_path)  # type: ignore[arg-type]
    yield win
    win.close()
    win.ctx.runner.wait_idle()
