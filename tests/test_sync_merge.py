"""The merge: deterministic, the same in every arrival order, conflicts kept, evidence never deleted."""

from __future__ import annotations

import itertools
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_app.models import Card, Enterprise
from inspect_app.models.audit import record_event
from inspect_app.models.base import utcnow
from inspect_app.models.store import open_store
from inspect_app.rules.hlc import Hlc, format_stamp
from inspect_app.services import casework
from inspect_app.services.enterprises import update_enterprise
from inspect_app.sync.conflicts import list_conflicts, resolve_conflict
from inspect_app.sync.export import export_bundle
from inspect_app.sync.importer import import_bundle
from inspect_app.sync.merge import Side, knew, merge_rows
from tests.sync_fixtures import (
    add_case,
    add_photos,
    assign_and_edit_on_both,
    audit_ok,
    blobs_of,
    casework_records,
    conflicts_of,
    make_laptop,
    make_office,
)

DEVICES = ["a" * 8, "b" * 8, "c" * 8]


def _stamp(ms: int, counter: int, device: str) -> str:
    return format_stamp(Hlc(ms, counter), device)


# --- the rule, pure ------------------------------------------------------------------------------------------


def test_later_stamp_wins_and_a_concurrent_loser_is_a_conflict() -> None:
    base = _stamp(100, 0, "o" * 8)
    local = Side({"address": "卢店镇", "notes": ""}, {"address": _stamp(200, 0, "a" * 8), "notes": base},
                 {"address": base})
    remote = Side({"address": "告成镇", "notes": "已拆除"}, {"address": _stamp(300, 0, "b" * 8),
                                                         "notes": _stamp(300, 0, "b" * 8)},
                  {"address": base, "notes": base})
    result = merge_rows(local, remote, ["address", "notes"])
    assert result.values == {"address": "告成镇", "notes": "已拆除"}
    assert sorted(result.applied) == ["address", "notes"]
    [conflict] = result.conflicts  # notes was changed on one side only
    assert conflict.field == "address" and conflict.winner.value == "告成镇" and conflict.losers[0].value == "卢店镇"


def test_a_change_made_over_the_other_value_is_no_conflict() -> None:
    old = _stamp(100, 0, "a" * 8)
    local = Side({"address": "卢店镇"}, {"address": old})
    remote = Side({"address": "告成镇"}, {"address": _stamp(300, 0, "b" * 8)}, {"address": old})
    result = merge_rows(local, remote, ["address"])
    assert result.values["address"] == "告成镇" and not result.conflicts
    # the same device's own earlier change is known to it; a later change from the base's device too
    assert knew(_stamp(100, 0, "a" * 8), _stamp(50, 0, "a" * 8) + "", None) is False
    assert knew(_stamp(10, 0, "a" * 8), _stamp(50, 0, "b" * 8), _stamp(20, 0, "a" * 8)) is True


def test_delete_against_edit_keeps_the_row_in_either_order() -> None:
    base = _stamp(100, 0, "o" * 8)
    start = Side({"name": "窑", "deleted_at": None}, {"name": base, "deleted_at": base})
    deleted = Side({"name": "窑", "deleted_at": "2021-10-27T00:00:00+00:00"},
                   {"name": base, "deleted_at": _stamp(300, 0, "a" * 8)}, {"deleted_at": base})
    edited = Side({"name": "回转窑", "deleted_at": None}, {"name": _stamp(200, 0, "b" * 8), "deleted_at": base},
                  {"name": base})
    fields = ["name", "deleted_at"]
    outcomes = []
    for first, second in ((deleted, edited), (edited, deleted)):
        one = merge_rows(start, first, fields)
        mid = Side(one.values, one.stamps, one.bases)
        two = merge_rows(mid, second, fields)
        outcomes.append((two.values, two.stamps))
        assert any(c.kind == "delete" for c in two.conflicts)
    assert outcomes[0] == outcomes[1]
    values, stamps = outcomes[0]
    assert values == {"name": "回转窑", "deleted_at": None}
    assert stamps["deleted_at"].endswith("+r")


def test_evidence_is_never_deleted_by_a_merge() -> None:
    base = _stamp(100, 0, "a" * 8)
    live = Side({"caption": "", "deleted_at": None}, {"caption": base, "deleted_at": base})
    gone = Side({"caption": "", "deleted_at": "2021-10-27T00:00:00+00:00"},
                {"caption": base, "deleted_at": _stamp(300, 0, "b" * 8)}, {"deleted_at": base})
    result = merge_rows(live, gone, ["caption", "deleted_at"], union=True)
    assert result.values["deleted_at"] is None and not result.applied
    assert [c.kind for c in result.conflicts] == ["delete"]


stamps = st.builds(lambda ms, n, d: _stamp(ms, n, d), st.integers(1, 5), st.integers(0, 2), st.sampled_from(DEVICES))
FIELDS = ["f1", "f2", "f3"]


@st.composite
def sides(draw: st.DrawFn) -> Side:
    sts = {f: draw(stamps) for f in FIELDS}
    # one stamp names one write: the same stamp always carries the same value
    return Side({f: "v:" + sts[f] for f in FIELDS}, sts)


@settings(max_examples=300, deadline=None)
@given(start=sides(), updates=st.lists(sides(), min_size=1, max_size=4))
def test_field_merge_is_the_same_in_every_order(start: Side, updates: list[Side]) -> None:
    results = set()
    for order in itertools.permutations(updates):
        state = start
        for update in order:
            merged = merge_rows(state, update, FIELDS)
            state = Side(merged.values, merged.stamps, merged.bases)
        results.add((tuple(sorted(state.values.items())), tuple(sorted(state.stamps.items()))))
        # idempotent: the same update again changes nothing
        again = merge_rows(state, order[-1], FIELDS)
        assert not again.applied
    assert len(results) == 1


# --- on real stores: three laptops, every arrival order ------------------------------------------------------


def _seed(tmp_path: Path) -> tuple[Path, list[Path], dict[str, str]]:
    """An office, three laptops that got the same case, each changing it concurrently; their bundles."""
    office = make_office(tmp_path)
    laptops = [make_laptop(tmp_path, office, name=n) for n in ("甲", "乙", "丙")]
    try:
        ids = add_case(office.store)
        with office.store.transaction() as s:
            card = casework.issue_card(s, enterprise_id=ids["enterprise"], color="yellow", issued_on=date(2021, 4, 1),
                                       reason="能耗超标")
        ids["card"] = card.id
        for lap in laptops:  # one inspection per laptop, so each gets the enterprise
            with office.store.transaction() as s:
                insp = casework.plan_inspection(s, enterprise_id=ids["enterprise"], equipment_ids=[ids["equipment"]],
                                                planned_on=date(2021, 10, 26))
                casework.assign_inspection(s, insp.id, device=lap.store.device_id)
            # a folder per laptop: the file name has the office's device, the sequence (1 for every new target)
            # and the second, so three exports within one second would otherwise name the same file
            folder = tmp_path / f"to-{lap.name}"
            folder.mkdir()
            sent = export_bundle(office.store, office.identity, folder, target=lap.store.device_id)
            assert import_bundle(lap.store, sent.path).status == "applied"
        a, b, c = laptops
        with a.store.transaction() as s:
            update_enterprise(s, ids["enterprise"], address="登封市告成镇", contact_name="张三")
        with b.store.transaction() as s:
            update_enterprise(s, ids["enterprise"], address="登封市大冶镇")  # same field as A: a conflict
            casework.lift_card(s, ids["card"], lifted_on=date(2021, 10, 26), reason="已整改")
        with c.store.transaction() as s:
            row = s.get(Card, ids["card"])
            assert row is not None
            row.deleted_at = utcnow()  # C deletes the card B lifts: delete against edit
            record_event(s, action="card.delete", entity=row)
            update_enterprise(s, ids["enterprise"], notes="已断电")
        add_photos(a.store, tmp_path / "a", ids["inspection"], n=2, seed=1)
        add_photos(c.store, tmp_path / "c", ids["inspection"], n=2, seed=3)
        bundles = [export_bundle(lap.store, lap.identity, tmp_path / f"out-{lap.name}").path for lap in laptops]
    finally:
        for lap in laptops:
            lap.store.close()
        office.store.close()
    return tmp_path / "office", bundles, ids


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], dict[str, str]]:
    return _seed(tmp_path_factory.mktemp("merge"))


def test_every_arrival_order_gives_the_same_office_store(seeded: tuple[Path, list[Path], dict[str, str]],
                                                         tmp_path: Path) -> None:
    office_dir, bundles, ids = seeded
    outcomes = []
    for n, order in enumerate(itertools.permutations(bundles)):
        copy = tmp_path / f"office-{n}"
        shutil.copytree(office_dir, copy)
        store = open_store(copy)
        try:
            for bundle in order:
                report = import_bundle(store, bundle)
                assert report.status == "applied", report.message
            audit_ok(store)
            outcomes.append((casework_records(store), blobs_of(store), conflicts_of(store)))
            if n == 0:
                with store.reader() as s:
                    ent = s.get(Enterprise, ids["enterprise"])
                    card = s.get(Card, ids["card"])
                    assert ent is not None and card is not None
                    assert ent.contact_name == "张三" and ent.notes == "已断电"  # edits of different fields all kept
                    assert card.deleted_at is None and card.lifted_on == date(2021, 10, 26)  # delete met an edit
                    views = list_conflicts(s)
                kinds = sorted((v.table, v.field, v.kind) for v in views)
                assert kinds == [("card", "deleted_at", "delete"), ("enterprise", "address", "field")]
                address = next(v for v in views if v.field == "address")
                shown = {c.display for c in address.candidates}
                assert shown == {"登封市告成镇", "登封市大冶镇"}
                assert all(c.changed_by and c.changed_at and c.device_name in ("甲", "乙") for c in address.candidates)
        finally:
            store.close()
    assert len(outcomes) == 6
    first = outcomes[0]
    for other in outcomes[1:]:
        assert other[0] == first[0]  # records, clock stamps and versions
        assert other[1] == first[1]  # blobs: the union of both laptops' photos
        assert other[2] == first[2]  # the same conflicts, with the same contenders
    assert len(first[1]) >= 4


def test_resolving_a_conflict_wins_everywhere(seeded: tuple[Path, list[Path], dict[str, str]],
                                              tmp_path: Path) -> None:
    office_dir, bundles, ids = seeded
    copy = tmp_path / "office"
    shutil.copytree(office_dir, copy)
    store = open_store(copy)
    try:
        for bundle in bundles:
            assert import_bundle(store, bundle).status == "applied"
        with store.reader() as s:
            address = next(v for v in list_conflicts(s) if v.field == "address")
        loser = next(c for c in address.candidates if not c.current)
        with store.transaction() as s:
            done = resolve_conflict(s, address.id, choose=str(loser.number), actor="科员")
        assert done.status == "resolved" and done.current_display == loser.display
        with store.reader() as s:
            ent = s.get(Enterprise, ids["enterprise"])
            assert ent is not None and ent.address == loser.value
            assert [v.field for v in list_conflicts(s)] == ["deleted_at"]
            assert ent.hlc > max(c.stamp for c in address.candidates)  # a new change: it wins on every laptop
        audit_ok(store)
    finally:
        store.close()


def test_a_resent_row_does_not_report_its_open_conflict_again(tmp_path: Path) -> None:
    """Until the office acknowledges, each submission resends the laptop's rows: an open conflict they raised
    is reported once, and again only when a new value arrives."""
    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office)
    try:
        ids = add_case(laptop.store)
        out = tmp_path / "out"
        out.mkdir()
        assert import_bundle(office.store, export_bundle(laptop.store, laptop.identity, out).path).status == "applied"
        with laptop.store.transaction() as s:
            update_enterprise(s, ids["enterprise"], address="登封市告成镇")
        with office.store.transaction() as s:  # later: the office's value wins, the laptop's is the conflict
            update_enterprise(s, ids["enterprise"], address="登封市大冶镇")
        first = import_bundle(office.store, export_bundle(laptop.store, laptop.identity, out).path)
        assert first.status == "applied" and first.conflicts == 1
        add_case(laptop.store, uscc="91410100MA44XKQ08Q", name="郑州某钢铁有限公司")
        resent = import_bundle(office.store, export_bundle(laptop.store, laptop.identity, out).path)
        assert resent.status == "applied" and resent.added > 0
        assert resent.conflicts == 0 and resent.conflict_items == []
        with office.store.reader() as s:
            [open_one] = list_conflicts(s)
            assert len(open_one.candidates) == 2
        with laptop.store.transaction() as s:  # still not having seen the office's value: a new contender
            update_enterprise(s, ids["enterprise"], address="登封市告成镇王村")
        newer = import_bundle(office.store, export_bundle(laptop.store, laptop.identity, out).path)
        assert newer.conflicts == 1
        with office.store.reader() as s:
            [open_one] = list_conflicts(s)
            assert {c.display for c in open_one.candidates} == {"登封市大冶镇", "登封市告成镇", "登封市告成镇王村"}
        audit_ok(office.store)
    finally:
        laptop.store.close()
        office.store.close()


def test_a_laptop_keeps_its_conflicts_for_the_office_and_cannot_resolve_them(tmp_path: Path) -> None:
    """The office's assignment meets a laptop edit of the same address: the laptop lists the conflict, but
    settling it is the office's (``E_OFFICE_ONLY``), and the refusal changes nothing."""
    from inspect_app.errors import UserError
    from inspect_app.models.audit import AuditHead
    from inspect_app.models.sync import SyncConflict
    from inspect_app.sync.conflicts import can_resolve

    office = make_office(tmp_path)
    laptop = make_laptop(tmp_path, office)
    try:
        ids = assign_and_edit_on_both(office, laptop, tmp_path)
        second = export_bundle(office.store, office.identity, tmp_path, target=laptop.store.device_id)
        assert import_bundle(laptop.store, second.path).conflicts == 1
        with laptop.store.reader() as s:
            assert not can_resolve(s)
            [conflict] = list_conflicts(s)
            head = s.get(AuditHead, 1)
            before = (head.seq if head else 0, s.get(Enterprise, ids["enterprise"]).address)  # type: ignore[union-attr]
        for choice in ("1", "2", "keep"):
            with pytest.raises(UserError) as refused, laptop.store.transaction() as s:
                resolve_conflict(s, conflict.id, choose=choice, actor="王建国")
            assert refused.value.code == "E_OFFICE_ONLY" and "市办公室" in refused.value.message
        with laptop.store.reader() as s:
            row = s.get(SyncConflict, conflict.id)
            assert row is not None and row.status == "open" and row.resolved_by == ""
            head = s.get(AuditHead, 1)
            assert (head.seq if head else 0, s.get(Enterprise, ids["enterprise"]).address) == before  # type: ignore[union-attr]
        with office.store.reader() as s:
            assert can_resolve(s)
        audit_ok(laptop.store)
    finally:
        laptop.store.close()
        office.store.close()
