"""A real store with everything a data folder holds, built once per test module and copied for each test.

The demo's enterprises, inspections and site photos (originals, thumbnails, report images), a signing identity,
a trusted certificate and one issued, signed opinion (a document in the blob store): what backup, restore and the
health check must carry and check.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

PASSPHRASE = "backup-test-passphrase"
TODAY = date(2021, 10, 30)


@dataclass(frozen=True)
class Golden:
    """A data folder made once (closed); copy it with ``copy_to`` before changing anything."""

    root: Path
    opinion_number: str
    photos: int

    def copy_to(self, target: Path) -> Path:
        shutil.copytree(self.root, target)
        return target


def make_golden(root: Path) -> Golden:
    """Build the data folder at ``root`` and close it."""
    from inspect_app.models import Inspection
    from inspect_app.models.store import open_store
    from inspect_app.services import identity, opinions
    from inspect_app.services.demo import load_demo, load_demo_photos
    from tests.opinion_case import signoff_for

    store = open_store(root)
    try:
        with store.transaction() as session:
            load_demo(session, today=TODAY)
        photos = load_demo_photos(store, today=TODAY)
        identity.create_device_identity(store, common_name="王建国", organisation="郑州市工业和信息化局",
                                        passphrase=PASSPHRASE)
        ca = identity.create_office_ca(root.parent / f"{root.name}-ca", name="郑州市工信局 CA", passphrase=PASSPHRASE)
        identity.trust_certificate(store, ca.certificate_path.read_bytes(), name="郑州市办公室CA")
        with store.reader() as session:
            done = list(session.scalars(select(Inspection.id).where(Inspection.status == "done")))
        view = None
        for inspection_id in done:
            try:
                view = opinions.issue_opinion(store, inspection_id=inspection_id, conclusion="pass",
                                              passphrase=PASSPHRASE, out_path=root.parent / f"{inspection_id}.pdf",
                                              today=TODAY, signoff=signoff_for(store, inspection_id))
                break
            except Exception:  # a demo inspection the rules block; the next one passes
                continue
        assert view is not None, "no demo inspection could be issued"
    finally:
        store.close()
    return Golden(root=root, opinion_number=view.number, photos=photos)


def table_count(db: Path, table: str) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def tree_listing(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder`` with its bytes (to show that nothing changed)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and p.name != "inspect.lock"}
