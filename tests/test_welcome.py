"""A person newly in the organisation file gets one welcome DM saying what socialbot will ask
of them (by role), exactly once, in their waking hours; people already there before the
welcome existed are not greeted as newcomers."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import text

from bot.cli import main
from bot.runtime import Runtime
from bot.testing.fake_slack import FakeSlack
from storage.migrate import alembic_config, upgrade
from tests.conftest import DATA

MORNING = "2027-01-15T10:00:00+00:00"  # Friday, 10:00 in London (the fake users' timezone)


def _welcomes(fake: FakeSlack) -> dict[str, str]:
    return {
        c["channel"]: c["text"] + json.dumps(c.blocks)
        for c in fake.calls_to("chat.postMessage")
        if "Welcome to socialbot" in str(c.get("text", "")) + json.dumps(c.blocks)
    }


def test_everyone_new_is_welcomed_once_by_role(env, org: Runtime, fake_slack: FakeSlack):
    assert main(["jobs", "run", "welcome", "--at", MORNING]) == 0
    welcomes = _welcomes(fake_slack)
    assert set(welcomes) == {"U0ALICE", "U0BOB", "U0CAROL", "U0MKTLEAD", "U0RESLEAD", "U0OVERALL"}
    assert "You write posts for *Marketing*" in welcomes["U0ALICE"]
    assert "Reply in its thread" in welcomes["U0ALICE"]
    assert "You coordinate" not in welcomes["U0ALICE"]
    assert "You coordinate *Research*" in welcomes["U0RESLEAD"]
    assert "Add a post" in welcomes["U0RESLEAD"]
    assert "overall coordinator" in welcomes["U0OVERALL"]
    assert "<@U0OVERALL>" in welcomes["U0ALICE"]  # whom to ask

    assert main(["jobs", "run", "welcome", "--at", "2027-01-15T10:10:00+00:00"]) == 0
    assert main(["org", "load", str(DATA / "organisation.toml")]) == 0
    assert main(["jobs", "run", "welcome", "--at", "2027-01-15T10:20:00+00:00"]) == 0
    assert len(_welcomes(fake_slack)) == 6
    assert len(fake_slack.calls_to("chat.postMessage")) == 6  # nobody twice


def test_a_person_added_to_the_file_later_is_welcomed_alone(
    env, org: Runtime, fake_slack: FakeSlack, tmp_path
):
    assert main(["jobs", "run", "welcome", "--at", MORNING]) == 0
    fake_slack.reset()
    grown = (
        (DATA / "organisation.toml")
        .read_text()
        .replace('contributors = ["U0CAROL"]', 'contributors = ["U0CAROL", "U0DEV"]')
    )
    (tmp_path / "org.toml").write_text(grown)
    assert main(["org", "load", str(tmp_path / "org.toml")]) == 0
    assert main(["jobs", "run", "welcome", "--at", "2027-01-15T11:00:00+00:00"]) == 0
    welcomes = _welcomes(fake_slack)
    assert list(welcomes) == ["U0DEV"]
    assert "You write posts for *Research*" in welcomes["U0DEV"]


def test_nobody_is_woken_up_by_a_welcome(env, org: Runtime, fake_slack: FakeSlack, capsys):
    fake_slack.add_user("U0ALICE", tz="America/Los_Angeles")
    assert main(["jobs", "run", "welcome", "--at", "2027-01-15T12:00:00+00:00"]) == 0  # 04:00 LA
    assert "U0ALICE" not in _welcomes(fake_slack)
    assert "U0BOB" in _welcomes(fake_slack)
    assert "1 later" in capsys.readouterr().out
    assert main(["jobs", "run", "welcome", "--at", "2027-01-15T17:00:00+00:00"]) == 0  # 09:00 LA
    assert "U0ALICE" in _welcomes(fake_slack)


def test_people_there_before_the_upgrade_count_as_welcomed(env, runtime: Runtime, fake_slack):
    """The migration that brings welcomes marks everyone already in the file as welcomed."""
    assert main(["org", "load", str(DATA / "organisation.toml")]) == 0
    command.downgrade(alembic_config(runtime.engine), "0011")
    with runtime.engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox_item"))
    upgrade(runtime.engine)
    assert main(["jobs", "run", "welcome", "--at", MORNING]) == 0
    assert _welcomes(fake_slack) == {}


def test_a_welcome_slack_may_have_lost_is_counted_and_sent_once(
    env, org: Runtime, fake_slack: FakeSlack, capsys
):
    fake_slack.fail("chat.postMessage", "internal_error", status=500, times=1)
    assert main(["jobs", "run", "welcome", "--at", MORNING]) == 0
    assert "5 welcomed, 0 failed, 1 in doubt (the next run checks)" in capsys.readouterr().out
    assert main(["jobs", "run", "welcome", "--at", "2027-01-15T10:10:00+00:00"]) == 0
    assert "1 welcomed, 0 failed, 0 in doubt" in capsys.readouterr().out
    assert len(_welcomes(fake_slack)) == 6
    assert len(fake_slack.calls_to("chat.postMessage")) == 7  # the failed try, then six welcomes
