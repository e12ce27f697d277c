"""The op runner: inline and threaded paths, change notices, delayed progress with cancel, error dialogs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
import time
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from inspect_app.errors import Cancelled, UserError
from inspect_app.i18n import Msg
from inspect_app.models.changes import OpChanges
from inspect_app.models.store import Store
from inspect_app.rules import make_uscc
from inspect_app.services import casework, enterprises
from inspect_app.ui.errors_dialog import BugDialog, show_error
from inspect_app.ui.tasks import CancelToken, OpRunner, Progress
from tests.ui_helpers import top_level

pytestmark = pytest.mark.usefixtures("qt_warnings")


def test_inline_runner_delivers_result_and_what_the_store_says_changed(qtbot: Any, store: Store) -> None:
    runner = OpRunner(inline=True, store=store)
    got: list[Any] = []
    changes: list[OpChanges] = []
    runner.changed.connect(changes.append)
    runner.run(lambda _p, _c: 41 + 1, on_success=got.append)
    assert got == [42] and changes == []  # nothing written: nothing to tell

    def register(_p: Progress, _c: CancelToken) -> str:
        with store.transaction() as s:
            return enterprises.register_enterprise(s, name="登封市测试水泥有限公司", uscc=make_uscc("410185", 77),
                                                   region="410185").id

    runner.run(register, on_success=got.append)
    assert len(got) == 2
    assert changes == [OpChanges(enterprise=True)]
    assert changes[0].casework and not changes[0].opinion
    assert not runner.busy


def test_a_failed_op_still_reports_what_it_committed(qtbot: Any, store: Store) -> None:
    runner = OpRunner(inline=True, store=store)
    changes: list[OpChanges] = []
    runner.changed.connect(changes.append)
    with store.transaction() as s:
        ent = enterprises.register_enterprise(s, name="新密市测试钢铁有限公司", uscc=make_uscc("410183", 78),
                                              region="410183")

    def half(_p: Progress, _c: CancelToken) -> None:
        with store.transaction() as s:  # committed
            enterprises.add_equipment(s, enterprise_id=ent.id, name="1号中频炉", capacity="12", unit="万吨/年",
                                      sector="steel")
        with store.transaction() as s:  # refused and rolled back: changes nothing
            casework.issue_card(s, enterprise_id=ent.id, color="yellow", issued_on=date(2021, 5, 1), reason="")

    runner.run(half, on_failure=lambda _exc: True)
    assert len(changes) == 1 and changes[0].equipment and not changes[0].card  # what committed, not what failed


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

    with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda busy: not busy):
        runner.run(op, on_success=got.append)
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
