"""The photos commands as scripts use them: real processes, a real store, real JPEGs, --json and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_app.models.store import open_store
from tests.photo_case import FAR, Case, make_case, shot, write

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "d"


@pytest.fixture
def case(data_dir: Path) -> Case:
    # The store is closed again before the commands run: the CLI takes the data directory's lock itself.
    with open_store(data_dir) as store:
        return make_case(store, 7)


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"INSPECT_APP_TODAY": "2021-05-10", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
           "INSPECT_APP_ACTOR": "测试员"}
    return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=120)


def test_import_json_shape_and_exit_status(data_dir: Path, case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, {"a_good.jpg": shot(1, "2021:05:01 09:00:00"), "b_far.jpg": shot(2, "2021:05:01 09:01:00", FAR),
                   "c_empty.jpg": b""})
    out = run(data_dir, "photos", "import", "--json", "--inspection", case.inspection_id[:8], "--stage", "before",
              str(folder))
    assert out.returncode == 1, out.stderr  # one file refused, the others imported
    assert out.stderr == ""  # no progress line when stderr is not a terminal
    rows = json.loads(out.stdout)
    assert [Path(r["path"]).name for r in rows] == ["a_good.jpg", "b_far.jpg", "c_empty.jpg"]
    good, far, empty = rows
    assert set(good) == {"path", "status", "photo_id", "sha256", "taken_at", "flags"}
    assert good["status"] == "imported" and len(good["photo_id"]) == 36 and len(good["sha256"]) == 64
    assert good["taken_at"] == "2021-05-01T01:00:00+00:00" and good["flags"] == []
    assert far["flags"] == ["far_from_site"]
    assert set(empty) == {"path", "status", "code", "message", "photo_id", "sha256", "taken_at", "flags"}
    assert (empty["status"], empty["code"], empty["photo_id"], empty["taken_at"]) == ("refused", "E_PHOTO_EMPTY",
                                                                                      None, None)
    assert empty["message"]

    again = run(data_dir, "photos", "import", "--inspection", case.inspection_id, "--stage", "before",
                str(folder / "a_good.jpg"), str(folder / "b_far.jpg"))
    assert again.returncode == 0, again.stderr
    assert [line.split()[0] for line in again.stdout.splitlines()[:2]] == ["已存在", "已存在"] and "导入 0，已存在 2，未导入 0" in again.stdout

    text = run(data_dir, "photos", "import", "--inspection", case.inspection_id, "--stage", "during",
               str(folder / "c_empty.jpg"))
    assert text.returncode == 1
    assert "未导入" in text.stdout and "E_PHOTO_EMPTY" in text.stdout

    listed = run(data_dir, "--json", "photos", "list", "--inspection", case.inspection_id)
    assert listed.returncode == 0, listed.stderr
    photos = json.loads(listed.stdout)
    assert [p["original_name"] for p in photos] == ["a_good.jpg", "b_far.jpg"]
    assert photos[0]["imported_by"] == "测试员"
    shown = run(data_dir, "photos", "show", good["photo_id"][:8])
    assert shown.returncode == 0, shown.stderr
    assert "2021-05-01 09:00" in shown.stdout and "a_good.jpg" in shown.stdout
    far_shown = run(data_dir, "photos", "show", far["photo_id"])
    assert "存疑［far_from_site］" in far_shown.stdout and "公里" in far_shown.stdout
    assert run(data_dir, "audit", "verify").returncode == 0
    assert run(data_dir, "photos", "verify").returncode == 0


def test_import_refuses_bad_arguments(data_dir: Path, case: Case, tmp_path: Path) -> None:
    paths = write(tmp_path / "in", {"p.jpg": shot(3, "2021:05:01 09:00:00")})
    usage = run(data_dir, "photos", "import", "--inspection", case.inspection_id, "--stage", "later", str(paths[0]))
    assert usage.returncode == 2
    missing = run(data_dir, "--json", "photos", "import", "--inspection", "00000000-nope", "--stage", "before",
                  str(paths[0]))
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["error"]["code"] == "E_INSPECTION_NOT_FOUND"
    # The workers started before the inspection was checked wrote to a staging folder only: nothing is left.
    blobs = data_dir / "blobs"
    assert not blobs.exists() or [p for p in blobs.rglob("*") if p.is_file()] == []
    assert not (blobs / ".staging").exists()
    other = run(data_dir, "photos", "import", "--inspection", case.inspection_id, "--stage", "before",
                "--equipment", "no-such-equipment", str(paths[0]))
    assert other.returncode == 1 and "E_EQUIPMENT_NOT_FOUND" in other.stderr
    helped = run(data_dir, "photos", "import", "--help")
    assert helped.returncode == 0 and "退出状态" in helped.stdout


def test_check_exit_status_and_gaps(data_dir: Path, case: Case, tmp_path: Path) -> None:
    first = run(data_dir, "photos", "check", "--inspection", case.inspection_id)
    assert first.returncode == 1
    assert first.stdout.count("缺少：") == 3 and "缺少拆除前照片" in first.stdout
    taken = {"before": "2021:05:01 09:00:00", "during": "2021:05:03 09:00:00", "after": "2021:05:05 09:00:00"}
    for n, stage in enumerate(("before", "during")):
        path = write(tmp_path / stage, {f"{stage}.jpg": shot(10 + n, taken[stage])})[0]
        assert run(data_dir, "photos", "import", "--inspection", case.inspection_id, "--stage", stage,
                   str(path)).returncode == 0
    partial = run(data_dir, "--json", "photos", "check", "--inspection", case.inspection_id)
    assert partial.returncode == 1
    report = json.loads(partial.stdout)
    assert report["ok"] is False and [g["stage"] for g in report["gaps"]] == ["after"]
    # No GPS on the after photo: complete, with the doubt reported in Chinese.
    path = write(tmp_path / "after", {"after.jpg": shot(12, taken["after"], None)})[0]
    assert run(data_dir, "photos", "import", "--inspection", case.inspection_id, "--stage", "after",
               str(path)).returncode == 0
    done = run(data_dir, "photos", "check", "--inspection", case.inspection_id)
    assert done.returncode == 0, done.stdout
    assert "影像资料齐全" in done.stdout and "照片没有 GPS 位置 1 张" in done.stdout


def test_verify_reports_an_altered_original(data_dir: Path, case: Case, tmp_path: Path) -> None:
    path = write(tmp_path / "in", {"p.jpg": shot(20, "2021:05:01 09:00:00")})[0]
    rows = json.loads(run(data_dir, "--json", "photos", "import", "--inspection", case.inspection_id, "--stage",
                          "before", str(path)).stdout)
    sha = rows[0]["sha256"]
    original = data_dir / "blobs" / "originals" / sha[:2] / sha
    original.chmod(0o644)
    original.write_bytes(b"not the photo any more")
    out = run(data_dir, "--json", "photos", "verify")
    assert out.returncode == 1
    assert json.loads(out.stdout) == {"ok": False, "photos": [rows[0]["photo_id"]]}


def test_progress_line_only_on_a_terminal(data_dir: Path, case: Case, tmp_path: Path) -> None:
    import os
    import pty

    paths = write(tmp_path / "in", {f"p{i}.jpg": shot(30 + i, "2021:05:01 09:00:00") for i in range(3)})
    leader, follower = pty.openpty()
    env = {"INSPECT_APP_TODAY": "2021-05-10", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    try:
        proc = subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data_dir), "photos", "import",
                               "--inspection", case.inspection_id, "--stage", "before", *map(str, paths)],
                              stdout=subprocess.PIPE, stderr=follower, cwd=REPO, env=env, timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO once the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert proc.returncode == 0
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert "导入照片 3/3" in terminal
    assert "导入照片" not in proc.stdout.decode()  # the report on stdout stays clean for pipes
    assert proc.stdout.decode().count("已导入") == 3
