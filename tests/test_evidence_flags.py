"""Doubt flags, table-driven: each case names the flags it must raise and nothing else."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from inspect_app.evidence.exif import ExifFacts
from inspect_app.evidence.flags import (
    FlagSettings,
    OtherPhoto,
    PhotoContext,
    compute_flags,
    format_distance,
    haversine_m,
    required_evidence_gaps,
)

CST = timezone(timedelta(hours=8))
SITE = (34.7466, 113.6253)  # Zhengzhou
SETTINGS = FlagSettings()
GOOD_FACTS = ExifFacts(
    taken_at=datetime(2021, 9, 10, 10, 0),
    taken_at_source="DateTimeOriginal",
    original_at=datetime(2021, 9, 10, 10, 0),
    modified_at=datetime(2021, 9, 10, 10, 0),
    gps_lat=SITE[0] + 0.001,
    gps_lon=SITE[1],
    software="ELS-AN00 11.0.0",
)


def ctx(facts: ExifFacts = GOOD_FACTS, **kw: object) -> PhotoContext:
    base = PhotoContext(
        sha256="a" * 64,
        facts=facts,
        stage="after",
        equipment_id="eq1",
        enterprise_id="ent1",
        now=datetime(2021, 9, 12, 12, 0, tzinfo=CST),
        phash=0x0F0F_0F0F_0F0F_0F0F,
        site_lat=SITE[0],
        site_lon=SITE[1],
        case_start=date(2021, 3, 1),
        inspection_date=date(2021, 9, 11),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def codes(photo: PhotoContext, others: list[OtherPhoto] | None = None, settings: FlagSettings = SETTINGS) -> list[str]:
    return sorted(f.code for f in compute_flags(photo, others or [], settings=settings))


def test_good_photo_has_no_flags() -> None:
    assert codes(ctx()) == []


@pytest.mark.parametrize(
    ("facts_change", "ctx_change", "expected"),
    [
        ({"taken_at": None, "taken_at_source": None}, {}, ["no_time"]),
        ({"taken_at": datetime(2021, 9, 13, 10, 0)}, {"inspection_date": date(2021, 9, 13)}, ["future_time"]),
        # aware time in UTC that is still in the past at +08:00
        ({"taken_at": datetime(2021, 9, 12, 3, 30, tzinfo=UTC)}, {"inspection_date": date(2021, 9, 12)}, []),
        ({"taken_at": datetime(2021, 2, 27, 9, 0)}, {"stage": "before"}, ["before_case"]),
        ({"taken_at": datetime(2021, 9, 1, 10, 0)}, {}, ["after_far_from_inspection"]),
        ({"taken_at": datetime(2021, 9, 8, 10, 0)}, {}, []),  # exactly 3 days: allowed
        ({"taken_at": datetime(2021, 9, 1, 10, 0)}, {"stage": "during"}, []),  # only after photos
        ({"gps_lat": None, "gps_lon": None}, {}, ["no_gps"]),
        ({"gps_lat": SITE[0] + 0.02}, {}, ["far_from_site"]),
        ({}, {"site_lat": None, "site_lon": None}, []),  # site unknown: cannot judge distance
        ({"gps_lat": SITE[0] + 0.02}, {"radius_m": 5000.0}, []),
        ({"software": "Adobe Photoshop 23.1 (Windows)"}, {}, ["edited"]),
        ({"software": "美图秀秀"}, {}, ["edited"]),
        ({"software": "Snapseed 2.0"}, {}, ["edited"]),
        ({"software": "Picsart"}, {}, ["edited"]),
        ({"modified_at": datetime(2021, 9, 10, 10, 30)}, {}, ["edited"]),
        ({"modified_at": datetime(2021, 9, 10, 10, 9)}, {}, []),
    ],
)
def test_single_photo_flags(facts_change: dict[str, object], ctx_change: dict[str, object], expected: list[str]) -> None:
    facts = replace(GOOD_FACTS, **facts_change)  # type: ignore[arg-type]
    assert codes(ctx(facts, **ctx_change)) == expected


def test_far_from_site_message_gives_the_distance() -> None:
    facts = replace(GOOD_FACTS, gps_lat=SITE[0] + 0.0207)  # ~2.3 km north
    (flag,) = compute_flags(ctx(facts), [], settings=SETTINGS)
    assert flag.message_zh == "照片距企业厂址约 2.3 公里，超出 1 公里核查半径"
    assert flag.message.render("en") == "The photo was taken about 2.3 km from the enterprise site, beyond the 1 km radius"
    assert flag.severity == "serious"


def test_edited_message_names_the_software() -> None:
    facts = replace(GOOD_FACTS, software="Adobe Photoshop Lightroom Classic 10.0")
    (flag,) = compute_flags(ctx(facts), [], settings=SETTINGS)
    assert "Lightroom" in flag.message_zh


def test_edit_gap_threshold_is_a_setting() -> None:
    facts = replace(GOOD_FACTS, modified_at=datetime(2021, 9, 10, 10, 30))
    assert codes(ctx(facts), settings=FlagSettings(edit_gap_minutes=60)) == []


def other(**kw: object) -> OtherPhoto:
    base = OtherPhoto(sha256="b" * 64, phash=0xFFFF_0000_FFFF_0000, stage="before", equipment_id="eq1", enterprise_id="ent1")
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        ([other(sha256="a" * 64, stage="after")], []),  # itself
        ([other(sha256="a" * 64, enterprise_id="ent2")], ["duplicate_other_enterprise"]),
        ([other(sha256="a" * 64, stage="before")], ["reused_same"]),
        ([other(sha256="a" * 64, stage="after", equipment_id="eq2")], ["reused_same"]),
        ([other(phash=0x0F0F_0F0F_0F0F_0F0F ^ 0b111111, enterprise_id="ent2")], ["near_duplicate"]),
        ([other(phash=0x0F0F_0F0F_0F0F_0F0F ^ 0b1111111, enterprise_id="ent2")], []),  # 7 bits apart
        ([other(phash=0x0F0F_0F0F_0F0F_0F0F, stage="before")], ["near_duplicate"]),  # after looks like before
        ([other(phash=0x0F0F_0F0F_0F0F_0F0F, stage="after")], []),  # two similar after photos: fine
        ([other(phash=None, enterprise_id="ent2")], []),
        # stage order: an after photo taken before a before photo of the same equipment
        ([other(stage="before", taken_at=datetime(2021, 9, 10, 11, 0))], ["stage_order"]),
        ([other(stage="before", taken_at=datetime(2021, 9, 10, 9, 0))], []),
        ([other(stage="during", taken_at=datetime(2021, 9, 10, 10, 30))], ["stage_order"]),
        ([other(stage="before", taken_at=datetime(2021, 9, 10, 11, 0), equipment_id="eq2")], []),
        # aware other at 02:30 UTC = 10:30 at +08:00, later than our naive 10:00 local
        ([other(stage="before", taken_at=datetime(2021, 9, 10, 2, 30, tzinfo=UTC))], ["stage_order"]),
    ],
)
def test_comparison_flags(others: list[OtherPhoto], expected: list[str]) -> None:
    assert codes(ctx(), others) == expected


def test_stage_order_from_the_before_side() -> None:
    before = ctx(stage="before")
    later_after = other(stage="after", taken_at=datetime(2021, 9, 10, 9, 0))
    flags = compute_flags(before, [later_after], settings=SETTINGS)
    assert [f.code for f in flags] == ["stage_order"]
    assert "拆除前" in flags[0].message_zh and "拆除后" in flags[0].message_zh


def test_one_flag_per_code_however_many_matches() -> None:
    dups = [other(sha256="a" * 64, enterprise_id=f"ent{i}") for i in range(2, 6)]
    assert codes(ctx(), dups) == ["duplicate_other_enterprise"]


@pytest.mark.parametrize(
    ("a", "b", "metres"),
    [
        ((34.7466, 113.6253), (34.7466, 113.6253), 0.0),
        ((0.0, 0.0), (0.0, 1.0), 111_195.0),
        ((34.7466, 113.6253), (39.9042, 116.4074), 621_000.0),  # Zhengzhou → Beijing
        ((0.0, 179.9), (0.0, -179.9), 22_239.0),  # across the date line
    ],
)
def test_haversine(a: tuple[float, float], b: tuple[float, float], metres: float) -> None:
    assert haversine_m(*a, *b) == pytest.approx(metres, rel=0.01, abs=1)


@pytest.mark.parametrize(("metres", "text"), [(850.4, "约 850 米"), (2349, "约 2.3 公里"), (123_456, "约 123 公里")])
def test_format_distance(metres: float, text: str) -> None:
    assert format_distance(metres).zh == text


def test_required_evidence_gaps() -> None:
    counts = {("eq1", "before"): 2, ("eq1", "during"): 1, ("eq1", "after"): 1, ("eq2", "before"): 1}
    gaps = required_evidence_gaps(counts, ["eq1", "eq2"], equipment_names={"eq2": "2号炉"})
    assert [(g.equipment_id, g.stage, g.have) for g in gaps] == [("eq2", "during", 0), ("eq2", "after", 0)]
    assert gaps[0].message_zh == "2号炉缺少拆除中照片（至少需要 1 张）"
    two = required_evidence_gaps(counts, ["eq1"], required_per_stage=2)
    assert [(g.stage, g.have, g.need) for g in two] == [("during", 1, 2), ("after", 1, 2)]
    assert "只有 1 张" in two[0].message_zh


def dated(moment: datetime) -> ExifFacts:
    return replace(GOOD_FACTS, taken_at=moment, original_at=moment, modified_at=moment)


def test_one_late_before_photo_alone_is_out_of_order() -> None:
    """A before photo dated a year late is doubted; the during/after photos around it are not (issue 9 item 3)."""
    def at(day: int) -> datetime:
        return datetime(2021, 9, day, 10, 0)

    peers = [other(sha256=f"{i:064x}", stage=stage, taken_at=at(day), phash=None)
             for i, (stage, day) in enumerate([("before", 1), ("before", 2), ("during", 5), ("during", 6),
                                               ("after", 8), ("after", 9)])]
    late_before = replace(ctx(stage="before", facts=dated(datetime(2021, 9, 11, 10, 0))), phash=None)
    assert codes(late_before, peers) == ["stage_order"]
    # Each during/after photo, seen with the late before photo among the others, is in order.
    late = other(sha256="f" * 64, stage="before", taken_at=datetime(2021, 9, 11, 10, 0), phash=None)
    for i, peer in enumerate(peers[2:], start=2):
        assert peer.taken_at is not None
        mine = replace(ctx(stage=peer.stage, facts=dated(peer.taken_at)), phash=None,
                       sha256=peer.sha256)
        rest = [p for j, p in enumerate(peers) if j != i] + [late]
        assert "stage_order" not in codes(mine, rest), peer


def test_out_of_order_positions() -> None:
    from inspect_app.evidence.flags import out_of_order_positions

    assert out_of_order_positions([0, 0, 1, 1, 2, 2, 0]) == {6}
    assert out_of_order_positions([2, 0]) == {0, 1}  # two that contradict each other: either may be wrong
    assert out_of_order_positions([0, 1, 2]) == set()
    assert out_of_order_positions([0, 2, 1, 2]) == {1, 2}
