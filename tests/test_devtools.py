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


def test_stamp_missing_or_other_pyproject_needs_install() -> None:
    assert dev.needs_install({}, "abc", [])
    assert dev.needs_install({"pyproject_sha256": "old", "extras": ["test"]}, "abc", [])


def test_stamp_same_pyproject_skips_install_for_covered_extras() -> None:
    stamp = {"pyproject_sha256": "abc", "extras": ["test"]}
    assert not dev.needs_install(stamp, "abc", [])
    assert not dev.needs_install(stamp, "abc", ["test"])
    assert dev.needs_install({"pyproject_sha256": "abc", "extras": []}, "abc", ["test"])


def test_updated_stamp_keeps_extras_only_for_the_same_pyproject() -> None:
    stamp = {"pyproject_sha256": "abc", "extras": ["test"]}
    assert dev.updated_stamp(stamp, "abc", []) == {"pyproject_sha256": "abc", "extras": ["test"]}
    assert dev.updated_stamp(stamp, "new", []) == {"pyproject_sha256": "new", "extras": []}


def test_damaged_stamp_reads_as_empty(tmp_path: Path) -> None:
    stamp = tmp_path / "stamp.json"
    assert dev.read_stamp(stamp) == {}
    stamp.write_text("{not json", encoding="utf-8")
    assert dev.read_stamp(stamp) == {}
    stamp.write_text("[1, 2]", encoding="utf-8")
    assert dev.read_stamp(stamp) == {}
    stamp.write_text('{"pyproject_sha256": "x", "extras": ["test"]}', encoding="utf-8")
    assert not dev.needs_install(dev.read_stamp(stamp), "x", ["test"])


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
