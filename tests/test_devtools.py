"""Tests of the pure helpers in dev.py (the setup and test runner at the repository root)."""

from __future__ import annotations

import importlib.util
import socket
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("inspect_dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the file runs
    spec.loader.exec_module(module)
    return module


dev = _load_dev()


def test_install_needed_when_pyproject_or_lock_changes(tmp_path: Path) -> None:
    pyproject, lock = tmp_path / "pyproject.toml", tmp_path / "requirements.lock"
    pyproject.write_text("a = 1\n", encoding="utf-8")
    lock.write_text("x==1 --hash=sha256:00\n", encoding="utf-8")
    digest = dev.install_digest([pyproject, lock])
    assert dev.needs_install({}, digest)
    assert not dev.needs_install({"install_sha256": digest}, digest)
    lock.write_text("x==2 --hash=sha256:00\n", encoding="utf-8")
    assert dev.install_digest([pyproject, lock]) != digest
    lock.write_text("x==1 --hash=sha256:00\n", encoding="utf-8")
    pyproject.write_text("a = 2\n", encoding="utf-8")
    assert dev.install_digest([pyproject, lock]) != digest


def test_damaged_stamp_reads_as_empty(tmp_path: Path) -> None:
    stamp = tmp_path / "stamp.json"
    assert dev.read_stamp(stamp) == {}
    stamp.write_text("{not json", encoding="utf-8")
    assert dev.read_stamp(stamp) == {}
    stamp.write_text("[1, 2]", encoding="utf-8")
    assert dev.read_stamp(stamp) == {}
    stamp.write_text('{"install_sha256": "x"}', encoding="utf-8")
    assert not dev.needs_install(dev.read_stamp(stamp), "x")


def test_lock_pins_every_dependency_with_hashes() -> None:
    """requirements.lock is what dev.py installs: every line pinned with ==, every pin with its hashes."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = [block for block in text.split("\n") if block and not block.startswith((" ", "#"))]
    assert len(entries) > 30
    for entry in entries:
        assert "==" in entry, entry
    assert text.count("--hash=sha256:") >= len(entries)
    pinned = {entry.split("==")[0].lower() for entry in entries}
    for needed in ("pyside6-essentials", "sqlalchemy", "reportlab", "pyhanko", "pytest", "pyinstaller", "uv"):
        assert needed in pinned


def test_wheel_requirement_names_the_file_and_its_hash(tmp_path: Path) -> None:
    wheel = tmp_path / "inspect_app-1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK wheel")
    line = dev.wheel_requirement(wheel)
    assert line.startswith("inspect-app @ file://")
    assert line.strip().endswith("--hash=sha256:" + dev.file_digest(wheel))


def test_folder_size_counts_files_not_links(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"y" * 50)
    (tmp_path / "link").symlink_to(tmp_path / "a")
    assert dev.folder_size(tmp_path) == (150, 2)


def test_file_digest_changes_with_content(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    first = dev.file_digest(path)
    path.write_text("a = 2\n", encoding="utf-8")
    assert dev.file_digest(path) != first


def test_free_port_can_be_bound() -> None:
    port = dev.find_free_port()
    assert 0 < port < 65536
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))


def test_pg_test_url() -> None:
    assert dev.pg_test_url(54321) == "postgresql+psycopg://postgres@127.0.0.1:54321/inspect_test"


def test_test_packages_extend_run_packages() -> None:
    run = dev.debian_packages("run")
    test = dev.debian_packages("test")
    assert test[: len(run)] == run
    assert {"postgresql", "xvfb", "poppler-utils", "zbar-tools", "fonts-wqy-microhei"} <= set(test)
    assert len(set(test)) == len(test)
    assert "libxcb-xinerama0" not in run  # Qt 6 does not use it
    with pytest.raises(ValueError):
        dev.debian_packages("deploy")


def test_missing_packages_keeps_order_and_drops_duplicates() -> None:
    installed = {"libgl1", "xvfb"}
    missing = dev.missing_packages(
        ["libgl1", "postgresql", "xvfb", "zbar-tools", "postgresql"], installed.__contains__
    )
    assert missing == ["postgresql", "zbar-tools"]


def test_apt_install_command_is_noninteractive() -> None:
    command = dev.apt_install_command(["postgresql"])
    assert command[:2] == ["apt-get", "install"]
    assert "-y" in command
    assert command[-1] == "postgresql"


@pytest.mark.parametrize(
    ("output", "installed"),
    [
        ("Package: xvfb\nStatus: install ok installed\nPriority: optional\n", True),
        ("Package: xvfb\nStatus: deinstall ok config-files\n", False),
        ("Package: xvfb\nStatus: install ok unpacked\n", False),
        ("", False),
    ],
)
def test_dpkg_status(output: str, installed: bool) -> None:
    assert dev.dpkg_status_installed(output) is installed


def test_pg_bindirs_newest_first_and_complete_only(tmp_path: Path) -> None:
    for version, tools in (("13", 3), ("15", 3), ("9.6", 3), ("16", 1)):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        for tool in ("initdb", "pg_ctl", "postgres")[:tools]:
            (bindir / tool).write_text("", encoding="utf-8")
    found = dev.pg_bindir_candidates(tmp_path)
    assert [path.parent.name for path in found] == ["15", "13", "9.6"]
    assert dev.pg_bindir_candidates(tmp_path / "absent") == []


def test_server_commands_run_as_postgres_when_asked() -> None:
    assert dev._as_server_user(["initdb", "-D", "x"], None) == ["initdb", "-D", "x"]
    wrapped = dev._as_server_user(["initdb", "-D", "x"], "postgres")
    assert "postgres" in wrapped
    assert wrapped[-1].endswith("x")


def test_passthrough_drops_separator() -> None:
    assert dev.passthrough(["--", "-k", "uscc"]) == ["-k", "uscc"]
    assert dev.passthrough(["-x"]) == ["-x"]
    assert dev.passthrough([]) == []


def test_no_tests_collected_is_a_failure() -> None:
    result = dev.StepResult("pytest", 5, 1.0)
    assert not result.ok
    assert "no tests collected" in result.summary()
    assert dev.StepResult("ruff", 0, 0.5).summary().startswith("ruff: ok")


def test_usage_error_for_unknown_command() -> None:
    with pytest.raises(SystemExit) as excinfo:
        dev.main(["deploy"])
    assert excinfo.value.code == 2
