"""BlobStore: content addressing, atomic durable writes, corruption detection, sweeps."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from inspect_app.errors import EnvironmentProblem
from inspect_app.evidence.blobstore import BlobStore


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_put_bytes_stores_under_hash(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    data = b"photo bytes"
    digest = store.put_bytes(data)
    assert digest == _sha(data)
    assert store.path(digest) == tmp_path / "originals" / digest[:2] / digest
    assert store.path(digest).read_bytes() == data
    assert store.has(digest) and store.verify(digest)
    assert list(store.iter_temp_files()) == []


def test_put_same_bytes_twice_writes_nothing_new(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put_bytes(b"abc")
    before = store.path(digest).stat()
    assert store.put_bytes(b"abc", _sha(b"abc")) == digest
    after = store.path(digest).stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_corrupt_existing_blob_is_reported_not_overwritten(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put_bytes(b"original evidence")
    target = store.path(digest)
    os.chmod(target, 0o644)
    target.write_bytes(b"tampered evidencE")  # same size, other content
    with pytest.raises(EnvironmentProblem) as err:
        store.put_bytes(b"original evidence")
    assert err.value.code == "E_BLOB_CORRUPT"
    assert target.read_bytes() == b"tampered evidencE"
    assert not store.verify(digest)


def test_originals_are_read_only(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put_bytes(b"x" * 10)
    if os.name != "nt":
        assert not os.access(store.path(digest), os.W_OK) or os.geteuid() == 0
        assert store.path(digest).stat().st_mode & 0o222 == 0


def test_derived_images_have_their_own_folders(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put_bytes(b"orig")
    thumb = store.put_derived("thumb", digest, b"thumb jpeg")
    report = store.put_derived("report", digest, b"report jpeg")
    assert thumb == tmp_path / "thumbs" / digest[:2] / f"{digest}.jpg"
    assert report == tmp_path / "report" / digest[:2] / f"{digest}.jpg"
    assert thumb.read_bytes() == b"thumb jpeg"
    assert store.has_derived("report", digest)
    # Derivations are deterministic: an existing one is kept.
    store.put_derived("thumb", digest, b"other")
    assert thumb.read_bytes() == b"thumb jpeg"
    # Derived files are not originals.
    assert list(store.iter_hashes()) == [digest]


@pytest.mark.parametrize("bad", ["", "../etc/passwd", "A" * 64, "g" * 64, "a" * 63, "a" * 65])
def test_paths_refuse_anything_but_a_hash(tmp_path: Path, bad: str) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(ValueError):
        store.path(bad)
    with pytest.raises(ValueError):
        store.put_bytes(b"x", bad)


def test_verify_missing_is_false(tmp_path: Path) -> None:
    assert not BlobStore(tmp_path).verify(_sha(b"nothing"))


def test_iter_hashes_and_sweep_orphans(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    hashes = sorted(store.put_bytes(bytes([i]) * 5) for i in range(5))
    (tmp_path / "originals" / "zz").mkdir()
    (tmp_path / "originals" / "zz" / "notes.txt").write_text("stray")
    assert list(store.iter_hashes()) == hashes
    orphans = store.sweep_orphans(set(hashes[:2]))
    assert orphans == hashes[2:]
    # Sweeping reports only: nothing is deleted.
    assert all(store.has(h) for h in hashes)


def test_remove_temp_files_clears_leftovers_only(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put_bytes(b"keep me")
    leftover = store.path(digest).parent / ".tmp-abc.part"
    leftover.write_bytes(b"half a pho")
    thumb_dir = tmp_path / "thumbs" / "ab"
    thumb_dir.mkdir(parents=True)
    (thumb_dir / ".tmp-x.part").write_bytes(b"")
    removed = store.remove_temp_files()
    assert sorted(p.name for p in removed) == [".tmp-abc.part", ".tmp-x.part"]
    assert list(store.iter_temp_files()) == []
    assert store.verify(digest)


def test_empty_store(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "not-yet")
    assert list(store.iter_hashes()) == []
    assert store.sweep_orphans(set()) == []
    assert store.remove_temp_files() == []
