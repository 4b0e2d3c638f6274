"""The schedule's promises around whatever day it is: every scenario here is built from
`reference_now`, which .ci/run moves to month starts on each weekday, 29 February, 31 December,
the DST changes in London and Los Angeles and a Friday night (see tests/conftest.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.cli import main
from bot.nudges.plan import Cadence, plan_reminder, stages
from bot.schedule.service import import_schedule
from bot.schedule.timing import Month, local_to_utc
from storage.models import Slot
from tests.conftest import DATA

pytestmark = pytest.mark.dates

LONDON = ZoneInfo("Europe/London")
ZONES = [LONDON, ZoneInfo("America/Los_Angeles"), ZoneInfo("America/New_York")]
ZONES += [ZoneInfo("Asia/Tokyo"), ZoneInfo("Australia/Sydney")]
CADENCE = Cadence((7, 2, 0), 9)


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _local(day: date, hour: int, tz: ZoneInfo, minute: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)), tz)


def _today(reference_now: datetime) -> date:
    return reference_now.astimezone(LONDON).date()


# --- pure rules ------------------------------------------------------------------------------


def test_every_reminder_in_the_next_weeks_is_at_nine_on_a_working_day_before_its_post(
    reference_now,
):
    today = _today(reference_now)
    for offset in range(-3, 24):
        due = _local(today + timedelta(days=offset), 12, LONDON)
        for tz in ZONES:
            planned = stages(due, tz, CADENCE, None)
            assert [at for _, at in planned] == sorted(at for _, at in planned)
            for key, at in planned:
                local = at.astimezone(tz)
                n = int(key.removeprefix("d"))
                assert local.time() == time(9, 0), (due, tz, key, local)
                assert local.weekday() < 5, (due, tz, key, local)
                assert at < due, (due, tz, key, local)
                assert local.date() <= due.astimezone(tz).date() - timedelta(days=n)
                # At its moment the stage is what gets sent (nothing earlier is left over).
                done = frozenset(k for k, a in planned if a < at)
                plan = plan_reminder(due_at=due, tz=tz, cadence=CADENCE, now=at, done=done)
                assert plan.send is not None, (due, tz, key, local)


def test_the_month_around_the_reference_day(reference_now):
    for tz in ZONES:
        month = Month.containing(reference_now, tz)
        start, end = month.bounds_utc(tz)
        assert start <= reference_now < end
        assert start.astimezone(tz).time() == time(0) and start.astimezone(tz).day == 1
        assert end == month.next().bounds_utc(tz)[0]
        assert month.next().previous() == month == month.previous().next()
        assert Month.parse(str(month)) == month


# --- through the jobs ------------------------------------------------------------------------


def _organisation(tmp_path: Path, extra: str = "") -> None:
    text = (DATA / "organisation.toml").read_text()
    marker = 'contributors = ["U0ALICE", "U0BOB"]\n'
    path = tmp_path / "org.toml"
    path.write_text(text.replace(marker, marker + extra))
    assert main(["org", "load", str(path)]) == 0


def _import(runtime, rows: str) -> None:
    with runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n" + rows,
            source="any-date.csv",
            now=runtime.now(),
        )


def _reminders(at: datetime) -> None:
    assert main(["jobs", "run", "reminders", "--at", at.isoformat()]) == 0


def _escalations(at: datetime) -> None:
    assert main(["jobs", "run", "escalations", "--at", at.isoformat()]) == 0


def test_reminders_reach_tokyo_and_los_angeles_at_their_own_nine(
    env, runtime, fake_slack, tmp_path, reference_now
):
    tokyo, los_angeles = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles")
    fake_slack.add_user("U0ALICE", tz=tokyo.key)
    fake_slack.add_user("U0BOB", tz=los_angeles.key)
    _organisation(tmp_path)
    # A Wednesday at least eight days ahead: 7 days before is the Wednesday before, a working day.
    due = _on_or_after(_today(reference_now) + timedelta(days=8), 2)
    _import(runtime, f"Marketing,{due},linkedin,Tokyo post,U0ALICE\n")
    _import(runtime, f"Marketing,{due},x,LA post,U0BOB\n")
    week_before = due - timedelta(days=7)
    channels = lambda: [c["channel"] for c in fake_slack.calls_to("chat.postMessage")]  # noqa: E731
    _reminders(_local(week_before, 8, tokyo, 59))
    assert channels() == []
    _reminders(_local(week_before, 9, tokyo))
    assert channels() == ["U0ALICE"]
    _reminders(_local(week_before, 8, los_angeles, 59))
    assert channels() == ["U0ALICE"]
    _reminders(_local(week_before, 9, los_angeles))
    assert channels() == ["U0ALICE", "U0BOB"]
    assert "due in 7 days" in json.dumps(fake_slack.calls_to("chat.postMessage")[-1]["blocks"])
    _reminders(_local(week_before, 15, los_angeles))
    assert len(channels()) == 2


def test_a_post_due_tomorrow_noon_is_late_at_one_and_escalated_once(
    env, runtime, fake_slack, tmp_path, reference_now, capsys
):
    _organisation(tmp_path)
    due = _today(reference_now) + timedelta(days=1)
    _import(runtime, f"Marketing,{due},linkedin,Due tomorrow,U0ALICE\n")
    to_lead = lambda: [  # noqa: E731
        c for c in fake_slack.calls_to("chat.postMessage") if c["channel"] == "U0MKTLEAD"
    ]
    assert (
        main(["jobs", "run", "escalations", "--at", _local(due, 11, LONDON, 55).isoformat()]) == 0
    )
    assert to_lead() == []
    _escalations(_local(due, 13, LONDON, 5))
    assert "1 newly late, 1 coordinator messages" in capsys.readouterr().out
    [message] = to_lead()
    assert "Due tomorrow" in json.dumps(message["blocks"])
    next_day = due + timedelta(days=1)
    _escalations(_local(next_day, 10, LONDON, 5))
    assert len(to_lead()) == 1
    with runtime.session() as session:
        assert session.exec(select(Slot)).one().status == "late"


def test_rules_generate_tuesdays_and_thursdays_from_today_for_four_weeks(
    env, runtime, tmp_path, reference_now, capsys
):
    first = _today(reference_now)
    last = first + timedelta(days=27)
    _organisation(
        tmp_path,
        f"""
[[departments.rules]]
days = ["tue", "thu"]
platform = "linkedin"
account = "acme"
topic = "Product tip"
contributors = ["U0ALICE", "U0BOB"]
time = "10:30"
starts = {first}
ends = {last}
""",
    )
    for year in sorted({first.year, last.year}):
        assert main(["schedule", "generate", "--year", str(year)]) == 0
    days = [first + timedelta(days=n) for n in range(28)]
    expected = [d for d in days if d.weekday() in (1, 3)]
    with runtime.session() as session:
        slots = sorted(session.exec(select(Slot)), key=lambda s: s.due_at)
    assert [s.due_at.astimezone(LONDON).date() for s in slots] == expected
    assert all(s.due_at.astimezone(LONDON).time() == time(10, 30) for s in slots)
    assert [s.contributor_id for s in slots] == ["U0ALICE", "U0BOB"] * 4
    capsys.readouterr()
    for year in sorted({first.year, last.year}):
        assert main(["schedule", "generate", "--year", str(year)]) == 0
    assert "0 slots added" in capsys.readouterr().out


def test_reference_now_is_the_wall_clock_when_frozen(frozen_at, reference_now):
    if frozen_at is None:
        pytest.skip("only meaningful with --frozen-at")
    assert abs(datetime.now(UTC) - reference_now) < timedelta(minutes=5)
