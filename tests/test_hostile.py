"""Hostile but plausible requests against everything the app answers: forged, malformed,
extreme, broadcast and control-character input. Each must get a clear answer or a quiet
400/401: no 5xx, no traceback in the log, nothing changed that should not be, and nothing
broadcast (the fake Slack's `broadcasts()`, checked after every test in conftest).

The listeners are enumerated from the tables in `handlers`, so a new command, action or
view callback is covered here the day it is added."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, select

import handlers
from bot.app import build_app, make_http_server, stop_http_server
from bot.cli import main
from bot.runtime import Runtime
from bot.testing.fake_slack import INJECTED_USER_ID, FakeSlack
from bot.testing.slack_requests import Response, SlackRequests
from storage.models import Draft, Slot
from tests.conftest import SIGNING_SECRET
from tests.test_slack_reminders import _digest_for, _reply

BROADCAST = f"<!channel> <!here> <!everyone> <@{INJECTED_USER_ID}> <https://evil.example|win>"
HUGE_ID = str(2**63)
EXTREME_IDS = [HUGE_ID, "9223372036854775807", str(2**31), "abc", "-1", "0", "²", "1e3", "٣"]
# Bookkeeping a refused request may still touch: remembered timezones, seen event ids.
NOT_STATE = {"slackuser", "slack_user", "processedevent", "processed_event"}
COMMAND_TEXTS = [
    "history #²",
    "history #9223372036854775808",
    "history #0",
    "history",
    "history #1 #2",
    "schedule 9999-12",
    "schedule 0000-01",
    "schedule 2027-13",
    f"schedule {BROADCAST}",
    f"rules {BROADCAST}",
    BROADCAST,
    "\x00help\x01",
    "history #1\x00",
    "schedule " + "x" * 1_000_000,
]


# --- the harness -----------------------------------------------------------------------------


class Hostile:
    """The served app, with what each check needs: its worker pool, the log, the database."""

    def __init__(
        self,
        slack: SlackRequests,
        fake: FakeSlack,
        runtime: Runtime,
        app: Any,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        self.slack = slack
        self.fake = fake
        self.runtime = runtime
        self._app = app
        self._caplog = caplog

    def settle(self) -> None:
        """Wait until every listener queued so far has finished: both workers of the pool
        must reach this barrier, so neither is still running earlier work."""
        pool = self._app.work_pool
        barrier = threading.Barrier(pool._max_workers)
        futures = [pool.submit(barrier.wait, 10) for _ in range(pool._max_workers)]
        for future in futures:
            future.result(timeout=15)

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        with self.runtime.engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(map(str, row)) for row in connection.execute(select(table))),
                )
                for table in SQLModel.metadata.sorted_tables
                if table.name not in NOT_STATE
            }

    def tracebacks(self) -> list[str]:
        return [
            f"{r.name}: {r.getMessage()}"
            for r in self._caplog.records
            if r.exc_info or "Traceback" in r.getMessage() or r.levelno >= logging.ERROR
        ]

    def refused_cleanly(self, send: Callable[[], Response], *, allowed: tuple[int, ...]) -> None:
        """Send; the status is one of `allowed`; after the work: no traceback, no change."""
        before = self.snapshot()
        reply = send()
        self.settle()
        assert reply.status in allowed, reply
        assert self.tracebacks() == []
        assert self.snapshot() == before

    def replies(self) -> list[str]:
        """Every text the app sent, whichever way (message, ephemeral, response_url)."""
        return [str(c.get("text", "")) for c in self.fake.calls if "text" in c]


@pytest.fixture
def hostile(
    org: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> Iterator[Hostile]:
    """Like `served`, but keeping the app itself, to wait for its listeners."""
    runtime = org
    caplog.set_level(logging.INFO)
    app = build_app(runtime)
    server = make_http_server(app, runtime, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    host, port = server.socket.getsockname()[:2]
    url = f"http://{host}:{port}/slack/events"
    slack = SlackRequests(url, SIGNING_SECRET, response_base=fake_slack.base_url + "/response")
    fake_slack.reset()
    yield Hostile(slack, fake_slack, runtime, app, caplog)
    stop_http_server(server)
    app.work_pool.shutdown(wait=True)


def _actions() -> list[str]:
    return [action.value for action in handlers.ACTIONS]


def _callbacks() -> list[str]:
    return [callback.value for callback in handlers.VIEWS]


def _click(user: str, action_id: str, **action: Any) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0TEAM"},
        "team": {"id": "T0TEAM"},
        "trigger_id": "1.t",
        "response_url": "http://127.0.0.1:9/never",
        "actions": [{"action_id": action_id, "block_id": "b", "value": "1", **action}],
    }


def _submission(user: Any, callback_id: str, **view: Any) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "user": {"id": user, "team_id": "T0TEAM"} if isinstance(user, str) else user,
        "team": {"id": "T0TEAM"},
        "view": {"id": "V1", "callback_id": callback_id, "private_metadata": "", **view},
    }


# --- before the signature check --------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        urlencode({"payload": "not json"}),
        urlencode({"payload": "[1, 2]"}),
        urlencode({"payload": '{"type": "block_actions"'}),
        "[1, 2]",
        "",
    ],
)
@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        (None, "v0=" + "0" * 64),  # a current timestamp, but not signed
        (None, ""),
        (None, "not a signature"),
        # Signed correctly over a timestamp that is not whole seconds, or is far off.
        ("abc", None),
        ("1.7e9", None),
        ("-1", None),
        ("", None),
        ("9" * 40, None),
        (" 1700000000", None),
    ],
)
def test_unsigned_or_badly_stamped_requests_get_401(
    hostile: Hostile, body: str, timestamp, signature
):
    def send() -> Response:
        form = "application/x-www-form-urlencoded"
        content_type = "application/json" if body.startswith("[") else form
        return hostile.slack.post(body, content_type, timestamp=timestamp, signature=signature)

    hostile.refused_cleanly(send, allowed=(401,))
    assert hostile.fake.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (urlencode({"payload": "not json"}), "application/x-www-form-urlencoded"),
        (urlencode({"payload": "[1, 2]"}), "application/x-www-form-urlencoded"),
        (urlencode({"payload": '"a string"'}), "application/x-www-form-urlencoded"),
        (urlencode({"payload": "[" * 100_000}), "application/x-www-form-urlencoded"),
        ("[1, 2]", "application/json"),
        ("{not json", "application/json"),
        (b"payload=\xff\xfe", "application/x-www-form-urlencoded"),
    ],
)
def test_signed_but_unparseable_requests_get_400(hostile: Hostile, body, content_type):
    hostile.refused_cleanly(lambda: hostile.slack.post(body, content_type), allowed=(400,))
    assert hostile.fake.calls == []


# --- signed but malformed: every action and view callback -----------------------------------


def _malformed_clicks(action_id: str) -> list[dict[str, Any]]:
    good = _click("U0MKTLEAD", action_id)
    no_user = {k: v for k, v in good.items() if k != "user"}
    return [
        no_user,
        {**good, "user": "U0MKTLEAD"},
        {**good, "user": {"name": "no id"}},
        {**good, "user": {"id": ["U0MKTLEAD"]}},
        {**good, "actions": {"action_id": action_id, "value": "1"}},
        {**good, "actions": []},
        {**good, "actions": ["a string"]},
        _click("U0MKTLEAD", action_id, value=1),
        _click("U0MKTLEAD", action_id, value=2**63),
        _click("U0MKTLEAD", action_id, value=["1"]),
        _click("U0MKTLEAD", action_id, value={"id": 1}),
        _click("U0MKTLEAD", action_id, value=None, selected_option="x"),
        {**good, "container": "C0MKTREVIEW"},
        {**good, "message": ["x"]},
    ]


@pytest.mark.parametrize("action_id", _actions())
def test_malformed_clicks_get_a_quiet_400(hostile: Hostile, action_id: str):
    for payload in _malformed_clicks(action_id):
        hostile.refused_cleanly(lambda p=payload: hostile.slack.interactive(p), allowed=(400,))
    assert hostile.fake.calls == []
    assert any(r.getMessage() == "malformed payload" for r in hostile._caplog.records)


def _malformed_submissions(callback_id: str) -> list[dict[str, Any]]:
    good = _submission("U0MKTLEAD", callback_id)
    return [
        {k: v for k, v in good.items() if k != "user"},
        _submission("U0MKTLEAD", callback_id) | {"user": "U0MKTLEAD"},
        {**good, "view": "a string"},
        {**good, "view": {**good["view"], "private_metadata": 12}},
        {**good, "view": {**good["view"], "state": {"values": ["x"]}}},
        {**good, "view": {**good["view"], "state": {"values": {"text": "x"}}}},
        {**good, "view": {**good["view"], "state": {"values": {"text": {"value": "x"}}}}},
        {**good, "view": {**good["view"], "state": {"values": {"text": {"value": {"value": 5}}}}}},
        {
            **good,
            "view": {
                **good["view"],
                "state": {"values": {"slot": {"value": {"selected_option": "12"}}}},
            },
        },
        {
            **good,
            "view": {
                **good["view"],
                "state": {"values": {"image": {"value": {"files": ["F1"]}}}},
            },
        },
    ]


@pytest.mark.parametrize("callback_id", _callbacks())
def test_malformed_view_submissions_get_a_quiet_400(hostile: Hostile, callback_id: str):
    for payload in _malformed_submissions(callback_id):
        hostile.refused_cleanly(lambda p=payload: hostile.slack.interactive(p), allowed=(400,))
    assert hostile.fake.calls == []


@pytest.mark.parametrize(
    "event",
    [
        {"type": "message", "channel_type": "im", "channel": "D0ALICE", "user": {"id": "U"}},
        {"type": "message", "channel": "D0ALICE", "ts": "1.0", "text": 5},
        {"type": "message", "channel": "D0ALICE", "ts": "1.0", "files": "F1"},
        {"type": "message", "channel": "D0ALICE", "ts": "1.0", "files": [7]},
        {"type": "app_home_opened", "user": ["U0ALICE"]},
        {"type": ["message"]},
    ],
)
def test_malformed_events_get_a_quiet_400(hostile: Hostile, event: dict[str, Any]):
    hostile.refused_cleanly(lambda: hostile.slack.event(event), allowed=(400,))
    assert hostile.fake.calls == []


def test_an_event_body_of_the_wrong_shape_gets_a_quiet_400(hostile: Hostile):
    for body in ['{"type": "event_callback", "event": []}', '{"type": "event_callback"}']:
        hostile.refused_cleanly(
            lambda b=body: hostile.slack.post(b, "application/json"), allowed=(400,)
        )


@pytest.mark.parametrize("command", list(handlers.COMMANDS))
def test_a_command_missing_its_fields_gets_a_quiet_400(hostile: Hostile, command: str):
    body = urlencode({"command": command, "text": "help"})
    sent = lambda: hostile.slack.post(body, "application/x-www-form-urlencoded")  # noqa: E731
    hostile.refused_cleanly(sent, allowed=(400,))


# --- extreme values: every action and view callback -----------------------------------------


@pytest.mark.parametrize("action_id", _actions())
def test_extreme_ids_in_clicks_get_a_clear_answer(hostile: Hostile, action_id: str):
    for value in [*EXTREME_IDS, f"{HUGE_ID}:{HUGE_ID}", "abc:def", BROADCAST]:
        extra = {"selected_user": "U0BOB"} if action_id == "reassign" else {}
        hostile.refused_cleanly(
            lambda v=value, e=extra: hostile.slack.block_action(
                "U0MKTLEAD",
                action_id,
                value=v,
                block_id=f"slot_{v}",
                channel_id="C0MKTREVIEW",
                message_ts="1.0",
                **e,
            ),
            allowed=(200,),
        )
    assert all(len(t) < 1000 for t in hostile.replies())


def _values_for(callback_id: str, choice: str) -> dict[str, Any]:
    words = {"value": {"value": f"{BROADCAST} \x00\x07 words"}}
    return {
        "text": words,
        "reason": {"value": {"value": f"https://example.com/{BROADCAST}"}},
        "link": words,
        "note": words,
        "topic": words,
        "slot": {"value": {"selected_option": {"value": choice}}},
        "platform": {"value": {"selected_option": {"value": "linkedin"}}},
        "due": {"value": {"selected_date": "9999-12-31"}},
    }


@pytest.mark.parametrize("callback_id", _callbacks())
def test_extreme_ids_in_view_submissions_get_a_clear_answer(hostile: Hostile, callback_id: str):
    metadata = [
        *EXTREME_IDS,
        json.dumps({"slot": 2**63}),
        json.dumps({"slot": "abc"}),
        json.dumps({"slot": 1.5}),
        json.dumps({"slot": None}),
        json.dumps({"slot": True}),
        json.dumps({"slot": 1, "channel": ["C1"]}),
        "[]",
        "null",
        "{",
    ]
    for private_metadata in metadata:
        choices = [HUGE_ID, "abc", "²"] if callback_id == "draft_command_submit" else ["abc"]
        for choice in choices:
            hostile.refused_cleanly(
                lambda m=private_metadata, c=choice: hostile.slack.view_submission(
                    "U0MKTLEAD", callback_id, _values_for(callback_id, c), private_metadata=m
                ),
                allowed=(200,),
            )


@pytest.mark.parametrize("command", list(handlers.COMMANDS))
def test_hostile_command_texts_get_a_clear_short_answer(hostile: Hostile, command: str):
    for typed in COMMAND_TEXTS:
        for user in ("U0ALICE", "U0OVERALL", "U0STRANGER"):
            hostile.refused_cleanly(
                lambda t=typed, u=user: hostile.slack.command(u, t, command=command),
                allowed=(200,),
            )
    answers = [c for c in hostile.fake.calls if c.method == "response_url"]
    assert len(answers) == len(COMMAND_TEXTS) * 3
    assert all(len(c["text"]) < 2000 for c in answers)
    said = [c["text"] for c in answers]
    if command == "/social":
        assert any("9999-12" in t and "YYYY-MM" in t for t in said)
        assert any("#²" in t and "/social history #12" in t for t in said)


def test_a_huge_department_name_is_echoed_short(hostile: Hostile):
    hostile.slack.command("U0OVERALL", "schedule " + "Sales" * 200_000)
    [answer] = hostile.fake.wait_for("response_url")
    assert "There's no department called" in answer["text"]
    assert len(answer["text"]) < 400
    assert "…" in answer["text"]


# --- broadcasts: what people typed reaches Slack inert ---------------------------------------


def test_a_topic_with_channel_pings_reaches_review_inert(hostile: Hostile):
    channel, ts = _digest_for(hostile, "U0ALICE", "<!channel> flash sale")  # type: ignore[arg-type]
    digest = hostile.fake.messages[channel][0]
    assert "&lt;!channel&gt; flash sale" in json.dumps(digest["blocks"])
    _reply(hostile, channel, ts, "U0ALICE", f"Big sale! {BROADCAST}")  # type: ignore[arg-type]
    [review] = hostile.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW"
    )
    assert review["text"] == "Draft v1 of &lt;!channel&gt; flash sale for review"
    hostile.settle()
    buttons = {
        e["action_id"]: e for b in review.blocks if b["type"] == "actions" for e in b["elements"]
    }
    hostile.slack.block_action(
        "U0MKTLEAD",
        "review_reject",
        value=buttons["review_reject"]["value"],
        channel_id="C0MKTREVIEW",
        message_ts="1.0",
    )
    hostile.fake.wait_for("views.open")
    draft_id = buttons["review_reject"]["value"]
    hostile.slack.view_submission(
        "U0MKTLEAD",
        "review_reject_submit",
        {"reason": {"value": {"value": f"No. {BROADCAST}"}}},
        private_metadata=draft_id,
    )
    hostile.fake.wait_for("chat.update", where=lambda c: c["channel"] == "C0MKTREVIEW")
    hostile.fake.wait_for("chat.postMessage", where=lambda c: "rejected" in c.get("text", ""))
    hostile.settle()
    assert hostile.fake.broadcasts() == []
    assert hostile.tracebacks() == []
    assert any("&lt;!here&gt;" in t for t in hostile.replies())


def test_an_ad_hoc_post_with_pings_in_its_topic_reaches_review_inert(hostile: Hostile):
    values = {
        "slot": {"value": {"selected_option": {"value": "new"}}},
        "platform": {"value": {"selected_option": {"value": "linkedin"}}},
        "topic": {"value": {"value": f"{BROADCAST} launch"}},
        "due": {"value": {"selected_date": "2027-01-20"}},
        "text": {"value": {"value": "Our launch post."}},
    }
    reply = hostile.slack.view_submission("U0ALICE", "draft_command_submit", values)
    assert reply.status == 200
    [review] = hostile.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW"
    )
    assert review["text"].startswith("Draft v1 of &lt;!channel&gt; &lt;!here&gt;")
    hostile.settle()
    assert hostile.tracebacks() == []


def test_a_hand_back_reason_with_pings_reaches_the_coordinator_inert(hostile: Hostile):
    channel, ts = _digest_for(hostile, "U0ALICE", "Launch post")  # type: ignore[arg-type]
    with hostile.runtime.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Launch post")).one()
    metadata = json.dumps({"slot": slot.id, "channel": channel, "ts": ts})
    hostile.slack.view_submission(
        "U0ALICE",
        "hand_back_submit",
        {"reason": {"value": {"value": f"Ill. {BROADCAST}"}}},
        private_metadata=metadata,
    )
    [told] = hostile.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == "U0MKTLEAD")
    assert "&lt;!everyone&gt;" in json.dumps(told.blocks)
    hostile.settle()
    assert hostile.tracebacks() == []


# --- control characters ----------------------------------------------------------------------


def test_a_reply_with_nul_and_control_characters_is_stored_and_answered(hostile: Hostile):
    channel, ts = _digest_for(hostile, "U0ALICE", "Launch post")  # type: ignore[arg-type]
    typed = "We're\x00 live!\x07\r\nTab\tstays.\x1b[31m"
    assert _reply(hostile, channel, ts, "U0ALICE", typed).status == 200  # type: ignore[arg-type]
    answer = hostile.fake.wait_for(
        "chat.postMessage", where=lambda c: c.get("thread_ts") == ts and "received" in c["text"]
    )
    assert answer
    hostile.settle()
    with hostile.runtime.session() as session:
        [draft] = session.exec(select(Draft)).all()
    assert draft.text == "We're live!\nTab\tstays.[31m"
    assert hostile.tracebacks() == []


def test_a_csv_topic_with_control_characters_is_stored_clean(hostile: Hostile, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "department,due,platform,topic,contributor\n"
        "Marketing,2027-02-17,linkedin,Launch\x00 post\x01,U0ALICE\n"
    )
    assert main(["schedule", "import", str(path)]) == 0
    with hostile.runtime.engine.connect() as connection:
        topics = [row[0] for row in connection.execute(text("SELECT topic FROM slot"))]
    assert "Launch post" in topics


# --- unbounded lists -------------------------------------------------------------------------


def test_a_csv_with_100000_bad_rows_lists_the_first_problems_and_counts_the_rest(
    hostile: Hostile, tmp_path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "bad.csv"
    rows = "".join(
        f"Nowhere,2027-02-{i % 28 + 1:02d},linkedin,T{i},U0ALICE\n" for i in range(100_000)
    )
    path.write_text("department,due,platform,topic,contributor\n" + rows)
    before = hostile.snapshot()
    assert main(["schedule", "import", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("100000 problem(s); nothing was imported:")
    assert len(err) == 1 + 50 + 1
    assert err[-1].strip() == "…and 99950 more problems"
    assert hostile.snapshot() == before


# --- the whole post in review ----------------------------------------------------------------


def test_a_long_facebook_draft_is_shown_to_the_reviewer_whole(hostile: Hostile):
    with hostile.runtime.session() as session:
        from bot.schedule.service import import_schedule

        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n"
            "Marketing,2027-02-17,facebook,Long read,U0ALICE\n",
            source="t.csv",
            now=hostile.runtime.now(),
        )
    assert main(["jobs", "run", "reminders", "--at", "2027-02-10T09:00:00+00:00"]) == 0
    channel = "D0ALICE"
    ts = hostile.fake.messages[channel][0]["ts"]
    paragraph = "Our story, told at length, with every detail a reader could want. " * 10
    post = "\n\n".join(f"{i}. {paragraph.strip()}" for i in range(7))[:4470]
    assert len(post) == 4470
    _reply(hostile, channel, ts, "U0ALICE", post)  # type: ignore[arg-type]
    [review] = hostile.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW"
    )
    shown = [
        b["text"]["text"]
        for b in review.blocks
        if b["type"] == "section" and b["text"]["type"] == "plain_text"
    ]
    assert len(shown) == 2
    assert all(len(piece) <= 3000 for piece in shown)
    assert "".join(shown) == post
    assert len(review.blocks) <= 50
    hostile.settle()
    with hostile.runtime.session() as session:
        [draft] = session.exec(select(Draft)).all()
    assert draft.text == post
