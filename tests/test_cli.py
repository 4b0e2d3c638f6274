"""The operator's command line: org load, schedule import, jobs, and start-up errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from bot.runtime import Runtime
from storage.models import Department, JobRun, Membership, Slot, SlotEvent
from tests.conftest import DATA


def _load(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "org.toml"
    path.write_text(text)
    return path


def test_org_load_then_schedule_import(env, runtime: Runtime, capsys):
    assert main(["org", "load", str(DATA / "organisation.toml")]) == 0
    assert "departments: 2 added, 0 updated, 0 retired" in capsys.readouterr().out
    assert main(["schedule", "import", str(DATA / "schedule.csv")]) == 0
    assert "5 slots added, 0 updated (new contributor), 0 already there" in capsys.readouterr().out
    with runtime.session() as session:
        slots = session.exec(select(Slot)).all()
        assert len(slots) == 5
        # 2027-01-05 at the default hour (12:00) in London, stored as UTC.
        first = min(slots, key=lambda s: s.due_at)
        assert first.due_at == datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
        assert len(session.exec(select(SlotEvent)).all()) == 5


def test_reimporting_the_same_file_adds_nothing(env, org: Runtime, capsys):
    assert main(["schedule", "import", str(DATA / "schedule.csv")]) == 0
    assert "0 slots added, 0 updated (new contributor), 5 already there" in capsys.readouterr().out
    with org.session() as session:
        assert len(session.exec(select(Slot)).all()) == 5


def test_a_changed_contributor_updates_the_slot_and_keeps_history(
    env, org: Runtime, tmp_path, capsys
):
    changed = (
        (DATA / "schedule.csv")
        .read_text()
        .replace("Customer story,U0BOB", "Customer story,U0ALICE")
    )
    path = tmp_path / "s.csv"
    path.write_text(changed)
    assert main(["schedule", "import", str(path)]) == 0
    assert "0 slots added, 1 updated" in capsys.readouterr().out
    with org.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Customer story")).one()
        assert slot.contributor_id == "U0ALICE"
        kinds = [
            e.kind for e in session.exec(select(SlotEvent).where(SlotEvent.slot_id == slot.id))
        ]
        assert kinds == ["imported", "reassigned"]


def test_a_bad_import_reports_every_row_and_imports_nothing(env, org: Runtime, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        "department,due,platform,topic,contributor\n"
        "Marketing,2027-02-01,linkedin,Fine row,U0ALICE\n"
        "Sales,2027-02-02,linkedin,Unknown department,U0ALICE\n"
        "Marketing,2027-02-30,linkedin,Bad date,U0ALICE\n"
        "Marketing,2027-02-03,myspace,Bad platform,U0ALICE\n"
        "Marketing,2027-02-04,x,Not a member,U0CAROL\n"
        "Marketing,2027-03-28T01:30,x,Clocks go forward,U0ALICE\n"
        "Marketing,2027-02-01,linkedin,Fine row,U0BOB\n"
    )
    assert main(["schedule", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "6 problem(s); nothing was imported" in err
    assert "row 3, column department: no department is named 'Sales'" in err
    assert "row 4, column due: '2027-02-30' is not a date" in err
    assert "row 5, column platform: 'myspace' is not one of" in err
    assert (
        "row 6, column contributor: U0CAROL is not a contributor or coordinator of Marketing" in err
    )
    assert "row 7, column due: 2027-03-28 01:30 does not exist in Europe/London" in err
    assert "row 8: the same slot as row 2" in err
    with org.session() as session:
        assert len(session.exec(select(Slot)).all()) == 5  # only the fixture's


def test_missing_columns_are_named(env, org: Runtime, tmp_path, capsys):
    path = tmp_path / "cols.csv"
    path.write_text("department,when,platform,topic\nMarketing,2027-02-01,x,Hi\n")
    assert main(["schedule", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "row 1, column due: this column is missing" in err
    assert "row 1, column contributor: this column is missing" in err
    assert "row 1, column when: unknown column" in err


def test_org_load_with_errors_changes_nothing(env, org: Runtime, tmp_path, capsys):
    text = (DATA / "organisation.toml").read_text()
    broken = text.replace('"U0CAROL"', '"carol"').replace('platform = "x"', 'platform = "myspace"')
    broken = broken.replace('name = "Research"', 'name = "Research"\nbudget = 3')
    assert main(["org", "load", str(_load(tmp_path, broken))]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" in err
    assert "contributors entry 1: 'carol' is not a Slack user ID" in err
    assert "unknown key 'budget'" in err
    assert "'myspace' is not a platform we know" in err
    assert 'departments item 2 ("Research")' in err


def test_duplicate_department_is_an_error_with_its_line(env, runtime: Runtime, tmp_path, capsys):
    text = (
        (DATA / "organisation.toml").read_text().replace('name = "Research"', 'name = "marketing"')
    )
    assert main(["org", "load", str(_load(tmp_path, text))]) == 1
    err = capsys.readouterr().err
    assert "line 13: departments item 2" in err
    assert "department 'marketing' is already defined (departments item 1)" in err
    with runtime.session() as session:
        assert session.exec(select(Department)).all() == []


def test_reloading_updates_in_place_and_retires_without_deleting(
    env, org: Runtime, tmp_path, capsys
):
    text = (DATA / "organisation.toml").read_text()
    # Research leaves the file; Bob leaves Marketing; Dave joins.
    text = (
        text[: text.index('[[departments]]\nname = "Research"')]
        + text[text.index("[[accounts]]") :]
    )
    text = text.replace(
        'contributors = ["U0ALICE", "U0BOB"]', 'contributors = ["U0ALICE", "U0DAVE"]'
    )
    assert main(["org", "load", str(_load(tmp_path, text))]) == 0
    out = capsys.readouterr().out
    assert "departments: 0 added, 0 updated, 1 retired" in out
    assert "roles: 1 added, 0 updated, 3 retired" in out
    with org.session() as session:
        research = session.exec(select(Department).where(Department.name == "Research")).one()
        assert research.active is False
        assert len(session.exec(select(Slot).where(Slot.department_id == research.id)).all()) == 2
        bob = session.exec(select(Membership).where(Membership.user_id == "U0BOB")).one()
        assert bob.active is False
    # Loading the original again brings them back rather than adding twice.
    assert main(["org", "load", str(DATA / "organisation.toml")]) == 0
    assert "departments: 0 added, 1 updated, 0 retired" in capsys.readouterr().out
    with org.session() as session:
        assert len(session.exec(select(Department)).all()) == 2


@pytest.mark.dates
def test_jobs_list_and_run_at_a_given_time(env, org: Runtime, fake_slack, capsys):
    assert main(["jobs", "list"]) == 0
    assert "home" in capsys.readouterr().out
    from storage.repositories.people import mark_home_opened

    with org.session() as session:
        mark_home_opened(session, "U0ALICE", org.now())
    assert main(["jobs", "run", "home", "--at", "2027-01-27T06:00:00+00:00"]) == 0
    assert "home: 1 published, 0 failed" in capsys.readouterr().out
    [publish] = fake_slack.calls_to("views.publish")
    text = str(publish.view["blocks"])
    # As of 27 January the webinar (26 January) is past: nothing is upcoming.
    assert "Webinar invite" not in text and "Nothing due" in text
    with org.session() as session:
        [run] = session.exec(select(JobRun)).all()
        assert (run.name, run.outcome) == ("home", "ok")
        assert run.scheduled_for == datetime(2027, 1, 27, 6, 0, tzinfo=UTC)


def test_unknown_job_is_a_clear_error(env, org: Runtime, capsys):
    assert main(["jobs", "run", "reminderz"]) == 2
    assert "no job is called 'reminderz'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("PORT", "eighty", "PORT is invalid"),
        ("PORT", "70000", "PORT is invalid"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN is invalid (must be a bot token"),
        ("SLACK_APP_TOKEN", "nope", "SLACK_APP_TOKEN is invalid"),
        ("DATABASE_URL", "mysql://db/x", "DATABASE_URL is invalid"),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL is invalid"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT is invalid"),
    ],
)
def test_bad_settings_stop_start_up_with_one_line(env, monkeypatch, capsys, name, value, expected):
    monkeypatch.setenv(name, value)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"socialbot: {expected}")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert value not in err or name in {"PORT", "DATABASE_URL", "LOG_FORMAT", "SLACK_API_URL"}


def test_missing_token_names_the_variable(env, monkeypatch, capsys):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert main(["serve"]) == 2
    assert capsys.readouterr().err.startswith("socialbot: SLACK_BOT_TOKEN is not set")


def test_refused_token_is_a_clear_error_without_the_token(env, fake_slack, capsys):
    fake_slack.fail("auth.test", "invalid_auth")
    assert main(["serve", "--no-scheduler"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN was refused by Slack" in err
    assert env["SLACK_BOT_TOKEN"] not in err


@pytest.mark.dates
def test_jobs_run_without_at_uses_the_clock(env, org: Runtime, fake_slack, capsys):
    from freezegun import freeze_time

    from storage.repositories.people import mark_home_opened

    with org.session() as session:
        mark_home_opened(session, "U0ALICE", org.now())
    with freeze_time("2027-01-20 06:00:00"):
        assert main(["jobs", "run", "home"]) == 0
    [publish] = fake_slack.calls_to("views.publish")
    text = str(publish.view["blocks"])
    assert "Webinar invite" in text  # 26 January is still ahead on the 20th
    with org.session() as session:
        [run] = session.exec(select(JobRun)).all()
        assert run.scheduled_for == datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
        assert run.finished_at == datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
