"""Use cases on a real store (SQLite file, and PostgreSQL when configured): each refusal changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inspect_app import rules
from inspect_app.errors import RuleViolation, UserError
from inspect_app.models import AuditEvent, Card, Enterprise, Equipment, Finding
from inspect_app.models.store import Store
from inspect_app.services import casework, enterprises
from inspect_app.services.audit import verify_audit
from inspect_app.services.demo import load_demo
from inspect_app.services.overview import overview

TODAY = date(2021, 9, 1)
USCC = rules.make_uscc("410185", 42)


def _counts(store: Store) -> tuple[int, ...]:
    with store.reader() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(m)) or 0)
                     for m in (Enterprise, Equipment, Finding, Card, AuditEvent))


def _enterprise(store: Store) -> tuple[str, str]:
    with store.transaction() as s:
        ent = enterprises.register_enterprise(s, name="登封市测试水泥有限公司", uscc=USCC, region="登封市",
                                              address="登封市卢店镇", lat=34.46, lon=113.08)
        eq = enterprises.add_equipment(s, enterprise_id=ent.id, name="立窑", capacity="16", unit="万吨/年",
                                       sector="水泥", model="Φ2.5×10m", quantity=2)
    return ent.id, eq.id


def test_register_and_add_equipment(store: Store, backend: str) -> None:
    ent_id, _eq_id = _enterprise(store)
    with store.reader() as s:
        view = enterprises.get_enterprise(s, USCC)
        assert view.id == ent_id and view.region == "登封市"
        assert view.equipment[0].capacity == Decimal("16") and view.equipment[0].sector == "水泥"
        rows = enterprises.list_enterprises(s, sector="cement", today=TODAY)
        assert [r.id for r in rows] == [ent_id]
        assert rows[0].capacity == "16 万吨/年"
        assert enterprises.list_enterprises(s, region="郑州市", today=TODAY)[0].id == ent_id  # parent region
        assert verify_audit(s).ok


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"uscc": "91410100MA44ABCD1X"}, "E_USCC_INVALID"),
    ({"uscc": "12345"}, "E_USCC_INVALID"),
    ({"region": "火星市"}, "E_REGION_UNKNOWN"),
    ({"name": "   "}, "E_NAME_REQUIRED"),
    ({"lat": 95.0, "lon": 113.0}, "E_LOCATION_INVALID"),
    ({"lat": 34.0}, "E_LOCATION_INVALID"),
])
def test_register_refuses_bad_input(store: Store, backend: str, kwargs: dict[str, object], code: str) -> None:
    args: dict[str, object] = {"name": "甲企业", "uscc": USCC, "region": "登封市"}
    args.update(kwargs)
    before = _counts(store)
    with pytest.raises(UserError) as err, store.transaction() as s:
        enterprises.register_enterprise(s, **args)  # type: ignore[arg-type]
    assert err.value.code == code
    assert _counts(store) == before


def test_duplicate_uscc_is_refused(store: Store, backend: str) -> None:
    _enterprise(store)
    before = _counts(store)
    with pytest.raises(UserError) as err, store.transaction() as s:
        enterprises.register_enterprise(s, name="另一家", uscc=USCC.lower(), region="登封市")
    assert err.value.code == "E_USCC_DUPLICATE"
    assert _counts(store) == before


@pytest.mark.parametrize(("capacity", "sector", "code"), [
    ("0", "水泥", "E_CAPACITY_INVALID"),
    ("-5", "水泥", "E_CAPACITY_INVALID"),
    ("abc", "水泥", "E_CAPACITY_INVALID"),
    ("NaN", "水泥", "E_CAPACITY_INVALID"),
    ("10", "造纸", "E_SECTOR_UNKNOWN"),
])
def test_equipment_refuses_bad_input(store: Store, capacity: str, sector: str, code: str) -> None:
    ent_id, _ = _enterprise(store)
    before = _counts(store)
    with pytest.raises(UserError) as err, store.transaction() as s:
        enterprises.add_equipment(s, enterprise_id=ent_id, name="磨机", capacity=capacity, unit="万吨/年",
                                  sector=sector)
    assert err.value.code == code
    assert _counts(store) == before


def test_finding_deadline_and_extension_rules(store: Store, backend: str) -> None:
    _, eq_id = _enterprise(store)
    with store.transaction() as s:
        f = casework.record_finding(s, equipment_id=eq_id, aspect="energy", found_on=date(2021, 2, 28), today=TODAY)
    assert f.deadline == date(2021, 8, 28)
    with store.reader() as s:
        assert enterprises.get_equipment_row(s, eq_id).status == "rectifying"
    before = _counts(store)
    # After the deadline passed: refused.
    with pytest.raises(RuleViolation) as err, store.transaction() as s:
        casework.extend_finding(s, f.id, until=date(2021, 10, 1), today=date(2021, 8, 29))
    assert err.value.code == "E_EXTENSION_TOO_LATE"
    # More than 3 months: refused.
    with pytest.raises(RuleViolation) as err, store.transaction() as s:
        casework.extend_finding(s, f.id, until=date(2021, 11, 29), today=date(2021, 8, 1))
    assert err.value.code == "E_EXTENSION_TOO_LONG"
    assert _counts(store) == before
    with store.transaction() as s:
        ext = casework.extend_finding(s, f.id, until=date(2021, 11, 28), reason="设备到货延迟", today=date(2021, 8, 1))
    assert ext.effective_deadline == date(2021, 11, 28)
    with pytest.raises(RuleViolation) as err, store.transaction() as s:
        casework.extend_finding(s, f.id, until=date(2021, 11, 28), today=date(2021, 8, 2))
    assert err.value.code == "E_EXTENSION_ALREADY"


def test_extension_only_for_energy(store: Store) -> None:
    _, eq_id = _enterprise(store)
    with store.transaction() as s:
        f = casework.record_finding(s, equipment_id=eq_id, aspect="quality", found_on=date(2021, 3, 1), today=TODAY)
    with pytest.raises(RuleViolation) as err, store.transaction() as s:
        casework.extend_finding(s, f.id, until=date(2021, 10, 1), today=date(2021, 8, 1))
    assert err.value.code == "E_EXTENSION_NOT_ALLOWED"


def test_forbidden_status_move_is_refused(store: Store, backend: str) -> None:
    _, eq_id = _enterprise(store)
    before = _counts(store)
    with pytest.raises(RuleViolation) as err, store.transaction() as s:
        enterprises.set_equipment_status(s, eq_id, "accepted")
    assert err.value.code == "E_STATUS_MOVE"
    assert "已摸排认定" in err.value.message
    assert _counts(store) == before
    with store.transaction() as s:
        enterprises.set_equipment_status(s, eq_id, "dismantling")
        enterprises.set_equipment_status(s, eq_id, "dismantled")
    with store.reader() as s:
        assert enterprises.get_enterprise(s, USCC).status == "exiting"


def test_cards_issue_and_lift(store: Store, backend: str) -> None:
    ent_id, eq_id = _enterprise(store)
    with store.transaction() as s:
        card = casework.issue_card(s, enterprise_id=ent_id, equipment_id=eq_id, color="黄牌",
                                   issued_on=date(2021, 5, 1), reason="能耗超限额")
    with pytest.raises(RuleViolation) as err, store.transaction() as s:
        casework.issue_card(s, enterprise_id=ent_id, equipment_id=eq_id, color="yellow", issued_on=date(2021, 5, 2),
                            reason="重复")
    assert err.value.code == "E_CARD_ACTIVE"
    with store.transaction() as s:
        casework.lift_card(s, card.id, lifted_on=date(2021, 7, 1), reason="整改复查合格")
    with pytest.raises(RuleViolation), store.transaction() as s:
        casework.lift_card(s, card.id, lifted_on=date(2021, 7, 2), reason="再次")
    with store.reader() as s:
        assert enterprises.get_equipment_row(s, eq_id).status == "yellow_card"
        assert casework.list_cards(s, active_only=True) == []


def test_inspection_plan_and_record(store: Store, backend: str) -> None:
    ent_id, eq_id = _enterprise(store)
    with store.transaction() as s:
        insp = casework.plan_inspection(s, enterprise_id=ent_id, equipment_ids=[eq_id], planned_on=date(2021, 8, 30),
                                        team=[{"name": "王建国", "organisation": "市工信局"}])
        insp = casework.record_inspection(s, insp.id, visited_on=date(2021, 8, 31),
                                          checklist={"dismantled": {"result": "是", "note": "已切割"}}, today=TODAY)
    assert insp.status == "draft" and insp.checklist["dismantled"] == {"result": "yes", "note": "已切割"}
    with pytest.raises(UserError) as err, store.transaction() as s:
        casework.record_inspection(s, insp.id, checklist={"teleported": "yes"}, today=TODAY)
    assert err.value.code == "E_CHECKLIST_INVALID"
    with store.transaction() as s:
        done = casework.record_inspection(s, insp.id, finish=True, today=TODAY)
    assert done.status == "done"
    with pytest.raises(RuleViolation), store.transaction() as s:
        casework.record_inspection(s, insp.id, notes="改", today=TODAY)


def test_demo_and_overview(store: Store, backend: str) -> None:
    today = date(2026, 11, 29)
    with store.transaction() as s:
        assert load_demo(s, today=today) == 20
    with store.reader() as s:
        ov = overview(s, today=today)
        assert ov.enterprises == 20
        assert ov.overdue and all(i.days_left < 0 for i in ov.overdue)
        assert ov.cards["yellow"] >= 1 and ov.cards["red"] == 1
        assert {c.sector for c in ov.capacity} == {"钢铁", "煤炭", "焦化", "水泥", "石化化工", "电解铝", "平板玻璃"}
        assert next(m.key for m in ov.milestones) == "survey_report_due"
        rows = enterprises.list_enterprises(s, today=today)
        assert all(rules.is_valid_uscc(r.uscc) for r in rows)
        assert {r.id for r in enterprises.list_enterprises(s, overdue_only=True, today=today)} == {
            i.enterprise_id for i in ov.overdue}
        assert len(enterprises.list_enterprises(s, card="red", today=today)) == 1
        some = [r.id for r in rows[:3]]
        assert [r for r in enterprises.list_enterprises(s, ids=some, today=today)] == [
            r for r in rows if r.id in some]
        assert enterprises.list_enterprises(s, ids=[], today=today) == []
        report = verify_audit(s)
        assert report.ok, report.problems[:3]
