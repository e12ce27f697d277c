"""Import photos: hash, read EXIF, decode once, store the original and derived images, on all cores.

Design (measured, see bench/bench_photo_import.py):

* A small pool of our own over ``multiprocessing`` — one pipe per worker, one photo in flight per worker.
  The parent therefore knows which photo each worker holds: a worker that dies (killed, segfault, out of
  memory) costs exactly that photo (``E_PHOTO_WORKER_CRASHED``) and is replaced, and a worker past the hard
  deadline is killed and replaced (``E_PHOTO_TIMEOUT``). ``ProcessPoolExecutor`` breaks the whole pool on one
  crash and cannot say which photo caused it.
* Bounding exifread without a process per photo: each worker caps its address space (``RLIMIT_AS``, POSIX)
  and parses EXIF under a SIGALRM time budget (``time_budget``); a loop in pure Python is interrupted
  there and refused as ``E_EXIF_TIMEOUT`` while the worker lives on. Where neither exists (Windows) or the
  parse is stuck in C, the parent's hard deadline kills the worker.
* Workers read the file and write the blobs themselves; only facts (a few KB) come back through the pipe.
  At most one photo's bytes per worker are alive at a time, so memory does not grow with the batch.
* Works with the ``spawn`` start method (Windows): workers are top-level functions, this module imports
  only what it needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import stat
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Literal

from inspect_app.errors import Cancelled, EnvironmentProblem, UserError
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.exif import BudgetExceeded, ExifFacts, limit_memory, read_exif, time_budget
from inspect_app.evidence.images import make_derivatives
from inspect_app.i18n import Msg, Text
from inspect_app.rules.text import display_name

MAX_FILE_BYTES = 80 * 1024 * 1024
EXIF_BUDGET_S = 5.0
DECODE_BUDGET_S = 30.0
HARD_DEADLINE_S = 60.0
WORKER_MEMORY_LIMIT = 2 * 1024 * 1024 * 1024
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif"})
# Folders cameras, phones and operating systems create that hold no photos of ours.
_SKIP_DIRS = frozenset({"$recycle.bin", "system volume information", "__macosx", ".thumbnails", "thumbs"})

Status = Literal["ok", "refused"]


@dataclass(frozen=True)
class IngestResult:
    """What became of one file: stored (``ok``) or refused with a code and a message (``i18n.Text``).

    ``file_mtime`` is the file system's time (copying changes it); ``facts.taken_at`` is the camera's.
    """

    path: Path
    status: Status
    sha256: str | None = None
    size: int | None = None
    facts: ExifFacts | None = None
    width: int | None = None
    height: int | None = None
    format: str | None = None
    phash: int | None = None
    file_mtime: float | None = None
    code: str | None = None
    message: Text | None = None
    exif_problem: str | None = None
    staged: bool = False  # its files are in the staging store, waiting for ``Ingest`` to adopt them


def _refused(path: Path, code: str, message: Text, **known: Any) -> IngestResult:
    return IngestResult(path=path, status="refused", code=code, message=message, **known)


# -- listing -----------------------------------------------------------------------------------------------


def _is_hidden(entry: os.DirEntry[str]) -> bool:
    if entry.name.startswith((".", "~$", "._")):
        return True
    attrs = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    return bool(attrs & (getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0) | getattr(stat, "FILE_ATTRIBUTE_SYSTEM", 0)))


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Return the image-like files named or found (recursively) under ``paths``, sorted, without repeats.

    Hidden and system files and folders are skipped; symbolic links are not followed, so a link cannot pull
    in files from outside the chosen folder. A file named explicitly is kept whatever its suffix.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.absolute()
        if key not in seen:
            seen.add(key)
            found.append(p)

    def walk(folder: Path) -> list[Path]:
        files: list[Path] = []
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return files
        for entry in entries:
            try:
                if entry.is_symlink() or _is_hidden(entry):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name.lower() not in _SKIP_DIRS:
                        files.extend(walk(Path(entry.path)))
                elif entry.is_file(follow_symlinks=False) and Path(entry.name).suffix.lower() in IMAGE_SUFFIXES:
                    files.append(Path(entry.path))
            except OSError:
                continue
        return files

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in walk(p):
                add(f)
        else:
            add(p)
    return found


# -- the work on one photo (runs in a worker) --------------------------------------------------------------


def process_one(path: Path, store: BlobStore, *, make_report_image: bool = True, staging: BlobStore | None = None,
                gate: Any = None) -> IngestResult:
    """Read, hash, check, decode and store one photo; refusals are returned, not raised.

    With ``staging`` and a ``gate`` (an event) not yet set, the files go to the staging store instead.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return _refused(path, "E_PHOTO_MISSING", Msg("文件不存在或已被移走"))
    except OSError as exc:
        return _refused(path, "E_PHOTO_UNREADABLE", Msg("无法读取文件：{error}", error=exc.strerror or exc))
    if not stat.S_ISREG(st.st_mode):
        return _refused(path, "E_PHOTO_NOT_IMAGE", Msg("不是普通文件，无法作为照片导入"))
    if st.st_size > MAX_FILE_BYTES:
        return _refused(
            path,
            "E_PHOTO_TOO_LARGE",
            Msg("文件过大（{size} MB，上限 {limit} MB）", size=f"{st.st_size / 1048576:.0f}",
                limit=MAX_FILE_BYTES // 1048576),
            size=st.st_size,
            file_mtime=st.st_mtime,
        )
    try:
        with path.open("rb") as fh:
            # Read at most one byte past the limit: the file may have grown since the stat.
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return _refused(path, "E_PHOTO_UNREADABLE", Msg("无法读取文件：{error}", error=exc.strerror or exc))
    known: dict[str, Any] = {"size": len(data), "file_mtime": st.st_mtime}
    if len(data) > MAX_FILE_BYTES:
        return _refused(path, "E_PHOTO_TOO_LARGE", Msg("文件过大（上限 {limit} MB）", limit=MAX_FILE_BYTES // 1048576),
                        **known)
    sha256 = hashlib.sha256(data).hexdigest()
    known["sha256"] = sha256
    try:
        with time_budget(DECODE_BUDGET_S):
            derivatives = make_derivatives(data, make_report_image=make_report_image)
    except UserError as exc:
        return _refused(path, exc.code, exc.text, **known)
    except BudgetExceeded:
        return _refused(path, "E_PHOTO_TIMEOUT", Msg("照片解码超时，文件可能已损坏"), **known)
    except MemoryError:
        return _refused(path, "E_PHOTO_TOO_LARGE", Msg("照片解码所需内存过多，无法处理"), **known)
    exif_problem: str | None = None
    try:
        with time_budget(EXIF_BUDGET_S):
            facts = read_exif(data)
    except BudgetExceeded:
        # The picture is fine, only its metadata is malformed: keep the photo, without EXIF facts.
        facts = ExifFacts(parse_error="E_EXIF_TIMEOUT")
        exif_problem = "E_EXIF_TIMEOUT"
    except (MemoryError, RecursionError):
        facts = ExifFacts(parse_error="E_EXIF_MEMORY")
        exif_problem = "E_EXIF_MEMORY"
    if facts.parse_error and exif_problem is None:
        exif_problem = "E_EXIF_MALFORMED"
    staged = staging is not None and gate is not None and not gate.is_set()
    target = staging if staged and staging is not None else store
    try:
        target.put_bytes(data, sha256)
        target.put_derived("thumb", sha256, derivatives.thumb_jpeg)
        if derivatives.report_jpeg is not None:
            target.put_derived("report", sha256, derivatives.report_jpeg)
    except EnvironmentProblem as exc:
        return _refused(path, exc.code, exc.text, **known)
    return IngestResult(
        path=path,
        status="ok",
        facts=facts,
        width=derivatives.width,
        height=derivatives.height,
        format=derivatives.format,
        phash=derivatives.phash,
        exif_problem=exif_problem,
        staged=staged,
        **known,
    )


def _worker_main(conn: Connection, store_root: str, make_report_image: bool, memory_limit: int,
                 staging_root: str | None = None, gate: Any = None) -> None:
    """Serve photos from ``conn`` until told to stop or the parent is gone."""
    if memory_limit > 0:
        limit_memory(memory_limit)
    store = BlobStore(Path(store_root))
    staging = BlobStore(Path(staging_root)) if staging_root else None
    parent = multiprocessing.parent_process()
    watch: list[Any] = [conn] + ([parent.sentinel] if parent is not None else [])
    ppid = os.getppid()
    while True:
        ready = wait(watch, 2.0)
        if not ready:
            # Forked siblings inherit the parent's pipe ends, so the sentinel alone may never fire.
            if os.getppid() != ppid:
                return
            continue
        if conn not in ready:
            return  # the parent died: nobody will read our results
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path_str = task
        path = Path(path_str)
        try:
            result = process_one(path, store, make_report_image=make_report_image, staging=staging, gate=gate)
        except Exception as exc:
            # A bug on one odd file must not sink the batch; the code says it is ours.
            result = _refused(path, "E_PHOTO_INTERNAL",
                              Msg("处理照片时出现程序错误：{error}", error=f"{type(exc).__name__}: {exc}"))
        try:
            conn.send((index, result))
        except (BrokenPipeError, OSError):
            return


# -- the pool (parent side) --------------------------------------------------------------------------------


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: tuple[int, Path] | None = None
    started: float = 0.0


class _Pool:
    """A fixed number of single-task workers that can be replaced one by one."""

    def __init__(self, size: int, store_root: Path, make_report_image: bool, memory_limit: int, ctx: Any,
                 staging_root: Path | None = None, gate: Any = None) -> None:
        self._args = (str(store_root), make_report_image, memory_limit,
                      str(staging_root) if staging_root is not None else None, gate)
        self._ctx = ctx
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> _Worker:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, args=(child_conn, *self._args), daemon=True)
        proc.start()
        child_conn.close()
        return _Worker(process=proc, conn=parent_conn)

    def replace(self, worker: _Worker) -> None:
        """Kill ``worker`` (if still alive) and start a fresh one in its place."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._start()

    def close(self) -> None:
        for w in self.workers:
            try:
                if w.task is None:
                    w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        deadline = time.monotonic() + 5
        for w in self.workers:
            if w.task is not None:
                w.process.kill()  # only on abandon (exception in the caller): its photo is unfinished
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()


def _default_start_method() -> str:
    # Forking a process that runs GUI threads can deadlock the child; forkserver forks from a clean
    # single-threaded server and starts fast, spawn is the portable fallback (Windows).
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


STAGING_DIR = ".staging"
STALE_STAGING_S = 24 * 3600


def _remove_stale_staging(folder: Path) -> None:
    """Remove staging folders left by an import that was killed (older than a day: none can be running)."""
    import shutil

    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if time.time() - entry.stat().st_mtime > STALE_STAGING_S:
                shutil.rmtree(entry, ignore_errors=True)


class Ingest:
    """An import pool that starts working at once; see ``ingest_files`` for what it yields.

    With ``staged=True`` the caller may start it before it has checked what the photos are for (the command
    line starts the workers before it has even imported the database layer): until ``release()`` the workers
    write each photo's files into a private staging folder under the store, and nothing in the store changes;
    ``close()`` without a release removes that folder, so a refused import leaves no trace. Iterating
    ``results()`` releases the gate and moves each staged photo's files into the store before yielding it.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        store: BlobStore,
        *,
        workers: int | None = None,
        make_report_image: bool = True,
        hard_deadline: float = HARD_DEADLINE_S,
        memory_limit: int = WORKER_MEMORY_LIMIT,
        mp_context: str | None = None,
        staged: bool = False,
    ) -> None:
        self.files = [Path(p) for p in paths]
        self.store = store
        self.hard_deadline = hard_deadline
        self._staging: BlobStore | None = None
        self._gate: Any = None
        self._pool: _Pool | None = None
        if not self.files:
            return
        size = max(1, min(workers or os.cpu_count() or 1, len(self.files)))
        ctx = multiprocessing.get_context(mp_context or _default_start_method())
        if ctx.get_start_method() == "forkserver":
            # Workers fork from a server that has already imported what they run (Pillow, exifread).
            ctx.set_forkserver_preload([__name__])
        if staged:
            import uuid

            _remove_stale_staging(store.root / STAGING_DIR)
            self._staging = BlobStore(store.root / STAGING_DIR / uuid.uuid4().hex)
            self._gate = ctx.Event()
        self._pool = _Pool(size, store.root, make_report_image, memory_limit, ctx,
                           self._staging.root if self._staging is not None else None, self._gate)
        self._pending: deque[tuple[int, Path]] = deque(enumerate(self.files))
        if staged:
            self._feed()  # start now: that is the point of an early, staged start
        # Otherwise the first photos are handed out in ``results()``, after a first look at ``cancel``.

    def release(self) -> None:
        """Let the workers write to the store itself from now on (staged photos are adopted as they come)."""
        if self._gate is not None:
            self._gate.set()

    def _feed(self) -> None:
        assert self._pool is not None
        for w in self._pool.workers:
            if w.task is None and self._pending:
                task = self._pending.popleft()
                try:
                    w.conn.send((task[0], str(task[1])))
                except (BrokenPipeError, OSError):
                    self._pending.appendleft(task)
                    self._pool.replace(w)
                    continue
                w.task, w.started = task, time.monotonic()

    def results(
        self,
        *,
        progress: Callable[[int, int, str], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Iterator[IngestResult]:
        """Yield each photo's result as it completes (releasing the gate first)."""
        self.release()
        pool = self._pool
        if pool is None:
            return
        total = len(self.files)
        hard_deadline = self.hard_deadline
        done = 0
        cancelled = False
        while True:
            if not cancelled and cancel is not None and self._pending and cancel():
                cancelled = True
                self._pending.clear()
            self._feed()
            busy = [w for w in pool.workers if w.task is not None]
            if not busy:
                break
            now = time.monotonic()
            timeout = max(0.0, min(w.started + hard_deadline for w in busy) - now)
            # With a cancel callable, look at it now and then even while photos are slow.
            if cancel is not None and not cancelled:
                timeout = min(timeout, 0.2)
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
            for w in list(busy):
                held = w.task
                assert held is not None
                result: IngestResult | None = None
                if w.conn in ready:
                    try:
                        index, result = w.conn.recv()
                    except (EOFError, OSError):
                        result = None
                    else:
                        assert index == held[0], "a worker answered for a photo it was not given"
                        w.task = None
                if result is None and (w.process.sentinel in ready or w.conn in ready):
                    result = _refused(
                        held[1], "E_PHOTO_WORKER_CRASHED", Msg("处理这张照片的进程意外退出（可能是文件异常），已跳过")
                    )
                    w.task = None
                    pool.replace(w)
                elif result is None and time.monotonic() - w.started > hard_deadline:
                    result = _refused(held[1], "E_PHOTO_TIMEOUT",
                                      Msg("处理这张照片超过 {seconds} 秒，已跳过", seconds=f"{hard_deadline:g}"))
                    w.task = None
                    pool.replace(w)
                if result is not None:
                    result = self._adopt(result)
                    done += 1
                    if progress is not None:
                        progress(done, total, display_name(result.path.name))
                    yield result
        if cancelled:
            raise Cancelled(Msg("导入已取消，已完成的照片已保存"))

    def _adopt(self, result: IngestResult) -> IngestResult:
        if not result.staged or self._staging is None or result.sha256 is None:
            return result
        try:
            self.store.adopt(self._staging, result.sha256)
        except EnvironmentProblem as exc:
            return _refused(result.path, exc.code, exc.text, sha256=result.sha256, size=result.size,
                            file_mtime=result.file_mtime)
        return replace(result, staged=False)

    def close(self) -> None:
        """Stop the workers (a photo in progress is abandoned) and remove the staging folder."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._staging is not None:
            import shutil

            shutil.rmtree(self._staging.root, ignore_errors=True)
            with contextlib.suppress(OSError):
                self._staging.root.parent.rmdir()  # the .staging folder, when no other import uses it


def ingest_files(
    paths: Sequence[Path],
    store: BlobStore,
    *,
    workers: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    make_report_image: bool = True,
    hard_deadline: float = HARD_DEADLINE_S,
    memory_limit: int = WORKER_MEMORY_LIMIT,
    mp_context: str | None = None,
) -> Iterator[IngestResult]:
    """Import ``paths`` (files; use ``expand_paths`` for folders) and yield each result as it completes.

    A result with status ``ok`` means its original and derived images are durable in ``store``: the caller
    may commit the photo's row right away. When ``cancel()`` turns true no more files are started, the ones
    in progress are finished and yielded, then ``Cancelled`` is raised.
    """
    ingest = Ingest(paths, store, workers=workers, make_report_image=make_report_image, hard_deadline=hard_deadline,
                    memory_limit=memory_limit, mp_context=mp_context)
    try:
        yield from ingest.results(progress=progress, cancel=cancel)
    finally:
        ingest.close()
