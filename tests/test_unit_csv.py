"""Parsing schedule rows, without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.schedule.csv_import import (
    DepartmentRef,
    ImportContext,
    ScheduleImportError,
    parse_schedule_csv,
)

CONTEXT = ImportContext(
    timezone=ZoneInfo("America/New_York"),
    default_due_hour=12,
    departments={"marketing": DepartmentRef(1, "Marketing", frozenset({"U0ALICE"}))},
    accounts={("linkedin", "acme"): 7},
)
HEADER = "department,due,platform,topic,contributor,account\n"


def test_dates_times_offsets_and_accounts():
    rows = parse_schedule_csv(
        "\ufeff" + HEADER + "marketing,2027-07-01,LinkedIn,A,U0ALICE,@Acme\n"
        "Marketing,2027-07-02 08:15,x,B,U0ALICE,\n"
        "Marketing,2027-07-03T08:15:00+00:00,x,C,U0ALICE,\n\n",
        CONTEXT,
    )
    assert [r.due_at for r in rows] == [
        datetime(2027, 7, 1, 16, 0, tzinfo=UTC),  # 12:00 EDT
        datetime(2027, 7, 2, 12, 15, tzinfo=UTC),
        datetime(2027, 7, 3, 8, 15, tzinfo=UTC),
    ]
    assert rows[0].account_id == 7 and rows[1].account_id is None
    assert [r.row for r in rows] == [2, 3, 4]


def test_the_natural_key_ignores_who_writes_it_and_topic_case():
    [a] = parse_schedule_csv(HEADER + "Marketing,2027-07-01,x,Tip,U0ALICE,\n", CONTEXT)
    [b] = parse_schedule_csv(HEADER + "Marketing,2027-07-01,x,TIP,U0ALICE,\n", CONTEXT)
    [c] = parse_schedule_csv(HEADER + "Marketing,2027-07-02,x,Tip,U0ALICE,\n", CONTEXT)
    assert a.natural_key == b.natural_key != c.natural_key


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Marketing,,x,T,U0ALICE,", "row 2, column due: a due date is required"),
        ("Marketing,2027-07-01,x,,U0ALICE,", "row 2, column topic: a topic is required"),
        (
            "Marketing,2027-07-01,x,T,alice,",
            "row 2, column contributor: 'alice' is not a Slack user",
        ),
        (
            "Marketing,2027-07-01,linkedin,T,U0ALICE,nope",
            "row 2, column account: no linkedin account",
        ),
        ("Marketing,2027-07-01,x,T,U0ALICE,,extra,more", "row 2: 8 values for 6 columns"),
        ("Marketing,2027-07-01,x," + "t" * 201 + ",U0ALICE,", "201 characters; at most 200"),
    ],
)
def test_row_problems_are_specific(line, expected):
    with pytest.raises(ScheduleImportError) as caught:
        parse_schedule_csv(HEADER + line + "\n", CONTEXT)
    assert expected in str(caught.value)


def test_empty_files_are_refused():
    with pytest.raises(ScheduleImportError, match="the file is empty"):
        parse_schedule_csv("", CONTEXT)
    with pytest.raises(ScheduleImportError, match="the file has no slots"):
        parse_schedule_csv(HEADER, CONTEXT)
