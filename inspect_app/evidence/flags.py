"""Doubt flags on photo evidence, as pure functions: no database, no files, no clock of their own."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from inspect_app.evidence.exif import ExifFacts
from inspect_app.i18n import Label, Msg, Text
from inspect_app.rules.china_time import CHINA_TZ
from inspect_app.rules.exit_methods import ExitMethod
from inspect_app.rules.opinion_wording import stage_labels

Stage = Literal["before", "during", "after"]
Severity = Literal["info", "warning", "serious"]

STAGES: tuple[Stage, ...] = ("before", "during", "after")
# The stage names come from the opinion's wording (one source): 拆除前/中/后 for dismantled equipment, …
STAGE_LABELS: dict[str, str] = stage_labels([ExitMethod.DISMANTLE])
# Sealed equipment (封存) is not dismantled yet: its photos are before, during and after sealing.
SEALING_STAGE_LABELS: dict[str, str] = stage_labels([ExitMethod.SEAL])
# Both methods in one inspection: a photo of no one equipment is 拆除（封存）前 … (listed here for the catalogue).
MIXED_STAGE_LABELS: dict[str, str] = stage_labels([ExitMethod.DISMANTLE, ExitMethod.SEAL])
_STAGE_RANK = {stage: i for i, stage in enumerate(STAGES)}



def hamming(a: int, b: int) -> int:
    """Return the number of differing bits of two perceptual hashes (``images.perceptual_hash``)."""
    return (a ^ b).bit_count()

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
    """A reason to doubt a photo; ``code`` is stable, ``message`` is for the inspector (in the current language)."""

    code: str
    message: Msg
    severity: Severity

    @property
    def message_zh(self) -> str:
        """The message in Chinese, as stored with the photo and printed in the opinion."""
        return self.message.zh


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
    message: Msg

    @property
    def message_zh(self) -> str:
        return self.message.zh


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in metres between two WGS-84 points (spherical Earth)."""
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def format_distance(metres: float) -> Msg:
    """Return a distance as an inspector says it: "约 850 米", "约 2.3 公里"."""
    if metres < 1000:
        return Msg("约 {metres} 米", metres=f"{round(metres):d}")
    km = metres / 1000
    return Msg("约 {km} 公里", km=f"{km:.1f}" if km < 100 else f"{round(km):d}")


def _format_radius(metres: float) -> Msg:
    if metres >= 1000 and metres % 100 == 0:
        return Msg("{km} 公里", km=f"{metres / 1000:g}")
    return Msg("{metres} 米", metres=f"{round(metres):d}")


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
        return [Flag("no_time", Msg("照片没有拍摄时间（EXIF 中无记录），无法确认何时拍摄"), "warning")]
    flags: list[Flag] = []
    tz = s.local_tz
    if _aware(taken, tz) > _aware(photo.now, tz) + s.future_tolerance:
        flags.append(
            Flag("future_time", Msg("拍摄时间 {taken} 晚于当前时间，相机时钟可能设置错误", taken=_fmt_time(taken, tz)),
                 "warning")
        )
    day = _local_date(taken, tz)
    if photo.case_start is not None and day < photo.case_start:
        flags.append(
            Flag(
                "before_case",
                Msg("拍摄时间 {taken} 早于本案立案（发现问题）日期 {case_start}", taken=_fmt_time(taken, tz),
                    case_start=f"{photo.case_start:%Y-%m-%d}"),
                "serious",
            )
        )
    if photo.stage == "after" and photo.inspection_date is not None:
        gap_days = abs((day - photo.inspection_date).days)
        if gap_days > s.after_max_days:
            when = f"{photo.inspection_date:%Y-%m-%d}"
            flags.append(
                Flag(
                    "after_far_from_inspection",
                    Msg("拆除后照片拍摄于现场核查日 {date} 之前 {days} 天，超过 {limit} 天", date=when, days=gap_days,
                        limit=s.after_max_days)
                    if day < photo.inspection_date
                    else Msg("拆除后照片拍摄于现场核查日 {date} 之后 {days} 天，超过 {limit} 天", date=when, days=gap_days,
                             limit=s.after_max_days),
                    "warning",
                )
            )
    return flags


def _exif_flags(photo: PhotoContext) -> list[Flag]:
    """Say why the EXIF facts are missing when it was not the camera: a damaged block, or one too slow to read."""
    problem = photo.facts.parse_error
    if not problem:
        return []
    if problem.startswith(("E_EXIF_TIMEOUT", "E_EXIF_MEMORY")):
        return [Flag("exif_timeout", Msg("照片的 EXIF 信息异常，在限定时间（内存）内未能读完，拍摄时间和位置未采用"), "warning")]
    return [Flag("exif_malformed", Msg("照片的 EXIF 信息已损坏或格式不对，其中的拍摄时间和位置未采用"), "warning")]


def _place_flags(photo: PhotoContext, s: FlagSettings) -> list[Flag]:
    facts = photo.facts
    if facts.gps_lat is None or facts.gps_lon is None:
        return [Flag("no_gps", Msg("照片没有 GPS 位置信息，无法确认拍摄地点"), "info")]
    if photo.site_lat is None or photo.site_lon is None:
        return []
    radius = photo.radius_m if photo.radius_m is not None else s.radius_m
    distance = haversine_m(facts.gps_lat, facts.gps_lon, photo.site_lat, photo.site_lon)
    if distance <= radius:
        return []
    return [
        Flag(
            "far_from_site",
            Msg("照片距企业厂址{distance}，超出 {radius}核查半径", distance=format_distance(distance),
                radius=_format_radius(radius)),
            "serious",
        )
    ]


def _edit_flags(photo: PhotoContext, s: FlagSettings) -> list[Flag]:
    facts = photo.facts
    software = _edited_by_software(facts.software)
    if software is not None:
        return [Flag("edited", Msg("照片经过图片编辑软件处理（{software}），可能不是原始照片", software=software),
                     "warning")]
    original, modified = facts.original_at, facts.modified_at
    if original is not None and modified is not None:
        # Both are the camera's naive wall-clock times from the same file: compare them as they are.
        gap = abs(modified - original)
        if gap > timedelta(minutes=s.edit_gap_minutes):
            return [
                Flag(
                    "edited",
                    Msg("照片的修改时间（{modified}）与拍摄时间（{original}）相差 {gap}，拍摄后可能被编辑过",
                        modified=f"{modified:%Y-%m-%d %H:%M}", original=f"{original:%Y-%m-%d %H:%M}",
                        gap=_fmt_gap(gap)),
                    "warning",
                )
            ]
    return []


def _fmt_gap(gap: timedelta) -> Msg:
    minutes = gap.total_seconds() / 60
    if minutes < 120:
        return Msg("{n} 分钟", n=round(minutes))
    hours = minutes / 60
    if hours < 48:
        return Msg("{n} 小时", n=round(hours))
    return Msg("{n} 天", n=round(hours / 24))


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

    for other in others:
        if _is_same_use(photo, other):
            continue  # the photo itself (or the identical file attached twice to the same place)
        if other.sha256 == photo.sha256:
            if other.enterprise_id != photo.enterprise_id:
                add(Flag("duplicate_other_enterprise", Msg("同一张照片已作为另一家企业的证据使用"), "serious"))
            else:
                add(
                    Flag(
                        "reused_same",
                        Msg("同一张照片已用于本企业的{where}，一张照片不能证明两件事", where=_where(photo, other)),
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
                text = Msg("与另一家企业的一张照片几乎相同（可能是同一场景或翻拍）")
            else:
                text = Msg("与本企业的一张{stage}照片几乎相同，拆除前后应有明显变化", stage=Label(STAGE_LABELS[other.stage]))
            add(Flag("near_duplicate", text, "warning"))
    return flags


def out_of_order_positions(ranks_in_time_order: Sequence[int]) -> set[int]:
    """Return the positions that some largest in-order selection leaves out (the photos to doubt).

    The photos are listed by capture time (ties by stage); a selection is in order when its stage ranks never go
    down. A photo is out of order when the largest in-order selections do not all need it: one "before" photo
    dated a year late is the only one left out, so it alone is doubted, not every during/after photo; two photos
    that contradict each other and nothing else are both doubted, since either may be the wrong one.
    """
    n = len(ranks_in_time_order)
    ranks = list(ranks_in_time_order)
    ending = [1] * n  # longest in-order run ending at i
    for i in range(n):
        for j in range(i):
            if ranks[j] <= ranks[i] and ending[j] + 1 > ending[i]:
                ending[i] = ending[j] + 1
    starting = [1] * n  # longest in-order run starting at i
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            if ranks[i] <= ranks[j] and starting[j] + 1 > starting[i]:
                starting[i] = starting[j] + 1
    best = max(ending, default=0)
    on_best = [i for i in range(n) if ending[i] + starting[i] - 1 == best]
    level_count: dict[int, int] = {}
    for i in on_best:
        level_count[ending[i]] = level_count.get(ending[i], 0) + 1
    needed = {i for i in on_best if level_count[ending[i]] == 1}
    return set(range(n)) - needed


def _order_flag(photo: PhotoContext, others: Sequence[OtherPhoto], s: FlagSettings) -> list[Flag]:
    """Doubt the photo when it is the one out of stage order among its equipment's dated photos."""
    taken = photo.facts.taken_at
    if taken is None or photo.equipment_id is None:
        return []
    tz = s.local_tz
    peers = [o for o in others if o.taken_at is not None and o.equipment_id == photo.equipment_id
             and o.enterprise_id == photo.enterprise_id and not _is_same_use(photo, o)]
    if not any(o.stage != photo.stage for o in peers):
        return []
    mine = (_aware(taken, tz), _STAGE_RANK[photo.stage], -1)
    entries = [mine] + [(_aware(o.taken_at, tz), _STAGE_RANK[o.stage], i)  # type: ignore[arg-type]
                        for i, o in enumerate(peers)]
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    position = entries.index(mine)
    if position not in out_of_order_positions([e[1] for e in entries]):
        return []
    # Name the nearest photo of another stage it contradicts.
    contradicted = [o for o in peers if o.taken_at is not None and (
        (_STAGE_RANK[photo.stage] < _STAGE_RANK[o.stage] and mine[0] > _aware(o.taken_at, tz))
        or (_STAGE_RANK[photo.stage] > _STAGE_RANK[o.stage] and mine[0] < _aware(o.taken_at, tz)))]
    if not contradicted:
        return []
    other = min(contradicted, key=lambda o: abs((_aware(o.taken_at, tz) - mine[0]).total_seconds()))  # type: ignore[arg-type]
    assert other.taken_at is not None
    earlier_stage = _STAGE_RANK[photo.stage] < _STAGE_RANK[other.stage]
    mine_label, other_label = Label(STAGE_LABELS[photo.stage]), Label(STAGE_LABELS[other.stage])
    other_time = _fmt_time(other.taken_at, tz)
    return [
        Flag(
            "stage_order",
            Msg("这张{stage}照片的拍摄时间晚于同一设备的{other}照片（{taken}），顺序不合理", stage=mine_label,
                other=other_label, taken=other_time)
            if earlier_stage
            else Msg("这张{stage}照片的拍摄时间早于同一设备的{other}照片（{taken}），顺序不合理", stage=mine_label,
                     other=other_label, taken=other_time),
            "serious",
        )
    ]


def _where(photo: PhotoContext, other: OtherPhoto) -> Msg:
    if other.equipment_id != photo.equipment_id:
        return Msg("另一设备的{stage}照片", stage=Label(STAGE_LABELS[other.stage]))
    return Msg("{stage}照片", stage=Label(STAGE_LABELS[other.stage]))


def compute_flags(photo: PhotoContext, others: Sequence[OtherPhoto], *, settings: FlagSettings) -> list[Flag]:
    """Return every doubt about ``photo``, compared with the ``others`` already on record."""
    return [
        *_exif_flags(photo),
        *_time_flags(photo, settings),
        *_place_flags(photo, settings),
        *_edit_flags(photo, settings),
        *_comparison_flags(photo, others, settings),
        *_order_flag(photo, others, settings),
    ]


def required_evidence_gaps(
    counts: Mapping[tuple[str, str], int],
    equipment_ids: Iterable[str],
    required_per_stage: int = 1,
    *,
    equipment_names: Mapping[str, str] | None = None,
    sealed: Iterable[str] = (),
) -> list[Gap]:
    """Return what photo evidence is missing: each equipment needs photos before, during and after
    (dismantling, or sealing for the ``sealed`` equipment ids)."""
    gaps: list[Gap] = []
    names = equipment_names or {}
    sealing = set(sealed)
    for equipment_id in equipment_ids:
        label: Text | str = names.get(equipment_id) or Msg("该设备")
        labels = SEALING_STAGE_LABELS if equipment_id in sealing else STAGE_LABELS
        for stage in STAGES:
            have = counts.get((equipment_id, stage), 0)
            if have >= required_per_stage:
                continue
            if have == 0:
                text = Msg("{equipment}缺少{stage}照片（至少需要 {need} 张）", equipment=label,
                           stage=Label(labels[stage]), need=required_per_stage)
            else:
                text = Msg("{equipment}的{stage}照片只有 {have} 张，至少需要 {need} 张", equipment=label,
                           stage=Label(labels[stage]), have=have, need=required_per_stage)
            gaps.append(Gap(equipment_id, stage, have, required_per_stage, text))
    return gaps
