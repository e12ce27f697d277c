"""Every bad bundle and fault of issue 10 gets a clear error and leaves the receiving store as it was.

The bundles are real: exported by a real laptop store, then damaged the way a stick pulled out, a forger or a
zip bomb would damage them. "As it was" is checked on records, blobs, the audit chain and the sync bookkeeping.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspect_app.errors import EnvironmentProblem
from inspect_app.models.store import backup_sqlite, open_store
from inspect_app.services.identity import load_device_identity
from inspect_app.sync import format as fmt
from inspect_app.sync.devices import revoke_device
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle, quarantine_dir
from tests.sync_fixtures import (
    PASS,
    Laptop,
    Office,
    add_case,
    add_photos,
    audit_ok,
    make_laptop,
    make_office,
    snapshot,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An office, a registered laptop with a case and photos, and the laptop's first bundle."""
    root = tmp_path_factory.mktemp("sync-template")
    office = make_office(root)
    laptop = make_laptop(root, office)
    ids = add_case(laptop.store)
    add_photos(laptop.store, root / "dcim", ids["inspection"], n=3)
    (root / "out").mkdir()
    export_bundle(laptop.store, laptop.identity, root / "out" / "first.icb")
    (root / "ids.json").write_text(json.dumps(ids))
    laptop.store.close()
    office.store.close()
    return root


@dataclass
class Pair:
    office: Office
    laptop: Laptop
    bundle: Path
    root: Path
    ids: dict[str, str]


@pytest.fixture
def pair(template: Path, tmp_path: Path) -> Iterator[Pair]:
    root = tmp_path / "w"
    shutil.copytree(template, root)
    office_store = open_store(root / "office")
    laptop_store = open_store(root / "laptop-王建国")
    try:
        yield Pair(Office(office_store, load_device_identity(office_store, PASS), root / "office-ca"),
                   Laptop(laptop_store, load_device_identity(laptop_store, PASS), "王建国"),
                   root / "out" / "first.icb", root, json.loads((root / "ids.json").read_text()))
    finally:
        laptop_store.close()
        office_store.close()


def _items(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def _write(path: Path, items: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we write on purpose
        with zipfile.ZipFile(path, "w") as zf:
            for info, data in items:
                zf.writestr(info, data)
    return path


def _info(name: str, like: zipfile.ZipInfo | None = None, *, method: int = zipfile.ZIP_STORED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2021, 10, 26, 9, 0, 0))
    info.create_system = 3
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = like.compress_type if like is not None else method
    return info


def _refused(pair: Pair, bundle: Path, code: str) -> None:
    """Import ``bundle`` into the office; check it is refused with ``code``, quarantined, and changed nothing."""
    before = snapshot(pair.office.store)
    report = import_bundle(pair.office.store, bundle)
    assert report.status == "refused", report
    assert report.code == code, (report.code, report.message)
    assert report.message and any("\u4e00" <= ch <= "\u9fff" for ch in report.message)  # plain Chinese
    assert snapshot(pair.office.store) == before
    assert report.quarantined_to and Path(report.quarantined_to).is_file()
    reason = json.loads(Path(report.quarantined_to + ".reason.json").read_text(encoding="utf-8"))
    assert reason["code"] == code and reason["message"] == report.message
    audit_ok(pair.office.store)


def _blob_item(items: list[tuple[zipfile.ZipInfo, bytes]]) -> int:
    return next(i for i, (info, _d) in enumerate(items) if info.filename.startswith(fmt.ORIGINALS_PREFIX))


# --- the zip itself ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../evil.txt", "records/../../evil.txt", "/etc/evil", "C:/evil.txt",
                                  "blobs\\originals\\evil", "./manifest.json"])
def test_path_traversal_names_are_refused(pair: Pair, name: str) -> None:
    items = _items(pair.bundle)
    items.append((_info(name), b"owned"))
    _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_PATH")


def test_link_entries_are_refused(pair: Pair) -> None:
    items = _items(pair.bundle)
    index = _blob_item(items)
    info, _data = items[index]
    link = _info(info.filename)
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    items[index] = (link, b"/etc/passwd")
    _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_LINK")


def test_duplicate_names_are_refused(pair: Pair) -> None:
    items = _items(pair.bundle)
    info, _data = items[_blob_item(items)]
    items.append((_info(info.filename), b"a second, different photo"))
    _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_DUPLICATE")


def test_zip_bomb_is_refused(pair: Pair) -> None:
    items = _items(pair.bundle)
    bomb = _info("records/00002.jsonl", method=zipfile.ZIP_DEFLATED)
    items.append((bomb, b"\0" * (64 * 1024 * 1024)))  # deflates about 1000:1
    _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_TOO_BIG")


def test_caps_on_entries_and_total_size(pair: Pair) -> None:
    before = snapshot(pair.office.store)
    few = fmt.Limits(max_entries=3)
    assert import_bundle(pair.office.store, pair.bundle, limits=few).code == "E_BUNDLE_TOO_BIG"
    small = fmt.Limits(max_total_size=1000)
    assert import_bundle(pair.office.store, pair.bundle, limits=small).code == "E_BUNDLE_TOO_BIG"
    assert snapshot(pair.office.store) == before


def test_encrypted_and_unknown_methods_are_refused(pair: Pair) -> None:
    items = _items(pair.bundle)
    index = _blob_item(items)
    name = items[index][0].filename
    raw = bytearray(_write(pair.root / "enc.icb", items).read_bytes())
    # zipfile will not write the "encrypted" flag itself: set bit 0 in the entry's local and central headers
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at:name_at + len(name)] == name.encode():
                raw[at + flag_at] |= 0x1
            at = raw.find(signature, at + 4)
    (pair.root / "enc.icb").write_bytes(bytes(raw))
    _refused(pair, pair.root / "enc.icb", "E_BUNDLE_ENCRYPTED")
    items = _items(pair.bundle)
    info, data = items[index]
    items[index] = (_info(info.filename, method=zipfile.ZIP_BZIP2), data)
    _refused(pair, _write(pair.root / "bz2.icb", items), "E_BUNDLE_METHOD")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.97])
def test_truncated_bundle_is_refused(pair: Pair, keep: float) -> None:
    data = pair.bundle.read_bytes()
    cut = pair.root / "cut.icb"
    cut.write_bytes(data[: int(len(data) * keep)])  # the stick pulled out while copying
    _refused(pair, cut, "E_BUNDLE_TRUNCATED")


def test_not_a_zip_is_refused(pair: Pair) -> None:
    junk = pair.root / "junk.icb"
    junk.write_bytes(b"this is not a bundle" * 100)
    _refused(pair, junk, "E_BUNDLE_TRUNCATED")


# --- the contents against the manifest ---------------------------------------------------------------------------


def test_entry_bytes_not_matching_the_manifest_are_refused(pair: Pair) -> None:
    items = _items(pair.bundle)
    index = _blob_item(items)
    info, data = items[index]
    forged = bytearray(data)
    forged[len(forged) // 2] ^= 0xFF  # same size, one byte changed: the CRC is right for the new bytes
    items[index] = (_info(info.filename), bytes(forged))
    _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_HASH")


def test_extra_entry_is_refused(pair: Pair) -> None:
    items = _items(pair.bundle)
    items.append((_info(fmt.ORIGINALS_PREFIX + "ab" * 32), b"smuggled"))
    _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_EXTRA_ENTRY")


def test_missing_entry_is_refused(pair: Pair) -> None:
    items = _items(pair.bundle)
    del items[_blob_item(items)]
    _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_MISSING_ENTRY")


def test_manifest_edited_after_signing_is_refused(pair: Pair) -> None:
    items = _items(pair.bundle)
    index = next(i for i, (info, _d) in enumerate(items) if info.filename == fmt.MANIFEST)
    info, data = items[index]
    manifest = json.loads(data)
    manifest["sequence"] = 7  # e.g. to jump over the replay protection
    items[index] = (_info(fmt.MANIFEST, info), json.dumps(manifest, ensure_ascii=False, sort_keys=True,
                                                          indent=1).encode())
    _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_SIGNATURE")


def test_signature_of_another_device_is_refused(pair: Pair, tmp_path: Path) -> None:
    """A manifest re-signed by some other key (a forger's own laptop) does not pass as the laptop's."""
    from inspect_app.sync.signing import sign_manifest

    forger = make_laptop(tmp_path / "forger", None, name="伪造者")
    try:
        items = _items(pair.bundle)
        manifest = next(d for i, d in items if i.filename == fmt.MANIFEST)
        index = next(i for i, (info, _d) in enumerate(items) if info.filename == fmt.SIGNATURE)
        items[index] = (_info(fmt.SIGNATURE, items[index][0]), sign_manifest(forger.identity, manifest))
        _refused(pair, _write(pair.root / "bad.icb", items), "E_BUNDLE_SIGNATURE")
    finally:
        forger.store.close()


# --- the sender ------------------------------------------------------------------------------------------------


def test_unknown_device_is_refused(pair: Pair, tmp_path: Path) -> None:
    stranger = make_laptop(tmp_path / "stranger", None, name="陌生人")  # never registered, self-signed
    try:
        ids = add_case(stranger.store)
        del ids
        bundle = export_bundle(stranger.store, stranger.identity, tmp_path / "s.icb").path
        _refused(pair, bundle, "E_DEVICE_UNKNOWN")
    finally:
        stranger.store.close()


def test_revoked_device_is_refused(pair: Pair) -> None:
    with pair.office.store.transaction() as s:
        revoke_device(s, pair.laptop.store.device_id, reason="笔记本遗失", actor="office")
    _refused(pair, pair.bundle, "E_DEVICE_REVOKED")


def test_replayed_bundle_changes_nothing(pair: Pair) -> None:
    first = import_bundle(pair.office.store, pair.bundle)
    assert first.status == "applied"
    before = snapshot(pair.office.store)
    again = import_bundle(pair.office.store, pair.bundle)
    assert again.status == "duplicate" and again.code == "E_BUNDLE_REPLAYED"
    assert "导入过" in again.message
    assert snapshot(pair.office.store) == before


def test_out_of_order_bundle_is_refused_and_a_gap_is_reported(pair: Pair) -> None:
    laptop = pair.laptop
    add_case(laptop.store, uscc="91410100MA44XKQ08Q", name="郑州某钢铁有限公司")
    second = export_bundle(laptop.store, laptop.identity, pair.root / "out").path  # seq 2, holds bundle 1's rows too
    report = import_bundle(pair.office.store, second)
    assert report.status == "applied", report.message
    assert report.missing_sequences == [1] and report.warnings
    _refused(pair, pair.bundle, "E_BUNDLE_OLD")  # the older one may not roll anything back


def test_audit_chain_that_does_not_continue_is_refused(pair: Pair) -> None:
    laptop = pair.laptop
    db = laptop.store.db_path
    assert db is not None
    saved = backup_sqlite(db, pair.root / "before-first.db")
    add_case(laptop.store, uscc="91410100MA44XKQ08Q", name="郑州某钢铁有限公司")
    second = export_bundle(laptop.store, laptop.identity, pair.root / "out").path
    assert import_bundle(pair.office.store, pair.bundle).status == "applied"
    assert import_bundle(pair.office.store, second).status == "applied"
    # The laptop's store is put back to an older copy and goes on differently: its chain forks.
    laptop.store.close()
    shutil.copyfile(saved, db)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    laptop.store = open_store(db.parent)
    add_case(laptop.store, uscc="91410100DM0050002K", name="巩义市某焦化有限公司")
    # its sequence numbers went back too: the next bundle repeats number 2 and is refused as old
    repeated = export_bundle(laptop.store, laptop.identity, pair.root / "out", full=True).path
    assert import_bundle(pair.office.store, repeated).code == "E_BUNDLE_OLD"
    forked = export_bundle(laptop.store, laptop.identity, pair.root / "out", full=True).path  # number 3
    _refused(pair, forked, "E_AUDIT_CHAIN")


def test_bundle_of_the_wrong_kind_or_for_another_laptop_is_refused(pair: Pair, tmp_path: Path) -> None:
    assert import_bundle(pair.office.store, pair.bundle).status == "applied"
    other = make_laptop(tmp_path / "other", pair.office, name="李四")
    try:
        assignment = export_bundle(pair.office.store, pair.office.identity, tmp_path,
                                   target=pair.laptop.store.device_id).path
        before = snapshot(other.store)
        wrong = import_bundle(other.store, assignment)
        assert wrong.code == "E_BUNDLE_NOT_FOR_US" and snapshot(other.store) == before
        own = export_bundle(other.store, other.identity, tmp_path).path
        before = snapshot(pair.laptop.store)
        assert import_bundle(pair.laptop.store, own).code == "E_BUNDLE_KIND"  # a laptop takes no submissions
        assert snapshot(pair.laptop.store) == before
    finally:
        other.store.close()


# --- the process and the disk ------------------------------------------------------------------------------------


def _writer_active(db: Path) -> bool:
    """Tell whether some process holds the database's write lock (an import is inside its transaction)."""
    try:
        con = sqlite3.connect(str(db), timeout=0)
    except sqlite3.OperationalError:
        return False
    try:
        con.execute("BEGIN IMMEDIATE")
        con.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_import_killed_part_way_applies_nothing_and_the_reimport_works(pair: Pair) -> None:
    laptop = pair.laptop
    for i, uscc in enumerate(["91410100MA44XKQ08Q", "91410100DM0050002K", "91410100DM0050010E"]):
        ids = add_case(laptop.store, uscc=uscc, name=f"某企业{i}")
        add_photos(laptop.store, pair.root / f"dcim{i}", ids["inspection"], n=20, seed=i + 1)
    big = export_bundle(laptop.store, laptop.identity, pair.root / "out" / "big.icb").path
    office_dir = pair.office.store.data_dir
    db = office_dir / "inspect.db"
    before = snapshot(pair.office.store)
    pair.office.store.close()
    cmd = [sys.executable, "-m", "inspect_app", "--data-dir", str(office_dir), "--json", "bundle", "import", str(big)]
    killed_inside = False
    for _attempt in range(20):
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline and not _writer_active(db):
            time.sleep(0.002)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # inside the import's transaction
            proc.wait()
            killed_inside = True
            break
    assert killed_inside, "the import finished before it could be killed"
    store = open_store(office_dir)
    try:
        assert snapshot(store) | {"blobs": before["blobs"]} == before  # no row, no event, no bookkeeping
        audit_ok(store)
    finally:
        store.close()
    rerun = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert json.loads(rerun.stdout)[0]["status"] == "applied"
    pair.office.store = open_store(office_dir)
    audit_ok(pair.office.store)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real small file system (tmpfs), so a write runs out of space for real."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount tmpfs: {done.stderr.decode(errors='replace')}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _big_photos(pair: Pair) -> None:
    """Give the laptop a case with 3 photos of 1.5 MB each (more than the 3 MB small disk holds)."""
    from inspect_app.services.photos import import_photos
    from tests.evidence_fixtures import jpeg_bytes, make_exif

    ids = add_case(pair.laptop.store, uscc="91410100MA44XKQ08Q", name="郑州某钢铁有限公司")
    big = pair.root / "big"
    big.mkdir()
    noise = os.urandom(1_500_000)
    for i in range(3):
        (big / f"IMG_{i}.jpg").write_bytes(jpeg_bytes(exif=make_exif()) + noise + bytes([i]))
    done = import_photos(pair.laptop.store, inspection_id=ids["inspection"], stage="before", paths=[big], workers=1)
    assert [r.status for r in done] == ["imported"] * 3


def test_disk_full_during_export_leaves_no_partial_file(pair: Pair, small_disk: Path) -> None:
    laptop = pair.laptop
    _big_photos(pair)
    before = snapshot(laptop.store)
    with pytest.raises(EnvironmentProblem) as caught:
        export_bundle(laptop.store, laptop.identity, small_disk)
    assert caught.value.code == "E_DISK_FULL" and "空间不足" in caught.value.message
    assert list(small_disk.iterdir()) == []  # no partial bundle, no temp file
    after = snapshot(laptop.store)
    assert after["records"] == before["records"] and after["blobs"] == before["blobs"]
    ok = export_bundle(laptop.store, laptop.identity, pair.root / "out")  # another disk: works
    assert import_bundle(pair.office.store, ok.path).status == "applied"


def test_disk_full_during_import_changes_nothing(pair: Pair, small_disk: Path) -> None:
    """The bundle's evidence does not fit on the office's disk: refused before a byte is written."""
    _big_photos(pair)
    bundle = export_bundle(pair.laptop.store, pair.laptop.identity, pair.root / "out").path
    office_dir = pair.office.store.data_dir
    pair.office.store.close()
    moved = small_disk / "office"
    shutil.copytree(office_dir, moved)
    office = open_store(moved)
    try:
        before = snapshot(office)
        report = import_bundle(office, bundle, quarantine=False)
        assert report.status == "refused" and report.code == "E_DISK_FULL", report
        assert "磁盘空间不足" in report.message
        assert snapshot(office) == before
        assert not [p for p in (moved / "blobs").rglob("*") if p.is_file()] or snapshot(office)["blobs"] == before["blobs"]
    finally:
        office.close()
        pair.office.store = open_store(office_dir)


def test_database_full_during_import_rolls_back(pair: Pair, small_disk: Path) -> None:
    """The disk fills while the import writes its rows: the transaction rolls back, nothing is applied."""
    office_dir = pair.office.store.data_dir
    pair.office.store.close()
    moved = small_disk / "office"
    shutil.copytree(office_dir, moved)
    office = open_store(moved)
    try:
        before = snapshot(office)
        filler = small_disk / "filler"
        with filler.open("wb") as fh:  # leave room for the blobs, none for the database to grow
            free = shutil.disk_usage(small_disk).free
            fh.write(b"\0" * max(0, free - 40_000))
        import inspect_app.sync.importer as importer

        margin = importer.FREE_SPACE_MARGIN
        importer.FREE_SPACE_MARGIN = 0
        try:
            report = import_bundle(office, pair.bundle)
        finally:
            importer.FREE_SPACE_MARGIN = margin
        assert report.status == "refused" and report.code == "E_DISK_FULL", report
        filler.unlink()
        after = snapshot(office)
        assert after["records"] == before["records"] and after["book"] == before["book"]
        audit_ok(office)
        report = import_bundle(office, pair.bundle)
        assert report.status == "applied", report.message
    finally:
        office.close()
        pair.office.store = open_store(office_dir)


def test_quarantine_keeps_the_refused_bundle_and_its_reason(pair: Pair) -> None:
    with pair.office.store.transaction() as s:
        revoke_device(s, pair.laptop.store.device_id, reason="笔记本遗失", actor="office")
    report = import_bundle(pair.office.store, pair.bundle)
    folder = quarantine_dir(pair.office.store)
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2 and kept[0].endswith("first.icb") and kept[1].endswith(".reason.json")
    assert Path(report.quarantined_to).read_bytes() == pair.bundle.read_bytes()
    assert "吊销" in report.message and "笔记本遗失" in report.message
