"""A store made by an earlier release opens in this one: migrations run, nothing is lost, the audit trail holds.

``tests/fixtures/releases/<version>/`` keeps a data folder written by each release's own code
(``make_release_store.py`` makes it: the demo data, a case with six photos imported before/during/after, a device
identity and the acceptance opinion it signed). Every later release keeps every folder and this test: it is the
proof that a laptop's store, upgraded in place, comes through — its rows, its photos byte for byte, its signed
opinion and its audit chain.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models.migrate import head_revision
from inspect_app.models.store import open_store
from tests.fixtures.make_release_store import (
    STORE_ARCHIVE,
    blob_files,
    counts,
    digest_enterprises,
    opinion_rows,
    photo_rows,
    unpack_store,
)

REPO = Path(__file__).resolve().parents[1]
RELEASES = sorted(p for p in (REPO / "tests" / "fixtures" / "releases").iterdir() if p.is_dir())
FIXTURE_LIMIT = 400_000  # 0.1.0: 222 KB; a store of today's code is ~355 KB (its opinion PDF embeds more font)


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "INSPECT_APP_LANG": "zh_CN"}
    env.pop("INSPECT_APP_DB_URL", None)
    return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data), *args], env=env, cwd=REPO,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300, check=False)


def test_there_is_a_fixture_of_a_release() -> None:
    assert RELEASES, "tests/fixtures/releases/ must keep a store of every release"


@pytest.mark.parametrize("release", RELEASES, ids=[p.name for p in RELEASES])
def test_a_release_fixture_holds_photos_and_a_signed_opinion_and_stays_small(release: Path) -> None:
    """What the upgrade below must carry through is really there, written by the release's own code."""
    expected = json.loads((release / "expected.json").read_text(encoding="utf-8"))
    assert (release / STORE_ARCHIVE).stat().st_size < FIXTURE_LIMIT
    assert len(expected["photos"]) >= 3 and {p["stage"] for p in expected["photos"]} >= {"before", "during", "after"}
    assert len(expected["opinions"]) >= 1
    assert expected["counts"]["photo"] == len(expected["photos"])
    photo_blobs = {f"blobs/originals/{p['sha256'][:2]}/{p['sha256']}" for p in expected["photos"]}
    assert photo_blobs <= set(expected["blobs"])
    assert all(f"{o['pdf_sha256']}.pdf" in {Path(p).name for p in expected["blobs"]} for o in expected["opinions"])


@pytest.mark.parametrize("release", RELEASES, ids=[p.name for p in RELEASES])
def test_store_of_an_earlier_release_opens_and_holds_its_data(release: Path, tmp_path: Path) -> None:
    from inspect_app.rules import make_uscc
    from inspect_app.services.audit import verify_audit
    from inspect_app.services.doctor import run_doctor
    from inspect_app.services.enterprises import count_enterprises, register_enterprise

    expected = json.loads((release / "expected.json").read_text(encoding="utf-8"))
    data = tmp_path / "data"
    unpack_store(release / STORE_ARCHIVE, data)
    db = data / "inspect.db"
    assert digest_enterprises(db) == expected["enterprise_digest"]  # the fixture is what was recorded
    store = open_store(data)  # migrations run here, on the old release's folder
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
    now = counts(db)
    for table, n in expected["counts"].items():
        if table in ("enterprise", "audit_event", "audit_head"):
            continue  # one more enterprise and its events were written above
        assert now.get(table) == n, table
    assert now["enterprise"] == expected["counts"]["enterprise"] + 1
    if expected["schema_revision"] != head_revision():
        assert list((data / "backups").glob(f"inspect-*-{expected['schema_revision']}.db")), "no copy before migrating"

    # The photos: the same rows, and every blob the old release wrote is still there with the same bytes.
    assert photo_rows(db) == expected["photos"]
    assert opinion_rows(db) == expected["opinions"]
    blobs_now = blob_files(data)
    for relative, sha256 in expected["blobs"].items():
        assert blobs_now.get(relative) == sha256, relative
    blobs = BlobStore(data / "blobs")
    for photo in expected["photos"]:
        original = blobs.path(photo["sha256"])  # found where this release looks for it
        assert hashlib.sha256(original.read_bytes()).hexdigest() == photo["sha256"]
    report = run_doctor(data)
    assert report.ok, report.problems

    # The signed opinion still verifies with this release's checks, and the audit chain from the command line.
    for opinion in expected["opinions"]:
        pdf = blobs.document_path(opinion["pdf_sha256"])
        verified = _cli(data, "opinion", "verify", str(pdf))
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert opinion["number"] in verified.stdout
    tampered = tmp_path / "tampered.pdf"
    shutil.copyfile(blobs.document_path(expected["opinions"][0]["pdf_sha256"]), tampered)
    raw = bytearray(tampered.read_bytes())
    assert raw.startswith(b"%PDF-") and raw[9] == ord("%")
    raw[10] ^= 0x01  # the binary comment under the header: still a PDF, inside the signed range
    tampered.write_bytes(bytes(raw))
    assert _cli(data, "opinion", "verify", str(tampered)).returncode == 1  # the check above can fail
    audit = _cli(data, "audit", "verify")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    photos = _cli(data, "photos", "verify")
    assert photos.returncode == 0, photos.stdout + photos.stderr
