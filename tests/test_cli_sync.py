"""The bundle, device and conflicts commands as real processes: the first-contact flow of a laptop and the
office from the README, JSON reports, refusals with stable codes and exit status 1."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PASS = "设备口令 2021"
CA_PASS = "市办公室 CA 口令"
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli() -> Run:
    def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "INSPECT_APP_PASSPHRASE": PASS,
               "INSPECT_APP_CA_PASSPHRASE": CA_PASS, "INSPECT_APP_TODAY": "2021-10-26"}
        return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data), *args],
                              capture_output=True, text=True, cwd=REPO, env=env, stdin=subprocess.DEVNULL, timeout=300)
    return run


def _ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_first_contact_and_a_round_trip_from_the_command_line(cli: Run, tmp_path: Path) -> None:
    office, laptop, usb, ca = tmp_path / "office", tmp_path / "laptop", tmp_path / "usb", tmp_path / "ca"
    usb.mkdir()
    init = json.loads(_ok(cli(office, "--json", "init", "--role", "office")).stdout)
    assert init["role"] == "office"
    _ok(cli(office, "identity", "create", "--name", "市淘汰落后办", "--organisation", "郑州市工业和信息化局"))
    _ok(cli(office, "ca", "create", "--dir", str(ca), "--name", "郑州市淘汰落后产能工作领导小组办公室"))
    _ok(cli(office, "identity", "export-request", "--out", str(tmp_path / "office.csr")))
    _ok(cli(office, "ca", "issue", "--dir", str(ca), "--request", str(tmp_path / "office.csr"),
            "--out", str(tmp_path / "office.pem")))
    _ok(cli(office, "identity", "import-cert", str(tmp_path / "office.pem")))

    assert "核查人员" in _ok(cli(laptop, "init", "--role", "inspector")).stdout
    _ok(cli(laptop, "identity", "create", "--name", "王建国", "--organisation", "登封市工业和信息化局"))
    _ok(cli(laptop, "identity", "export-request", "--out", str(tmp_path / "laptop.csr")))
    registered = json.loads(_ok(cli(office, "--json", "device", "register", str(tmp_path / "laptop.csr"),
                                    "--ca", str(ca), "--cert-out", str(tmp_path / "laptop.pem"))).stdout)
    device = registered["device"]["device_id"]
    _ok(cli(laptop, "identity", "import-cert", str(tmp_path / "laptop.pem")))

    ent = _ok(cli(laptop, "enterprise", "add", "--name", "登封市某水泥有限公司", "--uscc", "91410185DM0010377G",
                  "--region", "登封市", "--sector", "水泥")).stdout.strip()
    _ok(cli(laptop, "equipment", "add", "--enterprise", ent, "--name", "回转窑", "--capacity", "30", "--unit", "万吨/年"))
    exported = json.loads(_ok(cli(laptop, "--json", "bundle", "export", "--out", str(usb))).stdout)
    path = Path(exported["path"])
    assert path.suffix == ".icb" and exported["sequence"] == 1
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    assert names[-2:] == ["manifest.json", "manifest.sig"] and "audit.jsonl" in names

    verified = json.loads(_ok(cli(office, "--json", "bundle", "verify", str(path))).stdout)
    assert verified["ok"] and verified["signer"] == "王建国" and verified["records"] == exported["records"]

    imported = json.loads(_ok(cli(office, "--json", "bundle", "import", str(path))).stdout)
    assert imported[0]["status"] == "applied" and imported[0]["added"] == exported["records"]
    again = cli(office, "--json", "bundle", "import", str(path))
    assert again.returncode == 0 and json.loads(again.stdout)[0]["code"] == "E_BUNDLE_REPLAYED"
    listed = json.loads(_ok(cli(office, "--json", "device", "list")).stdout)
    assert [d["device_id"] for d in listed] == [device] and listed[0]["received_seq"] == 1
    assert "企业" not in _ok(cli(office, "conflicts", "list")).stderr
    history = _ok(cli(office, "bundle", "history")).stdout
    assert "已导入" in history and "王建国" in history

    back = json.loads(_ok(cli(office, "--json", "bundle", "export", "--out", str(usb), "--device", device[:8])).stdout)
    got = json.loads(_ok(cli(laptop, "--json", "bundle", "import", back["path"])).stdout)
    assert got[0]["status"] == "applied"
    small = json.loads(_ok(cli(laptop, "--json", "bundle", "export", "--out", str(usb))).stdout)
    assert small["records"] == 0  # the office acknowledged everything

    _ok(cli(office, "device", "revoke", device[:8], "--reason", "笔记本遗失"))
    refused = cli(office, "--json", "bundle", "import", small["path"])
    assert refused.returncode == 1
    report = json.loads(refused.stdout)[0]
    assert report["code"] == "E_DEVICE_REVOKED" and "笔记本遗失" in report["message"]
    assert Path(report["quarantined_to"]).is_file()


def test_bad_files_get_codes(cli: Run, tmp_path: Path) -> None:
    junk = tmp_path / "junk.icb"
    junk.write_bytes(b"PK\x03\x04 not really")
    done = cli(tmp_path / "d", "bundle", "verify", str(junk))
    assert done.returncode == 1 and done.stderr.startswith("E_BUNDLE_TRUNCATED")
    done = cli(tmp_path / "d", "bundle", "verify", str(tmp_path / "missing.icb"))
    assert done.returncode == 1 and done.stderr.startswith("E_BUNDLE_NOT_FOUND")
    done = cli(tmp_path / "d", "conflicts", "resolve", "abcd1234", "--keep")  # an inspector's store
    assert done.returncode == 1 and done.stderr.startswith("E_OFFICE_ONLY")
    done = cli(tmp_path / "d", "bundle", "export", "--out", str(tmp_path))
    assert done.returncode == 1 and done.stderr.startswith("E_NO_IDENTITY")


def test_conflicts_are_listed_and_resolved_from_the_command_line(cli: Run, tmp_path: Path) -> None:
    """Both sides edited an enterprise's address: the office lists both values (who, when) and takes one."""
    from inspect_app.models import Enterprise
    from inspect_app.models.store import open_store
    from inspect_app.services.enterprises import update_enterprise
    from inspect_app.sync.export import export_bundle
    from inspect_app.sync.importer import import_bundle
    from tests.sync_fixtures import add_case, make_laptop, make_office

    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office)
    try:
        ids = add_case(laptop.store)
        assert import_bundle(office.store, export_bundle(laptop.store, laptop.identity, tmp_path).path).status == "applied"
        with office.store.transaction() as s:
            update_enterprise(s, ids["enterprise"], address="登封市大冶镇")
        with laptop.store.transaction() as s:
            update_enterprise(s, ids["enterprise"], address="登封市告成镇")
        report = import_bundle(office.store, export_bundle(laptop.store, laptop.identity, tmp_path).path)
        assert report.status == "applied" and report.conflicts == 1
    finally:
        laptop.store.close()
        office.store.close()
    data = tmp_path / "office"

    text = _ok(cli(data, "conflicts", "list")).stdout
    assert "登封市大冶镇" in text and "登封市告成镇" in text and "王建国" in text and "← 当前" in text
    [conflict] = json.loads(_ok(cli(data, "--json", "conflicts", "list")).stdout)
    laptop_value = next(c for c in conflict["candidates"] if c["display"] == "登封市告成镇")
    done = _ok(cli(data, "conflicts", "resolve", conflict["id"][:8], "--take", str(laptop_value["number"])))
    assert "登封市告成镇" in done.stdout
    assert json.loads(_ok(cli(data, "--json", "conflicts", "list")).stdout) == []
    assert "没有待处理的冲突" in _ok(cli(data, "conflicts", "list")).stdout
    again = cli(data, "conflicts", "resolve", conflict["id"][:8], "--keep")
    assert again.returncode == 1 and again.stderr.startswith("E_CONFLICT_RESOLVED")
    unknown = cli(data, "conflicts", "resolve", "abcd1234", "--keep")
    assert unknown.returncode == 1 and unknown.stderr.startswith("E_CONFLICT_UNKNOWN")
    store = open_store(data)
    try:
        with store.reader() as s:
            ent = s.get(Enterprise, ids["enterprise"])
            assert ent is not None and ent.address == "登封市告成镇"
    finally:
        store.close()


def test_a_laptop_lists_its_conflicts_but_resolving_is_the_offices(cli: Run, tmp_path: Path) -> None:
    """On an inspector's store ``conflicts resolve`` exits 1 with ``E_OFFICE_ONLY`` and the conflict stays open."""
    from inspect_app.sync.export import export_bundle
    from inspect_app.sync.importer import import_bundle
    from tests.sync_fixtures import assign_and_edit_on_both, make_laptop, make_office

    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office)
    try:
        assign_and_edit_on_both(office, laptop, tmp_path)
        sent = export_bundle(office.store, office.identity, tmp_path, target=laptop.store.device_id)
        assert import_bundle(laptop.store, sent.path).conflicts == 1
        data = laptop.store.data_dir
    finally:
        laptop.store.close()
        office.store.close()
    [conflict] = json.loads(_ok(cli(data, "--json", "conflicts", "list")).stdout)
    for how in (["--take", "1"], ["--keep"]):
        done = cli(data, "conflicts", "resolve", conflict["id"][:8], *how)
        assert done.returncode == 1 and done.stderr.startswith("E_OFFICE_ONLY"), done.stderr
        assert "冲突由市办公室核对处理" in done.stderr
    done = cli(data, "--json", "conflicts", "resolve", conflict["id"][:8], "--keep")
    assert done.returncode == 1 and json.loads(done.stdout)["error"]["code"] == "E_OFFICE_ONLY"
    assert [c["id"] for c in json.loads(_ok(cli(data, "--json", "conflicts", "list")).stdout)] == [conflict["id"]]
