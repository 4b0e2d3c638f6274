"""Files operators found that crashed `calendar import` and `schedule import`: each is now a
specific error (row, column or event, and why), exit status 1, and nothing changes."""

from __future__ import annotations

import csv

import pytest
from sqlmodel import select

from bot.cli import main
from storage.models import Blackout, Slot

HEADER = "department,due,platform,topic,contributor\n"
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Acme//Comms//EN\r\n"
    "BEGIN:VEVENT\r\nUID:1@acme\r\nSUMMARY:Quiet period\r\nDTSTART;VALUE=DATE:20270309\r\n"
    "END:VEVENT\r\n{event}END:VCALENDAR\r\n"
)


def _blackouts(runtime) -> list[tuple[str, str]]:
    with runtime.session() as session:
        return sorted((str(b.day), b.label) for b in session.exec(select(Blackout)))


def _slots(runtime) -> list[tuple[int, str]]:
    with runtime.session() as session:
        return sorted((s.id or 0, s.topic) for s in session.exec(select(Slot)))


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            "UID:2@acme\r\nSUMMARY:Bad month\r\nDTSTART;VALUE=DATE:20271325\r\n",
            "event 'Bad month': DTSTART '20271325' is not a date (YYYYMMDD) or a date-time",
        ),
        ("UID:3@acme\r\nDTSTART:garbage\r\n", "event with UID '3@acme': DTSTART 'garbage' is not"),
        (
            "SUMMARY:No end\r\nDTSTART:20270310T090000Z\r\nDTEND:garbage\r\n",
            "event 'No end': DTEND 'garbage' is not a date",
        ),
        (
            "DTSTART;VALUE=DATE:99991231\r\n",
            "event 2 in the file (it has no SUMMARY or UID): DTSTART 9999-12-31 is outside "
            "the years 2000–2100",
        ),
    ],
)
def test_a_calendar_event_we_cannot_read_is_named_and_nothing_changes(
    env, org, tmp_path, capsys, event, expected
):
    good = tmp_path / "good.ics"
    good.write_text(CALENDAR.format(event=""), newline="")
    assert main(["calendar", "import", str(good)]) == 0
    before = _blackouts(org)
    assert before == [("2027-03-09", "Quiet period")]
    capsys.readouterr()
    bad = tmp_path / "bad.ics"
    bad.write_text(CALENDAR.format(event=f"BEGIN:VEVENT\r\n{event}END:VEVENT\r\n"), newline="")
    assert main(["calendar", "import", str(bad)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{bad}: {expected}") and line.endswith("; nothing was imported")
    assert _blackouts(org) == before
    assert main(["calendar", "export", "--out", str(tmp_path / "feeds")]) == 0


def _import(tmp_path, text: str, capsys) -> list[str]:
    path = tmp_path / "s.csv"
    path.write_text(text)
    capsys.readouterr()
    assert main(["schedule", "import", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}: ") and err[0].endswith("; nothing was imported:")
    return [line.strip() for line in err[1:]]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "Marketing,0001-01-01,linkedin,Too early,U0ALICE\n"
            "Marketing,9999-12-31T23:59,linkedin,Too late,U0ALICE\n",
            [
                "row 2, column due: '0001-01-01' is outside the years 2000–2100",
                "row 3, column due: '9999-12-31T23:59' is outside the years 2000–2100",
            ],
        ),
        (
            "".join(f"Marketing,2027-02-0{i},linkedin,Post {i},U0ALICE\n" for i in range(1, 6))
            + 'Marketing,2027-02-06,linkedin,"Unclosed,U0ALICE\n'
            + "Marketing,2027-02-07,linkedin,Fine,U0ALICE\n",
            ['row 7: a quoted value is never closed (unterminated ")'],
        ),
    ],
)
def test_bad_schedule_rows_are_named_and_nothing_is_imported(
    env, org, tmp_path, capsys, rows, expected
):
    before = _slots(org)
    assert _import(tmp_path, HEADER + rows, capsys) == expected
    assert _slots(org) == before


def test_a_value_too_long_for_csv_is_a_row_problem(env, org, tmp_path, capsys):
    before = _slots(org)
    limit = csv.field_size_limit()  # 131,072 unless something in the process raised it
    huge = "t" * (limit + 1)
    rows = f"Marketing,2027-02-01,linkedin,Fine,U0ALICE\nMarketing,2027-02-02,x,{huge},U0ALICE\n"
    assert _import(tmp_path, HEADER + rows, capsys) == [
        f"row 3: a value is over {limit:,} characters long (a topic may be at most 200); "
        'is a quote (") never closed?'
    ]
    assert _slots(org) == before


def test_a_file_of_nul_bytes_names_its_column_briefly(env, org, tmp_path, capsys):
    before = _slots(org)
    problems = _import(tmp_path, "\x00" * 1000, capsys)
    assert problems[-1].startswith("row 1, column " + "\\0" * 19 + "\\…: unknown column")
    assert all("\x00" not in p and len(p) < 200 for p in problems)
    assert _slots(org) == before
