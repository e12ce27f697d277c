"""The health check: each finding made by damaging a copy of a real data folder on purpose."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from inspect_app.models import datadir
from inspect_app.services import doctor
from inspect_app.services.doctor import (
    ERROR,
    WARNING,
    DoctorReport,
    is_unc_path,
    parse_mountinfo,
    report_place,
    run_doctor,
    storage_kind,
    windows_drive_root,
    windows_storage_kind,
)
from tests.store_fixtures import Golden, make_golden

REPO = Path(__file__).resolve().parents[1]
LOCAL_MOUNTINFO = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Golden:
    return make_golden(tmp_path_factory.mktemp("golden") / "data")


@pytest.fixture
def data(golden: Golden, tmp_path: Path) -> Path:
    return golden.copy_to(tmp_path / "data")


def check(data: Path) -> doctor.DoctorReport:
    return run_doctor(data, mountinfo=LOCAL_MOUNTINFO, platform="linux")


def _originals(data: Path) -> list[Path]:
    return sorted(p for p in (data / "blobs" / "originals").rglob("*") if p.is_file())


def _sql(data: Path, statement: str) -> None:
    con = sqlite3.connect(data / "inspect.db")
    con.execute(statement)
    con.commit()
    con.close()


def test_a_sound_store_has_no_problems(data: Path, golden: Golden) -> None:
    report = check(data)
    assert report.ok and report.problems == [], report.problems
    assert {"I_DOCTOR_SCHEMA", "I_DOCTOR_AUDIT", "I_DOCTOR_DISK"} <= report.codes()
    assert report.checked["blobs"] == golden.photos + 1  # the photos and the signed opinion
    assert report.checked["audit_events"] > 0


def _corrupt_database(data: Path) -> None:
    raw = bytearray((data / "inspect.db").read_bytes())
    raw[4096: 4096 + 12] = b"\xff" * 12
    (data / "inspect.db").write_bytes(bytes(raw))


def _damage_blob(data: Path) -> None:
    blob = _originals(data)[0]
    blob.chmod(0o644)
    raw = bytearray(blob.read_bytes())
    raw[-10] ^= 0x55
    blob.write_bytes(bytes(raw))


def _remove_blob(data: Path) -> None:
    blob = _originals(data)[0]
    blob.chmod(0o644)
    blob.unlink()


def _remove_document(data: Path) -> None:
    next((data / "blobs" / "documents").rglob("*.pdf")).unlink()


def _add_orphan(data: Path) -> None:
    content = b"a photo no record names"
    import hashlib

    sha = hashlib.sha256(content).hexdigest()
    (data / "blobs" / "originals" / sha[:2]).mkdir(exist_ok=True)
    (data / "blobs" / "originals" / sha[:2] / sha).write_bytes(content)


def _edit_behind_the_apps_back(data: Path) -> None:
    _sql(data, "UPDATE enterprise SET name = '被改过的企业名称' WHERE rowid = (SELECT min(rowid) FROM enterprise)")


def _older_schema(data: Path) -> None:
    from alembic.script import ScriptDirectory

    from inspect_app.models.migrate import alembic_config, head_revision

    previous = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision()).down_revision
    _sql(data, f"UPDATE alembic_version SET version_num = '{previous}'")


def _unknown_schema(data: Path) -> None:
    _sql(data, "UPDATE alembic_version SET version_num = '9999_from_the_future'")


def _leave_temp_file(data: Path) -> None:
    folder = _originals(data)[0].parent
    (folder / ".tmp-abc123.part").write_bytes(b"half a photo")


def _remove_thumbnail(data: Path) -> None:
    next((data / "blobs" / "thumbs").rglob("*.jpg")).unlink()


def _unfinished_restore(data: Path) -> None:
    (data / datadir.RESTORE_JOURNAL).write_text('{"format": 1, "kept": "restore-kept/x", "restored": []}')


def _no_database(data: Path) -> None:
    (data / "inspect.db").unlink()


DAMAGE: list[tuple[str, Callable[[Path], None], str, str]] = [
    ("database damaged", _corrupt_database, "E_DOCTOR_DB_CORRUPT", ERROR),
    ("no database", _no_database, "E_DOCTOR_NO_DATABASE", ERROR),
    ("a photo's bytes changed", _damage_blob, "E_DOCTOR_BLOB_DAMAGED", ERROR),
    ("a photo's original gone", _remove_blob, "E_DOCTOR_BLOB_MISSING", ERROR),
    ("a signed opinion's PDF gone", _remove_document, "E_DOCTOR_BLOB_MISSING", ERROR),
    ("a blob nobody names", _add_orphan, "W_DOCTOR_ORPHANS", WARNING),
    ("a row edited behind the app's back", _edit_behind_the_apps_back, "E_DOCTOR_AUDIT", ERROR),
    ("schema one migration behind", _older_schema, "W_DOCTOR_SCHEMA_OLD", WARNING),
    ("schema from a newer program", _unknown_schema, "E_DOCTOR_SCHEMA_UNKNOWN", ERROR),
    ("temp file of an interrupted write", _leave_temp_file, "W_DOCTOR_TEMP_FILES", WARNING),
    ("a thumbnail gone", _remove_thumbnail, "W_DOCTOR_THUMB_MISSING", WARNING),
    ("a restore cut short", _unfinished_restore, "E_DOCTOR_RESTORE_UNFINISHED", ERROR),
]


@pytest.mark.parametrize(("what", "damage", "code", "severity"), DAMAGE, ids=[d[0] for d in DAMAGE])
def test_each_kind_of_damage_is_found(data: Path, what: str, damage: Callable[[Path], None], code: str,
                                      severity: str) -> None:
    damage(data)
    report = check(data)
    found = [f for f in report.findings if f.code == code]
    assert found, f"{what}: {[(f.code, f.message) for f in report.findings]}"
    assert found[0].severity == severity
    if severity == ERROR:
        assert not report.ok


def test_missing_blob_names_the_rows_and_orphans_are_never_deleted(data: Path) -> None:
    _remove_blob(data)
    _add_orphan(data)
    before = {p.name for p in _originals(data)}
    report = check(data)
    missing = next(f for f in report.findings if f.code == "E_DOCTOR_BLOB_MISSING")
    assert "照片" in missing.items[0]
    orphans = next(f for f in report.findings if f.code == "W_DOCTOR_ORPHANS")
    assert len(orphans.items) == 1
    assert {p.name for p in _originals(data)} == before  # reported only
    target = doctor.quarantine_orphans(data, report)  # asked for: moved aside, still there
    assert target is not None and target.parent == data / doctor.ORPHANS_DIR
    moved = [p for p in target.rglob("*") if p.is_file()]
    assert len(moved) == 1 and moved[0].read_bytes() == b"a photo no record names"
    assert "W_DOCTOR_ORPHANS" not in check(data).codes()


def test_disk_space_warnings(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = shutil.disk_usage(data)
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda _p: usage._replace(free=1024**3))
    assert "W_DOCTOR_DISK_LOW" in check(data).codes()
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda _p: usage._replace(free=100 * 1024**2))
    report = check(data)
    assert "E_DOCTOR_DISK_FULL" in report.codes() and not report.ok


MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:45 / /mnt/office rw,relatime shared:30 - cifs //fileserver/inspect rw,vers=3.0
41 22 8:33 / /media/wang/KINGSTON rw,nosuid,nodev,relatime shared:31 - vfat /dev/sdc1 rw
42 22 8:17 / /data rw,relatime shared:32 - ext4 /dev/sdb1 rw
43 22 0:50 / /home/wang/nfs rw - nfs4 server:/export rw
44 22 8:49 / /srv/my\\040stick rw - ext4 /dev/sdd1 rw
"""


def test_storage_kind_from_mountinfo_and_sysfs(tmp_path: Path) -> None:
    sys_root = tmp_path / "sys"
    # /dev/sdb (8:16) is a USB disk formatted ext4: only sysfs can tell it is removable
    (sys_root / "block" / "sdd" / "sdd1").mkdir(parents=True)
    (sys_root / "block" / "sdd" / "removable").write_text("1\n")
    (sys_root / "dev" / "block").mkdir(parents=True)
    (sys_root / "dev" / "block" / "8:49").symlink_to(sys_root / "block" / "sdd" / "sdd1")
    assert [m.point for m in parse_mountinfo(MOUNTINFO)][-1] == "/srv/my stick"

    def kind(path: str) -> str:
        return storage_kind(Path(path), mountinfo=MOUNTINFO, sys_root=sys_root, platform="linux")[0]

    assert kind("/mnt/office/zhengzhou/data") == "network"
    assert kind("/home/wang/nfs/inspect") == "network"
    assert kind("/media/wang/KINGSTON/inspect") == "removable"
    assert kind("/srv/my stick/inspect") == "removable"
    assert kind("/data/inspect") == "local"
    assert kind("/home/wang/.local/share/inspect-app") == "local"


# GetDriveTypeW's answers (winbase.h) as Windows gives them, and what each must mean for the data folder.
WINDOWS_DRIVES = {"C:\\": 3, "D:\\": 5, "E:\\": 2, "R:\\": 6, "Z:\\": 4, "Q:\\": 1, "X:\\": 0,
                  "\\\\?\\Volume{26a21bda-a627-11d7-9931-806e6f6e6963}\\": 2}


@pytest.mark.parametrize(("path", "kind"), [
    ("C:\\Users\\wang\\AppData\\Local\\inspect-app", "local"),  # DRIVE_FIXED 3
    ("c:/Users/wang/inspect", "local"),  # forward slashes, a small letter
    ("\\\\?\\C:\\Users\\wang\\inspect", "local"),  # a long-path prefix
    ("D:\\inspect", "removable"),  # DRIVE_CDROM 5: a disc
    ("E:\\inspect", "removable"),  # DRIVE_REMOVABLE 2: a USB stick, a memory card
    ("\\\\?\\Volume{26a21bda-a627-11d7-9931-806e6f6e6963}\\inspect", "removable"),  # a stick mounted without a letter
    ("R:\\inspect", "ramdisk"),  # DRIVE_RAMDISK 6
    ("Z:\\inspect", "network"),  # DRIVE_REMOTE 4: a mapped network drive
    ("\\\\fileserver\\inspect\\zhengzhou", "network"),  # a share: no drive letter asked
    ("\\\\?\\UNC\\fileserver\\inspect", "network"),
    ("//fileserver/inspect", "network"),
    ("Q:\\inspect", "unknown"),  # DRIVE_NO_ROOT_DIR 1: the letter is gone
    ("X:\\inspect", "unknown"),  # DRIVE_UNKNOWN 0
    ("inspect", "unknown"),  # no drive at all
])
def test_windows_drive_kind_from_the_drive_type_codes(path: str, kind: str) -> None:
    asked: list[str] = []

    def get_drive_type(root: str) -> int:
        asked.append(root)
        return WINDOWS_DRIVES[root]

    assert storage_kind(Path(path), platform="win32", drive_type=get_drive_type)[0] == kind
    root = windows_drive_root(path)
    assert asked == ([] if root is None else [root])  # asked once, about the drive's root, never about a share
    assert windows_storage_kind(path, None if root is None else WINDOWS_DRIVES[root])[0] == kind


def test_windows_drive_roots_are_what_get_drive_type_wants() -> None:
    assert windows_drive_root("d:\\inspect\\data") == "D:\\"
    assert windows_drive_root("D:") == "D:\\"
    assert windows_drive_root("\\\\.\\E:\\x") == "E:\\"
    assert windows_drive_root("\\\\?\\Volume{26a21bda-a627-11d7-9931-806e6f6e6963}\\x") == (
        "\\\\?\\Volume{26a21bda-a627-11d7-9931-806e6f6e6963}\\")
    assert windows_drive_root("\\\\server\\share\\x") is None and is_unc_path("\\\\server\\share\\x")
    assert windows_drive_root("Dx:\\inspect") is None and not is_unc_path("\\\\?\\C:\\x")


def test_a_data_folder_on_a_windows_usb_stick_or_ram_disk_is_warned(data: Path) -> None:
    """The whole check as on Windows, fed with GetDriveTypeW's codes (the folder's own path has no drive here)."""
    windows_path = "E:\\inspect"
    for code, expected in ((2, "W_DOCTOR_REMOVABLE_FOLDER"), (4, None), (6, "W_DOCTOR_RAMDISK_FOLDER"), (3, None)):
        kind, what = windows_storage_kind(windows_path, code)
        report = DoctorReport(data_dir=data)
        report_place(report, kind, what)
        codes = report.codes()
        if expected:
            assert expected in codes and what == "E:\\"
        elif code == 4:
            assert "W_DOCTOR_NETWORK_FOLDER" in codes
        else:
            assert not {"W_DOCTOR_REMOVABLE_FOLDER", "W_DOCTOR_NETWORK_FOLDER", "W_DOCTOR_RAMDISK_FOLDER"} & set(codes)


def test_network_and_removable_data_folders_are_warned(data: Path, tmp_path: Path) -> None:
    real = str(data.resolve())
    network = f"22 1 8:1 / / rw - ext4 /dev/sda1 rw\n40 22 0:45 / {real} rw - cifs //server/share rw\n"
    report = run_doctor(data, mountinfo=network, platform="linux")
    assert "W_DOCTOR_NETWORK_FOLDER" in report.codes() and report.ok  # warned, not an error
    usb = f"22 1 8:1 / / rw - ext4 /dev/sda1 rw\n41 22 8:33 / {real} rw - exfat /dev/sdc1 rw\n"
    sys_root = tmp_path / "sys"
    (sys_root / "block" / "sdc" / "sdc1").mkdir(parents=True)
    (sys_root / "block" / "sdc" / "removable").write_text("1\n")
    (sys_root / "dev" / "block").mkdir(parents=True)
    (sys_root / "dev" / "block" / "8:33").symlink_to(sys_root / "block" / "sdc" / "sdc1")
    assert "W_DOCTOR_REMOVABLE_FOLDER" in run_doctor(data, mountinfo=usb, sys_root=sys_root,
                                                     platform="linux").codes()


def test_doctor_changes_nothing(data: Path) -> None:
    from tests.store_fixtures import tree_listing

    _add_orphan(data)
    _edit_behind_the_apps_back(data)
    before = tree_listing(data)
    check(data)
    assert tree_listing(data) == before


def test_cli_doctor_exit_status_and_json(data: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data), *args],
                              capture_output=True, text=True, cwd=REPO, env=env, stdin=subprocess.DEVNULL, timeout=300)

    sound = cli("doctor")
    assert sound.returncode == 0 and "未发现错误" in sound.stdout
    _damage_blob(data)
    _add_orphan(data)
    damaged = cli("--json", "doctor")
    assert damaged.returncode == 1
    payload = json.loads(damaged.stdout)
    codes = {f["code"] for f in payload["findings"]}
    assert {"E_DOCTOR_BLOB_DAMAGED", "W_DOCTOR_ORPHANS"} <= codes and payload["ok"] is False
    unconfirmed = cli("doctor", "--quarantine-orphans")
    assert unconfirmed.returncode == 1 and "E_CONFIRM_REQUIRED" in unconfirmed.stderr
    moved = cli("doctor", "--quarantine-orphans", "--yes")
    assert "孤立文件已移到" in moved.stdout
    assert "W_DOCTOR_ORPHANS" not in {f["code"] for f in json.loads(cli("--json", "doctor").stdout)["findings"]}
