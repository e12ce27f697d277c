"""Hybrid logical clock stamps: the order in which changes to a synced row happened, across devices.

A stamp is text ``"<ms:013d>.<counter:06d>@<device id>"``: wall-clock milliseconds, a counter for changes in
the same millisecond (or while the wall clock lags behind a stamp already seen), and the device that made the
change. Plain string comparison orders stamps by time, then counter, then device id: the device id is the
deterministic tie break. The empty stamp ``""`` sorts first and means "written before stamps existed".

A derived stamp (``stamp + "+r"``) is made by a merge that revives a deleted row; it sorts right after the
stamp it is derived from and before any stamp a device can make next, and every store derives the same one.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

_STAMP_RE = re.compile(r"^(\d{13})\.(\d{6})@([0-9A-Za-z-]{1,64})((?:\+r)*)$")
MAX_COUNTER = 999_999
# A remote stamp further ahead of our wall clock than this is refused: it would win every merge for as long.
MAX_AHEAD_MS = 24 * 3600 * 1000


@dataclass(frozen=True, order=True, slots=True)
class Hlc:
    """A parsed stamp (without its device)."""

    ms: int
    counter: int


def parse_stamp(stamp: str) -> tuple[Hlc, str] | None:
    """Return the clock value and the device of ``stamp``; None for the empty stamp; ValueError if malformed."""
    if stamp == "":
        return None
    m = _STAMP_RE.match(stamp)
    if not m:
        raise ValueError(f"not a clock stamp: {stamp!r}")
    return Hlc(int(m.group(1)), int(m.group(2))), m.group(3)


def is_stamp(stamp: object) -> bool:
    """Tell whether ``stamp`` is a well-formed stamp (or the empty one)."""
    if not isinstance(stamp, str):
        return False
    try:
        parse_stamp(stamp)
    except ValueError:
        return False
    return True


def format_stamp(value: Hlc, device_id: str) -> str:
    """Return the text of a stamp."""
    return f"{value.ms:013d}.{value.counter:06d}@{device_id}"


def stamp_device(stamp: str) -> str:
    """Return the device that made ``stamp`` ("" for the empty stamp)."""
    parsed = parse_stamp(stamp)
    return parsed[1] if parsed else ""


def revive_stamp(stamp: str) -> str:
    """Return the stamp a merge gives a row it revives: right after ``stamp``, the same on every store."""
    return stamp + "+r"


def now_ms() -> int:
    """Return the wall clock in milliseconds since the epoch (UTC)."""
    return time.time_ns() // 1_000_000


def tick(last: Hlc, wall_ms: int) -> Hlc:
    """Return the next clock value after ``last`` at wall time ``wall_ms`` (the HLC send/local rule)."""
    if wall_ms > last.ms:
        return Hlc(wall_ms, 0)
    if last.counter >= MAX_COUNTER:
        return Hlc(last.ms + 1, 0)
    return Hlc(last.ms, last.counter + 1)


class HybridClock:
    """One store's clock: never goes backwards, even when the wall clock does; safe across threads."""

    def __init__(self, device_id: str = "", last: Hlc | None = None) -> None:
        self.device_id = device_id
        self._last = last or Hlc(0, 0)
        self._lock = threading.Lock()

    @property
    def last(self) -> Hlc:
        return self._last

    def observe(self, stamp: str) -> None:
        """Move the clock up to a stamp seen on a row or in a bundle (the HLC receive rule)."""
        parsed = parse_stamp(stamp) if stamp else None
        if parsed is None:
            return
        with self._lock:
            if parsed[0] > self._last:
                self._last = parsed[0]

    def stamp(self, wall_ms: int | None = None) -> str:
        """Return a new stamp of this device, later than every stamp this clock made or observed."""
        with self._lock:
            self._last = tick(self._last, now_ms() if wall_ms is None else wall_ms)
            value = self._last
        return format_stamp(value, self.device_id)


def too_far_ahead(stamp: str, wall_ms: int | None = None) -> bool:
    """Tell whether a remote stamp lies more than a day ahead of our wall clock."""
    parsed = parse_stamp(stamp)
    if parsed is None:
        return False
    return parsed[0].ms > (now_ms() if wall_ms is None else wall_ms) + MAX_AHEAD_MS
