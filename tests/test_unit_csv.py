"""Parsing schedule rows, without a database."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.schedule.csv_import import (
    DepartmentRef,
    ImportContext,
    ScheduleImportError,
    parse_schedule_csv,
)
from bot.text import shown

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
        (
            "Marketing,0001-01-01,x,T,U0ALICE,",
            "row 2, column due: '0001-01-01' is outside the years 2000–2100",
        ),
        (
            "Marketing,9999-12-31T23:59,x,T,U0ALICE,",
            "row 2, column due: '9999-12-31T23:59' is outside the years 2000–2100",
        ),
        (
            "Marketing,0001-01-01T00:00+05:00,x,T,U0ALICE,",
            "row 2, column due: '0001-01-01T00:00+05:00' is outside the years 2000–2100",
        ),
        ("Marketing,1999-12-31,x,T,U0ALICE,", "'1999-12-31' is outside the years 2000–2100"),
        ("Marketing,2101-01-01,x,T,U0ALICE,", "'2101-01-01' is outside the years 2000–2100"),
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


def test_the_first_and_last_years_are_accepted():
    rows = parse_schedule_csv(
        HEADER + "Marketing,2000-01-01,x,A,U0ALICE,\nMarketing,2100-12-31T23:59,x,B,U0ALICE,\n",
        CONTEXT,
    )
    assert [r.due_at for r in rows] == [
        datetime(2000, 1, 1, 17, 0, tzinfo=UTC),  # noon EST
        datetime(2101, 1, 1, 4, 59, tzinfo=UTC),
    ]


def _problems(text: str) -> list[str]:
    with pytest.raises(ScheduleImportError) as caught:
        parse_schedule_csv(text, CONTEXT)
    return [str(p) for p in caught.value.problems]


def test_a_quote_never_closed_is_named_at_the_row_it_opens():
    rows = "".join(f"Marketing,2027-07-0{i},x,T{i},U0ALICE,\n" for i in range(1, 6))
    problems = _problems(HEADER + rows + 'Marketing,2027-07-06,x,"Oops,U0ALICE,\nMore,rows,\n')
    assert problems == ['row 7: a quoted value is never closed (unterminated ")']


def test_a_quote_never_closed_in_the_header_is_row_1():
    assert _problems('department,"due\n') == [
        'row 1: a quoted value is never closed (unterminated ")'
    ]


def test_text_after_a_closing_quote_is_refused_not_guessed_at():
    problems = _problems(HEADER + 'Marketing,2027-07-01,x,"Tips" for you,U0ALICE,\n')
    assert problems == [
        "row 2: text follows a closing quote; quote the whole value and double any quote "
        'inside it ("")'
    ]
    # Quoted properly, the same topic is fine.
    [row] = parse_schedule_csv(
        HEADER + 'Marketing,2027-07-01,x,"""Tips"" for you",U0ALICE,\n', CONTEXT
    )
    assert row.topic == '"Tips" for you'


def test_a_value_over_the_csv_field_limit_is_a_row_problem():
    limit = csv.field_size_limit()  # 131,072 unless something raised it for the process
    huge = "t" * (limit + 1)
    problems = _problems(
        HEADER + "Nowhere,2027-07-01,x,T,U0ALICE,\n" + f"Marketing,2027-07-02,x,{huge},U0ALICE,\n"
    )
    assert problems == [
        "row 2, column department: no department is named 'Nowhere' (Marketing)",
        f"row 3: a value is over {limit:,} characters long (a topic may be at most 200); "
        'is a quote (") never closed?',
    ]


def test_a_huge_header_cell_is_a_row_1_problem():
    huge = "x" * (csv.field_size_limit() + 1)
    assert _problems(huge + "\n")[0].startswith("row 1: a value is over ")


def test_header_text_is_echoed_short_and_with_nuls_visible():
    problems = _problems("\0" * 1000)
    unknown = problems[-1]
    assert unknown.startswith("row 1, column " + "\\0" * 19 + "\\…: unknown column")
    assert "\0" not in unknown and len(unknown) < 200
    problems = _problems(HEADER.rstrip("\n") + ",Notes\x07 " + "n" * 100 + ",account\n")
    assert problems == [
        "row 1, column notes\\x07 " + "n" * 29 + "…: unknown column; expected department, due, "
        "platform, topic, contributor and optionally account",
        "row 1, column account: this column appears twice",
    ]


def test_cells_are_echoed_short():
    [problem] = _problems(HEADER + "Marketing,2027-07-01,x,T,u" + "U" * 500 + ",\n")
    assert problem == (
        "row 2, column contributor: 'u" + "U" * 38 + "…' is not a Slack user ID (like U012AB3CD)"
    )
    [problem] = _problems(HEADER + "Marketing,2027-07-01,x,T," + "U" * 500 + ",\n")
    assert problem == (
        "row 2, column contributor: " + "U" * 39 + "… is not a contributor or coordinator of "
        "Marketing (add them in the organisation file first)"
    )


def test_shown_makes_control_characters_visible_and_caps_the_length():
    assert shown("topic") == "topic"
    assert shown("a\0b\tc\nd\x1b") == "a\\0b\\tc\\nd\\x1b"
    assert shown("é" * 41) == "é" * 39 + "…"
    assert shown("\0" * 1000) == "\\0" * 19 + "\\…"
