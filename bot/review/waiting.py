"""How long a draft has waited for a decision, and whether a coordinator is away."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

AWAY_EMOJI = frozenset(
    {":palm_tree:", ":airplane:", ":face_with_thermometer:", ":beach_with_umbrella:"}
)
AWAY_WORDS = ("out of office", "ooo", "vacation", "holiday", "on leave", "away", "sick")


def working_hours_between(start: datetime, end: datetime, tz: ZoneInfo) -> float:
    """Hours between two moments that fall on Monday to Friday in `tz` (whole days count)."""
    total = timedelta()
    cursor = start.astimezone(tz)
    stop = end.astimezone(tz)
    while cursor < stop:
        next_day = (cursor + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        chunk_end = min(next_day, stop)
        if cursor.weekday() < 5:
            total += chunk_end - cursor
        cursor = chunk_end
    return total.total_seconds() / 3600


def is_away(profile: dict[str, Any], now: datetime) -> bool:
    """An out-of-office Slack status that has not expired (expiration 0 means "no expiry")."""
    expiration = int(profile.get("status_expiration") or 0)
    if expiration and expiration <= now.timestamp():
        return False
    text = str(profile.get("status_text") or "").casefold()
    emoji = str(profile.get("status_emoji") or "")
    return emoji in AWAY_EMOJI or any(word in text for word in AWAY_WORDS)
