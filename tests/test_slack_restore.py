"""Destructive buttons ask first; a cancelled slot can be restored by a coordinator; a slot's
history reads as sentences about people."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.cli import main
from bot.schedule.service import import_schedule
from storage.models import Slot
from tests.conftest import Served

pytestmark = pytest.mark.dates


def _late_slot(served: Served) -> Slot:
    """A post Alice was reminded of, then late, escalated to her coordinator."""
    with served.runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n"
            "Marketing,2027-02-17,linkedin,Late one,U0ALICE\n",
            source="late.csv",
            now=served.runtime.now(),
        )
    assert main(["jobs", "run", "reminders", "--at", "2027-02-10T09:00:00+00:00"]) == 0
    assert main(["jobs", "run", "escalations", "--at", "2027-02-17T13:05:00+00:00"]) == 0
    with served.runtime.session() as session:
        return session.exec(select(Slot).where(Slot.topic == "Late one")).one()


def _status(served: Served, slot_id: int) -> str:
    with served.runtime.session() as session:
        slot = session.get(Slot, slot_id)
        assert slot is not None
        return slot.status


def _buttons(blocks: list[dict]) -> dict[str, dict]:
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def test_cancel_asks_first_and_a_coordinator_can_restore(env, org, served: Served):
    slot = _late_slot(served)
    [escalation] = [
        c for c in served.fake.calls_to("chat.postMessage") if c["channel"] == "U0MKTLEAD"
    ]
    cancel = _buttons(escalation.blocks)["cancel_slot"]
    assert cancel["confirm"]["confirm"]["text"] == "Cancel slot"
    assert cancel["confirm"]["title"]["type"] == "plain_text"
    before = _status(served, slot.id)
    served.fake.reset()

    served.slack.block_action(
        "U0MKTLEAD", "cancel_slot", value=str(slot.id), channel_id="D0MKTLEAD", message_ts="5.0"
    )
    [cancelled] = served.fake.wait_for("chat.update")
    assert "Cancelled by <@U0MKTLEAD>" in json.dumps(cancelled.blocks)
    restore = _buttons(cancelled.blocks)["restore_slot"]
    assert _status(served, slot.id) == "cancelled"

    # Only the department's coordinators (and overall ones) may restore: checked on click.
    served.slack.block_action(
        "U0BOB", "restore_slot", value=restore["value"], channel_id="D0MKTLEAD", message_ts="5.0"
    )
    [refused] = served.fake.wait_for("response_url")
    assert "Only this department's coordinators" in refused["text"]
    served.idle()
    assert _status(served, slot.id) == "cancelled"

    served.slack.block_action(
        "U0MKTLEAD",
        "restore_slot",
        value=restore["value"],
        channel_id="D0MKTLEAD",
        message_ts="5.0",
    )
    [_, restored] = served.fake.wait_for("chat.update", 2)
    assert "Restored by <@U0MKTLEAD>" in json.dumps(restored.blocks)
    assert "cancel_slot" in _buttons(restored.blocks)  # its controls are back
    assert _status(served, slot.id) == before

    # A second click finds nothing to restore, and says so.
    served.slack.block_action(
        "U0MKTLEAD",
        "restore_slot",
        value=restore["value"],
        channel_id="D0MKTLEAD",
        message_ts="5.0",
    )
    said = served.fake.wait_for("response_url", 2)[-1]
    assert "isn't cancelled" in said["text"]


def test_history_reads_as_sentences_and_offers_restore_to_coordinators(env, org, served: Served):
    slot = _late_slot(served)
    served.slack.block_action(
        "U0MKTLEAD", "cancel_slot", value=str(slot.id), channel_id="D0MKTLEAD", message_ts="5.0"
    )
    served.fake.wait_for("chat.update")
    served.fake.reset()

    served.slack.command("U0MKTLEAD", f"history #{slot.id}")
    [history] = served.fake.wait_for("response_url")
    text = json.dumps(history["blocks"])
    assert re.search(r"Reminder sent to <@U0ALICE> \(\d+ days? before\)", text), text
    assert "Escalated to <@U0MKTLEAD>" in text
    assert "Imported from late.csv row 2" in text
    assert "Cancelled by <@U0MKTLEAD>" in text
    assert not re.search(r"\bd\d+\b|late:U0|reminded\b|escalated\b", text), text
    restore = _buttons(history["blocks"])["restore_slot"]

    # Alice sees the story, but no Restore: that is for coordinators.
    served.slack.command("U0ALICE", f"history #{slot.id}")
    alices = served.fake.wait_for("response_url", 2)[-1]
    assert "restore_slot" not in json.dumps(alices["blocks"])

    # Restored from the (ephemeral) history: the answer is said, the slot is back.
    served.slack.block_action(
        "U0MKTLEAD",
        "restore_slot",
        value=restore["value"],
        channel_id="D0MKTLEAD",
        message_ts="6.0",
        ephemeral=True,
    )
    said = served.fake.wait_for("response_url", 3)[-1]
    assert "Restored *Late one*" in said["text"]
    assert _status(served, slot.id) != "cancelled"
    assert served.fake.calls_to("chat.update") == []


def test_dates_in_another_year_show_it(env, org, served: Served):
    slot = _late_slot(served)
    served.clock.set(datetime(2028, 3, 1, 12, 0, tzinfo=UTC))
    served.slack.command("U0MKTLEAD", f"history #{slot.id}")
    [history] = served.fake.wait_for("response_url")
    text = json.dumps(history["blocks"])
    assert "Wed 17 Feb 2027, " in text
    served.clock.set(datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    served.slack.command("U0MKTLEAD", f"history #{slot.id}")
    this_year = json.dumps(served.fake.wait_for("response_url", 2)[-1]["blocks"])
    assert "Wed 17 Feb, " in this_year and "2027," not in this_year


def test_reject_and_cant_do_it_ask_first(env, org, served: Served):
    from tests.test_slack_reminders import _digest_for, _reply

    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    digest = served.fake.messages[channel][0]
    hand_back = _buttons(digest["blocks"])["hand_back"]
    assert hand_back["confirm"]["confirm"]["text"] == "Hand it back"
    _reply(served, channel, ts, "U0ALICE", "Our draft")
    [review] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW"
    )
    reject = _buttons(review.blocks)["review_reject"]
    assert reject["confirm"]["confirm"]["text"] == "Reject"
    assert "confirm" not in _buttons(review.blocks)["review_approve"]  # only what can't be undone
    # The same button on App Home asks the same question.
    from tests.test_slack_home_actions import _home

    on_home = [
        e
        for b in _home(served, "U0ALICE")
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "hand_back"
    ]
    assert on_home and all(e["confirm"] == hand_back["confirm"] for e in on_home)


def test_a_post_restored_too_late_for_a_reminder_is_reported(env, org, served: Served):
    """Cancelled at 10:00 with five hours to go, restored at 13:30 for 15:00: no reminder can
    leave two hours now, and the coordinator who restored it is told so."""
    with served.runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n"
            "Marketing,2027-01-15T15:00,linkedin,Back again,U0BOB\n",
            source="today.csv",
            now=served.runtime.now(),
        )
        slot = session.exec(select(Slot).where(Slot.topic == "Back again")).one()
    served.slack.block_action(
        "U0MKTLEAD", "cancel_slot", value=str(slot.id), channel_id="D0MKTLEAD", message_ts="5.0"
    )
    [cancelled] = served.fake.wait_for("chat.update")
    restore = _buttons(cancelled.blocks)["restore_slot"]
    served.idle()
    assert not [c for c in served.fake.calls_to("chat.postMessage") if c["channel"] == "U0MKTLEAD"]
    served.clock.set(datetime(2027, 1, 15, 13, 30, tzinfo=UTC))
    served.slack.block_action(
        "U0MKTLEAD",
        "restore_slot",
        value=restore["value"],
        channel_id="D0MKTLEAD",
        message_ts="5.0",
    )
    [told] = served.fake.wait_for(
        "chat.postMessage",
        where=lambda c: c["channel"] == "U0MKTLEAD" and "too close to the due time" in c["text"],
    )
    assert "Back again" in json.dumps(told.blocks)
    assert _status(served, slot.id) == "planned"
