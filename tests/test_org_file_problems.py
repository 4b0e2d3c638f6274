"""`org load` with a broken file: every problem in one run, sorted by line, in plain words, with
the right line numbers and "did you mean"; and nothing changes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from sqlmodel import select

from bot.cli import main
from bot.organisation.spec import OrganisationFileError, parse_organisation
from bot.organisation.toml_lines import key_lines, line_of
from bot.runtime import Runtime
from storage.models import Account, Department, Membership
from tests.conftest import DATA

BROKEN = """\
name = "Acme"
timezone = "Europe/Londn"
leadership_channel = "C0LEADERS"
overall_coordinators = []

[reminders]
hours = 9
hour = 20
days_before = [7, 2,
  "x"]

[[departments]]
name = "Marketing"
review_channel = "C0MKTREVIEW"
coordinator = ["U0MKTLEAD"]
contributors = [
  "U0ALICE",
  "bob",  # a comment with [brackets] and key = value
]

[[departments.rules]]
days = ["tue"]
platform = "linkedin"
topic = "Tips"
contributors = ["U0ALICE", "U0ZED"]
account = "nosuch"
time = "25:00"
starts = 2027-03-01
ends = 2027-02-01

[[departments]]
name = "marketing"
review_channel = "C0MKT2"
coordinators = ["U0RESLEAD"]
budget = 3

[[accounts]]
platform = "linkedin"
handle = "acme"
department = "Marketng"
"""

EXPECTED = [
    (2, "timezone: 'Europe/Londn' is not a timezone name"),
    (4, "overall_coordinators: needs at least one entry"),
    (7, "reminders → hours: unknown key 'hours' (did you mean 'hour'?)"),
    (8, "reminders → hour: must be at most 18 (it is 20)"),
    (10, "reminders → days_before entry 3: must be a whole number without quotes (it is 'x')"),
    (12, "departments item 1 (\"Marketing\") → coordinators: 'coordinators' is required"),
    (
        15,
        "departments item 1 (\"Marketing\") → coordinator: unknown key 'coordinator' "
        "(did you mean 'coordinators'?)",
    ),
    (18, "contributors entry 2: 'bob' is not a Slack user ID (like U012AB3CD)"),
    (25, "rules item 1 → contributors entry 2: U0ZED not in Marketing's contributors"),
    (26, "rules item 1 → account: no linkedin account 'nosuch' is defined in [[accounts]]"),
    (27, "rules item 1 → time: '25:00' is not a time of day (HH:MM, 24-hour, like 09:30)"),
    (29, "rules item 1 → ends: ends (2027-02-01) is before starts (2027-03-01)"),
    (32, "name: department 'marketing' is already defined (departments item 1)"),
    (35, "departments item 2 (\"marketing\") → budget: unknown key 'budget' (keys here: name,"),
    (40, "department: no department is named 'Marketng' (did you mean 'Marketing'?)"),
]


def _problems(err: str) -> list[tuple[int, str]]:
    found = []
    for line in err.splitlines()[1:]:
        match = re.match(r"  line (\d+): (.*)$", line)
        assert match, line
        found.append((int(match.group(1)), match.group(2)))
    return found


def test_every_problem_in_one_run_sorted_by_line_in_plain_words(
    env, runtime: Runtime, tmp_path: Path, capsys
):
    path = tmp_path / "org.toml"
    path.write_text(BROKEN)
    assert main(["org", "load", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"{path}: {len(EXPECTED)} problem(s); nothing was changed:"
    found = _problems(err)
    assert [line for line, _ in found] == [line for line, _ in EXPECTED]
    for (line, text), (_, expected) in zip(found, EXPECTED, strict=True):
        assert expected in text, (line, text)
    for pydantic in ("List should", "after validation", "String should", "pattern", "Input"):
        assert pydantic not in err
    assert "Traceback" not in err
    with runtime.session() as session:
        assert session.exec(select(Department)).all() == []


def test_a_file_with_errors_changes_nothing_already_loaded(
    env, org: Runtime, tmp_path: Path, capsys
):
    def state() -> tuple[list[tuple[str, bool]], list[tuple[str, bool]], int]:
        with org.session() as session:
            departments = sorted((d.name, d.active) for d in session.exec(select(Department)))
            people = sorted((m.user_id, m.active) for m in session.exec(select(Membership)))
            return departments, people, len(session.exec(select(Account)).all())

    before = state()
    text = (DATA / "organisation.toml").read_text()
    # Valid changes (a new contributor, a renamed department) beside one cross-reference error.
    text = text.replace('contributors = ["U0ALICE", "U0BOB"]', 'contributors = ["U0DAVE"]')
    text = text.replace('name = "Research"', 'name = "Science"')
    text = text.replace('department = "Marketing"', 'department = "Sales"')
    path = tmp_path / "org.toml"
    path.write_text(text)
    assert main(["org", "load", str(path)]) == 1
    err = capsys.readouterr().err
    assert "1 problem(s); nothing was changed" in err
    assert "line 22: accounts item 1 (\"acme\") → department: no department is named 'Sales'" in err
    assert state() == before


def test_a_toml_syntax_error_names_its_line(env, runtime: Runtime, tmp_path: Path, capsys):
    path = tmp_path / "org.toml"
    path.write_text('name = "Acme"\ntimezone = Europe/London\n')
    assert main(["org", "load", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 2: file: not valid TOML (invalid value)" in err
    assert "Traceback" not in err


def test_unknown_key_without_a_close_match_lists_the_keys():
    text = (
        (DATA / "organisation.toml")
        .read_text()
        .replace('name = "Acme"', 'name = "Acme"\nwebsite = "https://acme.example"')
    )
    try:
        parse_organisation(text)
    except OrganisationFileError as exc:
        [problem] = exc.problems
    assert problem.line == 2
    assert problem.message.startswith("unknown key 'website' (keys here: name, timezone,")


# --- where things are written ---------------------------------------------------------------


def test_key_lines_follows_nested_arrays_of_tables_across_departments():
    text = """\
[[departments]]
name = "A"
[[departments.rules]]
topic = "a1"
[[departments.rules]]
topic = "a2"
[[departments]]
name = "B"
[[departments.rules]]
topic = "b1"
[reminders]
hour = 9
"""
    found = key_lines(text)
    assert found[("departments", 0, "rules", 1, "topic")] == 6
    assert found[("departments", 1, "name")] == 8
    assert found[("departments", 1, "rules", 0, "topic")] == 10
    assert found[("reminders", "hour")] == 12
    # A key that is missing: its table's header.
    assert line_of(found, ("departments", 1, "rules", 0, "days")) == 9
    assert line_of(found, ("timezone",)) is None


def test_key_lines_reads_strings_inline_tables_dotted_and_quoted_keys():
    text = '''\
name = """
[[departments]]
timezone = "not a key"
"""
reminders.hour = 9
"quoted key" = 'a # not a comment'
accounts = [
  { platform = "x", handle = "a" },

  {platform = "linkedin", handle = "b"},
]
protocols = { banned_phrases = ["one", # a comment ]
  "two"], max_hashtags = 3 }
timezone = "Europe/London"
'''
    tomllib.loads(text)  # it is only ever run on text tomllib accepts
    found = key_lines(text)
    assert found[("name",)] == 1
    assert ("departments",) not in found
    assert found[("timezone",)] == 14
    assert found[("reminders", "hour")] == 5
    assert found[("quoted key",)] == 6
    assert found[("accounts", 0, "handle")] == 8
    assert found[("accounts", 1)] == 10
    assert found[("accounts", 1, "handle")] == 10
    assert found[("protocols", "banned_phrases", 0)] == 12
    assert found[("protocols", "banned_phrases", 1)] == 13
    assert found[("protocols", "max_hashtags")] == 13
