"""Backup and restore on real data folders: the round trip, every refusal, and a restore cut short by a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inspect_app.errors import InspectError, UserError
from inspect_app.models import datadir
from inspect_app.models.store import open_store
from inspect_app.rules import make_uscc
from inspect_app.services import backup
from inspect_app.sync.zipio import ZipStreamWriter
from tests.store_fixtures import Golden, make_golden, table_count, tree_listing

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Golden:
    return make_golden(tmp_path_factory.mktemp("golden") / "data")


@pytest.fixture
def data(golden: Golden, tmp_path: Path) -> Path:
    return golden.copy_to(tmp_path / "data")


@pytest.fixture
def archive(data: Path, tmp_path: Path) -> Path:
    store = open_store(data)
    try:
        result = backup.create_backup(store, tmp_path / "usb" / "store.inspect-backup")
    finally:
        store.close()
    return result.path


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None], *, manifest: bytes | None = None) -> Path:
    """Write a copy of an archive with entries replaced (bytes) or left out (None); the manifest kept unless given."""
    entries = _entries(source)
    with target.open("wb") as fh:
        writer = ZipStreamWriter(fh, datetime(2021, 10, 30, tzinfo=UTC))
        for name, content in entries.items():
            if name == backup.MANIFEST:
                continue
            new = change.get(name, content)
            if new is not None:
                writer.add_bytes(name, new, deflate=False)
        for name, content in change.items():
            if name not in entries and content is not None:
                writer.add_bytes(name, content, deflate=False)
        writer.add_bytes(backup.MANIFEST, manifest if manifest is not None else entries[backup.MANIFEST])
        writer.close()
    return target


# --- backup ---------------------------------------------------------------------------------------------------


def test_backup_holds_the_database_blobs_and_identity_with_a_manifest(archive: Path, data: Path,
                                                                      golden: Golden) -> None:
    entries = _entries(archive)
    manifest = json.loads(entries[backup.MANIFEST])
    assert manifest["format"] == "inspect-app-backup" and manifest["schema_revision"]
    listed = {e["path"]: e for e in manifest["entries"]}
    assert set(listed) == set(entries) - {backup.MANIFEST}
    assert "inspect.db" in listed and "identity/device_key.pem" in listed
    originals = [n for n in listed if n.startswith("blobs/originals/")]
    assert len(originals) == golden.photos
    assert any(n.startswith("blobs/documents/") and n.endswith(".pdf") for n in listed)
    assert any(n.startswith("blobs/thumbs/") for n in listed)
    # the trusted certificate saved under a Chinese name travels named by a hash of its name
    assert any(n.startswith("trusted/renamed-") for n in listed)
    for name, entry in listed.items():
        import hashlib

        assert hashlib.sha256(entries[name]).hexdigest() == entry["sha256"]
    assert manifest["counts"]["photo"] == golden.photos and manifest["counts"]["enterprise"] == 20


def test_backup_is_remembered_and_the_reminder_follows_its_age(data: Path, tmp_path: Path) -> None:
    store = open_store(data)
    try:
        now = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
        assert backup.backup_status(store, now=now).due  # never backed up
        backup.create_backup(store, tmp_path / "b1.inspect-backup", now=now)
        status = backup.backup_status(store, now=now + timedelta(days=6))
        assert status.last_at == now and not status.due and status.age_days == 6
        assert backup.backup_status(store, now=now + timedelta(days=7)).due
        assert status.last_path.endswith("b1.inspect-backup")
    finally:
        store.close()


def test_backup_never_overwrites_and_never_lands_inside_the_data_folder(data: Path, tmp_path: Path) -> None:
    store = open_store(data)
    try:
        existing = tmp_path / "exists.inspect-backup"
        existing.write_bytes(b"keep me")
        with pytest.raises(UserError) as refused:
            backup.create_backup(store, existing)
        assert refused.value.code == "E_FILE_EXISTS" and existing.read_bytes() == b"keep me"
        with pytest.raises(UserError) as inside:
            backup.create_backup(store, data / "mine.inspect-backup")
        assert inside.value.code == "E_BACKUP_INSIDE_STORE"
        folder = tmp_path / "usb"
        folder.mkdir()
        made = backup.create_backup(store, folder)  # a folder: the file is named after the time
        assert made.path.parent == folder and made.path.name.startswith("inspect-backup-")
        assert not list(folder.glob(".backup-*")) and not list(folder.glob("*.part"))
    finally:
        store.close()


def test_cancelled_backup_leaves_nothing(data: Path, tmp_path: Path) -> None:
    from inspect_app.errors import Cancelled

    calls = {"n": 0}

    def cancel() -> None:
        calls["n"] += 1
        if calls["n"] > 5:
            raise Cancelled()

    store = open_store(data)
    try:
        with pytest.raises(Cancelled):
            backup.create_backup(store, tmp_path / "c.inspect-backup", cancel=cancel)
        assert not list(tmp_path.glob("c.inspect-backup*")) and not list(tmp_path.glob(".backup-*"))
        assert backup.backup_status(store).last_at is None
    finally:
        store.close()


# --- restore ----------------------------------------------------------------------------------------------------


def test_round_trip_restores_the_backup_and_keeps_the_store_it_replaced(data: Path, archive: Path,
                                                                       golden: Golden) -> None:
    from inspect_app.services.audit import verify_audit
    from inspect_app.services.enterprises import count_enterprises, register_enterprise
    from inspect_app.services.photos import verify_blobs

    store = open_store(data)
    try:
        with store.transaction() as session:
            register_enterprise(session, name="备份之后登记的企业", uscc=make_uscc("410185", 987654), region="410185")
    finally:
        store.close()
    after_backup_db = (data / "inspect.db").read_bytes()
    with datadir.locked(data):
        result = backup.restore_backup(archive, data)
    store = open_store(data)
    try:
        with store.reader() as session:
            assert count_enterprises(session) == 20  # the enterprise registered after the backup is gone …
            assert verify_audit(session).ok
        assert verify_blobs(store) == []
        assert store.device_id == result.manifest.device_id
    finally:
        store.close()
    kept = result.kept
    assert kept.parent == data / datadir.RESTORE_KEPT_DIR
    assert table_count(kept / "inspect.db", "enterprise") == 21  # … and kept, with the store it was in
    assert (kept / "inspect.db").read_bytes() == after_backup_db or table_count(kept / "inspect.db", "enterprise") == 21
    assert (kept / "blobs").is_dir() and (kept / "identity" / "device_key.pem").is_file()
    assert (data / "identity" / "device_key.pem").read_bytes() == (kept / "identity" / "device_key.pem").read_bytes()
    assert not (data / datadir.RESTORE_STAGING_DIR).exists() and not (data / datadir.RESTORE_JOURNAL).exists()
    originals = list((data / "blobs" / "originals").rglob("*"))
    assert sum(1 for p in originals if p.is_file()) == golden.photos


def _damaged_archives(archive: Path, tmp_path: Path) -> dict[str, Path]:
    entries = _entries(archive)
    manifest = json.loads(entries[backup.MANIFEST])
    blob = next(n for n in entries if n.startswith("blobs/originals/"))
    flipped = bytearray(entries[blob])
    flipped[len(flipped) // 2] ^= 0xFF
    out: dict[str, Path] = {}
    out["blob changed"] = _rewrite(archive, tmp_path / "changed.zip", {blob: bytes(flipped)})
    out["blob missing"] = _rewrite(archive, tmp_path / "missing.zip", {blob: None})
    out["extra file"] = _rewrite(archive, tmp_path / "extra.zip", {"blobs/originals/ff/extra": b"x"})
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    out["truncated"] = cut
    bad_db = bytearray(entries["inspect.db"])
    bad_db[4096: 4096 + 12] = b"\xff" * 12  # the b-tree header of page 2: integrity_check finds it
    db_entry = next(e for e in manifest["entries"] if e["path"] == "inspect.db")
    import hashlib

    db_entry["sha256"], db_entry["size"] = hashlib.sha256(bad_db).hexdigest(), len(bad_db)
    out["database damaged, manifest agreeing"] = _rewrite(
        archive, tmp_path / "baddb.zip", {"inspect.db": bytes(bad_db)},
        manifest=json.dumps(manifest).encode())
    not_ours = dict(manifest, format="something-else")
    out["not a backup"] = _rewrite(archive, tmp_path / "other.zip", {}, manifest=json.dumps(not_ours).encode())
    out["not a zip"] = tmp_path / "notzip.inspect-backup"
    out["not a zip"].write_bytes(b"this is not an archive" * 100)
    return out


def test_every_damaged_archive_is_refused_and_the_live_store_is_untouched(data: Path, archive: Path,
                                                                          tmp_path: Path) -> None:
    before = tree_listing(data)
    for what, damaged in _damaged_archives(archive, tmp_path).items():
        with pytest.raises(UserError) as refused:
            backup.verify_backup(damaged)
        assert refused.value.code == "E_BACKUP_INVALID", what
        with datadir.locked(data), pytest.raises(UserError) as refused_restore:
            backup.restore_backup(damaged, data)
        assert refused_restore.value.code == "E_BACKUP_INVALID", what
        assert tree_listing(data) == before, what
        assert not (data / datadir.RESTORE_STAGING_DIR).exists(), what


def test_a_backup_from_a_newer_program_is_refused(data: Path, archive: Path, tmp_path: Path) -> None:
    import hashlib
    import sqlite3

    entries = _entries(archive)
    db = tmp_path / "newer.db"
    db.write_bytes(entries["inspect.db"])
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    content = db.read_bytes()
    manifest = json.loads(entries[backup.MANIFEST])
    for entry in manifest["entries"]:
        if entry["path"] == "inspect.db":
            entry["sha256"], entry["size"] = hashlib.sha256(content).hexdigest(), len(content)
    newer = _rewrite(archive, tmp_path / "newer.zip", {"inspect.db": content}, manifest=json.dumps(manifest).encode())
    before = tree_listing(data)
    with datadir.locked(data), pytest.raises(InspectError) as refused:
        backup.restore_backup(newer, data)
    assert refused.value.code == "E_STORE_TOO_NEW"
    assert tree_listing(data) == before


def test_a_restore_cut_short_by_a_crash_is_completed_when_the_store_opens(data: Path, archive: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from inspect_app.services.enterprises import count_enterprises, register_enterprise

    store = open_store(data)
    try:
        with store.transaction() as session:
            register_enterprise(session, name="备份之后登记的企业", uscc=make_uscc("410185", 987654), region="410185")
    finally:
        store.close()
    real_replace = os.replace
    moves = {"n": 0}

    def crash_on_the_third_move(src: object, dst: object) -> None:
        moves["n"] += 1
        if moves["n"] == 3:
            raise OSError(5, "simulated power cut")
        real_replace(src, dst)  # type: ignore[arg-type]

    with datadir.locked(data):
        staged = backup.stage_restore(archive, data)
        monkeypatch.setattr(datadir.os, "replace", crash_on_the_third_move)
        with pytest.raises(InspectError) as cut:
            backup.complete_restore(staged)
        monkeypatch.setattr(datadir.os, "replace", real_replace)
    assert cut.value.code == "E_RESTORE_SWAP"
    assert (data / datadir.RESTORE_JOURNAL).is_file()  # half done: the journal says how to finish
    store = open_store(data)  # opening completes the same moves
    try:
        with store.reader() as session:
            assert count_enterprises(session) == 20
    finally:
        store.close()
    assert not (data / datadir.RESTORE_JOURNAL).exists()
    kept = next((data / datadir.RESTORE_KEPT_DIR).iterdir())
    assert table_count(kept / "inspect.db", "enterprise") == 21


def test_swap_run_twice_changes_nothing_more(data: Path, archive: Path) -> None:
    with datadir.locked(data):
        staged = backup.stage_restore(archive, data)
        first = backup.complete_restore(staged)
        listing = tree_listing(data)
        datadir.swap_in(data, staged.journal)  # as if the journal had survived a crash after the last move
    assert tree_listing(data) == listing and first.kept.is_dir()


# --- the command line -------------------------------------------------------------------------------------------


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "INSPECT_APP_PASSPHRASE": "x"}
    return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data), *args],
                          capture_output=True, text=True, cwd=REPO, env=env, stdin=subprocess.DEVNULL, timeout=300)


def test_cli_backup_check_and_restore(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.inspect-backup"
    made = _cli(data, "--json", "backup", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["counts"]["enterprise"] == 20
    checked = _cli(data, "restore", "--check", str(out))
    assert checked.returncode == 0 and "备份文件完整" in checked.stdout
    unconfirmed = _cli(data, "restore", str(out))  # no terminal to ask: refused, nothing changed
    assert unconfirmed.returncode == 1 and "E_CONFIRM_REQUIRED" in unconfirmed.stderr
    assert not (data / datadir.RESTORE_KEPT_DIR).exists()
    done = _cli(data, "--json", "restore", str(out), "--yes")
    assert done.returncode == 0, done.stderr
    assert Path(json.loads(done.stdout)["kept"]).is_dir()
    damaged = tmp_path / "damaged.inspect-backup"
    damaged.write_bytes(out.read_bytes()[:1000])
    refused = _cli(data, "restore", "--check", str(damaged))
    assert refused.returncode == 1 and refused.stderr.startswith("E_BACKUP_INVALID")
