"""An enterprise's date of establishment (成立日期, migration 0011): it travels in a sync bundle like any column."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

from sqlalchemy import select

from inspect_app.models import Enterprise
from inspect_app.services.enterprises import update_enterprise
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle
from tests.sync_fixtures import add_case, casework_records, make_laptop, make_office


def test_date_of_establishment_travels_from_the_laptop_to_the_office(tmp_path: Path) -> None:
    office = make_office(tmp_path, None)
    laptop = make_laptop(tmp_path, office)
    try:
        ids = add_case(laptop.store)
        with laptop.store.transaction() as s:
            assert update_enterprise(s, ids["enterprise"], established_on="2003-05-18").established_on == date(2003, 5, 18)
        out = tmp_path / "usb"
        out.mkdir()
        sent = export_bundle(laptop.store, laptop.identity, out)
        with zipfile.ZipFile(sent.path) as zf:
            records = [json.loads(line) for name in zf.namelist() if name.startswith("records/")
                       for line in zf.read(name).splitlines()]
        (ent,) = [r for r in records if r["table"] == "enterprise"]
        assert ent["fields"]["established_on"] == "2003-05-18"
        assert import_bundle(office.store, sent.path).status == "applied"
        with office.store.reader() as s:
            assert s.scalar(select(Enterprise.established_on).where(Enterprise.id == ids["enterprise"])) \
                == date(2003, 5, 18)
        assert casework_records(office.store) == casework_records(laptop.store)

        # cleared on the office, the laptop hears of it too
        with office.store.transaction() as s:
            assert update_enterprise(s, ids["enterprise"], established_on="").established_on is None
        back = export_bundle(office.store, office.identity, out, target=laptop.store.device_id)
        assert import_bundle(laptop.store, back.path).status == "applied"
        with laptop.store.reader() as s:
            assert s.scalar(select(Enterprise.established_on).where(Enterprise.id == ids["enterprise"])) is None
    finally:
        laptop.store.close()
        office.store.close()
