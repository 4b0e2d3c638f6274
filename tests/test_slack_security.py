"""Requests that Slack did not sign, or signed too long ago, are refused and change nothing."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from tests.conftest import Served


def _body() -> str:
    return urlencode(
        {
            "command": "/social",
            "text": "schedule",
            "user_id": "U0ALICE",
            "team_id": "T0TEAM",
            "channel_id": "C1",
            "response_url": "http://x",
            "trigger_id": "t",
        }
    )


def test_unsigned_request_gets_401(org, served: Served):
    reply = served.slack.post(
        _body(), "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
    )
    assert reply.status == 401
    time.sleep(0.3)
    assert served.fake.calls == []


def test_stale_request_gets_401(org, served: Served):
    stale = int(time.time()) - 6 * 60
    reply = served.slack.post(_body(), "application/x-www-form-urlencoded", timestamp=stale)
    assert reply.status == 401
    time.sleep(0.3)
    assert served.fake.calls == []


def test_request_signed_with_another_secret_gets_401(org, served: Served):
    served.slack.secret = "not-the-secret"
    reply = served.slack.command("U0ALICE", "schedule")
    assert reply.status == 401
    time.sleep(0.3)
    assert served.fake.calls == []


def test_signed_request_is_accepted(org, served: Served):
    reply = served.slack.command("U0ALICE", "schedule")
    assert reply.status == 200
    served.fake.wait_for("response_url")
