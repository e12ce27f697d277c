"""Programs of different versions in one office: a bundle from an older program lacks the fields added since,
one from a newer program carries fields this one cannot store. Both are merged (what is missing keeps this
store's value; what is unknown stays with the sender); a record lacking a field every version has is refused.

The bundles are made by today's exporter, then rewritten the way the other version would have written them and
signed again with the laptop's own key, so that everything but the records' field set is genuine.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from inspect_app.models.entities import Enterprise
from inspect_app.services.enterprises import update_enterprise
from inspect_app.sync import format as fmt
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle
from inspect_app.sync.signing import sign_manifest
from tests.sync_fixtures import (
    Laptop,
    Office,
    add_case,
    audit_ok,
    conflicts_of,
    make_laptop,
    make_office,
    snapshot,
)


@dataclass
class Pair:
    office: Office
    laptop: Laptop
    ids: dict[str, str]
    root: Path


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    """A laptop whose case reached the office; the office then set the enterprise's date of establishment."""
    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office)
    try:
        ids = add_case(laptop.store)
        first = export_bundle(laptop.store, laptop.identity, tmp_path / "out").path
        assert import_bundle(office.store, first).status == "applied"
        with office.store.transaction() as s:
            update_enterprise(s, ids["enterprise"], established_on="2003-05-18")
        with laptop.store.transaction() as s:
            update_enterprise(s, ids["enterprise"], contact_name="李主任")
        yield Pair(office, laptop, ids, tmp_path)
    finally:
        laptop.store.close()
        office.store.close()


def _as_written_by(pair: Pair, edit: Callable[[dict[str, Any]], None]) -> Path:
    """Export the laptop's next bundle, apply ``edit`` to each enterprise record, and sign it again."""
    bundle = export_bundle(pair.laptop.store, pair.laptop.identity, pair.root / "next").path
    with zipfile.ZipFile(bundle) as zf:
        items = [(info, zf.read(info)) for info in zf.infolist()]
    manifest = json.loads(next(data for info, data in items if info.filename == fmt.MANIFEST))
    changed: dict[str, bytes] = {}
    for info, data in items:
        if info.filename.startswith("records/"):
            lines = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
            for record in lines:
                if record["table"] == "enterprise":
                    edit(record)
            changed[info.filename] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines).encode()
    for entry in manifest["entries"]:
        if entry["path"] in changed:
            entry["size"] = len(changed[entry["path"]])
            entry["sha256"] = hashlib.sha256(changed[entry["path"]]).hexdigest()
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
    out = pair.root / "rewritten.icb"
    with zipfile.ZipFile(out, "w") as zf:
        for info, data in items:
            if info.filename == fmt.MANIFEST:
                data = manifest_bytes
            elif info.filename == fmt.SIGNATURE:
                data = sign_manifest(pair.laptop.identity, manifest_bytes)
            zf.writestr(info, changed.get(info.filename, data))
    return out


def _drop(record: dict[str, Any], name: str) -> None:
    for part in ("fields", "stamps", "bases"):
        record[part].pop(name, None)


def _enterprise(pair: Pair) -> tuple[date | None, str]:
    with pair.office.store.reader() as s:
        row = s.get(Enterprise, pair.ids["enterprise"])
        assert row is not None
        return row.established_on, row.contact_name


def test_a_bundle_from_an_older_program_keeps_the_fields_it_does_not_know(pair: Pair) -> None:
    # The laptop's program predates established_on: its record lacks the field. The office's date must stay,
    # with no conflict, while the laptop's own change (the contact) is merged.
    bundle = _as_written_by(pair, lambda record: _drop(record, "established_on"))
    report = import_bundle(pair.office.store, bundle)
    assert report.status == "applied", (report.code, report.message)
    assert _enterprise(pair) == (date(2003, 5, 18), "李主任")
    assert conflicts_of(pair.office.store) == []
    assert audit_ok(pair.office.store)


def test_a_bundle_from_a_newer_program_is_merged_without_the_fields_this_one_cannot_store(pair: Pair) -> None:
    def newer(record: dict[str, Any]) -> None:
        record["fields"]["registered_capital"] = "5000万元"  # a column of some later version
        record["stamps"]["registered_capital"] = record["hlc"]

    report = import_bundle(pair.office.store, _as_written_by(pair, newer))
    assert report.status == "applied", (report.code, report.message)
    assert _enterprise(pair) == (date(2003, 5, 18), "李主任")
    assert audit_ok(pair.office.store)


def test_a_record_lacking_a_field_every_version_has_is_refused(pair: Pair) -> None:
    before = snapshot(pair.office.store)
    report = import_bundle(pair.office.store, _as_written_by(pair, lambda record: _drop(record, "name")))
    assert report.status == "refused" and report.code == "E_BUNDLE_RECORD", (report.code, report.message)
    assert "name" in report.message
    assert snapshot(pair.office.store) == before


def test_an_enterprise_without_a_date_of_establishment_is_sent_as_the_first_programs_wrote_it(pair: Pair) -> None:
    # Laptops of schema 0010 want exactly their columns: a never-entered date is left out of the record so that
    # they can still read it; once entered (or cleared after being entered) it travels.
    from inspect_app.sync.records import LATE_COLUMNS, table_specs

    def enterprise_fields(out: Path) -> set[str]:
        """The columns of the enterprise's record in the laptop's next bundle."""
        bundle = export_bundle(pair.laptop.store, pair.laptop.identity, out).path
        with zipfile.ZipFile(bundle) as zf:
            records = [json.loads(line) for name in zf.namelist() if name.startswith("records/")
                       for line in zf.read(name).decode("utf-8").splitlines() if line.strip()]
        return {name for r in records if r["table"] == "enterprise" and r["id"] == pair.ids["enterprise"]
                for name in r["fields"]}

    first_program = set(table_specs()["enterprise"].fields) - LATE_COLUMNS["enterprise"]
    assert enterprise_fields(pair.root / "a") == first_program
    with pair.laptop.store.transaction() as s:
        update_enterprise(s, pair.ids["enterprise"], established_on="1998-07-01")
    assert enterprise_fields(pair.root / "b") == first_program | {"established_on"}
