"""`/social schedule` and `/social help`, driven through signed HTTP requests."""

from __future__ import annotations

import json
import time

from tests.conftest import Served


def _text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_contributor_sees_their_department_this_month_in_their_timezone(org, served: Served):
    served.fake.add_user("U0ALICE", tz="America/Los_Angeles")
    started = time.monotonic()
    reply = served.slack.command("U0ALICE", "schedule")
    assert reply.status == 200
    assert time.monotonic() - started < 3
    [message] = served.fake.wait_for("response_url")
    assert message["response_type"] == "ephemeral"
    text = _text(message["blocks"])
    assert "Marketing: January 2027" in text
    assert "New year product tips" in text and "Customer story" in text
    assert "Paper of the month" not in text  # Research
    # Due 12:00 London on 5 January is 04:00 in Los Angeles.
    assert "Tue 5 Jan, 04:00" in text
    assert "America/Los_Angeles" in text
    assert len(message["blocks"]) <= 50


def test_month_and_department_arguments(org, served: Served):
    served.slack.command("U0CAROL", "schedule research 2027-02")
    [message] = served.fake.wait_for("response_url")
    text = _text(message["blocks"])
    assert "Research: February 2027" in text
    assert "Lab open day" in text
    assert "Paper of the month" not in text


def test_overall_coordinator_sees_every_department(org, served: Served):
    served.slack.command("U0OVERALL", "schedule")
    [message] = served.fake.wait_for("response_url")
    text = _text(message["blocks"])
    assert "Marketing, Research: January 2027" in text
    assert "[Marketing]" in text and "[Research]" in text


def test_contributor_is_refused_another_departments_schedule(org, served: Served):
    served.slack.command("U0ALICE", "schedule Research")
    [message] = served.fake.wait_for("response_url")
    assert message["response_type"] == "ephemeral"
    assert "own departments (`Marketing`)" in message["text"]
    assert "blocks" not in message or not message["blocks"]
    assert "Paper of the month" not in json.dumps(message.args)


def test_unknown_department_names_the_ones_you_can_see(org, served: Served):
    served.slack.command("U0OVERALL", "schedule Sales 2027-01")
    [message] = served.fake.wait_for("response_url")
    assert "no department called `Sales`" in message["text"]
    assert "`Marketing`, `Research`" in message["text"]


def test_stranger_is_told_who_to_ask(org, served: Served):
    served.slack.command("U0STRANGER", "schedule")
    [message] = served.fake.wait_for("response_url")
    assert "not part of the social media programme" in message["text"]
    assert "<@U0OVERALL>" in message["text"]


def test_help_is_shaped_by_role(org, served: Served):
    served.slack.command("U0MKTLEAD", "help")
    served.slack.command("U0STRANGER", "")
    coordinator, stranger = sorted(
        served.fake.wait_for("response_url", 2),
        key=lambda c: "department coordinator" not in str(c.args),
    )
    assert "department coordinator" in _text(coordinator["blocks"])
    assert "/social schedule [department] [YYYY-MM]" in _text(coordinator["blocks"])
    assert "not part of the programme yet" in _text(stranger["blocks"])
    assert "/social schedule" not in _text(stranger["blocks"])


def test_unknown_subcommand_points_to_help(org, served: Served):
    served.slack.command("U0ALICE", "frobnicate now")
    [message] = served.fake.wait_for("response_url")
    assert "I don't know `frobnicate`" in message["text"]


def test_before_the_organisation_is_loaded(served: Served):
    served.slack.command("U0ALICE", "schedule")
    [message] = served.fake.wait_for("response_url")
    assert "isn't set up yet" in message["text"]


def test_timezone_is_cached_between_requests(org, served: Served):
    served.slack.command("U0ALICE", "schedule")
    served.fake.wait_for("response_url", 1)
    served.slack.command("U0ALICE", "schedule")
    served.fake.wait_for("response_url", 2)
    assert len(served.fake.calls_to("users.info")) == 1


def test_a_failure_is_logged_and_the_person_is_told(org, served: Served, monkeypatch, caplog):
    import bot.flows.social

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(bot.flows.social, "schedule_for", broken)
    served.slack.command("U0ALICE", "schedule")
    [message] = served.fake.wait_for("response_url")
    assert message["text"].startswith("Sorry, something went wrong on our side")
    assert "database on fire" not in message["text"]
    assert any(r.message == "listener failed" and r.exc_info for r in caplog.records)
