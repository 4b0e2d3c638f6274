"""Late posts reach the department coordinator that day, and the overall coordinators weekly."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from bot.cli import main
from bot.schedule.service import import_schedule
from storage.models import Slot, SlotEvent
from tests.conftest import Served

pytestmark = pytest.mark.dates


def _import(runtime, rows: str) -> None:
    with runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n" + rows,
            source="late.csv",
            now=runtime.now(),
        )


def _to(fake, user):
    return [c for c in fake.calls_to("chat.postMessage") if c["channel"] == user]


def test_a_late_post_reaches_its_coordinator_once_that_day(env, org, fake_slack, capsys):
    _import(
        org,
        "Marketing,2027-02-17,linkedin,Late one,U0ALICE\n"
        "Marketing,2027-02-17,x,Drafted one,U0BOB\n",
    )
    with org.session() as session:
        drafted = session.exec(select(Slot).where(Slot.topic == "Drafted one")).one()
        drafted.status = "drafted"
        session.add(drafted)
    # January's posts (from the fixture) are already late; ours is not due until 12:00.
    assert main(["jobs", "run", "escalations", "--at", "2027-02-17T11:55:00+00:00"]) == 0
    [january] = _to(fake_slack, "U0MKTLEAD")
    assert "Late one" not in json.dumps(january["blocks"])
    assert main(["jobs", "run", "escalations", "--at", "2027-02-17T13:05:00+00:00"]) == 0
    assert "1 newly late, 1 coordinator messages" in capsys.readouterr().out
    message = _to(fake_slack, "U0MKTLEAD")[-1]
    rendered = json.dumps(message["blocks"])
    assert "Late one" in rendered and "Drafted one" not in rendered
    actions = [
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert actions == ["remind_again", "reassign", "cancel_slot"]
    main(["jobs", "run", "escalations", "--at", "2027-02-17T14:05:00+00:00"])
    main(["jobs", "run", "escalations", "--at", "2027-02-18T10:05:00+00:00"])
    assert len(_to(fake_slack, "U0MKTLEAD")) == 2
    with org.session() as session:
        late = session.exec(select(Slot).where(Slot.topic == "Late one")).one()
        assert late.status == "late"
        kinds = [
            e.kind for e in session.exec(select(SlotEvent).where(SlotEvent.slot_id == late.id))
        ]
        assert kinds.count("late") == 1 and kinds.count("escalated") == 1


def test_overall_coordinators_get_a_weekly_digest_of_long_late_posts(env, org, fake_slack):
    _import(
        org,
        "Marketing,2027-02-10,linkedin,Very late,U0ALICE\n"
        "Marketing,2027-02-19,linkedin,Just late,U0BOB\n",
    )
    main(["jobs", "run", "escalations", "--at", "2027-02-20T10:05:00+00:00"])
    assert main(["jobs", "run", "late-digest", "--at", "2027-02-22T09:00:00+00:00"]) == 0
    [digest] = [c for c in _to(fake_slack, "U0OVERALL") if "Weekly" in c["text"]]
    rendered = json.dumps(digest["blocks"])
    assert "Very late" in rendered and "Just late" not in rendered  # 3 days' grace
    assert "Marketing" in rendered
    main(["jobs", "run", "late-digest", "--at", "2027-02-22T09:30:00+00:00"])
    weekly = lambda: [c for c in _to(fake_slack, "U0OVERALL") if "Weekly" in c["text"]]  # noqa: E731
    assert len(weekly()) == 1
    main(["jobs", "run", "late-digest", "--at", "2027-03-01T09:00:00+00:00"])
    assert len(weekly()) == 2  # next week, still late: reported again


def test_remind_again_and_cancel_from_the_coordinators_message(env, org, served: Served):
    _import(served.runtime, "Marketing,2027-02-17,linkedin,Late one,U0ALICE\n")
    main(["jobs", "run", "escalations", "--at", "2027-02-17T13:05:00+00:00"])
    with served.runtime.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Late one")).one()
    # A contributor can't use the coordinator's buttons.
    served.slack.block_action(
        "U0BOB", "remind_again", value=str(slot.id), channel_id="D0MKTLEAD", message_ts="5.0"
    )
    [refused] = served.fake.wait_for("response_url")
    assert "Only this department's coordinators" in refused["text"]
    served.slack.block_action(
        "U0MKTLEAD", "remind_again", value=str(slot.id), channel_id="D0MKTLEAD", message_ts="5.0"
    )
    said = served.fake.wait_for("response_url", 2)[-1]
    # Never reminded before (imported after its reminders), so not "again".
    assert said["text"] == "Reminded <@U0ALICE>."
    assert len(_to(served.fake, "U0ALICE")) == 1  # the reminder, delivered
    served.slack.block_action(
        "U0MKTLEAD", "cancel_slot", value=str(slot.id), channel_id="D0MKTLEAD", message_ts="5.0"
    )
    served.fake.wait_for("chat.update")
    with served.runtime.session() as session:
        assert session.get(Slot, slot.id).status == "cancelled"


def test_acting_on_one_post_of_a_late_message_leaves_the_others_actionable(
    env, org, served: Served
):
    _import(
        served.runtime,
        "Marketing,2027-02-17,linkedin,Late one,U0ALICE\nMarketing,2027-02-17,x,Late two,U0BOB\n",
    )
    main(["jobs", "run", "escalations", "--at", "2027-02-17T13:05:00+00:00"])
    [late] = [c for c in _to(served.fake, "U0MKTLEAD") if "late" in c["text"]]
    channel = "D0MKTLEAD"
    [message] = served.fake.messages[channel]
    with served.runtime.session() as session:
        one = session.exec(select(Slot).where(Slot.topic == "Late one")).one()
        two = session.exec(select(Slot).where(Slot.topic == "Late two")).one()
    served.slack.block_action(
        "U0MKTLEAD",
        "cancel_slot",
        value=str(one.id),
        channel_id=channel,
        message_ts=message["ts"],
        message_blocks=late["blocks"],
    )
    [update] = served.fake.wait_for("chat.update")
    ids = [b.get("block_id") for b in update["blocks"]]
    rendered = json.dumps(update["blocks"])
    # Late one: its buttons gave way to what was done (and Restore); Late two keeps its own.
    assert "Late one" in rendered and "Late two" in rendered and "Cancelled by" in rendered
    assert ids.count(f"slot_{one.id}") == 1  # the Restore button, nothing else
    restore = next(b for b in update["blocks"] if b.get("block_id") == f"slot_{one.id}")
    assert [e["action_id"] for e in restore["elements"]] == ["restore_slot"]
    other = next(b for b in update["blocks"] if b.get("block_id") == f"slot_{two.id}")
    assert "cancel_slot" in [e.get("action_id") for e in other["elements"]]
