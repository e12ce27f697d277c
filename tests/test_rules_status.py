"""Status machines: every pair of equipment statuses, enterprise status, cards."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from inspect_app.errors import RuleViolation, UserError
from inspect_app.rules import (
    EQUIPMENT_LABELS,
    EQUIPMENT_MOVES,
    TERMINAL_STATUSES,
    CardColor,
    EnterpriseStatus,
    EquipmentStatus,
    allowed_equipment_moves,
    card_for_status,
    check_equipment_move,
    derive_enterprise_status,
    parse_equipment_status,
    should_turn_red,
)

S = EquipmentStatus
ALL_PAIRS = list(itertools.product(EquipmentStatus, repeat=2))
ALLOWED = [pair for pair in ALL_PAIRS if pair in EQUIPMENT_MOVES]
FORBIDDEN = [pair for pair in ALL_PAIRS if pair not in EQUIPMENT_MOVES]


def _ids(pair: tuple[EquipmentStatus, EquipmentStatus]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


@pytest.mark.parametrize("pair", ALLOWED, ids=_ids)
def test_allowed_moves_pass(pair: tuple[EquipmentStatus, EquipmentStatus]) -> None:
    check_equipment_move(*pair)
    assert pair[1] in allowed_equipment_moves(pair[0])


@pytest.mark.parametrize("pair", FORBIDDEN, ids=_ids)
def test_forbidden_moves_raise(pair: tuple[EquipmentStatus, EquipmentStatus]) -> None:
    old, new = pair
    with pytest.raises(RuleViolation) as caught:
        check_equipment_move(old, new)
    assert caught.value.code == "E_STATUS_MOVE"
    assert EQUIPMENT_LABELS[old] in caught.value.message
    if old != new:
        assert EQUIPMENT_LABELS[new] in caught.value.message
    for allowed in allowed_equipment_moves(old):
        assert EQUIPMENT_LABELS[allowed] in caught.value.message


def test_the_intended_chain_is_in_the_table() -> None:
    chains = [
        [
            S.IDENTIFIED,
            S.RECTIFYING,
            S.YELLOW_CARD,
            S.RED_CARD,
            S.SEALED,
            S.DISMANTLING,
            S.DISMANTLED,
            S.ACCEPTED,
        ],
        [S.IDENTIFIED, S.RECTIFYING, S.YELLOW_CARD, S.CLOSED, S.DISMANTLING, S.DISMANTLED, S.ACCEPTED],
        [S.IDENTIFIED, S.RECTIFYING, S.RECTIFIED],
        [S.IDENTIFIED, S.YELLOW_CARD, S.RECTIFIED],
        [S.IDENTIFIED, S.SEALED, S.ACCEPTED],
    ]
    for chain in chains:
        for old, new in itertools.pairwise(chain):
            check_equipment_move(old, new)


def test_table_shape() -> None:
    assert len(ALL_PAIRS) == len(EquipmentStatus) ** 2 == 100
    assert len(ALLOWED) == 25
    assert frozenset({S.RECTIFIED, S.ACCEPTED}) == TERMINAL_STATUSES
    assert all(old != new for old, new in EQUIPMENT_MOVES)
    assert all(EQUIPMENT_MOVES.values())  # every move is documented
    # every status except identified can be reached
    assert {new for _, new in EQUIPMENT_MOVES} == set(EquipmentStatus) - {S.IDENTIFIED}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (S.IDENTIFIED, S.RECTIFYING),
        (S.IDENTIFIED, S.YELLOW_CARD),
        (S.RECTIFYING, S.RECTIFIED),
        (S.YELLOW_CARD, S.RECTIFIED),
    ],
)
def test_technology_items_cannot_be_rectified(old: EquipmentStatus, new: EquipmentStatus) -> None:
    check_equipment_move(old, new, aspect="energy")
    with pytest.raises(RuleViolation) as caught:
        check_equipment_move(old, new, aspect="技术")
    assert "不适用整改" in caught.value.message


@pytest.mark.parametrize("new", [S.CLOSED, S.SEALED, S.DISMANTLING])
def test_technology_items_go_straight_to_exit(new: EquipmentStatus) -> None:
    check_equipment_move(S.IDENTIFIED, new, aspect="technology")


def test_technology_moves_from_identified() -> None:
    assert allowed_equipment_moves(S.IDENTIFIED, aspect="technology") == {S.CLOSED, S.SEALED, S.DISMANTLING}


@pytest.mark.parametrize("status", list(EquipmentStatus))
def test_statuses_accept_plain_strings(status: EquipmentStatus) -> None:
    assert allowed_equipment_moves(status.value) == allowed_equipment_moves(status)


@pytest.mark.parametrize(
    ("text", "status"),
    [("sealed", S.SEALED), (" SEALED ", S.SEALED), ("断水断电封存", S.SEALED), ("已验收", S.ACCEPTED)],
)
def test_parse_equipment_status(text: str, status: EquipmentStatus) -> None:
    assert parse_equipment_status(text) is status


def test_parse_equipment_status_unknown() -> None:
    with pytest.raises(UserError) as caught:
        parse_equipment_status("报废")
    assert caught.value.code == "E_STATUS_UNKNOWN"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], EnterpriseStatus.LISTED),
        ([S.IDENTIFIED], EnterpriseStatus.LISTED),
        ([S.IDENTIFIED, S.RECTIFIED], EnterpriseStatus.LISTED),
        ([S.RECTIFIED], EnterpriseStatus.COMPLIANT),
        ([S.RECTIFIED, S.RECTIFIED], EnterpriseStatus.COMPLIANT),
        ([S.RECTIFYING], EnterpriseStatus.RECTIFYING),
        ([S.IDENTIFIED, S.YELLOW_CARD], EnterpriseStatus.RECTIFYING),
        ([S.RECTIFIED, S.RECTIFYING], EnterpriseStatus.RECTIFYING),
        ([S.RECTIFYING, S.SEALED], EnterpriseStatus.EXITING),
        ([S.RED_CARD], EnterpriseStatus.EXITING),
        ([S.CLOSED], EnterpriseStatus.EXITING),
        ([S.DISMANTLED], EnterpriseStatus.EXITING),
        ([S.ACCEPTED, S.DISMANTLING], EnterpriseStatus.EXITING),
        ([S.ACCEPTED, S.IDENTIFIED], EnterpriseStatus.EXITING),
        ([S.ACCEPTED], EnterpriseStatus.EXITED),
        ([S.ACCEPTED, S.RECTIFIED], EnterpriseStatus.EXITED),
        (["accepted", "accepted"], EnterpriseStatus.EXITED),
    ],
)
def test_derive_enterprise_status(statuses: list[str], expected: EnterpriseStatus) -> None:
    assert derive_enterprise_status(statuses) is expected
    assert derive_enterprise_status(iter(statuses)) is expected  # any iterable, consumed once


@pytest.mark.parametrize(
    ("deadline", "today", "rectified", "red"),
    [
        ("2021-08-31", "2021-08-31", False, False),
        ("2021-08-31", "2021-09-01", False, True),
        ("2021-08-31", "2021-09-01", True, False),
        ("2021-08-31", "2021-01-01", False, False),
    ],
)
def test_should_turn_red(deadline: str, today: str, rectified: bool, red: bool) -> None:
    result = should_turn_red(
        effective_deadline=date.fromisoformat(deadline), today=date.fromisoformat(today), rectified=rectified
    )
    assert result is red


@pytest.mark.parametrize(
    ("status", "card"),
    [(s, CardColor.YELLOW if s is S.YELLOW_CARD else CardColor.RED if s is S.RED_CARD else None) for s in S],
)
def test_card_for_status(status: EquipmentStatus, card: CardColor | None) -> None:
    assert card_for_status(status) is card
