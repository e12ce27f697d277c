"""Status machines of equipment and enterprises, and the red/yellow cards.

Equipment (a production line or unit of outdated capacity) normally moves::

    identified → rectifying → yellow_card → closed / red_card → sealed or dismantling → dismantled → accepted
                     └────────────┴→ rectified (passed re-inspection, leaves the list)

Technology-aspect (淘汰类) equipment cannot be rectified and goes straight from identified to
closed, sealed or dismantling. Moves only go forward; a wrong entry is corrected by an administrator
outside these rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from inspect_app.errors import RuleViolation, UserError
from inspect_app.i18n import Label, Msg, Text, join

from .aspects import Aspect, parse_aspect

__all__ = [
    "CARD_LABELS",
    "ENTERPRISE_LABELS",
    "EQUIPMENT_LABELS",
    "EQUIPMENT_MOVES",
    "EXIT_STATUSES",
    "TERMINAL_STATUSES",
    "CardColor",
    "EnterpriseStatus",
    "EquipmentStatus",
    "acceptance_path",
    "allowed_equipment_moves",
    "card_for_status",
    "check_equipment_move",
    "derive_enterprise_status",
    "parse_equipment_status",
    "should_turn_red",
]


class EquipmentStatus(StrEnum):
    """Where one piece of outdated equipment (production line) stands."""

    IDENTIFIED = "identified"
    RECTIFYING = "rectifying"
    RECTIFIED = "rectified"
    YELLOW_CARD = "yellow_card"
    RED_CARD = "red_card"
    CLOSED = "closed"
    SEALED = "sealed"
    DISMANTLING = "dismantling"
    DISMANTLED = "dismantled"
    ACCEPTED = "accepted"


EQUIPMENT_LABELS: dict[EquipmentStatus, str] = {
    EquipmentStatus.IDENTIFIED: "已摸排认定",
    EquipmentStatus.RECTIFYING: "整改中",
    EquipmentStatus.RECTIFIED: "整改达标",
    EquipmentStatus.YELLOW_CARD: "黄牌警示",
    EquipmentStatus.RED_CARD: "红牌关停",
    EquipmentStatus.CLOSED: "依法关停",
    EquipmentStatus.SEALED: "断水断电封存",
    EquipmentStatus.DISMANTLING: "拆除中",
    EquipmentStatus.DISMANTLED: "已拆除",
    EquipmentStatus.ACCEPTED: "已验收",
}

_S = EquipmentStatus

# (old, new): why the move exists. Everything not listed is forbidden.
EQUIPMENT_MOVES: dict[tuple[EquipmentStatus, EquipmentStatus], str] = {
    (_S.IDENTIFIED, _S.RECTIFYING): "限期整改：能耗、环保、质量、安全方面责令整改",
    (_S.IDENTIFIED, _S.YELLOW_CARD): "直接列入黄牌名单限期整改（公布即开始整改）",
    (_S.IDENTIFIED, _S.CLOSED): "直接依法关停：淘汰类装备，或环保、安全情节严重",
    (_S.IDENTIFIED, _S.SEALED): "淘汰类装备暂不具备拆除条件：断水断电、拆除动力装置、封存主体设备",
    (_S.IDENTIFIED, _S.DISMANTLING): "淘汰类装备具备拆除条件：立即拆除",
    (_S.RECTIFYING, _S.RECTIFIED): "经复查整改达标，退出落后产能清单",
    (_S.RECTIFYING, _S.YELLOW_CARD): "列入黄牌名单公布",
    (_S.RECTIFYING, _S.CLOSED): "逾期未整改或经整改仍未达标，依法关停",
    (_S.RECTIFYING, _S.RED_CARD): "经整改仍不达标，依法关停并列入红牌名单",
    (_S.RECTIFYING, _S.DISMANTLING): "企业放弃整改，主动拆除主体设备",
    (_S.YELLOW_CARD, _S.RECTIFIED): "黄牌企业经复查整改达标，退出清单",
    (_S.YELLOW_CARD, _S.RED_CARD): "黄牌期限届满仍不达标，依法关停并列入红牌名单",
    (_S.YELLOW_CARD, _S.CLOSED): "黄牌期限届满仍不达标，依法关停",
    (_S.YELLOW_CARD, _S.DISMANTLING): "企业放弃整改，主动拆除主体设备",
    (_S.CLOSED, _S.RED_CARD): "已关停企业列入红牌名单公布",
    (_S.CLOSED, _S.SEALED): "关停后断水断电、拆除动力装置、封存主体设备",
    (_S.CLOSED, _S.DISMANTLING): "关停后拆除主体设备",
    (_S.CLOSED, _S.ACCEPTED): "整个企业关停（停业、关闭、取缔）经现场验收",
    (_S.RED_CARD, _S.SEALED): "红牌关停后断水断电、拆除动力装置、封存主体设备",
    (_S.RED_CARD, _S.DISMANTLING): "红牌关停后拆除主体设备",
    (_S.RED_CARD, _S.ACCEPTED): "红牌关停企业经现场验收",
    (_S.SEALED, _S.DISMANTLING): "封存设备限时拆除",
    (_S.SEALED, _S.ACCEPTED): "封存措施经现场验收（其后仍须限时拆除）",
    (_S.DISMANTLING, _S.DISMANTLED): "主体设备拆除完毕",
    (_S.DISMANTLED, _S.ACCEPTED): "拆除经现场检查和考核验收，出具书面验收意见",
}

TERMINAL_STATUSES: frozenset[EquipmentStatus] = frozenset(
    s for s in EquipmentStatus if not any(old == s for old, _ in EQUIPMENT_MOVES)
)
EXIT_STATUSES: frozenset[EquipmentStatus] = frozenset(
    {_S.RED_CARD, _S.CLOSED, _S.SEALED, _S.DISMANTLING, _S.DISMANTLED, _S.ACCEPTED}
)
"""Statuses on the exit path: the capacity is leaving, not being rectified."""


def parse_equipment_status(text: str) -> EquipmentStatus:
    """Return the status for a code (``sealed``) or Chinese label (``断水断电封存``); raise ``UserError``."""
    key = text.strip()
    for status, label in EQUIPMENT_LABELS.items():
        if key.lower() == status.value or key == label:
            return status
    known = "、".join(f"{label}（{status.value}）" for status, label in EQUIPMENT_LABELS.items())
    raise UserError(Msg("未知的设备状态“{text}”，应为：{known}", text=text, known=known), code="E_STATUS_UNKNOWN")


_RECTIFICATION_STATUSES: frozenset[EquipmentStatus] = frozenset({_S.RECTIFYING, _S.YELLOW_CARD, _S.RECTIFIED})


def allowed_equipment_moves(status: str, *, aspect: str | None = None) -> frozenset[EquipmentStatus]:
    """Return the statuses equipment in ``status`` may move to (technology aspect: no rectification)."""
    old = EquipmentStatus(status)
    moves = frozenset(new for (frm, new) in EQUIPMENT_MOVES if frm == old)
    if aspect is not None and parse_aspect(aspect) == Aspect.TECHNOLOGY:
        moves -= _RECTIFICATION_STATUSES
    return moves


def _labels(statuses: Iterable[EquipmentStatus]) -> Text:
    ordered = [s for s in EquipmentStatus if s in set(statuses)]
    return join("、", [Msg("“{status}”", status=Label(EQUIPMENT_LABELS[s])) for s in ordered])


def check_equipment_move(old: str, new: str, *, aspect: str | None = None) -> None:
    """Raise ``RuleViolation`` (``E_STATUS_MOVE``) unless equipment may move from ``old`` to ``new``."""
    frm, to = EquipmentStatus(old), EquipmentStatus(new)
    allowed = allowed_equipment_moves(frm, aspect=aspect)
    if to in allowed:
        return
    details = {"old": frm.value, "new": to.value, "allowed": sorted(s.value for s in allowed)}
    parts: list[Msg] = []
    if frm == to:
        parts.append(Msg("设备状态已是“{status}”，无需变更", status=Label(EQUIPMENT_LABELS[frm])))
    else:
        parts.append(Msg("设备状态不能从“{old}”改为“{new}”", old=Label(EQUIPMENT_LABELS[frm]),
                         new=Label(EQUIPMENT_LABELS[to])))
    if allowed:
        parts.append(Msg("；当前只能改为：{allowed}", allowed=_labels(allowed)))
    else:
        parts.append(Msg("；“{status}”是最终状态，不能再变更", status=Label(EQUIPMENT_LABELS[frm])))
    if (
        frm != to
        and to in _RECTIFICATION_STATUSES
        and aspect is not None
        and parse_aspect(aspect) == Aspect.TECHNOLOGY
    ):
        parts.append(Msg("（技术方面属淘汰类装备，不适用整改）"))
    raise RuleViolation(join("", parts), code="E_STATUS_MOVE", details=details)


class EnterpriseStatus(StrEnum):
    """Where an enterprise stands, derived from its equipment."""

    LISTED = "listed"
    RECTIFYING = "rectifying"
    EXITING = "exiting"
    EXITED = "exited"
    COMPLIANT = "compliant"


ENTERPRISE_LABELS: dict[EnterpriseStatus, str] = {
    EnterpriseStatus.LISTED: "已列入",
    EnterpriseStatus.RECTIFYING: "整改中",
    EnterpriseStatus.EXITING: "退出中",
    EnterpriseStatus.EXITED: "已退出",
    EnterpriseStatus.COMPLIANT: "已达标",
}


def derive_enterprise_status(equipment_statuses: Iterable[str]) -> EnterpriseStatus:
    """Return the enterprise's status from its equipment's statuses.

    In order: no equipment → listed; all rectified → compliant; all accepted or rectified (at least one
    accepted) → exited; any on the exit path → exiting; any rectifying or yellow-carded → rectifying;
    otherwise (identified, possibly with rectified ones) → listed.
    """
    statuses = {EquipmentStatus(s) for s in equipment_statuses}
    if not statuses:
        return EnterpriseStatus.LISTED
    if statuses == {_S.RECTIFIED}:
        return EnterpriseStatus.COMPLIANT
    if statuses <= {_S.ACCEPTED, _S.RECTIFIED}:
        return EnterpriseStatus.EXITED
    if statuses & EXIT_STATUSES:
        return EnterpriseStatus.EXITING
    if statuses & {_S.RECTIFYING, _S.YELLOW_CARD}:
        return EnterpriseStatus.RECTIFYING
    return EnterpriseStatus.LISTED


class CardColor(StrEnum):
    """Public disclosure card (“红黄牌”)."""

    YELLOW = "yellow"
    RED = "red"


CARD_LABELS: dict[CardColor, str] = {CardColor.YELLOW: "黄牌", CardColor.RED: "红牌"}


def should_turn_red(*, effective_deadline: date, today: date, rectified: bool) -> bool:
    """Return whether a yellow-carded item is past its (effective) deadline without being rectified."""
    return not rectified and today > effective_deadline


def card_for_status(status: str) -> CardColor | None:
    """Return the card an equipment status carries, if any."""
    return {_S.YELLOW_CARD: CardColor.YELLOW, _S.RED_CARD: CardColor.RED}.get(EquipmentStatus(status))


def _exit_statuses_for(method: str) -> frozenset[EquipmentStatus]:
    """The exit statuses that show ``method`` done (dismantled shows sealing and closing done too)."""
    from .exit_methods import WHOLE_ENTERPRISE_METHODS, ExitMethod, parse_exit_method

    exit_method = parse_exit_method(method)
    if exit_method is ExitMethod.DISMANTLE:
        return frozenset({_S.DISMANTLED})
    if exit_method is ExitMethod.SEAL:
        return frozenset({_S.SEALED, _S.DISMANTLED})
    assert exit_method in WHOLE_ENTERPRISE_METHODS
    return frozenset({_S.CLOSED, _S.RED_CARD, _S.SEALED, _S.DISMANTLED})


def acceptance_path(status: str, method: str, *, aspect: str | None = None) -> list[EquipmentStatus] | None:
    """Return the status moves a passed acceptance records: the exit by ``method``, then 已验收.

    A pass confirms on site that the capacity left as the method requires, so it records that exit (e.g.
    已摸排认定 → 拆除中 → 已拆除 → 已验收 for dismantling) as allowed moves only. Returns ``[]`` when the equipment
    is already accepted and ``None`` when no allowed path leads there (rectified equipment left the list):
    then the pass must wait until the exit is recorded.
    """
    start = EquipmentStatus(status)
    if start is _S.ACCEPTED:
        return []
    done = _exit_statuses_for(method)
    # Breadth first: the shortest chain of allowed moves to an exit status that may be accepted.
    frontier: list[tuple[EquipmentStatus, list[EquipmentStatus]]] = [(start, [])]
    seen = {start}
    while frontier:
        following: list[tuple[EquipmentStatus, list[EquipmentStatus]]] = []
        for current, path in frontier:
            if current in done and _S.ACCEPTED in allowed_equipment_moves(current, aspect=aspect):
                return [*path, _S.ACCEPTED]
            for nxt in sorted(allowed_equipment_moves(current, aspect=aspect)):
                if nxt not in seen and nxt is not _S.ACCEPTED:
                    seen.add(nxt)
                    following.append((nxt, [*path, nxt]))
        frontier = following
    return None
