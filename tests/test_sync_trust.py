"""Office → laptop: the laptop's office-issued certificate, the office CA and revocations travel in assignments;
a laptop accepts the office on first contact through the CA it trusts; cancelling leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from sqlalchemy import select

from inspect_app.crypto.ca import load_ca
from inspect_app.errors import Cancelled
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.models.sync import SyncPeer, SyncRevocation
from inspect_app.services.identity import export_request, identity_dir, trust_certificate
from inspect_app.sync.devices import register_device, revoke_device
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle
from tests.sync_fixtures import (
    PASS,
    USCCS,
    add_case,
    add_photos,
    casework_records,
    make_laptop,
    make_office,
    records_of,
    snapshot,
)


def test_certificate_ca_and_revocations_reach_the_laptop(tmp_path: Path) -> None:
    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, None, name="王建国")  # self-signed so far
    other = make_laptop(tmp_path, office, name="李四")
    try:
        # the office registers the laptop from its request and issues its certificate; nothing is carried by hand
        # but the office CA certificate, which the laptop is told to trust (its fingerprint read out on the phone)
        with office.store.transaction() as s:
            register_device(s, pem=export_request(laptop.store, PASS), ca=load_ca(office.ca_folder, PASS))
            revoke_device(s, other.store.device_id, reason="笔记本遗失")
        trust_certificate(laptop.store, (office.ca_folder / "ca_cert.pem").read_bytes(), name="office-ca")
        cert_file = identity_dir(laptop.store) / "device_cert.pem"
        before = x509.load_pem_x509_certificate(cert_file.read_bytes())
        assert before.issuer == before.subject

        sent = export_bundle(office.store, office.identity, tmp_path, target=laptop.store.device_id)
        report = import_bundle(laptop.store, sent.path)
        assert report.status == "applied", report.message
        after = x509.load_pem_x509_certificate(cert_file.read_bytes())
        assert after.issuer != after.subject and after.public_key() == before.public_key()
        with laptop.store.reader() as s:
            office_peer = s.get(SyncPeer, office.store.device_id)
            assert office_peer is not None and office_peer.role == "office" and office_peer.registered_via == "office_ca"
            revoked = s.scalars(select(SyncRevocation)).all()
            assert [r.device_id for r in revoked] == [other.store.device_id] and revoked[0].source == "office"

        # the laptop's next submission is signed with the office-issued certificate and accepted
        add_case(laptop.store)
        from inspect_app.services.identity import load_device_identity

        back = export_bundle(laptop.store, load_device_identity(laptop.store, PASS), tmp_path)
        assert import_bundle(office.store, back.path).status == "applied"
    finally:
        for store in (laptop.store, other.store, office.store):
            store.close()


def test_cancelled_import_and_export_leave_nothing(tmp_path: Path) -> None:
    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office)
    try:
        ids = add_case(laptop.store)
        add_photos(laptop.store, tmp_path / "dcim", ids["inspection"], n=6)
        out = tmp_path / "out"
        out.mkdir()
        calls = 0

        def cancel_soon() -> None:
            nonlocal calls
            calls += 1
            if calls > 5:
                raise Cancelled()

        with pytest.raises(Cancelled):
            export_bundle(laptop.store, laptop.identity, out, cancel=cancel_soon)
        assert list(out.iterdir()) == []
        bundle = export_bundle(laptop.store, laptop.identity, out).path
        before = snapshot(office.store)
        calls = 0
        with pytest.raises(Cancelled):
            import_bundle(office.store, bundle, cancel=cancel_soon)
        assert snapshot(office.store) == before
        assert list(BlobStore(office.store.blob_root).iter_temp_files()) == []
        assert import_bundle(office.store, bundle).status == "applied"
    finally:
        laptop.store.close()
        office.store.close()


def test_an_assignment_carries_the_laptops_work_the_reference_data_and_nothing_else(tmp_path: Path) -> None:
    from inspect_app.models import Enterprise, Inspection, Region, Sector
    from inspect_app.services import casework
    from inspect_app.services.reference import add_region, add_sector

    office = make_office(tmp_path)
    wang = make_laptop(tmp_path, office, name="王建国")
    li = make_laptop(tmp_path, office, name="李四")
    try:
        mine = add_case(office.store)
        theirs = add_case(office.store, uscc=USCCS[1], name="郑州某钢铁有限公司")
        with office.store.transaction() as s:
            casework.assign_inspection(s, mine["inspection"], device=wang.store.device_id)
            casework.assign_inspection(s, theirs["inspection"], device=li.store.device_id)
            add_sector(s, code="C3099", name="其他非金属矿物制品", units=["万吨/年"])
            add_region(s, code="410199", name="郑州航空港经济综合实验区", level="county", parent=None)

        sent = export_bundle(office.store, office.identity, tmp_path / "to-wang", target=wang.store.device_id)
        report = import_bundle(wang.store, sent.path)
        assert report.status == "applied", report.message
        with wang.store.reader() as s:
            # the laptop's own visit with its deadline-bearing finding and its team, and the office's new
            # reference data; not the visit assigned to another laptop
            insp = s.get(Inspection, mine["inspection"])
            assert insp is not None and insp.assigned_device == wang.store.device_id
            assert insp.team == [{"name": "王建国", "organisation": "市工信局", "title": "科长"}]
            assert s.get(Inspection, theirs["inspection"]) is None
            assert s.get(Enterprise, theirs["enterprise"]) is None
            assert s.scalars(select(Sector).where(Sector.code == "C3099")).one().name == "其他非金属矿物制品"
            assert s.scalars(select(Region).where(Region.code == "410199")).one().name == "郑州航空港经济综合实验区"
        # the reference data matches the office's, row for row
        ref = ("region", "sector", "aspect", "exit_method", "year_calendar")
        assert records_of(wang.store, tables=ref) == records_of(office.store, tables=ref)
        assert {k: v for k, v in casework_records(wang.store).items() if k[0] == "finding"} == {
            k: v for k, v in casework_records(office.store).items() if k[0] == "finding" and k[1] == mine["finding"]}
    finally:
        for store in (wang.store, li.store, office.store):
            store.close()


def test_only_the_office_keeps_the_device_registry(tmp_path: Path) -> None:
    from inspect_app.errors import UserError

    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office, name="王建国")
    other = make_laptop(tmp_path, None, name="李四")
    try:
        before = snapshot(laptop.store)
        with pytest.raises(UserError) as caught, laptop.store.transaction() as s:
            register_device(s, pem=export_request(other.store, PASS))
        assert caught.value.code == "E_OFFICE_ONLY" and "市办公室" in caught.value.message
        with pytest.raises(UserError) as caught, laptop.store.transaction() as s:
            revoke_device(s, office.store.device_id, reason="试图吊销办公室")
        assert caught.value.code == "E_OFFICE_ONLY"
        assert snapshot(laptop.store) == before
    finally:
        for store in (laptop.store, other.store, office.store):
            store.close()
