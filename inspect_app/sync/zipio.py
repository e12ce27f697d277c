"""Strict zip reading and streaming zip writing for bundles.

Python's ``zipfile`` is forgiving where a bundle must not be: it reads the last of duplicate names, keeps
``../`` and absolute names for ``extractall`` to rewrite, and has no notion of links or caps (FIELD-NOTES.md).
So :class:`StrictZip` checks the central directory itself before anything is read: names, duplicates, link and
directory entries, encryption, compression methods, entry count, sizes, compression ratio, overlapping
entries; then :meth:`StrictZip.stream` hands out an entry's bytes in chunks while hashing them, and refuses the
entry at its end when the bytes do not match what the manifest says. Nothing is ever extracted by name.

:class:`ZipStreamWriter` writes entries one at a time from files or chunks (memory does not grow with the
bundle), stored for blobs (JPEGs and PDFs do not compress) and deflated for JSON, hashing as it writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.sync.format import DEFAULT_LIMITS, Limits

CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")
_LOCAL_HEADER = struct.Struct("<4s5HL2L2H")  # signature … file name length, extra length (30 bytes)
# Names: printable ASCII path segments; the format only needs [A-Za-z0-9._-] and "/".
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


def bundle_error(code: str, message: Msg, **details: object) -> UserError:
    """Return the error for a refused bundle (its ``code`` is stable, its message for people)."""
    return UserError(message, code=code, details={k: v for k, v in details.items() if v is not None})


def check_entry_name(name: str) -> None:
    """Refuse a zip entry name that could escape or alias a folder: traversal, absolute, drive, backslash."""
    if "\\" in name:
        raise bundle_error("E_BUNDLE_PATH", Msg("同步包中的文件名含反斜杠：{name!r}，已拒绝", name=name), entry=name)
    if name.startswith("/") or _DRIVE.match(name):
        raise bundle_error("E_BUNDLE_PATH", Msg("同步包中的文件名是绝对路径：{name!r}，已拒绝", name=name), entry=name)
    parts = name.split("/")
    if any(p in ("..", ".") for p in parts):
        raise bundle_error("E_BUNDLE_PATH", Msg("同步包中的文件名试图跳出目录：{name!r}，已拒绝", name=name), entry=name)
    if name.endswith("/"):
        raise bundle_error("E_BUNDLE_LINK", Msg("同步包中含有目录条目：{name!r}，已拒绝", name=name), entry=name)
    if "\x00" in name or not _SAFE_NAME.match(name):
        raise bundle_error("E_BUNDLE_PATH", Msg("同步包中的文件名含不允许的字符：{name!r}，已拒绝", name=name), entry=name)


def _is_link_or_special(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    if info.create_system == 3 and mode:  # Unix: the file type bits must say "regular file"
        return not stat.S_ISREG(mode)
    # MS-DOS attributes: 0x10 directory; 0x400 reparse point (a link made on Windows)
    return bool(info.external_attr & 0x10) or bool(info.external_attr & 0x400)


@dataclass(frozen=True)
class ZipEntry:
    """One entry of the central directory, after the structural checks."""

    name: str
    size: int
    compressed_size: int
    method: int
    offset: int


class StrictZip:
    """A bundle opened for reading; the central directory has been checked against ``limits``."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        try:
            self._fh: IO[bytes] = self.path.open("rb")
        except FileNotFoundError:
            raise bundle_error("E_BUNDLE_NOT_FOUND", Msg("找不到同步包：{path}", path=self.path), path=str(self.path)) from None
        except OSError as exc:
            raise bundle_error("E_BUNDLE_READ", Msg("无法读取同步包 {path}：{value}", path=self.path, value=exc.strerror or exc)) from None
        try:
            self.file_size = self.path.stat().st_size
            self._zip = self._open_zip()
            self.entries = self._check_directory()
        except BaseException:
            self._fh.close()
            raise

    def _open_zip(self) -> zipfile.ZipFile:
        try:
            return zipfile.ZipFile(self._fh, "r")
        except zipfile.BadZipFile:
            # The end-of-central-directory record is the last thing written: missing means cut short.
            raise bundle_error(
                "E_BUNDLE_TRUNCATED",
                Msg("同步包不完整或已损坏（可能是复制时 U 盘被拔出），请重新导出或复制"),
                path=str(self.path)) from None
        except (OSError, ValueError, EOFError) as exc:
            raise bundle_error("E_BUNDLE_TRUNCATED", Msg("同步包无法读取：{exc}", exc=exc), path=str(self.path)) from None

    def _check_directory(self) -> dict[str, ZipEntry]:
        infos = self._zip.infolist()
        limits = self.limits
        if len(infos) > limits.max_entries:
            raise bundle_error("E_BUNDLE_TOO_BIG", Msg("同步包含 {count} 个文件，超过上限 {max_entries}", count=len(infos), max_entries=limits.max_entries))
        entries: dict[str, ZipEntry] = {}
        total = 0
        for info in infos:
            name = info.orig_filename
            check_entry_name(name)
            if name in entries:
                raise bundle_error("E_BUNDLE_DUPLICATE", Msg("同步包中文件名重复：{name}，已拒绝", name=name), entry=name)
            if _is_link_or_special(info):
                raise bundle_error("E_BUNDLE_LINK", Msg("同步包中含有链接或特殊文件：{name}，已拒绝", name=name), entry=name)
            if info.flag_bits & 0x1:
                raise bundle_error("E_BUNDLE_ENCRYPTED", Msg("同步包中的文件被加密：{name}，已拒绝", name=name), entry=name)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise bundle_error("E_BUNDLE_METHOD", Msg("同步包中的文件使用了不支持的压缩方式：{name}", name=name), entry=name)
            if info.file_size > limits.max_entry_size:
                raise bundle_error("E_BUNDLE_TOO_BIG", Msg("同步包中的文件过大：{name}（{file_size} 字节）", name=name, file_size=info.file_size), entry=name)
            if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
                raise bundle_error("E_BUNDLE_CORRUPT", Msg("同步包中的文件长度不一致：{name}", name=name), entry=name)
            if (info.compress_type == zipfile.ZIP_DEFLATED and info.file_size > 4096
                    and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
                raise bundle_error("E_BUNDLE_TOO_BIG",
                                   Msg("同步包中的文件压缩比异常（疑似压缩炸弹）：{name}，已拒绝", name=name), entry=name)
            total += info.file_size
            if total > limits.max_total_size:
                raise bundle_error("E_BUNDLE_TOO_BIG", Msg("同步包解压后总大小超过上限，已拒绝"))
            entries[name] = ZipEntry(name=name, size=info.file_size, compressed_size=info.compress_size,
                                     method=info.compress_type, offset=info.header_offset)
        self._check_layout(list(entries.values()))
        return entries

    def _check_layout(self, entries: list[ZipEntry]) -> None:
        """Refuse entries that overlap or reach past the file (how the worst zip bombs reuse their data)."""
        ordered = sorted(entries, key=lambda e: e.offset)
        end_of_previous = 0
        for entry in ordered:
            if entry.offset < end_of_previous:
                raise bundle_error("E_BUNDLE_TOO_BIG", Msg("同步包中的文件相互重叠（疑似压缩炸弹）：{name}，已拒绝", name=entry.name),
                                   entry=entry.name)
            self._fh.seek(entry.offset)
            header = self._fh.read(_LOCAL_HEADER.size)
            if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
                raise bundle_error("E_BUNDLE_TRUNCATED", Msg("同步包中的文件 {name} 已损坏或不完整", name=entry.name), entry=entry.name)
            fields = _LOCAL_HEADER.unpack(header)
            name_len, extra_len = fields[-2], fields[-1]
            data_end = entry.offset + _LOCAL_HEADER.size + name_len + extra_len + entry.compressed_size
            if data_end > self.file_size:
                raise bundle_error("E_BUNDLE_TRUNCATED", Msg("同步包中的文件 {name} 不完整（U 盘可能被拔出）", name=entry.name),
                                   entry=entry.name)
            end_of_previous = data_end

    def read_small(self, name: str, cap: int) -> bytes:
        """Return a small entry whole (manifest, signature), refusing one larger than ``cap``."""
        entry = self.entries.get(name)
        if entry is None:
            raise bundle_error("E_BUNDLE_MISSING_ENTRY", Msg("同步包缺少 {name}", name=name), entry=name)
        if entry.size > cap:
            raise bundle_error("E_BUNDLE_TOO_BIG", Msg("同步包中的 {name} 过大", name=name), entry=name)
        return b"".join(self.stream(name))

    def stream(self, name: str, *, expect_sha256: str | None = None,
               cancel: Callable[[], None] | None = None) -> Iterator[bytes]:
        """Yield the entry's bytes in chunks; with ``expect_sha256``, refuse it at its end if they differ."""
        entry = self.entries[name]
        digest = hashlib.sha256() if expect_sha256 is not None else None
        size = 0
        try:
            with self._zip.open(name, "r") as fh:
                while True:
                    if cancel is not None:
                        cancel()
                    chunk = fh.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > entry.size:
                        raise bundle_error("E_BUNDLE_HASH", Msg("同步包中 {name} 的内容与清单不符（长度）", name=name), entry=name)
                    if digest is not None:
                        digest.update(chunk)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            # zipfile checks the CRC at the end of each entry and the local header against the directory.
            raise bundle_error("E_BUNDLE_CORRUPT", Msg("同步包中的 {name} 已损坏：{exc}", name=name, exc=exc), entry=name) from None
        except OSError as exc:
            raise bundle_error("E_BUNDLE_READ", Msg("读取同步包失败：{value}", value=exc.strerror or exc), entry=name) from None
        if size != entry.size:
            raise bundle_error("E_BUNDLE_TRUNCATED", Msg("同步包中的 {name} 不完整", name=name), entry=name)
        if digest is not None and digest.hexdigest() != expect_sha256:
            raise bundle_error("E_BUNDLE_HASH", Msg("同步包中 {name} 的内容与清单记录的哈希不符（已被改动或损坏）", name=name),
                               entry=name)

    def close(self) -> None:
        self._zip.close()
        self._fh.close()

    def __enter__(self) -> StrictZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class WrittenEntry:
    """What the writer wrote for one entry."""

    path: str
    size: int
    sha256: str


class ZipStreamWriter:
    """Write a zip one entry at a time to an open binary file, hashing every entry as it goes."""

    def __init__(self, fh: IO[bytes], when: datetime) -> None:
        self._zip = zipfile.ZipFile(fh, "w", allowZip64=True)
        self._pool: ThreadPoolExecutor | None = None
        self._date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)

    def _info(self, name: str, *, deflate: bool, size: int | None) -> zipfile.ZipInfo:
        check_entry_name(name)
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.create_system = 3
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
        if size is not None:
            info.file_size = size
        return info

    def add_file(self, name: str, source: Path, *, cancel: Callable[[], None] | None = None) -> WrittenEntry:
        """Copy a file into the bundle, stored (not deflated), hashing it on the way.

        Two stages overlap: a helper thread reads and SHA-256-hashes the next chunk while this thread has zipfile
        CRC and write the current one (hashlib, zlib and file I/O all release the GIL for chunks this large).
        """
        size = source.stat().st_size
        info = self._info(name, deflate=False, size=size)
        digest = hashlib.sha256()
        written = 0
        with source.open("rb") as src, self._zip.open(info, "w", force_zip64=size >= zipfile.ZIP64_LIMIT) as dst:

            def load() -> bytes:
                chunk = src.read(CHUNK)
                digest.update(chunk)
                return chunk

            pending = self._helper().submit(load)
            try:
                while chunk := pending.result():
                    pending = self._helper().submit(load)
                    if cancel is not None:
                        cancel()
                    dst.write(chunk)
                    written += len(chunk)
            finally:
                with contextlib.suppress(Exception):
                    pending.result()  # never close the source under the helper's feet
        if written != size:
            raise OSError(f"{source} changed size while being copied")
        return WrittenEntry(name, written, digest.hexdigest())

    def _helper(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-read")
        return self._pool

    def add_bytes(self, name: str, content: bytes, *, deflate: bool = True) -> WrittenEntry:
        """Add a small entry from memory."""
        info = self._info(name, deflate=deflate, size=None)
        self._zip.writestr(info, content)
        return WrittenEntry(name, len(content), hashlib.sha256(content).hexdigest())

    def open_lines(self, name: str) -> LineSink:
        """Open a deflated entry to write lines into (JSON lines), hashed as written."""
        info = self._info(name, deflate=True, size=None)
        return LineSink(name, self._zip.open(info, "w", force_zip64=True))

    def close(self) -> None:
        self._stop_helper()
        self._zip.close()

    def _stop_helper(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def abort(self) -> None:
        """Give up a bundle being written (the caller removes the file): close without complaint."""
        self._stop_helper()
        with contextlib.suppress(Exception):
            self._zip.close()
        # An entry still open for writing makes close() refuse; drop the file so that the garbage collector's
        # close() does not try again on a file the caller has closed meanwhile.
        self._zip.fp = None


class LineSink:
    """A deflated entry being written line by line; buffered so the compressor sees large writes."""

    def __init__(self, name: str, fh: IO[bytes]) -> None:
        self.name = name
        self._fh = fh
        self._digest = hashlib.sha256()
        self._buffer: list[bytes] = []
        self._buffered = 0
        self.size = 0
        self.lines = 0

    def write_line(self, line: bytes) -> None:
        data = line + b"\n"
        self._buffer.append(data)
        self._buffered += len(data)
        self.lines += 1
        if self._buffered >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            block = b"".join(self._buffer)
            self._digest.update(block)
            self._fh.write(block)
            self.size += len(block)
            self._buffer.clear()
            self._buffered = 0

    def close(self) -> WrittenEntry:
        self._flush()
        self._fh.close()
        return WrittenEntry(self.name, self.size, self._digest.hexdigest())
