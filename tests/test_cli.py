"""The command line as office scripts use it: real processes, real store, exit statuses and --json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_app.rules import make_uscc

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    def run(*args: str, today: str = "2021-09-01") -> subprocess.CompletedProcess[str]:
        env = {"INSPECT_APP_TODAY": today, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
        return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(tmp_path / "d"), *args],
                              capture_output=True, text=True, cwd=REPO, env=env)
    return run


def test_script_workflow(cli) -> None:  # type: ignore[no-untyped-def]
    uscc = make_uscc("410183", 7)
    add = cli("enterprise", "add", "--name", "新密市测试钢铁有限公司", "--uscc", uscc, "--region", "新密市",
              "--sector", "钢铁", "--address", "新密市来集镇", "--lat", "34.54", "--lon", "113.42")
    assert add.returncode == 0, add.stderr
    ent_id = add.stdout.strip()
    assert len(ent_id) == 36
    eq = cli("equipment", "add", "--enterprise", ent_id, "--name", "10吨中频炉", "--capacity", "12",
             "--unit", "万吨/年", "--model", "GW-10", "--quantity", "3")  # sector: the enterprise's
    assert eq.returncode == 0, eq.stderr
    eq_id = eq.stdout.strip()
    fnd = cli("finding", "add", "--equipment", eq_id, "--aspect", "energy", "--found-on", "2021-03-31")
    assert fnd.returncode == 0, fnd.stderr
    finding_id, deadline = fnd.stdout.split()[0], fnd.stdout.strip().split("：")[-1]
    assert deadline == "2021-09-30"
    ext = cli("--json", "finding", "extend", finding_id, "--until", "2021-12-30")
    assert ext.returncode == 0, ext.stderr
    assert json.loads(ext.stdout)["deadline"] == "2021-12-30"
    listed = cli("enterprise", "list", "--json")  # --json after the subcommand too
    rows = json.loads(listed.stdout)
    assert [r["uscc"] for r in rows] == [uscc]
    assert rows[0]["capacity"] == "12 万吨/年"
    assert rows[0]["sectors"] == "钢铁"
    card = cli("card", "issue", "--enterprise", uscc, "--color", "yellow", "--reason", "能耗超标")
    assert card.returncode == 0, card.stderr
    insp = cli("inspection", "add", "--enterprise", ent_id, "--equipment", eq_id, "--date", "2021-08-31",
               "--team", "王建国:市工信局:科长", "--check", "dismantled=yes:已拆除", "--check", "not_relocated=yes")
    assert insp.returncode == 0, insp.stderr
    shown = json.loads(cli("--json", "inspection", "show", insp.stdout.strip()).stdout)
    assert shown["checklist"]["dismantled"] == {"result": "yes", "note": "已拆除"}
    assert cli("audit", "verify").returncode == 0


@pytest.mark.parametrize(("args", "code"), [
    (["enterprise", "add", "--name", "甲", "--uscc", "91410100MA44ABCD1X", "--region", "郑州市"], "E_USCC_INVALID"),
    (["enterprise", "add", "--name", "甲", "--uscc", make_uscc("410100", 1), "--region", "火星"], "E_REGION_UNKNOWN"),
    (["enterprise", "show", "nonexistent-id"], "E_ENTERPRISE_NOT_FOUND"),
    (["finding", "extend", "00000000-0000-0000-0000-000000000000", "--until", "2021-10-01"], "E_FINDING_NOT_FOUND"),
])
def test_refused_input_exits_1_with_a_stable_code(cli, args: list[str], code: str) -> None:  # type: ignore[no-untyped-def]
    proc = cli(*args)
    assert proc.returncode == 1
    assert proc.stderr.startswith(code + ":")
    as_json = cli("--json", *args)
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["error"]["code"] == code


def test_capacity_and_extension_refusals(cli) -> None:  # type: ignore[no-untyped-def]
    ent_id = cli("enterprise", "add", "--name", "乙", "--uscc", make_uscc("410184", 3), "--region", "新郑市").stdout.strip()
    bad = cli("equipment", "add", "--enterprise", ent_id, "--name", "窑", "--capacity", "-3", "--unit", "万吨/年",
              "--sector", "水泥")
    assert bad.returncode == 1 and "E_CAPACITY_INVALID" in bad.stderr
    eq_id = cli("equipment", "add", "--enterprise", ent_id, "--name", "窑", "--capacity", "3", "--unit", "万吨/年",
                "--sector", "水泥").stdout.strip()
    fid = cli("finding", "add", "--equipment", eq_id, "--aspect", "能耗", "--found-on", "2021-01-15").stdout.split()[0]
    late = cli("finding", "extend", fid, "--until", "2021-09-01", today="2021-08-01")
    assert late.returncode == 1 and "E_EXTENSION_TOO_LATE" in late.stderr
    long = cli("finding", "extend", fid, "--until", "2021-10-16", today="2021-07-01")
    assert long.returncode == 1 and "E_EXTENSION_TOO_LONG" in long.stderr
    move = cli("equipment", "status", eq_id, "--to", "accepted")
    assert move.returncode == 1 and "E_STATUS_MOVE" in move.stderr


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("enterprise", "add", "--name", "x").returncode == 2
    assert cli("finding", "add", "--equipment", "x", "--aspect", "energy", "--found-on", "31/03/2021").returncode == 2
    assert cli("no-such-command").returncode == 2


def test_demo_and_backup(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").returncode == 0
    again = cli("demo")
    assert again.returncode == 1 and "E_DEMO_NOT_EMPTY" in again.stderr
    out = tmp_path / "backup.inspect-backup"
    assert cli("backup", "--out", str(out)).returncode == 0
    import sqlite3
    import zipfile

    with zipfile.ZipFile(out) as archive:  # the database travels inside the verified archive (services/backup.py)
        (tmp_path / "copy.db").write_bytes(archive.read("inspect.db"))
    con = sqlite3.connect(tmp_path / "copy.db")
    assert con.execute("SELECT COUNT(*) FROM enterprise").fetchone()[0] == 20
    con.close()
    refused = cli("backup", "--out", str(out))
    assert refused.returncode == 1 and "E_FILE_EXISTS" in refused.stderr


def test_settings_show_and_set(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("settings", "set", "opinion_number_pattern", "豫淘汰落后验〔{year}〕{serial}号").returncode == 0
    assert cli("settings", "set", "photos_per_stage", "2").returncode == 0
    shown = json.loads(cli("--json", "settings", "show").stdout)
    assert shown["opinion_number_pattern"] == "豫淘汰落后验〔{year}〕{serial}号"
    assert shown["photos_per_stage"] == 2
    bad = cli("settings", "set", "opinion_number_pattern", "无序号〔{year}〕")
    assert bad.returncode == 1 and bad.stderr.startswith("E_NUMBER_PATTERN:")
    assert cli("settings", "set", "photos_per_stage", "0").returncode == 1
    assert cli("settings", "set", "no_such_key", "1").stderr.startswith("E_SETTING_UNKNOWN:")


def test_enterprise_date_of_establishment(cli) -> None:  # type: ignore[no-untyped-def]
    uscc = make_uscc("410183", 11)
    add = cli("enterprise", "add", "--name", "新密市成立日期测试有限公司", "--uscc", uscc, "--region", "新密市",
              "--established", "2003/5/18")
    assert add.returncode == 0, add.stderr
    shown = cli("enterprise", "show", uscc)
    assert "成立日期：2003-05-18" in shown.stdout
    assert json.loads(cli("--json", "enterprise", "show", uscc).stdout)["enterprise"]["established_on"] == "2003-05-18"
    for bad, reason in (("2999-01-01", "晚于今天"), ("五月", "应为日期"), ("1850-01-01", "早于 1900 年")):
        refused = cli("enterprise", "add", "--name", "乙", "--uscc", make_uscc("410183", 12), "--region", "新密市",
                      "--established", bad)
        assert refused.returncode == 1 and refused.stderr.startswith("E_ESTABLISHED_INVALID:"), refused.stderr
        assert reason in refused.stderr
    assert "E_ENTERPRISE_NOT_FOUND" in cli("enterprise", "show", make_uscc("410183", 12)).stderr  # nothing written
    plain = cli("enterprise", "add", "--name", "丙", "--uscc", make_uscc("410183", 13), "--region", "新密市")
    assert plain.returncode == 0 and "成立日期：未填" in cli("enterprise", "show", plain.stdout.strip()).stdout
