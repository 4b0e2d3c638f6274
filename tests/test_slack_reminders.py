"""Answering reminders in Slack: thread replies, the draft modal, snooze, hand back, reassign."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from bot.cli import main
from bot.schedule.service import import_schedule
from storage.models import Draft, Slot
from tests.conftest import Served


def _digest_for(served: Served, user: str, *topics: str, at: str = "2027-02-10T09:00:00+00:00"):
    """Import slots due a week after `at` for `user`, run reminders, return (channel, ts)."""
    with served.runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n"
            + "".join(f"Marketing,2027-02-17,linkedin,{t},{user}\n" for t in topics),
            source="t.csv",
            now=served.runtime.now(),
        )
    assert main(["jobs", "run", "reminders", "--at", at]) == 0
    channel = "D" + user[1:]
    [message] = served.fake.messages[channel]
    return channel, message["ts"]


def _slot(served: Served, topic: str) -> Slot:
    with served.runtime.session() as session:
        return session.exec(select(Slot).where(Slot.topic == topic)).one()


def _drafts(served: Served) -> list[Draft]:
    with served.runtime.session() as session:
        return list(session.exec(select(Draft)))


def _reply(
    served: Served, channel: str, thread_ts: str, user: str, text: str, offset: float = 5, **kwargs
):
    return served.slack.event(
        {
            "type": "message",
            "channel": channel,
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": f"{float(thread_ts) + offset:.6f}",
            "thread_ts": thread_ts,
            **kwargs.pop("extra", {}),
        },
        **kwargs,
    )


def test_a_reply_in_the_thread_becomes_the_draft_once(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    text = "We're live! 🎉\nLine two & <b>markup</b> stays as written"
    # As Slack sends it: the three characters it escapes, escaped.
    encoded = "We're live! 🎉\nLine two &amp; &lt;b&gt;markup&lt;/b&gt; stays as written"
    files = [
        {"id": "F1", "name": "launch.png", "mimetype": "image/png", "permalink": "https://x/F1"}
    ]
    assert (
        _reply(
            served, channel, ts, "U0ALICE", encoded, event_id="Ev1", extra={"files": files}
        ).status
        == 200
    )
    [confirmation] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c.get("thread_ts") == ts
    )
    assert "Draft v1 of *Launch post* received" in confirmation["text"]
    served.fake.wait_for("chat.update")
    # Slack retries the same delivery: nothing new.
    _reply(served, channel, ts, "U0ALICE", encoded, event_id="Ev1", retry_num=1)
    served.idle()
    [draft] = _drafts(served)
    assert draft.text == text and json.loads(draft.files)[0]["name"] == "launch.png"
    assert draft.source == "thread"
    assert _slot(served, "Launch post").status == "in_review"
    [review] = served.fake.calls_to("chat.postMessage")[1:2]
    assert review["channel"] == "C0MKTREVIEW" and "Draft v1" in json.dumps(review["blocks"])
    update = served.fake.calls_to("chat.update")[-1]
    assert "Draft in review" in json.dumps(update["blocks"])


def test_a_reply_to_a_digest_of_several_asks_which_slot(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "First", "Second")
    _reply(served, channel, ts, "U0ALICE", "My draft")
    [ask] = served.fake.wait_for("chat.postMessage", where=lambda c: c.get("thread_ts") == ts)
    assert ask["text"] == "Thanks! Which post is this draft for?"
    buttons = ask.blocks[1]["elements"]
    second = next(b for b in buttons if b["text"]["text"] == "Second")
    assert _drafts(served) == []
    served.slack.block_action(
        "U0ALICE",
        second["action_id"],
        value=second["value"],
        channel_id=channel,
        message_ts="1.5",
        thread_ts=ts,
    )
    served.fake.wait_for("chat.update")
    [draft] = _drafts(served)
    assert draft.slot_id == _slot(served, "Second").id and draft.text == "My draft"


def test_replies_from_someone_else_or_outside_a_thread_are_ignored(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    _reply(served, channel, ts, "U0BOB", "not mine")
    served.slack.event(
        {
            "type": "message",
            "channel": channel,
            "channel_type": "im",
            "user": "U0ALICE",
            "text": "hello",
            "ts": "2.0",
        }
    )
    served.idle()
    assert _drafts(served) == []


def test_submit_draft_button_opens_the_modal_and_saves_the_draft(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    slot = _slot(served, "Launch post")
    served.slack.block_action(
        "U0ALICE", "draft_open", value=str(slot.id), channel_id=channel, message_ts=ts
    )
    [opened] = served.fake.wait_for("views.open")
    view = opened.view
    assert view["callback_id"] == "draft_submit" and "Launch post" in json.dumps(view["blocks"])
    empty = served.slack.view_submission(
        "U0ALICE",
        "draft_submit",
        {"text": {"value": {"value": "   "}}},
        private_metadata=view["private_metadata"],
    )
    assert empty.json()["response_action"] == "errors"
    served.idle()
    assert _drafts(served) == []
    ok = served.slack.view_submission(
        "U0ALICE",
        "draft_submit",
        {
            "text": {"value": {"value": "Big news"}},
            "link": {"value": {"value": "https://acme.org"}},
            "note": {"value": {"value": None}},
        },
        private_metadata=view["private_metadata"],
    )
    assert ok.status == 200 and ok.body == ""
    served.fake.wait_for("chat.postMessage", where=lambda c: c.get("thread_ts") == ts)
    [draft] = _drafts(served)
    assert (draft.text, draft.link, draft.source) == ("Big news", "https://acme.org", "modal")


def test_only_the_contributor_can_answer_their_reminder(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    slot = _slot(served, "Launch post")
    for action in ("snooze_1d", "draft_open", "hand_back"):
        served.slack.block_action(
            "U0BOB", action, value=str(slot.id), channel_id=channel, message_ts=ts
        )
    refusals = served.fake.wait_for("response_url", 3)
    assert all("assigned to someone else" in r["text"] for r in refusals)
    assert all(r["response_type"] == "ephemeral" for r in refusals)
    assert served.fake.calls_to("views.open") == []
    after = _slot(served, "Launch post")
    assert (after.status, after.snoozed_until) == ("planned", None)


@pytest.mark.dates
def test_snooze_moves_the_next_reminder(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    slot = _slot(served, "Launch post")
    served.clock.set(served.clock.value.replace(year=2027, month=2, day=10, hour=9, minute=5))
    served.slack.block_action(
        "U0ALICE", "snooze_3d", value=str(slot.id), channel_id=channel, message_ts=ts
    )
    [update] = served.fake.wait_for("chat.update")
    assert "Snoozed" in json.dumps(update["blocks"])
    snoozed = _slot(served, "Launch post")
    assert (
        snoozed.snoozed_until is not None
        and snoozed.snoozed_until.isoformat() == "2027-02-15T09:00:00+00:00"
    )
    # Nothing on Friday 12th; the snooze reminder on Monday 15th 09:00 London.
    main(["jobs", "run", "reminders", "--at", "2027-02-12T12:00:00+00:00"])
    assert len(served.fake.messages[channel]) == 1
    main(["jobs", "run", "reminders", "--at", "2027-02-15T09:00:00+00:00"])
    assert len(served.fake.messages[channel]) == 2


def test_hand_back_reaches_the_coordinator_who_reassigns(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    slot = _slot(served, "Launch post")
    served.slack.block_action(
        "U0ALICE", "hand_back", value=str(slot.id), channel_id=channel, message_ts=ts
    )
    [opened] = served.fake.wait_for("views.open")
    served.slack.view_submission(
        "U0ALICE",
        "hand_back_submit",
        {"reason": {"value": {"value": "I'm on leave"}}},
        private_metadata=opened.view["private_metadata"],
    )
    served.fake.wait_for("chat.postMessage", 2)
    [to_lead] = [c for c in served.fake.calls_to("chat.postMessage") if c["channel"] == "U0MKTLEAD"]
    assert "I&#39;m on leave" in json.dumps(to_lead["blocks"]) or "I'm on leave" in json.dumps(
        to_lead["blocks"]
    )
    assert _slot(served, "Launch post").status == "handed_back"
    select_block = to_lead.blocks[1]
    # A contributor cannot reassign; the coordinator can.
    served.slack.block_action(
        "U0BOB",
        "reassign",
        block_id=select_block["block_id"],
        channel_id="D0MKTLEAD",
        message_ts="9.0",
        selected_user="U0BOB",
    )
    [refused] = served.fake.wait_for("response_url")
    assert "Only this department's coordinators" in refused["text"]
    served.slack.block_action(
        "U0MKTLEAD",
        "reassign",
        block_id=select_block["block_id"],
        channel_id="D0MKTLEAD",
        message_ts="9.0",
        selected_user="U0BOB",
    )
    served.fake.wait_for("chat.update", 2)  # the digest earlier, then the lead's message
    reassigned = _slot(served, "Launch post")
    assert (reassigned.contributor_id, reassigned.status) == ("U0BOB", "planned")
    [to_bob] = served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == "U0BOB")
    assert "Launch post" in json.dumps(to_bob["blocks"])
    # It is a real reminder: Bob's reply in its thread is his draft.
    bob_ts = served.fake.messages["D0BOB"][-1]["ts"]
    _until_confirmed(served, "D0BOB", bob_ts)
    _reply(served, "D0BOB", bob_ts, "U0BOB", "Bob's take")
    served.fake.wait_for("chat.postMessage", where=lambda c: c.get("thread_ts") == bob_ts)
    assert [(d.author_id, d.text) for d in _drafts(served)] == [("U0BOB", "Bob's take")]


def test_app_home_shows_the_draft_and_the_reminders(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    _reply(served, channel, ts, "U0ALICE", "We're live <!channel>")
    served.fake.wait_for("chat.update")
    served.clock.set(served.clock.value.replace(month=2, day=10, hour=10))
    served.slack.app_home_opened("U0ALICE")
    [publish] = served.fake.wait_for("views.publish")
    rendered = json.dumps(publish.view["blocks"])
    assert "Your latest drafts" in rendered and "Launch post* v1" in rendered
    # Stored as the reader saw it ("@channel"), shown inert: never a live ping.
    assert "live @channel" in rendered and "<!channel>" not in rendered
    shown = json.dumps(publish.view["blocks"], ensure_ascii=False)
    assert ":bell: reminded 1×" in shown  # the reminder sent for it, said in words


def _until_confirmed(served: Served, channel: str, ts: str) -> None:
    """The bot records a message as sent just after Slack accepts it; a person replies later."""
    import time

    from storage.repositories.outbox import by_message

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with served.runtime.session() as session:
            if by_message(session, channel=channel, ts=ts) is not None:
                return
        time.sleep(0.02)
    raise AssertionError(f"{channel}/{ts} was never recorded as sent")
