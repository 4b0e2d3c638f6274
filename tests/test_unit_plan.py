"""Reminder timing: time zones, DST, weekends, blackout days, snooze and catch-up."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.nudges.plan import Cadence, Plan, plan_reminder, snooze_until, stage_time, stages

pytestmark = pytest.mark.dates

LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
CADENCE = Cadence((7, 2, 0), 9)
# Friday 15 January 2027, 12:00 in London.
DUE = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_stages_are_at_nine_in_the_contributors_own_timezone():
    # In Tokyo the post is due at 21:00 on Friday 15th.
    assert [at for _, at in stages(DUE, TOKYO, CADENCE, None)] == [
        utc(2027, 1, 8, 0, 0),  # Fri 8th 09:00 JST
        utc(2027, 1, 13, 0, 0),  # Wed 13th 09:00 JST
        utc(2027, 1, 15, 0, 0),  # Fri 15th 09:00 JST
    ]
    # In Los Angeles it is due at 04:00 on Friday: "the morning of" moves to Thursday 09:00.
    assert [at for _, at in stages(DUE, LOS_ANGELES, CADENCE, None)] == [
        utc(2027, 1, 8, 17, 0),
        utc(2027, 1, 13, 17, 0),
        utc(2027, 1, 14, 17, 0),
    ]


def test_weekends_and_blackout_days_move_to_the_previous_working_day():
    monday_due = utc(2027, 1, 18, 12, 0)
    # 2 days before Monday is Saturday → Friday.
    assert stage_time(monday_due, 2, LONDON, CADENCE) == utc(2027, 1, 15, 9, 0)
    blackout = Cadence((7, 2, 0), 9, frozenset({date(2027, 1, 15), date(2027, 1, 14)}))
    assert stage_time(monday_due, 2, LONDON, blackout) == utc(2027, 1, 13, 9, 0)


def test_dst_keeps_nine_oclock_local():
    # Clocks go forward in London on Sunday 28 March 2027.
    due = utc(2027, 3, 31, 11, 0)  # Wed 12:00 BST
    assert stage_time(due, 7, LONDON, CADENCE) == utc(2027, 3, 24, 9, 0)  # GMT
    assert stage_time(due, 2, LONDON, CADENCE) == utc(2027, 3, 29, 8, 0)  # BST
    # Los Angeles moves on 14 March.
    due_la = utc(2027, 3, 16, 20, 0)  # Tue 13:00 PDT
    assert stage_time(due_la, 7, LOS_ANGELES, CADENCE) == utc(2027, 3, 9, 17, 0)  # PST
    assert stage_time(due_la, 0, LOS_ANGELES, CADENCE) == utc(2027, 3, 16, 16, 0)  # PDT


def test_nothing_before_the_first_stage_then_each_in_turn():
    before = plan_reminder(due_at=DUE, tz=LONDON, cadence=CADENCE, now=utc(2027, 1, 7, 12))
    assert before == Plan(next_at=utc(2027, 1, 8, 9, 0))
    first = plan_reminder(due_at=DUE, tz=LONDON, cadence=CADENCE, now=utc(2027, 1, 8, 9, 0))
    assert first == Plan(send="d7", next_at=utc(2027, 1, 13, 9, 0))
    again = plan_reminder(
        due_at=DUE, tz=LONDON, cadence=CADENCE, now=utc(2027, 1, 8, 9, 15), done=frozenset({"d7"})
    )
    assert again.send is None


def test_after_downtime_only_the_latest_missed_stage_is_sent():
    plan = plan_reminder(due_at=DUE, tz=LONDON, cadence=CADENCE, now=utc(2027, 1, 15, 10, 0))
    assert plan == Plan(send="d0", superseded=("d7", "d2"), next_at=None)


def test_catch_up_waits_for_the_morning_and_never_wakes_anyone():
    late_due = utc(2027, 1, 15, 16, 0)  # 01:00 Saturday in Tokyo
    # Due Monday 18th, 21:00 in Tokyo. At 23:00 on Tuesday 12th the 7-day reminder (Monday 11th)
    # was missed and the next is days away: it goes at 08:00, not now.
    night_in_tokyo = utc(2027, 1, 12, 14, 0)
    plan = plan_reminder(
        due_at=utc(2027, 1, 18, 12, 0), tz=TOKYO, cadence=CADENCE, now=night_in_tokyo
    )
    assert plan.send is None and plan.next_at == utc(2027, 1, 12, 23, 0)
    morning = plan_reminder(
        due_at=utc(2027, 1, 18, 12, 0), tz=TOKYO, cadence=CADENCE, now=utc(2027, 1, 12, 23, 0)
    )
    assert morning.send == "d7"
    # If morning comes only after the post is due, the missed stages are dropped.
    dropped = plan_reminder(due_at=late_due, tz=TOKYO, cadence=CADENCE, now=utc(2027, 1, 15, 13, 0))
    assert dropped.send is None and "d0" in dropped.superseded


def test_late_slots_get_no_reminder():
    assert plan_reminder(due_at=DUE, tz=LONDON, cadence=CADENCE, now=DUE) == Plan()


def test_snooze_replaces_the_stages_it_covers():
    now = utc(2027, 1, 8, 9, 5)
    until = snooze_until(now, 3, LONDON, CADENCE)  # Friday + 3 working days = Wednesday
    assert until == utc(2027, 1, 13, 9, 0)
    plan = plan_reminder(
        due_at=DUE,
        tz=LONDON,
        cadence=CADENCE,
        now=utc(2027, 1, 13, 9, 0),
        done=frozenset({"d7"}),
        snoozed_until=until,
    )
    assert plan.send == "snooze@2027-01-13T09:00Z"
    assert plan.superseded == ()  # d2 (same moment) was replaced by the snooze reminder
    assert plan.next_at == utc(2027, 1, 15, 9, 0)


@freeze_time("2027-01-11 08:59:00")
def test_monday_morning_run_in_london_with_the_clock():
    now = datetime.now(UTC)
    plan = plan_reminder(due_at=utc(2027, 1, 13, 12), tz=LONDON, cadence=CADENCE, now=now)
    # d7 (Wed 6th) was missed, but d2 is a minute away: it catches up on its own.
    assert plan == Plan(superseded=("d7",), next_at=utc(2027, 1, 11, 9, 0))
