"""Capacity units (产能单位): stored as the plan and the sector list write them (Chinese), shown in the UI language.

The English of each unit is in the core's catalogue (``resources/i18n/messages_en.json``); a unit the office typed
that is not listed here is shown as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from inspect_app.i18n import translate

__all__ = ["CAPACITY_UNITS", "capacity_text", "unit_text"]

CAPACITY_UNITS: tuple[str, ...] = ("万吨/年", "吨/年", "吨/日", "万重量箱/年")
"""The units of the shipped sectors (``resources/reference/sectors.json``); each has English."""


def unit_text(unit: str, language: str | None = None) -> str:
    """Return a stored unit (万吨/年 …) in ``language`` (default: the current one): "×10⁴ t/yr" in English."""
    return translate(unit, language) if unit in CAPACITY_UNITS else unit


def capacity_text(amounts: Iterable[tuple[Decimal, str]], separator: str = "；", language: str | None = None) -> str:
    """Return capacities as "40 万吨/年；5 吨/日" ("40 ×10⁴ t/yr; 5 t/day" in English with ``separator="; "``),
    each amount without trailing zeros, each unit in ``language``."""
    return separator.join(f"{format(amount.normalize(), 'f')} {unit_text(unit, language)}" for amount, unit in amounts)
