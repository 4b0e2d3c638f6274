"""Log lines: one per request and job, with who and what, never a token or message text."""

from __future__ import annotations

import json
import logging

from bot.config import LogFormat
from bot.logs import configure, scrub
from handlers.context import describe


def test_scrub_removes_tokens_and_signatures():
    line = "token xoxb-123-456-abc app xapp-1-A-2 sig v0=" + "a" * 64
    assert scrub(line) == "token [redacted] app [redacted] sig [redacted]"


def test_describe_names_the_request_but_not_its_text():
    assert describe({"command": "/social", "text": "secret plans"}) == {
        "kind": "command",
        "command": "/social",
    }
    assert describe({"type": "block_actions", "actions": [{"action_id": "approve"}]}) == {
        "kind": "block_actions",
        "action": "approve",
    }
    assert describe({"type": "event_callback", "event": {"type": "message", "text": "hi"}}) == {
        "kind": "event",
        "event": "message",
    }


def test_json_lines_carry_fields_and_scrub_secrets(capsys):
    configure(LogFormat.JSON, "INFO")
    try:
        logging.getLogger("socialbot.requests").info(
            "slack request xoxb-leaked-1", extra={"kind": "command", "user": "U1", "ms": 3.2}
        )
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    finally:
        logging.getLogger().handlers.clear()
    assert line["kind"] == "command" and line["user"] == "U1" and line["ms"] == 3.2
    assert line["message"] == "slack request [redacted]"
    assert line["level"] == "info"


def test_request_log_line_has_user_and_command_but_no_text(org, served, caplog):
    with caplog.at_level(logging.INFO, logger="socialbot.requests"):
        served.slack.command("U0ALICE", "schedule Marketing 2027-01")
        served.fake.wait_for("response_url")
    [record] = [r for r in caplog.records if r.name == "socialbot.requests"]
    assert (record.kind, record.command, record.user, record.status) == (
        "command",
        "/social",
        "U0ALICE",
        200,
    )
    assert "Marketing 2027-01" not in record.getMessage()
