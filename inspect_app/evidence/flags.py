"""Doubt flags on photo evidence, as pure functions: no database, no files, no clock of their own."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Literal

from inspect_app.evidence.exif import ExifFacts
from inspect_app.evidence.images import hamming

Stage = Literal["before", "during", "after"]
Severity = Literal["info", "warning", "serious"]

STAGES: tuple[Stage, ...] = ("before", "during", "after")
STAGE_LABELS: dict[str, str] = {"before": "拆除前", "during": "拆除中", "after": "拆除后"}
_STAGE_RANK = {stage: i for i, stage in enumerate(STAGES)}

CHINA_TZ = timezone(timedelta(hours=8), "CST")

# Lower-case fragments of Software values written by editors (desktop and phone); cameras write firmware names.
EDITING_SOFTWARE: tuple[str, ...] = (
    "photoshop",
    "lightroom",
    "gimp",
    "snapseed",
    "美图",
    "meitu",
    "picsart",
    "vsco",
    "facetune",
    "pixlr",
    "paint.net",
    "affinity photo",
    "capture one",
    "luminar",
    "darktable",
    "rawtherapee",
    "photoscape",
    "fotor",
    "醒图",
    "hypic",
    "光影魔术手",
    "acdsee",
    "canva",
    "wps图片",
    "b612",
    "faceu",
    "轻颜",
    "无水印",
    "水印相机",
)


@dataclass(frozen=True)
class Flag:
    """A reason to doubt a photo; ``code`` is stable, ``message_zh`` is for the inspector."""

    code: str
    message_zh: str
    severity: Severity


@dataclass(frozen=True)
class FlagSettings:
    """Thresholds of the checks (the office may tune them)."""

    radius_m: float = 1000.0
    after_max_days: int = 3
    edit_gap_minutes: float = 10.0
    near_duplicate_bits: int = 6
    future_tolerance: timedelta = timedelta(hours=1)
    # How to read a camera's naive local time; inspectors work in China.
    local_tz: tzinfo = CHINA_TZ


@dataclass(frozen=True)
class PhotoContext:
    """One photo and where it belongs; ``now`` is passed in so the checks are repeatable."""

    sha256: str
    facts: ExifFacts
    stage: Stage
    equipment_id: str | None
    enterprise_id: str
    now: datetime
    phash: int | None = None
    site_lat: float | None = None
    site_lon: float | None = None
    case_start: date | None = None
    inspection_date: date | None = None
    radius_m: float | None = None


@dataclass(frozen=True)
class OtherPhoto:
    """Another stored photo to compare with."""

    sha256: str
    phash: int | None
    stage: Stage
    equipment_id: str | None
    enterprise_id: str
    taken_at: datetime | None = None


@dataclass(frozen=True)
class Gap:
    """Evidence missing for one equipment and stage."""

    equipment_id: str
    stage: Stage
    have: int
    need: int
    message_zh: str = field(default="")


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in metres between two WGS-84 points (spherical Earth)."""
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def format_distance(metres: float) -> str:
    """Return a distance as an inspector says it: "约 850 米", "约 2.3 公里"."""
    if metres < 1000:
        return f"约 {round(metres):d} 米"
    km = metres / 1000
    return f"约 {km:.1f} 公里" if km < 100 else f"约 {round(km):d} 公里"


def _format_radius(metres: float) -> str:
    if metres >= 1000 and metres % 100 == 0:
        return f"{metres / 1000:g} 公里"
    return f"{round(metres):d} 米"


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _local_date(moment: datetime, tz: tzinfo) -> date:
    """Return the calendar day of a photo time at the site (naive camera time is already local)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(tz).date()


def _fmt_time(moment: datetime, tz: tzinfo) -> str:
    local = moment if moment.tzinfo is None else moment.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M")


def _edited_by_software(software: str | None) -> str | None:
    if not software:
        return None
    low = software.lower()
    for fragment in EDITING_SOFTWARE:
        if fragment in low:
            return software
    return None


def _time_flags(photo: PhotoContext, s: FlagSettings) -> list[Flag]:
    facts = photo.facts
    taken = facts.taken_at
    if taken is None:
        return [Flag("no_time", "照片没有拍摄时间（EXIF 中无记录），无法确认何时拍摄", "warning")]
    flags: list[Flag] = []
    tz = s.local_tz
    if _aware(taken, tz) > _aware(photo.now, tz) + s.future_tolerance:
        flags.append(
            Flag("future_time", f"拍摄时间 {_fmt_time(taken, tz)} 晚于当前时间，相机时钟可能设置错误", "warning")
        )
    day = _local_date(taken, tz)
    if photo.case_start is not None and day < photo.case_start:
        flags.append(
            Flag(
                "before_case",
                f"拍摄时间 {_fmt_time(taken, tz)} 早于本案立案（发现问题）日期 {photo.case_start:%Y-%m-%d}",
                "serious",
            )
        )
    if photo.stage == "after" and photo.inspection_date is not None:
        gap_days = abs((day - photo.inspection_date).days)
        if gap_days > s.after_max_days:
            when = "之前" if day < photo.inspection_date else "之后"
            flags.append(
                Flag(
                    "after_far_from_inspection",
                    f"拆除后照片拍摄于现场核查日 {photo.inspection_date:%Y-%m-%d} {when} {gap_days} 天，"
                    f"超过 {s.after_max_days} 天",
                    "warning",
                )
            )
    return flags


def _place_flags(photo: PhotoContext, s: FlagSettings) -> list[Flag]:
    facts = photo.facts
    if facts.gps_lat is None or facts.gps_lon is None:
        return [Flag("no_gps", "照片没有 GPS 位置信息，无法确认拍摄地点", "info")]
    if photo.site_lat is None or photo.site_lon is None:
        return []
    radius = photo.radius_m if photo.radius_m is not None else s.radius_m
    distance = haversine_m(facts.gps_lat, facts.gps_lon, photo.site_lat, photo.site_lon)
    if distance <= radius:
        return []
    return [
        Flag(
            "far_from_site",
            f"照片距企业厂址{format_distance(distance)}，超出 {_format_radius(radius)}核查半径",
            "serious",
        )
    ]


def _edit_flags(photo: PhotoContext, s: FlagSettings) -> list[Flag]:
    facts = photo.facts
    software = _edited_by_software(facts.software)
    if software is not None:
        return [Flag("edited", f"照片经过图片编辑软件处理（{software}），可能不是原始照片", "warning")]
    original, modified = facts.original_at, facts.modified_at
    if original is not None and modified is not None:
        # Both are the camera's naive wall-clock times from the same file: compare them as they are.
        gap = abs(modified - original)
        if gap > timedelta(minutes=s.edit_gap_minutes):
            return [
                Flag(
                    "edited",
                    f"照片的修改时间（{modified:%Y-%m-%d %H:%M}）与拍摄时间（{original:%Y-%m-%d %H:%M}）相差"
                    f" {_fmt_gap(gap)}，拍摄后可能被编辑过",
                    "warning",
                )
            ]
    return []


def _fmt_gap(gap: timedelta) -> str:
    minutes = gap.total_seconds() / 60
    if minutes < 120:
        return f"{round(minutes):d} 分钟"
    hours = minutes / 60
    if hours < 48:
        return f"{round(hours):d} 小时"
    return f"{round(hours / 24):d} 天"


def _is_same_use(photo: PhotoContext, other: OtherPhoto) -> bool:
    return (
        other.sha256 == photo.sha256
        and other.enterprise_id == photo.enterprise_id
        and other.equipment_id == photo.equipment_id
        and other.stage == photo.stage
    )


def _comparison_flags(photo: PhotoContext, others: Sequence[OtherPhoto], s: FlagSettings) -> list[Flag]:
    flags: list[Flag] = []
    seen: set[str] = set()

    def add(flag: Flag) -> None:
        # One flag per code: the inspector needs the reason, not a list of every match.
        if flag.code not in seen:
            seen.add(flag.code)
            flags.append(flag)

    tz = s.local_tz
    taken = photo.facts.taken_at
    for other in others:
        if _is_same_use(photo, other):
            continue  # the photo itself (or the identical file attached twice to the same place)
        if other.sha256 == photo.sha256:
            if other.enterprise_id != photo.enterprise_id:
                add(Flag("duplicate_other_enterprise", "同一张照片已作为另一家企业的证据使用", "serious"))
            else:
                add(
                    Flag(
                        "reused_same",
                        f"同一张照片已用于本企业的{_where(photo, other)}，一张照片不能证明两件事",
                        "warning",
                    )
                )
        elif (
            photo.phash is not None
            and other.phash is not None
            and hamming(photo.phash, other.phash) <= s.near_duplicate_bits
            and (other.enterprise_id != photo.enterprise_id or other.stage != photo.stage)
        ):
            if other.enterprise_id != photo.enterprise_id:
                text = "与另一家企业的一张照片几乎相同（可能是同一场景或翻拍）"
            else:
                text = f"与本企业的一张{STAGE_LABELS[other.stage]}照片几乎相同，拆除前后应有明显变化"
            add(Flag("near_duplicate", text, "warning"))
        if (
            taken is not None
            and other.taken_at is not None
            and photo.equipment_id is not None
            and other.equipment_id == photo.equipment_id
            and other.enterprise_id == photo.enterprise_id
            and other.stage != photo.stage
        ):
            mine, theirs = _aware(taken, tz), _aware(other.taken_at, tz)
            earlier_stage = _STAGE_RANK[photo.stage] < _STAGE_RANK[other.stage]
            if (earlier_stage and mine > theirs) or (not earlier_stage and mine < theirs):
                relation = "晚于" if earlier_stage else "早于"
                add(
                    Flag(
                        "stage_order",
                        f"这张{STAGE_LABELS[photo.stage]}照片的拍摄时间{relation}同一设备的"
                        f"{STAGE_LABELS[other.stage]}照片（{_fmt_time(other.taken_at, tz)}），顺序不合理",
                        "serious",
                    )
                )
    return flags


def _where(photo: PhotoContext, other: OtherPhoto) -> str:
    place = "另一设备的" if other.equipment_id != photo.equipment_id else ""
    return f"{place}{STAGE_LABELS[other.stage]}照片"


def compute_flags(photo: PhotoContext, others: Sequence[OtherPhoto], *, settings: FlagSettings) -> list[Flag]:
    """Return every doubt about ``photo``, compared with the ``others`` already on record."""
    return [
        *_time_flags(photo, settings),
        *_place_flags(photo, settings),
        *_edit_flags(photo, settings),
        *_comparison_flags(photo, others, settings),
    ]


def required_evidence_gaps(
    counts: Mapping[tuple[str, str], int],
    equipment_ids: Iterable[str],
    required_per_stage: int = 1,
    *,
    equipment_names: Mapping[str, str] | None = None,
) -> list[Gap]:
    """Return what photo evidence is missing: each equipment needs photos before, during and after."""
    gaps: list[Gap] = []
    names = equipment_names or {}
    for equipment_id in equipment_ids:
        label = names.get(equipment_id, "该设备")
        for stage in STAGES:
            have = counts.get((equipment_id, stage), 0)
            if have >= required_per_stage:
                continue
            if have == 0:
                text = f"{label}缺少{STAGE_LABELS[stage]}照片（至少需要 {required_per_stage} 张）"
            else:
                text = f"{label}的{STAGE_LABELS[stage]}照片只有 {have} 张，至少需要 {required_per_stage} 张"
            gaps.append(Gap(equipment_id, stage, have, required_per_stage, text))
    return gaps
