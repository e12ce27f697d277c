"""Command start-up: list and show commands load only what they need (guarded by imports, not timings).

``bench/bench_cli_startup.py`` measures the time; this test keeps the cause away: every list/show command is
run in a fresh interpreter on a small store, and the modules it loaded must not include alembic (the
migration check needs no alembic when the schema is current), reportlab, cryptography, pyHanko, Pillow,
exifread, PySide6, filelock (readers take no lock) or the PostgreSQL dialect.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_app.models.migrate import HEAD_REVISION, head_revision

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("alembic", "mako", "reportlab", "cryptography", "pyhanko", "asn1crypto", "PIL", "exifread", "PySide6",
         "shiboken6", "filelock", "qrcode", "pypdf", "sqlalchemy.dialects.postgresql")

_RUN = """
import contextlib, io, json, sys
from inspect_app.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    status = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.startswith(tuple(json.loads(%r))))
from inspect_app.models.base import Base
tables = sorted(Base.metadata.tables)
configured = sorted(m.local_table.name for m in Base.registry.mappers if m.configured)
app = sorted(m for m in sys.modules if m.startswith("inspect_app."))
print(json.dumps({"status": status, "loaded": loaded, "tables": tables, "configured": configured, "app": app,
                  "out": out.getvalue()}))
"""


def _run(data_dir: Path, *argv: str) -> dict[str, object]:
    code = _RUN % json.dumps(list(HEAVY))
    proc = subprocess.run([sys.executable, "-c", code, "--data-dir", str(data_dir), *argv],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    return result


def _ids(data_dir: Path, *argv: str) -> list[str]:
    result = _run(data_dir, "--json", *argv)
    rows = json.loads(str(result["out"]))
    return [row["id"] for row in rows]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli-imports") / "data"
    proc = subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data), "demo", "--no-photos"],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr
    return data


@pytest.fixture(scope="module")
def opinion_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one issued opinion (made through the command line, signed)."""
    from inspect_app.models.store import open_store
    from tests.opinion_case import PASS, make_case, signoff_args

    data = tmp_path_factory.mktemp("cli-opinion") / "data"
    with open_store(data) as store:
        case = make_case(store)
    env = {**os.environ, "INSPECT_APP_PASSPHRASE": PASS, "INSPECT_APP_TODAY": "2021-10-28"}
    app = [sys.executable, "-m", "inspect_app", "--data-dir", str(data)]
    for argv in (["identity", "create", "--name", "王建国", "--organisation", "郑州市工业和信息化局"],
                 ["opinion", "issue", "--inspection", case.inspection_id, "--conclusion", "pass",
                  "--out", str(data.parent / "opinion.pdf"), *signoff_args("pass")]):
        proc = subprocess.run([*app, *argv], capture_output=True, text=True, cwd=REPO, env=env, check=False,
                              stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
    return data


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    # open_store compares the stored revision with HEAD_REVISION so that it needs no alembic import;
    # a new migration must move the constant.
    assert head_revision() == HEAD_REVISION, (
        f"models/migrate.py HEAD_REVISION is {HEAD_REVISION!r} but the newest migration is {head_revision()!r}")


@pytest.mark.parametrize("command", [
    ["inspection", "list"], ["inspection", "show", "{inspection}"], ["enterprise", "list"],
    ["enterprise", "show", "{enterprise}"], ["equipment", "list"], ["finding", "list"], ["card", "list"],
    ["photos", "list", "--inspection", "{inspection}"], ["photos", "check", "--inspection", "{inspection}"],
    ["opinion", "list"], ["settings", "show"], ["audit", "verify"], ["conflicts", "list"], ["bundle", "history"],
])
def test_list_and_show_commands_load_no_heavy_library(demo_dir: Path, command: list[str]) -> None:
    values = {"inspection": _ids(demo_dir, "inspection", "list")[0],
              "enterprise": _ids(demo_dir, "enterprise", "list")[0]}
    argv = [word.format(**values) for word in command]
    result = _run(demo_dir, *argv)
    assert result["status"] in (0, 1), result
    assert str(result["out"]).strip(), "the command printed nothing"
    assert result["loaded"] == [], f"{' '.join(command)} loaded {result['loaded']}"


SYNC_TABLES = {"sync_peer", "sync_bundle", "sync_outbox", "sync_conflict"}


@pytest.mark.parametrize(("command", "unneeded"), [
    (["inspection", "list"], {"photo", "acceptance_opinion", "setting", "device", *SYNC_TABLES}),
    (["enterprise", "list"], {"photo", "acceptance_opinion", "setting", "device", *SYNC_TABLES}),
    (["settings", "show"], {"photo", "acceptance_opinion", "enterprise", "inspection", *SYNC_TABLES}),
    # Listing opinions reads the opinion's row, its inspection and enterprise: not the photo table; listing photos
    # reads no opinion table (models/opinions.py apart from models/evidence.py).
    (["opinion", "list"], {"photo", "setting", "device", *SYNC_TABLES}),
    (["photos", "list", "--inspection", "{inspection}"], {"acceptance_opinion", "opinion_countersignature",
                                                          *SYNC_TABLES}),
])
def test_list_commands_declare_only_the_tables_they_read(demo_dir: Path, command: list[str],
                                                         unneeded: set[str]) -> None:
    # Each mapped class costs ~5 ms of start-up: casework commands leave evidence, sync and the store's own
    # rows undeclared, settings the casework (inspect_app.models loads classes on first use).
    if any("{" in word for word in command):
        command = [word.format(inspection=_ids(demo_dir, "inspection", "list")[0]) for word in command]
    result = _run(demo_dir, *command)
    assert result["status"] == 0, result
    tables = set(map(str, result["tables"]))  # type: ignore[call-overload]
    assert tables, result
    assert not tables & unneeded, f"{' '.join(command)} declared {sorted(tables & unneeded)}"


def _check_read_model_only(data_dir: Path, argv: list[str], *, shows: str, read_model: str,
                           unneeded: set[str]) -> dict[str, object]:
    """Run a list/show command; it must print ``shows``, load ``read_model`` and none of ``unneeded``."""
    result = _run(data_dir, *argv)
    assert result["status"] == 0, result
    assert shows in str(result["out"]), result["out"]
    assert result["loaded"] == [], f"{' '.join(argv)} loaded {result['loaded']}"
    app = set(map(str, result["app"]))  # type: ignore[call-overload]
    assert read_model in app
    assert not app & unneeded, f"{' '.join(argv)} loaded {sorted(app & unneeded)}"
    return result


@pytest.mark.parametrize("command", [["opinion", "list"], ["opinion", "show", "{opinion}"]])
def test_opinion_list_and_show_load_the_read_model_only(opinion_dir: Path, command: list[str]) -> None:
    # services.opinion_records, not services.opinions: no evidence checks (flags, EXIF), no document model,
    # no settings, no wording; ~0.06 s of start-up.
    argv = [word.format(opinion=_ids(opinion_dir, "opinion", "list")[0]) for word in command]
    _check_read_model_only(opinion_dir, argv, shows="验收", read_model="inspect_app.services.opinion_records",
                           unneeded={"inspect_app.services.opinions", "inspect_app.evidence.flags",
                                     "inspect_app.evidence.exif", "inspect_app.reports.opinion_model",
                                     "inspect_app.services.settings", "inspect_app.models.evidence"})


@pytest.mark.parametrize("command", [["photos", "list", "--inspection", "{inspection}"], ["photos", "show", "{photo}"]])
def test_photos_list_and_show_load_the_read_model_only(opinion_dir: Path, command: list[str]) -> None:
    # services.photo_records, not services.photos: no casework or settings service (nor the office tables they
    # declare), no import pipeline; the photos are read in one query with their site and equipment.
    inspection = _ids(opinion_dir, "inspection", "list")[0]
    values = {"inspection": inspection, "photo": _ids(opinion_dir, "photos", "list", "--inspection", inspection)[0]}
    result = _check_read_model_only(
        opinion_dir, [word.format(**values) for word in command], shows="前",
        read_model="inspect_app.services.photo_records",
        unneeded={"inspect_app.services.photos", "inspect_app.services.casework", "inspect_app.services.settings",
                  "inspect_app.services.enterprises", "inspect_app.evidence.pipeline", "inspect_app.models.office"})
    tables = set(map(str, result["tables"]))  # type: ignore[call-overload]
    assert not tables & {"setting", "device", "year_calendar", *SYNC_TABLES}, sorted(tables)


def test_audit_verify_checks_every_table_without_configuring_a_mapper(demo_dir: Path) -> None:
    # The row check walks every synced table with Core: the tables are declared (load_all), but configuring
    # all their mappers (relationships and all) would cost ~0.05 s of its start-up.
    result = _run(demo_dir, "--json", "audit", "verify")
    assert result["status"] == 0, result
    report = json.loads(str(result["out"]))
    assert report["ok"] is True and report["rows_checked"] > 100
    assert {"photo", "acceptance_opinion", "device", "sync_peer"} <= set(map(str, result["tables"]))  # type: ignore[call-overload]
    assert result["configured"] == [], f"audit verify configured the mappers of {result['configured']}"


def test_load_all_declares_every_table_of_the_schema(demo_dir: Path) -> None:
    # Code that walks every table (audit verify's row check, the clock on open, sync) relies on load_all();
    # a model module missing from models.MODEL_MODULES would silently drop its table from them.
    code = ("import json; from inspect_app.models import Base, load_all; load_all(); "
            "print(json.dumps(sorted(Base.metadata.tables)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(demo_dir / "inspect.db") as con:
        stored = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(json.loads(proc.stdout)) == stored - {"alembic_version"}


_COLLECTOR = """
import gc, sys
from inspect_app import cli
seen = []
real_open = cli.open_from_args
def open_and_look(*args, **kwargs):
    seen.append(gc.isenabled())
    store = real_open(*args, **kwargs)
    seen.append(gc.isenabled())
    return store
cli.open_from_args = open_and_look
data = sys.argv[1]
if sys.argv[2] == "process":
    from inspect_app.__main__ import run
    sys.argv = ["inspect-app", "--data-dir", data, "inspection", "list"]
    status = run()
else:
    status = cli.main(["--data-dir", data, "inspection", "list"])
print(seen, gc.isenabled(), status)
"""


@pytest.mark.parametrize(("how", "expected"), [("process", "[False, True] True 0"), ("call", "[True, True] True 0")])
def test_the_collector_is_paused_for_start_up_only(demo_dir: Path, how: str, expected: str) -> None:
    # The entry point of a process that is one command (python -m, the inspect-app script, the built program)
    # pauses the garbage collector while start-up allocates (imports, tables) and open_from_args turns it back on
    # once the store is open; main() called as a library (tests, the window) leaves it alone.
    proc = subprocess.run([sys.executable, "-c", _COLLECTOR, str(demo_dir), how], capture_output=True, text=True,
                          cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == expected


def test_device_list_reads_certificates_without_the_pdf_signer(demo_dir: Path) -> None:
    # The list shows each device's certificate issuer and expiry (cryptography), not pyHanko or reportlab.
    result = _run(demo_dir, "device", "list")
    assert result["status"] == 0, result
    loaded = result["loaded"]
    assert isinstance(loaded, list) and {str(name).split(".")[0] for name in loaded} <= {"cryptography"}, loaded


def test_a_write_command_still_migrates_with_alembic_when_needed(tmp_path: Path) -> None:
    # The fast path must not hide an old schema: a store at revision 0001 is upgraded on open.
    from alembic import command

    from inspect_app.models.migrate import alembic_config
    from inspect_app.models.store import make_engine

    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'inspect.db'}")
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
    engine.dispose()
    result = _run(data, "--json", "init")
    assert json.loads(str(result["out"]))["schema_revision"] == HEAD_REVISION
