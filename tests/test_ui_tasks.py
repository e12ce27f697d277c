"""The op runner: inline and threaded paths, change notices, delayed progress with cancel, error dialogs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from inspect_app.errors import Cancelled, UserError
from inspect_app.i18n import Msg
from inspect_app.ui.errors_dialog import BugDialog, show_error
from inspect_app.ui.tasks import CancelToken, OpRunner, Progress
from tests.ui_conftest import qt_warnings, top_level

__all__ = ["qt_warnings"]

pytestmark = pytest.mark.usefixtures("qt_warnings")


def test_inline_runner_delivers_result_and_changes(qtbot: Any) -> None:
    runner = OpRunner(inline=True)
    got: list[Any] = []
    changes: list[set[str]] = []
    runner.changed.connect(changes.append)
    runner.run(lambda _p, _c: 41 + 1, on_success=got.append, changes={"enterprise"})
    assert got == [42]
    assert changes == [{"enterprise"}]
    assert not runner.busy


def test_inline_failure_goes_to_handler_and_none_result_works(qtbot: Any) -> None:
    runner = OpRunner(inline=True)
    shown: list[BaseException] = []
    runner.show_failure = lambda exc, _tb: shown.append(exc)
    got: list[Any] = []
    runner.run(lambda _p, _c: None, on_success=got.append)
    assert got == [None]

    def boom(_p: Progress, _c: CancelToken) -> None:
        raise UserError(Msg("统一社会信用代码无效：{message}", message="未填写"))

    runner.run(boom)
    assert isinstance(shown[0], UserError)
    handled: list[BaseException] = []
    runner.run(boom, on_failure=lambda exc: handled.append(exc) or True)
    assert len(shown) == 1 and len(handled) == 1


def test_threaded_path_runs_off_the_gui_thread(qtbot: Any) -> None:
    runner = OpRunner()
    main = threading.get_ident()
    got: list[int] = []

    def op(_p: Progress, _c: CancelToken) -> int:
        return threading.get_ident()

    with qtbot.waitSignal(runner.changed, timeout=5000) as blocker:
        runner.run(op, on_success=got.append, changes={"finding"})
    assert blocker.args == [{"finding"}]
    assert got and got[0] != main
    assert runner.wait_idle()


def test_slow_op_shows_progress_after_delay_and_cancel_stops_it(qtbot: Any) -> None:
    runner = OpRunner()
    failures: list[BaseException] = []
    started = threading.Event()

    def slow(progress: Progress, cancel: CancelToken) -> str:
        started.set()
        for i in range(300):
            progress(i, 300, f"第 {i} 项")
            cancel()
            time.sleep(0.01)
        return "done"

    handle = runner.run(slow, label="正在处理", on_failure=lambda exc: failures.append(exc) or True)
    assert started.wait(2)
    qtbot.wait(200)
    assert handle.dialog is None  # not before ~600 ms
    qtbot.waitUntil(lambda: handle.dialog is not None, timeout=3000)
    assert handle.dialog is not None
    cancel_button = handle.dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "取消"
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: handle.finished, timeout=3000)
    assert isinstance(failures[0], Cancelled)
    assert runner.wait_idle()


def test_user_error_shows_its_message_and_bug_shows_copyable_details(qtbot: Any) -> None:
    box = show_error(None, UserError(Msg("整改期限已延期过一次，按规定只能申请一次延期")))
    assert isinstance(box, QMessageBox)
    assert box.text() == "整改期限已延期过一次，按规定只能申请一次延期"
    box.close()
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError as exc:
        import traceback

        dialog = show_error(None, exc, traceback.format_exc())
    assert isinstance(dialog, BugDialog)
    assert dialog in top_level(BugDialog)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "ZeroDivisionError" in QApplication.clipboard().text()
    dialog.close()
