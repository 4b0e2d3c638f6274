"""How long a draft has waited for a decision, whether a coordinator is away, and who should
decide now."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.organisation.directory import Directory
from bot.organisation.roles import Role

AWAY_EMOJI = frozenset(
    {":palm_tree:", ":airplane:", ":face_with_thermometer:", ":beach_with_umbrella:"}
)
AWAY_WORDS = ("out of office", "ooo", "vacation", "holiday", "on leave", "away", "sick")


def working_hours_between(start: datetime, end: datetime, tz: ZoneInfo) -> float:
    """Real hours elapsed between two moments while it was Monday to Friday in `tz` (whole days
    count). Each local working day is turned into a UTC interval before it is measured, so a
    working day with a DST change counts the 23 or 25 hours it really had."""
    if end <= start:
        return 0.0
    total = timedelta()
    day, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    while day <= last:
        if day.weekday() < 5:
            begins = _local_midnight(day, tz)
            ends = _local_midnight(day + timedelta(days=1), tz)
            overlap = min(ends, end.astimezone(UTC)) - max(begins, start.astimezone(UTC))
            total += max(overlap, timedelta())
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The moment `day` begins in `tz`, in UTC (where midnight is skipped, when the day starts)."""
    return datetime.combine(day, time(), tz).astimezone(UTC)


def is_away(profile: dict[str, Any], now: datetime) -> bool:
    """An out-of-office Slack status that has not expired (expiration 0 means "no expiry")."""
    expiration = int(profile.get("status_expiration") or 0)
    if expiration and expiration <= now.timestamp():
        return False
    text = str(profile.get("status_text") or "").casefold()
    emoji = str(profile.get("status_emoji") or "")
    return emoji in AWAY_EMOJI or any(word in text for word in AWAY_WORDS)


def reviewers(directory: Directory, department_id: int, away: set[str]) -> tuple[str, ...]:
    """Who should decide now: present coordinators, else present backups, else overall."""
    for group in (
        directory.coordinators_of(department_id),
        directory.coordinators_of(department_id, Role.BACKUP),
        directory.overall_coordinators,
    ):
        present = tuple(u for u in group if u not in away)
        if present:
            return present
    return directory.overall_coordinators
