"""Which laptop the office's next assignment goes to by default: the one with work waiting, else the one the site
visits are assigned to; a laptop's own changes are not work waiting for it. Real stores, real bundles."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspect_app.services import casework
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle
from inspect_app.sync.targets import (
    REASON_ASSIGNED,
    REASON_FIRST,
    REASON_NONE,
    REASON_PENDING,
    assignment_targets,
)
from tests.sync_fixtures import USCCS, Laptop, Office, add_case, make_laptop, make_office


@dataclass
class Two:
    office: Office
    first: Laptop  # registered first: listed last (newest registration first)
    second: Laptop
    root: Path


@pytest.fixture
def two(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator[Two]:
    """An office (on SQLite, then on PostgreSQL) with two registered laptops."""
    office = make_office(tmp_path, request.getfixturevalue("pg_url") if backend == "postgresql" else None)
    first = make_laptop(tmp_path, office, name="王建国")
    second = make_laptop(tmp_path, office, name="李四")
    yield Two(office, first, second, tmp_path)
    for store in (first.store, second.store, office.store):
        store.close()


def choice(two: Two, inspections: tuple[str, ...] = ()) -> tuple[str | None, str, dict[str, tuple[int, int]]]:
    with two.office.store.reader() as s:
        got = assignment_targets(s, inspections=inspections)
    return got.default, got.reason, {t.name: (t.assigned, t.pending) for t in got.targets}


def assign(two: Two, inspection: str, laptop: Laptop) -> None:
    with two.office.store.transaction() as s:
        casework.assign_inspection(s, inspection, device=laptop.store.device_id)


def test_the_default_is_the_laptop_with_work_waiting_not_the_first_listed(two: Two) -> None:
    first_id, second_id = two.first.store.device_id, two.second.store.device_id
    assert choice(two) == (second_id, REASON_FIRST, {"李四": (0, 0), "王建国": (0, 0)})  # nothing assigned yet
    case = add_case(two.office.store)
    assign(two, case["inspection"], two.first)
    assert choice(two) == (first_id, REASON_PENDING, {"李四": (0, 0), "王建国": (1, 1)})

    # sent: nothing waits any more; the default stays with the laptop the visit is assigned to
    sent = export_bundle(two.office.store, two.office.identity, two.root, target=first_id)
    assert choice(two) == (first_id, REASON_ASSIGNED, {"李四": (0, 0), "王建国": (1, 0)})

    # a new visit for the other laptop: the default moves there
    other = add_case(two.office.store, uscc=USCCS[1], name="郑州某钢铁有限公司")
    assign(two, other["inspection"], two.second)
    assert choice(two) == (second_id, REASON_PENDING, {"李四": (1, 1), "王建国": (1, 0)})
    # looking at the first visit only: its laptop, which has nothing waiting for it
    assert choice(two, (case["inspection"],)) == (first_id, REASON_ASSIGNED, {"李四": (0, 0), "王建国": (1, 0)})

    # the office edits the first laptop's visit: work waits for it again
    with two.office.store.transaction() as s:
        casework.record_inspection(s, case["inspection"], notes="请核对窑体拆除情况")
    assert choice(two)[2] == {"李四": (1, 1), "王建国": (1, 1)}
    assert choice(two, (case["inspection"],))[:2] == (first_id, REASON_PENDING)

    # the laptop's own change, arriving at the office, is not work waiting for it
    again = export_bundle(two.office.store, two.office.identity, two.root, target=first_id)
    for bundle in (sent, again):
        got = import_bundle(two.first.store, bundle.path)
        assert got.status == "applied", (bundle.path.name, got.code, got.message)
    with two.first.store.transaction() as s:
        casework.record_inspection(s, case["inspection"], notes="窑体已切割")
    submitted = export_bundle(two.first.store, two.first.identity, two.root)
    assert import_bundle(two.office.store, submitted.path).status == "applied"
    assert choice(two)[2] == {"李四": (1, 1), "王建国": (1, 0)}


def test_a_revoked_laptop_is_no_target_and_without_laptops_there_is_none(two: Two, tmp_path: Path) -> None:
    from inspect_app.sync.devices import revoke_device

    case = add_case(two.office.store)
    assign(two, case["inspection"], two.first)
    with two.office.store.transaction() as s:
        revoke_device(s, two.first.store.device_id, reason="调离")
    default, reason, targets = choice(two)
    assert (default, reason, targets) == (two.second.store.device_id, REASON_FIRST, {"李四": (0, 0)})
    lone = make_office(tmp_path / "lone")
    try:
        with lone.store.reader() as s:
            got = assignment_targets(s)
        assert (got.targets, got.default, got.reason) == ([], None, REASON_NONE)
    finally:
        lone.store.close()


def test_assignments_sent_before_the_laptop_acknowledges_each_continue_its_chain(two: Two) -> None:
    """Found while testing the default: a second assignment written before the laptop answered started the office's
    audit chain at the office's new head, and the laptop refused it (E_AUDIT_CHAIN, "中间缺失"). Both now start at
    the first anchor, so the laptop takes them one after the other."""
    target = two.first.store.device_id
    case = add_case(two.office.store)
    assign(two, case["inspection"], two.first)
    one = export_bundle(two.office.store, two.office.identity, two.root, target=target)
    with two.office.store.transaction() as s:
        casework.record_inspection(s, case["inspection"], notes="请核对窑体拆除情况")
    two_ = export_bundle(two.office.store, two.office.identity, two.root, target=target)
    assert two_.audit_from == one.audit_from < two_.audit_head
    for bundle in (one, two_):
        got = import_bundle(two.first.store, bundle.path)
        assert got.status == "applied", (got.code, got.message)
