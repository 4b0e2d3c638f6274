"""Months and local times in the organisation's timezone, turned into UTC for storage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
# What someone meant as a month even if it isn't one: `2026-13`, `2026-1`, `26-01`.
MONTH_LIKE = re.compile(r"^[0-9]{2,4}-[0-9]{1,3}$")
# The months anyone can ask about: wide enough for any real schedule, and far from the ends
# of the calendar, where the month after (or a timezone's offset) has no date.
YEARS = range(1900, 3000)
# The years a post may fall in (imported, generated, a blackout day, a job's --at): any real
# schedule, and far from the ends of the calendar, where an offset more has no date.
SCHEDULE_YEARS = range(2000, 2101)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month | None:
        match = MONTH.match(text.strip())
        if not match:
            return None
        year, month = int(match[1]), int(match[2])
        return cls(year, month) if 1 <= month <= 12 and year in YEARS else None

    @staticmethod
    def looks_like(text: str) -> bool:
        """Shaped like YYYY-MM, whether or not it is a month we can show."""
        return bool(MONTH_LIKE.match(text.strip()))

    @classmethod
    def containing(cls, moment: datetime, tz: ZoneInfo) -> Month:
        local = moment.astimezone(tz)
        return cls(local.year, local.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def bounds_utc(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) of the month in tz, as UTC instants."""
        start = datetime.combine(self.first_day, time(0), tz)
        end = datetime.combine(self.next().first_day, time(0), tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def title(self) -> str:
        return self.first_day.strftime("%B %Y")


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change."""


def local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """Interpret a wall-clock time in tz. Ambiguous times take the first occurrence; times
    that never happen (the hour clocks skip) are refused rather than silently shifted."""
    aware = naive.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key}")
    return aware.astimezone(UTC)
