"""The shipped faces: each registers, and the cut-down Kai face has every character a second-level heading of
the opinion prints ("（一）技术方面。"), for every aspect the store knows — a new aspect name fails here rather
than silently printing in the fallback face."""

from __future__ import annotations

from sqlalchemy import select

from inspect_app import rules
from inspect_app.models.entities import Aspect
from inspect_app.models.store import Store
from inspect_app.reports.fonts import FANG, HEI, KAI, SONG, XBS, register_fonts
from inspect_app.reports.official_layout import cn_number


def test_every_face_registers_with_a_cmap() -> None:
    fonts = register_fonts()
    for face in (SONG, HEI, FANG, XBS, KAI):
        assert ord("一") in fonts.cmaps[face], face


def test_kai_covers_every_second_level_heading(store: Store) -> None:
    with store.reader() as s:
        names = set(s.scalars(select(Aspect.name))) | {rule.name for rule in rules.ASPECTS.values()}
    assert len(names) >= 5
    kai = register_fonts().cmaps[KAI]
    for n in range(1, 21):
        for name in names:
            heading = f"（{cn_number(n)}）{name}方面。"
            missing = [ch for ch in heading if ord(ch) not in kai]
            assert not missing, (heading, missing)
