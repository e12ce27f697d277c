"""Run database work off the GUI thread: one serial worker, results and errors back on the main thread.

Modelled on Anki's ``CollectionOp``/``QueryOp`` and ``taskman``: every op is a plain callable
``op(progress, cancel)`` that runs on a single worker thread (so SQLite sees one writer at a time, in order);
success and failure arrive on the main thread through queued signals; a progress dialog appears only when an
op takes longer than ~600 ms; cancelling makes the op's next ``cancel()`` check raise ``Cancelled``.
Views listen to ``OpRunner.changed`` instead of reloading everything: it carries the typed ``OpChanges`` of what
the op's committed transactions wrote, which the store itself reports (``Store.tracking_changes``), so no caller
has to name what it changes. The window has one runner, handed down to every page and dialog that needs one.

``OpRunner(inline=True)`` runs ops synchronously on the calling thread (like Picard's fake thread pool) so tests
stay deterministic; the threaded path is tested once with ``qtbot.waitSignal``.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from inspect_app.errors import Cancelled
from inspect_app.models.changes import NO_CHANGES, OpChanges
from inspect_app.models.store import Store

T = TypeVar("T")

PROGRESS_DELAY_MS = 600

Progress = Callable[[int, int, str], None]


class CancelToken:
    """The ``cancel`` argument of an op: call it at safe points; it raises ``Cancelled`` once cancel was asked.

    Services that want a ``cancel() -> bool`` callable (the evidence pipeline) get ``token.is_set``.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def request(self) -> None:
        """Ask the op to stop at its next check."""
        self._event.set()

    def is_set(self) -> bool:
        """Return whether cancelling was asked (no exception)."""
        return self._event.is_set()

    def __call__(self) -> None:
        if self._event.is_set():
            raise Cancelled()


Op = Callable[[Progress, CancelToken], T]


class _Relay(QObject):
    """Carries a worker's outcome to the main thread (it lives there, so the signals are queued)."""

    succeeded = Signal(object)
    failed = Signal(object, str, object)
    progressed = Signal(int, int, str)


def _execute(op: Op[Any], progress: Progress, token: CancelToken, store: Store | None) -> tuple[bool, Any, OpChanges]:
    """Run ``op``; return (ok, result or (exception, traceback), what its committed transactions changed)."""
    tracking = store.tracking_changes() if store is not None else contextlib.nullcontext(None)
    with tracking as log:
        try:
            result = op(progress, token)
        except BaseException as exc:  # every failure goes back to the main thread, bugs included
            return False, (exc, traceback.format_exc()), log.changes if log is not None else NO_CHANGES
    return True, result, log.changes if log is not None else NO_CHANGES


class _Job(QRunnable):
    def __init__(self, op: Op[Any], token: CancelToken, relay: _Relay, store: Store | None) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op
        self._token = token
        self._relay = relay
        self._store = store

    def run(self) -> None:
        ok, outcome, changes = _execute(self._op, self._relay.progressed.emit, self._token, self._store)
        if ok:
            # Always a box, never a bare None: PySide6 mis-counts references to None passed through a queued
            # Signal(object) and eventually aborts ("none_dealloc").
            self._relay.succeeded.emit([outcome, changes])
        else:
            self._relay.failed.emit(outcome[0], outcome[1], changes)


class OpHandle(QObject, Generic[T]):
    """One submitted op: its cancel token and, for long ops, the delayed progress dialog."""

    done = Signal()

    def __init__(self, runner: OpRunner, label: str, parent_widget: QWidget | None, show_progress: bool) -> None:
        super().__init__(runner)
        self.token = CancelToken()
        self.label = label
        self.finished = False
        self._parent_widget = parent_widget
        self._show_progress = show_progress
        self._dialog: QProgressDialog | None = None
        self._last: tuple[int, int, str] = (0, 0, "")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)

    def cancel(self) -> None:
        """Ask the op to stop; it raises ``Cancelled`` at its next check."""
        self.token.request()

    def _start_timer(self) -> None:
        if self._show_progress:
            self._timer.start(PROGRESS_DELAY_MS)

    def _show_dialog(self) -> None:
        if self.finished:
            return
        dialog = QProgressDialog(self._parent_widget)
        dialog.setWindowTitle(self.tr("请稍候"))
        dialog.setLabelText(self.label or self.tr("正在处理…"))
        dialog.setCancelButtonText(self.tr("取消"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        done, total, _text = self._last
        dialog.setRange(0, total)
        dialog.setValue(done)
        dialog.show()
        self._dialog = dialog

    def _progress(self, done: int, total: int, text: str) -> None:
        self._last = (done, total, text)
        if self._dialog is not None:
            self._dialog.setRange(0, total)
            self._dialog.setValue(done)
            if text:
                self._dialog.setLabelText(f"{self.label}\n{text}" if self.label else text)

    def _finish(self) -> None:
        self.finished = True
        # The page that started the op may be gone by the time its result is delivered; its Qt children
        # (this timer, the dialog) are then already deleted.
        if not shiboken6.isValid(self):
            return
        if shiboken6.isValid(self._timer):
            self._timer.stop()
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self.done.emit()

    @property
    def dialog(self) -> QProgressDialog | None:
        """The progress dialog, once shown (for tests)."""
        return self._dialog


FailureHandler = Callable[[BaseException, str], None]


class OpRunner(QObject):
    """The window's single way to run store work: serial, off the GUI thread, results on the main thread.

    With ``store``, every op's committed changes (``OpChanges``) are broadcast by ``changed`` once it is done,
    after its ``on_success`` / ``on_failure`` (an op that failed part-way may have committed some work).
    """

    changed = Signal(object)
    """Emitted after an op whose transactions changed something, with its ``OpChanges``."""
    busy_changed = Signal(bool)
    failed = Signal(object, str)
    """Emitted for every failure not handled by the op's own ``on_failure`` (after it is shown)."""

    def __init__(self, parent: QObject | None = None, *, inline: bool = False, store: Store | None = None) -> None:
        super().__init__(parent)
        self.inline = inline
        self.store = store
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one serial DB worker: SQLite has a single writer anyway
        self._pending = 0
        self._relays: set[_Relay] = set()
        self.show_failure: FailureHandler | None = None
        """Called for unhandled failures (the main window installs the error dialogs)."""

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        op: Op[T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], bool] | None = None,
        label: str = "",
        parent_widget: QWidget | None = None,
        show_progress: bool = True,
    ) -> OpHandle[T]:
        """Submit ``op``; ``on_failure`` returns True when it dealt with the error itself."""
        handle: OpHandle[T] = OpHandle(self, label, parent_widget, show_progress)

        def succeeded(boxed: object) -> None:
            assert isinstance(boxed, list)
            result, changes = boxed
            if not shiboken6.isValid(self):
                return  # the runner's owner is gone (window closed): nobody is left to tell
            self._settle(handle)
            if on_success is not None:
                on_success(result)
            self._broadcast(changes)

        def failed(exc: object, tb: str, changes: object = NO_CHANGES) -> None:
            if not shiboken6.isValid(self):
                return  # the runner's owner is gone (window closed): nobody is left to tell
            self._settle(handle)
            assert isinstance(exc, BaseException)
            try:
                if on_failure is not None and on_failure(exc):
                    return
                if isinstance(exc, Cancelled):
                    return  # the user asked for it; nothing to report
                if self.show_failure is not None:
                    self.show_failure(exc, tb)
                self.failed.emit(exc, tb)
            finally:
                self._broadcast(changes)

        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        if self.inline:
            ok, outcome, changes = _execute(op, handle._progress, handle.token, self.store)
            if ok:
                succeeded([outcome, changes])
            else:
                failed(outcome[0], outcome[1], changes)
            return handle
        relay = _Relay()
        self._relays.add(relay)  # keep it alive until the outcome arrives
        relay.progressed.connect(handle._progress)
        relay.succeeded.connect(succeeded)
        relay.failed.connect(failed)
        relay.succeeded.connect(lambda _r: self._relays.discard(relay))
        relay.failed.connect(lambda _e, _t, _c: self._relays.discard(relay))
        handle._start_timer()
        self._pool.start(_Job(op, handle.token, relay, self.store))
        return handle

    def _broadcast(self, changes: object) -> None:
        if isinstance(changes, OpChanges) and changes and shiboken6.isValid(self):
            self.changed.emit(changes)

    def _settle(self, handle: OpHandle[Any]) -> None:
        handle._finish()
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Block until the worker finished every submitted op (used at shutdown, before the store closes)."""
        return self._pool.waitForDone(timeout_ms)
