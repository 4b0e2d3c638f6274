"""Recurring rules generate the year's slots; the communications calendar moves reminders and
flags slots; each department's schedule exports as an .ics feed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from freezegun import freeze_time
from sqlmodel import select

from bot.calendar import MAX_OCCURRENCES, Blackouts, CalendarError, blackout_days
from bot.cli import main
from storage.models import Slot
from tests.conftest import DATA, NOW

pytestmark = pytest.mark.dates

RULES = """
[[departments.rules]]
days = ["tue", "thu"]
platform = "linkedin"
account = "acme"
topic = "Product tip"
contributors = ["U0ALICE", "U0BOB"]
time = "10:30"
starts = 2027-03-01
ends = 2027-03-31
"""


def _org_with_rules(tmp_path: Path) -> Path:
    text = (DATA / "organisation.toml").read_text()
    marker = 'contributors = ["U0ALICE", "U0BOB"]\n'
    path = tmp_path / "org.toml"
    path.write_text(text.replace(marker, marker + RULES))
    return path


def test_generate_creates_rotating_slots_once(env, runtime, tmp_path, capsys):
    assert main(["org", "load", str(_org_with_rules(tmp_path))]) == 0
    assert main(["schedule", "generate", "--year", "2027"]) == 0
    assert "Generated 2027: 9 slots added, 0 already there" in capsys.readouterr().out
    with runtime.session() as session:
        slots = sorted(session.exec(select(Slot)), key=lambda s: s.due_at)
    assert len(slots) == 9  # Tuesdays and Thursdays in March 2027
    assert slots[0].due_at == datetime(2027, 3, 2, 10, 30, tzinfo=UTC)  # GMT
    assert slots[-1].due_at == datetime(2027, 3, 30, 9, 30, tzinfo=UTC)  # BST
    assert [s.contributor_id for s in slots[:4]] == ["U0ALICE", "U0BOB", "U0ALICE", "U0BOB"]
    assert all(s.next_nudge_at is not None for s in slots)
    assert main(["schedule", "generate", "--year", "2027"]) == 0
    assert "0 slots added, 9 already there" in capsys.readouterr().out


def test_rule_contributors_must_belong_to_the_department(env, runtime, tmp_path, capsys):
    path = _org_with_rules(tmp_path)
    path.write_text(
        path.read_text().replace(
            'contributors = ["U0ALICE", "U0BOB"]\ntime', 'contributors = ["U0CAROL"]\ntime'
        )
    )
    assert main(["org", "load", str(path)]) == 1
    assert "U0CAROL not in Marketing's contributors or coordinators" in capsys.readouterr().err


ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Acme//Comms//EN
BEGIN:VEVENT
UID:1@acme
DTSTART;VALUE=DATE:20270309
DTEND;VALUE=DATE:20270311
SUMMARY:Results quiet period
END:VEVENT
BEGIN:VEVENT
UID:2@acme
DTSTART:20270316T140000Z
DTEND:20270316T150000Z
SUMMARY:All-hands
END:VEVENT
END:VCALENDAR
"""


def test_calendar_import_blocks_days_flags_slots_and_moves_reminders(
    env, runtime, tmp_path, capsys, fake_slack
):
    assert main(["org", "load", str(_org_with_rules(tmp_path))]) == 0
    assert main(["schedule", "generate", "--year", "2027"]) == 0
    ics = tmp_path / "comms.ics"
    ics.write_bytes(ICS)
    with freeze_time(NOW, tick=True):  # imported in January: only slots still ahead are flagged
        assert main(["calendar", "import", str(ics)]) == 0
    out = capsys.readouterr().out
    assert "3 blackout days from 2 events" in out
    # Blocked: 9 and 10 March (all day), 16 March. Slots fall on Tuesdays 9 and 16.
    assert out.count("flagged: Marketing: Product tip") == 2
    assert "(due 2027-03-09 10:30 Europe/London)" in out  # the organisation's time, named
    # Reminders that would land on a blocked day go out the working day before: Bob's slot of
    # Thursday 18th (2 days before: the 16th) and Alice's of the 16th (that morning) both move
    # to Monday 15th.
    main(["jobs", "run", "reminders", "--at", "2027-03-15T09:00:00+00:00"])
    sent = {c["channel"]: str(c["blocks"]) for c in fake_slack.calls_to("chat.postMessage")}
    assert "due in 3 days" in sent["U0BOB"] and "due *tomorrow*" in sent["U0ALICE"]


def test_calendar_import_of_a_yearly_holiday_flags_the_slot_on_it(env, org, tmp_path, capsys):
    assert main(["schedule", "import", str(DATA / "schedule.csv")]) == 0
    with org.session() as session:
        slot = session.exec(select(Slot).order_by(Slot.due_at.desc())).first()
        assert slot is not None
    due = slot.due_at.replace(tzinfo=UTC).astimezone(LONDON)
    ics = tmp_path / "holidays.ics"
    ics.write_bytes(  # first held ten years ago, on this slot's day of the year
        _calendar(
            [
                "UID:day@acme",
                "SUMMARY:Founders' day",
                f"DTSTART;VALUE=DATE:{due.year - 10}{due:%m%d}",
                "RRULE:FREQ=YEARLY",
            ]
        )
    )
    capsys.readouterr()
    with freeze_time(NOW, tick=True):
        assert main(["calendar", "import", str(ics)]) == 0
    out = capsys.readouterr().out
    assert "blackout days from 1 events" in out
    assert f"flagged: Research: {slot.topic} (due {due:%Y-%m-%d %H:%M} Europe/London)" in out
    assert "repeating events are counted through 2030: import the calendar again before then" in out


def test_calendar_import_rejects_a_broken_file_and_changes_nothing(env, org, tmp_path, capsys):
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:No start\nEND:VEVENT\nEND:VCALENDAR\n")
    assert main(["calendar", "import", str(bad)]) == 1
    assert "has no DTSTART; nothing was imported" in capsys.readouterr().err


def _calendar(*events: list[str]) -> bytes:
    body = "".join(
        "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"
        for lines in events
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{body}END:VCALENDAR\r\n".encode()
    )


FINE = ["UID:ok@acme", "SUMMARY:Fine", "DTSTART;VALUE=DATE:20270301"]


def _event(*lines: str) -> bytes:
    """A calendar of one fine event, then this one."""
    return _calendar(FINE, list(lines))


LONDON = ZoneInfo("Europe/London")
TODAY = NOW.date()  # 2027-01-15: repeating events count from 2026 through 2030
NOT_A_DATE = "is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS)"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["SUMMARY:Launch", "DTSTART;VALUE=DATE:20271325"],
            f"event 'Launch': DTSTART '20271325' {NOT_A_DATE}",
        ),
        (
            ["UID:7@acme", "DTSTART:garbage"],
            f"event with UID '7@acme': DTSTART 'garbage' {NOT_A_DATE}",
        ),
        (
            ["DTSTART:20270301T100000Z", "DTEND:garbage"],
            f"event 2 in the file (it has no SUMMARY or UID): DTEND 'garbage' {NOT_A_DATE}",
        ),
        (["SUMMARY:Span", "DTSTART:P1D"], f"event 'Span': DTSTART 'P1D' {NOT_A_DATE}"),
        (
            ["SUMMARY:Far", "DTSTART;VALUE=DATE:99991231"],
            "event 'Far': DTSTART 9999-12-31 is outside the years 2000–2100",
        ),
        (
            ["SUMMARY:Early", "DTSTART:00010101T000000Z"],
            "event 'Early': DTSTART 0001-01-01 is outside the years 2000–2100",
        ),
        (
            ["SUMMARY:Ends late", "DTSTART;VALUE=DATE:21001231", "DTEND;VALUE=DATE:99991231"],
            "event 'Ends late': DTEND 9999-12-31 is outside the years 2000–2100",
        ),
        (
            ["SUMMARY:Twice", "DTSTART:20270301T100000", "DTSTART;TZID=America/New_York:X"],
            "event 'Twice' has 2 DTSTARTs; an event has one",
        ),
        (
            ["SUMMARY:" + "\x00" * 100, "DTSTART:bad"],
            "event '" + "\\x00" * 39 + "…': DTSTART 'bad' " + NOT_A_DATE,
        ),
    ],
)
def test_calendar_events_we_cannot_read_are_named_with_the_property(lines, expected):
    with pytest.raises(CalendarError) as caught:
        blackout_days(_event(*lines), LONDON, today=TODAY)
    assert str(caught.value) == expected


def test_calendar_days_must_fall_in_2000_to_2100_where_the_organisation_is():
    # Midnight UTC on 1 January 2000 is still 1999 in New York.
    data = _event("SUMMARY:Eve", "DTSTART:20000101T003000Z")
    with pytest.raises(CalendarError, match="event 'Eve' falls on 1999-12-31, outside the years"):
        blackout_days(data, ZoneInfo("America/New_York"), today=TODAY)
    assert blackout_days(data, LONDON, today=TODAY).days[date(2000, 1, 1)] == "Eve"
    edge = _event("SUMMARY:Last", "DTSTART;VALUE=DATE:21001231")
    assert blackout_days(edge, LONDON, today=TODAY) == Blackouts(
        2, {date(2027, 3, 1): "Fine", date(2100, 12, 31): "Last"}
    )


def test_a_calendar_of_nul_bytes_is_named_briefly():
    with pytest.raises(CalendarError) as caught:
        blackout_days(b"\x00" * 1000, LONDON, today=TODAY)
    message = str(caught.value)
    assert message.startswith("not an iCalendar file (") and "\\0\\0" in message
    assert "\x00" not in message and len(message) < 150


def test_repeating_events_block_each_occurrence_from_last_year_through_three_ahead():
    data = _calendar(
        [
            "UID:xmas@acme",
            "SUMMARY:Christmas shutdown",
            "DTSTART;VALUE=DATE:20001224",
            "DTEND;VALUE=DATE:20001227",
            "RRULE:FREQ=YEARLY",
            "EXDATE;VALUE=DATE:20291224",  # not that year
        ],
        [  # that year, it moves and is shorter
            "UID:xmas@acme",
            "RECURRENCE-ID;VALUE=DATE:20281224",
            "SUMMARY:Christmas shutdown (short)",
            "DTSTART;VALUE=DATE:20281227",
            "DURATION:P1D",
        ],
        ["UID:once@acme", "SUMMARY:Launch", "DTSTART;VALUE=DATE:20350101"],
    )
    result = blackout_days(data, LONDON, today=TODAY)
    assert result.events == 2 and result.repeats_through == 2030
    three_days = [date(y, 12, d) for y in (2026, 2027, 2030) for d in (24, 25, 26)]
    assert sorted(result.days) == sorted([*three_days, date(2028, 12, 27), date(2035, 1, 1)])
    assert result.days[date(2028, 12, 27)] == "Christmas shutdown (short)"
    assert result.days[date(2030, 12, 25)] == "Christmas shutdown"


def test_events_without_a_uid_stand_alone():
    """A UID ties moved occurrences to their series; events without one are not one series."""
    data = _calendar(
        ["SUMMARY:Weekly quiet", "DTSTART;VALUE=DATE:20270102", "RRULE:FREQ=WEEKLY;COUNT=2"],
        ["SUMMARY:Far launch", "DTSTART;VALUE=DATE:20400101"],  # beyond the repeats' years
    )
    result = blackout_days(data, LONDON, today=TODAY)
    assert result.events == 2
    assert result.days == {
        date(2027, 1, 2): "Weekly quiet",
        date(2027, 1, 9): "Weekly quiet",
        date(2040, 1, 1): "Far launch",
    }


def test_a_duration_blocks_the_days_it_covers_and_a_single_event_is_not_repeating():
    result = blackout_days(
        _event("UID:o@acme", "SUMMARY:Offsite", "DTSTART;VALUE=DATE:20270405", "DURATION:P3D"),
        LONDON,
        today=TODAY,
    )
    assert [d for d, n in result.days.items() if n == "Offsite"] == [
        date(2027, 4, 5),
        date(2027, 4, 6),
        date(2027, 4, 7),
    ]
    assert result.repeats_through is None


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["SUMMARY:Standup", "DTSTART:20270104T090000Z", "RRULE:FREQ=HOURLY"],
            "event 'Standup' repeats hourly: blackout days repeat daily at most",
        ),
        (
            ["SUMMARY:Odd", "DTSTART;VALUE=DATE:20270101", "RRULE:FREQ=SOMETIMES"],
            "event 'Odd': RRULE 'FREQ=SOMETIMES' is not a repeat rule",
        ),
        (
            ["SUMMARY:Odd", "DTSTART;VALUE=DATE:20270101", "RRULE:COUNT=3"],
            "event 'Odd': RRULE has no FREQ (like FREQ=YEARLY)",
        ),
        (
            ["SUMMARY:Odd", "DTSTART;VALUE=DATE:20270101", "RDATE:soon"],
            "event 'Odd': RDATE is not a list of dates",
        ),
        (
            ["SUMMARY:Odd", "DTSTART;VALUE=DATE:20270101", "DURATION:a while"],
            "event 'Odd': DURATION is not a length of time (like P3D or PT2H)",
        ),
    ],
)
def test_repeats_and_durations_we_cannot_read_are_named(lines, expected):
    with pytest.raises(CalendarError) as caught:
        blackout_days(_event("UID:odd@acme", *lines), LONDON, today=TODAY)
    assert str(caught.value).startswith(expected)


def test_a_flood_of_repeats_is_refused_before_it_is_all_computed():
    daily = [  # 4 × 1,826 days from 2026 through 2030
        [f"UID:d{n}@acme", f"SUMMARY:Daily {n}", "DTSTART;VALUE=DATE:20000101", "RRULE:FREQ=DAILY"]
        for n in range(4)
    ]
    with pytest.raises(CalendarError) as caught:
        blackout_days(_calendar(*daily), LONDON, today=TODAY)
    assert str(caught.value).startswith(f"repeating events occur over {MAX_OCCURRENCES:,} times")
    assert len(blackout_days(_calendar(*daily[:2]), LONDON, today=TODAY).days) == 1826


def test_export_writes_one_feed_per_department(env, org, tmp_path, capsys):
    out = tmp_path / "feeds"
    assert main(["calendar", "export", "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"marketing.ics", "research.ics"}
    calendar = icalendar.Calendar.from_ical((out / "marketing.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    first = min(events, key=lambda e: e["DTSTART"].dt)
    assert first["DTSTART"].dt == datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    assert str(first["SUMMARY"]) == "LinkedIn @acme: New year product tips"
    assert str(first["UID"]).startswith("slot-")


def test_coordinators_see_and_edit_next_occurrences_from_slack(env, runtime, tmp_path, served):
    assert main(["org", "load", str(_org_with_rules(tmp_path))]) == 0
    assert main(["schedule", "generate", "--year", "2027"]) == 0
    served.clock.set(datetime(2027, 3, 10, 12, 0, tzinfo=UTC))
    served.slack.command("U0ALICE", "rules")
    [refused] = served.fake.wait_for("response_url")
    assert "for a department's coordinators" in refused["text"]
    served.slack.command("U0MKTLEAD", "rules")
    answer = served.fake.wait_for("response_url", 2)[-1]
    rendered = str(answer["blocks"])
    assert "Product tip" in rendered and "every Tue & Thu" in rendered
    first = next(b for b in answer["blocks"] if b["type"] == "actions")
    assert "Thu 11 Mar" in rendered  # the next occurrence after Wednesday 10th
    served.slack.block_action(
        "U0MKTLEAD",
        "cancel_slot",
        value=first["elements"][1]["value"],
        channel_id="C0GENERAL",
        message_ts="3.0",
    )
    served.fake.wait_for("chat.update")
    with runtime.session() as session:
        skipped = session.get(Slot, int(first["elements"][1]["value"]))
        assert skipped.status == "cancelled"


def test_generate_tells_coordinators_of_a_post_due_too_soon_for_a_reminder(
    env, runtime, fake_slack, tmp_path, capsys
):
    """Generated at 09:00 on Tuesday 2 March: that day's 10:30 post leaves 90 minutes, less
    than the 2-hour lead. The summary names it and its coordinator hears it in Slack."""
    assert main(["org", "load", str(_org_with_rules(tmp_path))]) == 0
    capsys.readouterr()
    with freeze_time("2027-03-02T09:00:00+00:00"):
        assert main(["schedule", "generate", "--year", "2027"]) == 0
    out = capsys.readouterr().out
    with runtime.session() as session:
        first = session.exec(select(Slot).where(Slot.topic == "Product tip")).all()
    soon = min(first, key=lambda s: s.due_at)
    assert soon.due_at == datetime(2027, 3, 2, 10, 30, tzinfo=UTC)
    assert "1 post(s) too close to the due time" in out
    assert f"not reminded: #{soon.id} due 2027-03-02 10:30 Europe/London for U0ALICE" in out
    assert "(their coordinators have been told in Slack)" in out
    told = [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c["channel"] == "U0MKTLEAD" and "too close to the due time" in c["text"]
    ]
    assert len(told) == 1 and "Product tip" in str(told[0]["blocks"])
