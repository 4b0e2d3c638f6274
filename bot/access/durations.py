"""Durations people type: `30m`, `2h`, `1d`, or combined like `1h30m`."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.access.rules import Reason

_PART = re.compile(r"(\d{1,5})([mhd])")
_WHOLE = re.compile(r"^(?:\d{1,5}[mhd])+$")
_UNITS = {"m": 1, "h": 60, "d": 24 * 60}
DEFAULT_MAX_ACCESS = timedelta(hours=8)


def parse_duration(text: str) -> timedelta | Reason:
    """A positive duration, or why not: MALFORMED (`3 weeks`), NEGATIVE (`-2h`), ZERO (`0m`)."""
    value = text.strip().lower()
    if value.startswith("-") and _WHOLE.match(value[1:]):
        return Reason.DURATION_NEGATIVE
    if not _WHOLE.match(value):
        return Reason.DURATION_MALFORMED
    minutes = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(value))
    if minutes == 0:
        return Reason.DURATION_ZERO
    return timedelta(minutes=minutes)


def format_duration(delta: timedelta) -> str:
    """`2h 30m`, `1d 4h`, `45m` (rounded down to the minute; never negative)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d"] * bool(days) + [f"{hours}h"] * bool(hours) + [f"{mins}m"] * bool(mins)
    return " ".join(parts) or "0m"
