"""Months and local times, including the daylight-saving edges."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.schedule.timing import Month, NonexistentLocalTime, local_to_utc

pytestmark = pytest.mark.dates

LONDON = ZoneInfo("Europe/London")


def test_month_parse_and_navigation():
    assert Month.parse("2027-01") == Month(2027, 1)
    assert Month.parse("2027-13") is None
    assert Month.parse("Jan") is None
    assert Month(2027, 12).next() == Month(2028, 1)
    assert Month(2027, 1).previous() == Month(2026, 12)
    assert str(Month(2027, 3)) == "2027-03"
    assert Month(2027, 3).title == "March 2027"


def test_month_bounds_follow_the_local_calendar_across_dst():
    start, end = Month(2027, 3).bounds_utc(LONDON)
    assert start == datetime(2027, 3, 1, 0, 0, tzinfo=UTC)  # GMT
    assert end == datetime(2027, 3, 31, 23, 0, tzinfo=UTC)  # 1 April 00:00 BST


def test_month_containing_uses_the_local_date():
    # 23:30 UTC on 31 March is already 1 April in London (BST).
    assert Month.containing(datetime(2027, 3, 31, 23, 30, tzinfo=UTC), LONDON) == Month(2027, 4)
    tokyo = ZoneInfo("Asia/Tokyo")
    assert Month.containing(datetime(2027, 1, 31, 16, 0, tzinfo=UTC), tokyo) == Month(2027, 2)


def test_skipped_local_time_is_refused():
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(datetime(2027, 3, 28, 1, 30), LONDON)


def test_repeated_local_time_takes_the_first_occurrence():
    # 01:30 happens twice on 31 October 2027; the first is still BST (UTC+1).
    assert local_to_utc(datetime(2027, 10, 31, 1, 30), LONDON) == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )
