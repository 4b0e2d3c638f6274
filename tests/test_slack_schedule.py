"""`/social schedule` and `/social help`, driven through signed HTTP requests."""

from __future__ import annotations

import json
import time

import pytest

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


@pytest.mark.parametrize(
    ("user", "typed", "answer"),
    [
        ("U0ALICE", "history", "Say which one: `/social history #12`, with the number of a slot."),
        ("U0ALICE", "history   ", "Say which one: `/social history #12`"),
        ("U0ALICE", "history #abc", "I can't read `#abc`: use `/social history #12`"),
        ("U0ALICE", "schedule 2026-13", "`2026-13` isn't a valid month: use a month as YYYY-MM"),
        ("U0ALICE", "schedule Marketing 2026-1", "`2026-1` isn't a valid month"),
        (
            "U0MKTLEAD",
            "rules Nosuch",
            "There's no department called `Nosuch`. Departments you coordinate: `Marketing`.",
        ),
    ],
)
def test_answers_say_what_was_wrong(org, served: Served, user: str, typed: str, answer: str):
    served.slack.command(user, typed)
    [message] = served.fake.wait_for("response_url")
    assert message["text"].startswith(answer)
    assert "department called `2026" not in message["text"]


def _dm(served: Served, user: str, text: str, event_id: str = "EvDM1", **fields: str):
    return served.slack.event(
        {
            "type": "message",
            "channel": "D" + user[1:],
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": "1700000000.000100",
            **fields,
        },
        event_id=event_id,
    )


def test_a_dm_outside_a_reminder_thread_gets_a_short_helpful_answer(org, served: Served):
    _dm(served, "U0ALICE", "hello?")
    [answer] = served.fake.wait_for("chat.postMessage")
    assert answer["channel"] == "D0ALICE" and "thread_ts" not in answer.args
    assert "reply in the thread of one of your reminders" in answer["text"]
    assert "/social draft" in answer["text"] and "/social help" in answer["text"]
    # Slack retrying the same delivery is not answered twice.
    served.slack.event(
        {
            "type": "message",
            "channel": "D0ALICE",
            "channel_type": "im",
            "user": "U0ALICE",
            "text": "hello?",
            "ts": "1700000000.000100",
        },
        event_id="EvDM1",
        retry_num=1,
    )
    # A reply in a thread that is not a reminder (say, a message of its own): answered there.
    served.slack.event(
        {
            "type": "message",
            "channel": "D0ALICE",
            "channel_type": "im",
            "user": "U0ALICE",
            "text": "and this?",
            "ts": "1700000000.000300",
            "thread_ts": "1700000000.000100",
        },
        event_id="EvDM2",
    )
    [_, in_thread] = served.fake.wait_for("chat.postMessage", 2)
    assert in_thread["thread_ts"] == "1700000000.000100"
    served.idle()
    assert len(served.fake.calls_to("chat.postMessage")) == 2


def test_a_dm_from_someone_outside_the_programme_says_so(org, served: Served):
    _dm(served, "U0STRANGER", "hi")
    [answer] = served.fake.wait_for("chat.postMessage")
    assert "not part of it yet" in answer["text"]


def test_the_bots_own_messages_and_edits_are_not_answered(org, served: Served):
    _dm(served, "U0ALICE", "edited", subtype="message_changed", event_id="EvDM3")
    served.slack.event(
        {
            "type": "message",
            "channel": "D0ALICE",
            "channel_type": "im",
            "bot_id": "B0BOT",
            "text": "a reminder",
            "ts": "1700000000.000500",
        },
        event_id="EvDM4",
    )
    served.idle()
    assert served.fake.calls_to("chat.postMessage") == []


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
