"""Working hours a draft waited: real elapsed time on local working days, DST included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.review.waiting import working_hours_between


def _local(text: str, tz: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def _day_length(day: str, tz: str) -> timedelta:
    start = _local(f"{day}T00:00", tz)
    return (start + timedelta(days=1)).astimezone(UTC) - start.astimezone(UTC)


def test_a_plain_week_counts_weekdays_only():
    tz = ZoneInfo("Europe/London")
    start = _local("2027-01-15T10:00", "Europe/London")  # Friday
    assert working_hours_between(start, _local("2027-01-18T10:00", "Europe/London"), tz) == 24
    assert working_hours_between(start, _local("2027-01-16T23:00", "Europe/London"), tz) == 14
    assert working_hours_between(start, start - timedelta(hours=1), tz) == 0


@pytest.mark.parametrize(
    ("tz", "friday", "monday"),
    [
        ("Europe/London", "2027-03-26", "2027-03-29"),  # clocks forward Sunday 28 March
        ("Europe/London", "2027-10-29", "2027-11-01"),  # clocks back Sunday 31 October
        ("America/Los_Angeles", "2027-03-12", "2027-03-15"),  # forward Sunday 14 March
        ("America/Los_Angeles", "2027-11-05", "2027-11-08"),  # back Sunday 7 November
    ],
)
def test_a_weekend_dst_change_takes_nothing_from_the_working_days(tz, friday, monday):
    start, end = _local(f"{friday}T12:00", tz), _local(f"{monday}T12:00", tz)
    assert working_hours_between(start, end, ZoneInfo(tz)) == 24
    # Measured in UTC across the change, the same: the weekend is what changed length.
    assert working_hours_between(start.astimezone(UTC), end.astimezone(UTC), ZoneInfo(tz)) == 24


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        ("Asia/Jerusalem", "2027-03-26", 23),  # Friday 02:00 -> 03:00
        ("Africa/Cairo", "2027-04-30", 23),  # Friday 00:00 -> 01:00 (midnight never happens)
        ("Africa/Cairo", "2027-10-28", 25),  # Thursday 24:00 -> 23:00
    ],
)
def test_a_working_day_with_a_dst_change_counts_the_hours_it_really_had(tz, day, hours):
    if _day_length(day, tz) == timedelta(days=1):
        pytest.skip(f"this tzdata has no DST change in {tz} on {day}")
    zone = ZoneInfo(tz)
    start = _local(f"{day}T00:00", tz)
    next_day = datetime.fromisoformat(day).date() + timedelta(days=1)
    end = datetime.combine(next_day, datetime.min.time(), zone)
    assert working_hours_between(start, end, zone) == hours
    # Part of that day is real time too (the change falls outside 06:00-18:00: 12 hours).
    morning, evening = _local(f"{day}T06:00", tz), _local(f"{day}T18:00", tz)
    real = (evening.astimezone(UTC) - morning.astimezone(UTC)).total_seconds() / 3600
    assert working_hours_between(morning, evening, zone) == real == 12
