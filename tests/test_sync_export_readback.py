"""The exporter's read-back reads the stick, not memory: the written bundle is fsynced and dropped from the page
cache before it is opened again (``posix_fadvise(DONTNEED)``; a no-op where that does not exist)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from inspect_app.sync.export import drop_cached, export_bundle
from tests.sync_fixtures import add_case, add_photos, make_laptop

pytestmark = pytest.mark.skipif(not shutil.which("fincore") or not hasattr(os, "posix_fadvise"),
                                reason="needs Linux posix_fadvise and util-linux fincore to see the page cache")


def resident_bytes(path: Path) -> int:
    """Bytes of ``path`` the kernel holds in its page cache (util-linux ``fincore``)."""
    done = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


def test_drop_cached_forgets_a_synced_file(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    with path.open("wb") as fh:
        fh.write(os.urandom(4 << 20))
        fh.flush()
        os.fsync(fh.fileno())
        assert resident_bytes(path) > 3 << 20  # just written: in memory
        drop_cached(fh.fileno())
    assert resident_bytes(path) == 0


def test_the_read_back_starts_from_a_bundle_no_longer_in_memory(tmp_path: Path) -> None:
    laptop = make_laptop(tmp_path, None)
    try:
        case = add_case(laptop.store)
        add_photos(laptop.store, tmp_path / "photos", case["inspection"], n=3)
        usb = tmp_path / "usb"
        usb.mkdir()
        seen: list[tuple[str, int]] = []

        def progress(_done: int, _total: int, text: str) -> None:
            if "复核" in text:  # the bundle has its name; the read-back is next
                [bundle] = list(usb.glob("*.icb"))
                seen.append((bundle.name, resident_bytes(bundle)))

        result = export_bundle(laptop.store, laptop.identity, usb, progress=progress)
    finally:
        laptop.store.close()
    assert result.blobs == 3 and result.size > 0
    assert seen == [(result.path.name, 0)]
    assert resident_bytes(result.path) > 0  # the read-back read it again, from the medium
