"""A store made by an earlier release opens in this one: migrations run, nothing is lost, the audit trail holds.

``tests/fixtures/releases/<version>/`` keeps a store written by each release (``make_release_store.py`` makes the
folder once, at the release). Every later release keeps every folder and this test: it is the proof that a
laptop's database, upgraded in place, comes through.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from inspect_app.models.migrate import head_revision
from inspect_app.models.store import open_store
from tests.fixtures.make_release_store import counts, digest_enterprises

RELEASES = sorted((Path(__file__).resolve().parent / "fixtures" / "releases").iterdir())


def test_there_is_a_fixture_of_a_release() -> None:
    assert RELEASES, "tests/fixtures/releases/ must keep a store of every release"


@pytest.mark.parametrize("release", RELEASES, ids=[p.name for p in RELEASES])
def test_store_of_an_earlier_release_opens_and_holds_its_data(release: Path, tmp_path: Path) -> None:
    from inspect_app.rules import make_uscc
    from inspect_app.services.audit import verify_audit
    from inspect_app.services.doctor import run_doctor
    from inspect_app.services.enterprises import count_enterprises, register_enterprise

    expected = json.loads((release / "expected.json").read_text(encoding="utf-8"))
    data = tmp_path / "data"
    data.mkdir()
    with gzip.open(release / "inspect.db.gz", "rb") as src, (data / "inspect.db").open("wb") as dst:
        shutil.copyfileobj(src, dst)
    store = open_store(data)  # migrations run here, after a copy of the old file
    try:
        assert store.info().schema_revision == head_revision()
        with store.reader() as session:
            assert verify_audit(session).ok
            assert count_enterprises(session) == expected["counts"]["enterprise"]
        with store.transaction() as session:  # and the upgraded store takes new work
            register_enterprise(session, name="升级后登记的企业", uscc=make_uscc("410185", 424242), region="410185")
        with store.reader() as session:
            assert verify_audit(session).ok
    finally:
        store.close()
    db = data / "inspect.db"
    now = counts(db)
    for table, n in expected["counts"].items():
        if table in ("enterprise", "audit_event", "audit_head"):
            continue  # one more enterprise and its events were written above
        assert now.get(table) == n, table
    assert now["enterprise"] == expected["counts"]["enterprise"] + 1
    if expected["schema_revision"] != head_revision():
        assert list((data / "backups").glob(f"inspect-*-{expected['schema_revision']}.db")), "no copy before migrating"
    report = run_doctor(data)
    assert report.ok, report.problems
    original = tmp_path / "original.db"
    with gzip.open(release / "inspect.db.gz", "rb") as src, original.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    assert digest_enterprises(original) == expected["enterprise_digest"]
