"""The lead-time rule: every reminder leaves at least `min_lead` (2 hours unless configured)
before the due time, in every timezone, at every due hour; what happens when none can; and
snoozes that never reach past the deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.drafts.service import Refusal
from bot.nudges.actions import decide_snooze
from bot.nudges.plan import (
    ANY_ZONE_REACHABLE,
    QUIET_FROM,
    QUIET_UNTIL,
    Cadence,
    first_reminder,
    plan_reminder,
    snooze_choices,
    stage_time,
    stages,
)

ZONES = [
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Cairo",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Pacific/Auckland",
]
# Due times from 08:00 to 23:00 in the organisation's timezone, every half hour.
DUE_TIMES = [time(h, m) for h in range(8, 24) for m in (0, 30)]
LONDON = ZoneInfo("Europe/London")
CADENCE = Cadence((7, 2, 0), 9)
# Monday 15 February 2027: a weekday after a weekend, so stages also move across it.
DUE_DAY = date(2027, 2, 15)


def _due(at: time) -> datetime:
    return datetime.combine(DUE_DAY, at, LONDON).astimezone(UTC)


@pytest.mark.parametrize("zone", ZONES)
def test_every_stage_leaves_two_hours_at_nine_on_a_working_day(zone: str):
    tz = ZoneInfo(zone)
    for at in DUE_TIMES:
        due = _due(at)
        for days in CADENCE.days_before:
            moment = stage_time(due, days, tz, CADENCE)
            local = moment.astimezone(tz)
            assert due - moment >= timedelta(hours=2), (zone, at, days, local)
            assert local.time() == time(9) and local.weekday() < 5, (zone, at, days, local)
            # And no later working day at nine would have done: it moved back only as needed.
            wanted = due.astimezone(tz).date() - timedelta(days=days)
            assert local.date() <= wanted


def test_a_post_due_at_half_past_ten_is_reminded_the_working_day_before():
    """The case that was wrong: 09:00 on the due day left 90 minutes."""
    due = _due(time(10, 30))
    assert stage_time(due, 0, LONDON, CADENCE) == datetime(2027, 2, 12, 9, 0, tzinfo=UTC)
    at_eleven = _due(time(11, 0))  # 09:00 leaves exactly 2 hours: kept
    assert stage_time(at_eleven, 0, LONDON, CADENCE) == datetime(2027, 2, 15, 9, 0, tzinfo=UTC)


def test_the_lead_time_is_configurable():
    due = _due(time(12, 0))
    four_hours = Cadence((0,), 9, min_lead=timedelta(hours=4))
    assert stage_time(due, 0, LONDON, four_hours) == datetime(2027, 2, 12, 9, 0, tzinfo=UTC)
    none = Cadence((0,), 9, min_lead=timedelta(0))
    assert stage_time(_due(time(9, 30)), 0, LONDON, none) == datetime(2027, 2, 15, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("zone", ZONES)
def test_the_job_every_quarter_hour_never_sends_inside_the_lead_or_at_night(zone: str):
    """Plan as the job does, every 15 minutes from ten days out, for several due times."""
    tz = ZoneInfo(zone)
    for at in (time(8, 0), time(10, 30), time(12, 0), time(23, 0)):
        due = _due(at)
        done: set[str] = set()
        sent: list[datetime] = []
        now = due - timedelta(days=10)
        while now < due:
            plan = plan_reminder(due_at=due, tz=tz, cadence=CADENCE, now=now, done=frozenset(done))
            done |= set(plan.superseded)
            if plan.send:
                done.add(plan.send)
                sent.append(now)
            now += timedelta(minutes=15)
        assert len(sent) >= 2, (zone, at, sent)
        for moment in sent:
            local = moment.astimezone(tz).time()
            assert due - moment >= timedelta(hours=2), (zone, at, moment)
            assert QUIET_UNTIL <= local < QUIET_FROM, (zone, at, moment)
        # Every stage was either sent or knowingly passed over for a later one.
        assert {key for key, _ in stages(due, tz, CADENCE, None)} <= done


def test_a_catch_up_is_not_sent_inside_the_lead_time():
    due = _due(time(12, 0))
    late_start = due - timedelta(minutes=90)  # the job was down until 10:30
    assert plan_reminder(due_at=due, tz=LONDON, cadence=CADENCE, now=late_start).send is None
    in_time = due - timedelta(hours=2, minutes=30)
    assert plan_reminder(due_at=due, tz=LONDON, cadence=CADENCE, now=in_time).send == "d0"


def test_a_night_time_catch_up_waits_for_a_morning_that_leaves_the_lead():
    new_york = ZoneInfo("America/New_York")
    due = _due(time(12, 0))  # 07:00 in New York
    found_at = datetime(2027, 2, 15, 6, 0, tzinfo=UTC)  # 01:00 in New York
    assert first_reminder(due_at=due, tz=new_york, cadence=CADENCE, now=found_at) is None
    # Due 10:00 in New York: the stages there are past, so the catch-up waits for 08:00 there,
    # which leaves exactly 2 hours.
    due_later = _due(time(15, 0))
    assert first_reminder(due_at=due_later, tz=new_york, cadence=CADENCE, now=found_at) == (
        datetime(2027, 2, 15, 13, 0, tzinfo=UTC)
    )
    # Due 09:30 there: 08:00 would leave 90 minutes, so no reminder can be sent.
    assert (
        first_reminder(due_at=_due(time(14, 30)), tz=new_york, cadence=CADENCE, now=found_at)
        is None
    )


def test_first_reminder_for_posts_imported_on_their_due_day():
    """The demo's case: imported at 09:00 London for noon London."""
    now = datetime(2027, 2, 15, 9, 0, tzinfo=UTC)
    due = _due(time(12, 0))
    assert first_reminder(due_at=due, tz=LONDON, cadence=CADENCE, now=now) == now
    for zone in ("America/New_York", "America/Los_Angeles", "Pacific/Honolulu"):
        assert first_reminder(due_at=due, tz=ZoneInfo(zone), cadence=CADENCE, now=now) is None
    # Tokyo: 18:00 there, awake, and 3 hours to spare.
    assert first_reminder(due_at=due, tz=ZoneInfo("Asia/Tokyo"), cadence=CADENCE, now=now) == now
    # Far enough ahead, anyone is reminded at a stage.
    week = due + timedelta(days=7)
    for zone in ZONES:
        assert first_reminder(due_at=week, tz=ZoneInfo(zone), cadence=CADENCE, now=now)


def test_snoozes_offered_are_only_those_that_land_in_time():
    wednesday = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)
    # Due Monday noon: a day (Thu 09:00) and three working days (Mon 09:00, 3 h before) fit.
    assert snooze_choices(now=wednesday, due_at=_due(time(12, 0)), tz=LONDON, cadence=CADENCE) == (
        1,
        3,
    )
    # Due Monday 10:30: Monday 09:00 would leave 90 minutes.
    assert snooze_choices(now=wednesday, due_at=_due(time(10, 30)), tz=LONDON, cadence=CADENCE) == (
        1,
    )
    # Due tomorrow morning: nothing lands before it.
    friday = datetime(2027, 2, 12, 15, 0, tzinfo=UTC)
    assert snooze_choices(now=friday, due_at=_due(time(8, 0)), tz=LONDON, cadence=CADENCE) == ()


def test_a_snooze_past_the_lead_time_is_refused_by_rule():
    due = _due(time(12, 0))
    assert decide_snooze(until=due - timedelta(hours=2), due_at=due, cadence=CADENCE).ok
    late = decide_snooze(until=due - timedelta(hours=1), due_at=due, cadence=CADENCE)
    assert (late.ok, late.reason) == (False, Refusal.SNOOZE_TOO_LONG)


def test_a_run_that_starts_a_moment_late_still_sends_the_stage_at_the_boundary():
    """A post due 11:00 keeps its 09:00 reminder (exactly 2 hours) though the job fires a
    moment after 09:00, or up to one run interval late; later than that it is a catch-up
    inside the lead, and is not sent."""
    due = _due(time(11, 0))
    nine = datetime(2027, 2, 15, 9, 0, tzinfo=UTC)
    for late in (timedelta(0), timedelta(seconds=1), timedelta(minutes=14, seconds=59)):
        plan = plan_reminder(
            due_at=due, tz=LONDON, cadence=CADENCE, now=nine + late, planned_for=nine
        )
        assert plan.send == "d0", late
    sixteen_late = nine + timedelta(minutes=16)
    plan = plan_reminder(due_at=due, tz=LONDON, cadence=CADENCE, now=sixteen_late, planned_for=nine)
    assert plan.send is None


def test_a_post_first_seen_inside_the_lead_time_gets_no_allowance():
    """Added (or found after downtime) at 10:01-10:15 for noon: no earlier plan chose that
    moment, so the minutes of a late run are not granted, and it is known as too late."""
    due = _due(time(12, 0))
    ten = datetime(2027, 2, 15, 10, 0, tzinfo=UTC)
    assert plan_reminder(due_at=due, tz=LONDON, cadence=CADENCE, now=ten).send == "d0"
    for minutes in range(1, 16):
        now = ten + timedelta(minutes=minutes)
        for planned_for in (None, now - timedelta(days=2)):
            plan = plan_reminder(
                due_at=due, tz=LONDON, cadence=CADENCE, now=now, planned_for=planned_for
            )
            assert (plan.send, plan.next_at) == (None, None), (minutes, planned_for)
        assert first_reminder(due_at=due, tz=LONDON, cadence=CADENCE, now=now) is None


def test_the_morning_catch_up_at_the_boundary_is_sent_when_the_run_fires_late():
    new_york = ZoneInfo("America/New_York")
    due = _due(time(15, 0))  # 10:00 in New York; 08:00 there leaves exactly 2 hours
    eight = datetime(2027, 2, 15, 13, 0, tzinfo=UTC)
    found_at = datetime(2027, 2, 15, 6, 0, tzinfo=UTC)  # 01:00 there: wait for the morning
    assert plan_reminder(due_at=due, tz=new_york, cadence=CADENCE, now=found_at).next_at == eight
    morning = eight + timedelta(seconds=5)
    plan = plan_reminder(due_at=due, tz=new_york, cadence=CADENCE, now=morning, planned_for=eight)
    assert plan.send is not None
    # Seen first at that moment, with no plan behind it, it is 5 seconds inside the lead.
    assert plan_reminder(due_at=due, tz=new_york, cadence=CADENCE, now=morning).send is None


def test_with_no_lead_time_a_reminder_still_comes_before_the_due_moment():
    none = Cadence((0,), 9, min_lead=timedelta(0))
    due = _due(time(9, 0))
    assert stage_time(due, 0, LONDON, none) < due
    assert plan_reminder(due_at=due, tz=LONDON, cadence=none, now=due).send is None


@pytest.mark.parametrize(
    "cadence",
    [
        CADENCE,
        Cadence((0,), 8),
        Cadence((1,), 17, min_lead=timedelta(hours=12)),
        Cadence((0,), 9, blackout=frozenset(DUE_DAY - timedelta(days=n) for n in range(1, 6))),
    ],
    ids=["7-2-0 at 9", "0 at 8", "1 at 17, 12 h lead", "a blackout week before"],
)
def test_a_post_due_three_days_ahead_reaches_anyone_in_time(cadence: Cadence):
    """Why the import asks Slack only about posts due within ANY_ZONE_REACHABLE: beyond it,
    in any timezone, a reminder lands in waking hours with the lead time to spare."""
    for zone in ZONES:
        tz = ZoneInfo(zone)
        for at in DUE_TIMES[::3]:
            due = _due(at)
            for hours in range(0, 48, 5):
                now = due - ANY_ZONE_REACHABLE - timedelta(hours=hours)
                first = first_reminder(due_at=due, tz=tz, cadence=cadence, now=now)
                assert first is not None, (zone, at, hours)
                assert due - first >= cadence.min_lead
                assert QUIET_UNTIL <= first.astimezone(tz).time() < QUIET_FROM
