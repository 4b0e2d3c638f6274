"""Reminders that leave time to act, through the real job, app and fake Slack: contributors
from Honolulu to Auckland get every stage at least 2 hours before the deadline; a post added,
moved, imported or reassigned too late for any reminder is reported to its coordinator then
and there, and every view says "not reminded"; snoozes never reach past the deadline; the
Remind again DM for a late post is a reminder with its buttons, not "coming up"."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from slack_sdk import WebClient
from sqlmodel import select

from bot.cli import main
from bot.nudges.service import cadences, mark_overdue
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.runtime import Runtime
from bot.schedule.service import import_schedule
from bot.testing.fake_slack import FakeSlack
from jobs.registry import run_job
from storage.models import Digest, OutboxItem, Slot, SlotEvent
from storage.repositories import people
from tests.conftest import BOT_TOKEN, Served
from tests.test_slack_home_actions import HOME, _add_values, _elements, _home

ZONES = {
    "U0HNL": "Pacific/Honolulu",
    "U0LAX": "America/Los_Angeles",
    "U0NYC": "America/New_York",
    "U0LON": "Europe/London",
    "U0DEL": "Asia/Kolkata",
    "U0TYO": "Asia/Tokyo",
    "U0AKL": "Pacific/Auckland",
}
WORLD = f"""
name = "Acme"
timezone = "Europe/London"
leadership_channel = "C0LEADERS"
overall_coordinators = ["U0OVERALL"]

[[departments]]
name = "World"
review_channel = "C0WORLD"
coordinators = ["U0WLEAD"]
contributors = {json.dumps(sorted(ZONES))}
"""
LONDON = ZoneInfo("Europe/London")
# Monday 15 February 2027 (after a weekend), from early morning to late evening in London.
DUE_TIMES = (time(8, 0), time(10, 30), time(12, 0), time(17, 0), time(23, 0))
DUE_DAY = datetime(2027, 2, 15)


def _import(runtime: Runtime, rows: str) -> None:
    with runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n" + rows,
            source="t.csv",
            now=runtime.now(),
        )


def _world(runtime: Runtime, fake: FakeSlack) -> None:
    for user, zone in ZONES.items():
        fake.add_user(user, tz=zone)
    with runtime.session() as session:
        load_organisation(session=session, spec=parse_organisation(WORLD), now=runtime.now())
    rows = "".join(
        f"World,2027-02-15T{at:%H:%M},linkedin,{user} at {at:%H%M},{user}\n"
        for user in ZONES
        for at in DUE_TIMES
    )
    _import(runtime, rows)


def test_every_stage_reaches_everyone_at_least_two_hours_before_the_deadline(
    runtime: Runtime, fake_slack: FakeSlack
):
    _world(runtime, fake_slack)
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    first_due = datetime.combine(DUE_DAY.date(), DUE_TIMES[0], LONDON).astimezone(UTC)
    at = first_due - timedelta(days=9)
    last_due = datetime.combine(DUE_DAY.date(), DUE_TIMES[-1], LONDON).astimezone(UTC)
    while at < last_due:
        run_job("reminders", runtime=runtime, client=client, at=at)
        at += timedelta(minutes=15)

    with runtime.session() as session:
        slots = {s.id: s for s in session.exec(select(Slot))}
        reminded = session.exec(select(SlotEvent).where(SlotEvent.kind == "reminded")).all()
        stages = session.exec(select(OutboxItem).where(OutboxItem.subject == "slot")).all()
        digests = session.exec(select(Digest).where(Digest.kind == "reminder")).all()
    assert len(slots) == len(ZONES) * len(DUE_TIMES)
    by_slot: dict[int, list[datetime]] = {}
    for event in reminded:
        slot = slots[event.slot_id]
        assert event.actor == slot.contributor_id
        sent_at = event.at.replace(tzinfo=UTC)
        local = sent_at.astimezone(ZoneInfo(ZONES[slot.contributor_id]))
        assert slot.due_at - sent_at >= timedelta(hours=2), (slot.topic, sent_at)
        assert time(8) <= local.time() < time(21), (slot.topic, local)
        by_slot.setdefault(slot.id, []).append(sent_at)
    # Everyone was reminded the week before and again in the last days, and every stage is
    # accounted for: sent, or passed over for a later one that was.
    for slot in slots.values():
        moments = sorted(by_slot.get(slot.id, []))
        assert len(moments) >= 2, slot.topic
        assert slot.due_at - moments[-1] <= timedelta(days=4), (slot.topic, moments)
        keys = {i.stage for i in stages if i.subject_id == slot.id}
        assert {"d7", "d2", "d0"} <= keys, (slot.topic, keys)
    # The fake received exactly those digests, as direct messages to their contributors.
    dms = [c for c in fake_slack.calls_to("chat.postMessage") if c["channel"] in ZONES]
    assert len(dms) == len([d for d in digests if d.state == "sent"])


def _too_late_dms(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c["channel"] == user and "too close to the due time" in c["text"]
    ]


def _slot(runtime: Runtime, topic: str) -> Slot:
    with runtime.session() as session:
        return session.exec(select(Slot).where(Slot.topic == topic)).one()


def _kinds(runtime: Runtime, slot_id: int) -> list[str]:
    with runtime.session() as session:
        return [e.kind for e in session.exec(select(SlotEvent).where(SlotEvent.slot_id == slot_id))]


def test_a_post_added_too_late_is_reported_to_its_coordinator_then_and_there(org, served: Served):
    """10:00 London on Friday 15 January: a post due 11:30 leaves 90 minutes, one due 11:50
    leaves 110 (its 09:00 stage has passed, and the minutes a late run is allowed are not for
    a post seen for the first time); one due 15:00 for Alice in Los Angeles (02:00 there)
    can't reach her before it's 07:00 for her."""
    served.fake.add_user("U0ALICE", tz="America/Los_Angeles")
    blocks = _home(served, "U0MKTLEAD")
    add = next(e for e in _elements(blocks) if e["action_id"] == "slot_add")
    served.slack.block_action("U0MKTLEAD", "slot_add", value=add["value"], view=HOME)
    [opened] = served.fake.wait_for("views.open")
    added = (("Flash sale", "11:30", "U0BOB"), ("Just short", "11:50", "U0BOB"))
    for topic, at, who in (*added, ("Night owl", "15:00", "U0ALICE")):
        reply = served.slack.view_submission(
            "U0MKTLEAD",
            "slot_add_submit",
            _add_values(date="2027-01-15", time=at, topic=topic, contributor=who),
            private_metadata=opened.view["private_metadata"],
        )
        assert reply.status == 200 and not reply.body
    # Each is told once, alone or with the other (the two listeners may run at once).
    for topic in ("Flash sale", "Just short", "Night owl"):
        served.fake.wait_for(
            "chat.postMessage",
            where=lambda c, topic=topic: (
                "too close to the due time" in c["text"] and topic in json.dumps(c["blocks"])
            ),
        )
    served.idle()
    told = _too_late_dms(served.fake, "U0MKTLEAD")
    rendered = json.dumps([c["blocks"] for c in told])
    for topic in ("Flash sale", "Just short", "Night owl"):
        assert rendered.count(topic) == 1, topic
    assert "02:00 for them" in rendered  # Alice, in Los Angeles
    controls = {
        b["block_id"]: [e["action_id"] for e in b["elements"]]
        for c in told
        for b in c["blocks"]
        if b["type"] == "actions"
    }
    for topic in ("Flash sale", "Just short", "Night owl"):
        slot = _slot(served.runtime, topic)
        assert controls[f"slot_{slot.id}"] == ["reassign", "cancel_slot"]
        assert "not_reminded" in _kinds(served.runtime, slot.id)
        assert "unreminded_reported" in _kinds(served.runtime, slot.id)
    # The reminders job agrees and says nothing twice.
    before = len(served.fake.calls_to("chat.postMessage"))
    assert main(["jobs", "run", "reminders", "--at", "2027-01-15T10:05:00+00:00"]) == 0
    assert len(served.fake.calls_to("chat.postMessage")) == before
    # Every view says so: the schedule and the slot's history.
    served.slack.command("U0MKTLEAD", "schedule 2027-01")
    [schedule] = served.fake.wait_for("response_url")
    shown = json.dumps(schedule["blocks"], ensure_ascii=False)
    assert "Flash sale" in shown and "not reminded" in shown
    slot = _slot(served.runtime, "Night owl")
    served.slack.command("U0MKTLEAD", f"history {slot.id}")
    history = json.dumps(served.fake.wait_for("response_url", 2)[-1]["blocks"])
    assert "Not reminded: too close to the due time" in history
    assert "told that no reminder could be sent in time" in history


def test_a_post_added_with_time_to_spare_is_not_reported(org, served: Served):
    blocks = _home(served, "U0MKTLEAD")
    add = next(e for e in _elements(blocks) if e["action_id"] == "slot_add")
    served.slack.block_action("U0MKTLEAD", "slot_add", value=add["value"], view=HOME)
    [opened] = served.fake.wait_for("views.open")
    reply = served.slack.view_submission(
        "U0MKTLEAD",
        "slot_add_submit",
        _add_values(date="2027-01-15", time="15:00", topic="Afternoon post"),
        private_metadata=opened.view["private_metadata"],
    )
    assert reply.status == 200
    served.fake.wait_for("views.publish", 2)
    served.idle()
    assert _too_late_dms(served.fake, "U0MKTLEAD") == []
    assert "not_reminded" not in _kinds(served.runtime, _slot(served.runtime, "Afternoon post").id)


TODAY_CSV = (
    "department,due,platform,topic,contributor\n"
    "Marketing,2027-01-15T12:00,linkedin,Noon for Alice,U0ALICE\n"
    "Marketing,2027-01-15T16:00,linkedin,Teatime for Bob,U0BOB\n"
)


def test_posts_imported_on_their_due_day_are_named_in_the_import_summary_and_in_slack(
    env, org, fake_slack: FakeSlack, tmp_path, capsys
):
    """The demo's case: Alice, in New York, is asleep until after noon London. Nothing had
    asked Slack about her before: the import asks, and tells her coordinator there and then."""
    fake_slack.add_user("U0ALICE", tz="America/New_York")
    csv = tmp_path / "today.csv"
    csv.write_text(TODAY_CSV)
    with freeze_time("2027-01-15T09:05:00+00:00"):  # the operator's wall clock
        assert main(["schedule", "import", str(csv)]) == 0
    out = capsys.readouterr().out
    slot = _slot(org, "Noon for Alice")
    assert "1 post(s) too close to the due time" in out
    assert f"not reminded: #{slot.id} due 2027-01-15 12:00 Europe/London for U0ALICE" in out
    assert "Teatime for Bob" not in out
    assert "(their coordinators have been told in Slack)" in out
    [told] = _too_late_dms(fake_slack, "U0MKTLEAD")
    assert "Noon for Alice" in json.dumps(told["blocks"])
    assert "Teatime for Bob" not in json.dumps(told["blocks"])
    assert "unreminded_reported" in _kinds(org, slot.id)
    # The reminders job agrees and tells nobody twice; Bob gets his reminder.
    assert main(["jobs", "run", "reminders", "--at", "2027-01-15T10:00:00+00:00"]) == 0
    assert len(_too_late_dms(fake_slack, "U0MKTLEAD")) == 1
    assert "Teatime for Bob" in json.dumps(
        [c["blocks"] for c in fake_slack.calls_to("chat.postMessage") if c["channel"] == "U0BOB"]
    )


def test_an_import_while_slack_is_away_judges_by_the_timezones_it_last_read(
    env, org, fake_slack: FakeSlack, tmp_path, capsys, monkeypatch
):
    """Slack down at import: the summary still names what it can (Bob, last read in Honolulu),
    says who it could not judge, and the next `reminders` run tells the coordinator."""
    fake_slack.add_user("U0ALICE", tz="America/New_York")
    fake_slack.add_user("U0BOB", tz="Pacific/Honolulu")
    with org.session() as session:
        people.save_timezone(session, "U0BOB", "Pacific/Honolulu", org.now())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{closed_port}/api/")
    csv = tmp_path / "today.csv"
    csv.write_text(TODAY_CSV)
    with freeze_time("2027-01-15T09:05:00+00:00"):
        assert main(["schedule", "import", str(csv)]) == 0
    captured = capsys.readouterr()
    bob = _slot(org, "Teatime for Bob")  # 16:00 London is 06:00 in Honolulu
    assert f"not reminded: #{bob.id} due 2027-01-15 16:00 Europe/London for U0BOB" in captured.out
    assert "Noon for Alice" not in captured.out
    assert (
        "1 contributor(s) whose timezone Slack has not told us yet were taken to be in"
        " Europe/London: U0ALICE"
    ) in captured.out
    assert "told in Slack by the next `reminders` run (Slack could not be reached" in captured.out
    assert "Traceback" not in captured.err
    assert fake_slack.calls_to("chat.postMessage") == []
    monkeypatch.setenv("SLACK_API_URL", env["SLACK_API_URL"])
    assert main(["jobs", "run", "reminders", "--at", "2027-01-15T09:15:00+00:00"]) == 0
    [told] = _too_late_dms(fake_slack, "U0MKTLEAD")
    assert "Noon for Alice" in json.dumps(told["blocks"])
    assert "Teatime for Bob" in json.dumps(told["blocks"])


def test_snoozes_offered_only_land_before_the_deadline_and_a_forged_one_is_refused(
    env, org, served: Served
):
    # Due Monday 18 January 10:30: its 2-day and due-day stages are both Friday 15th, 09:00.
    _import(served.runtime, "Marketing,2027-01-18T10:30,linkedin,Monday launch,U0BOB\n")
    assert main(["jobs", "run", "reminders", "--at", "2027-01-15T09:00:00+00:00"]) == 0
    [digest] = [
        c
        for c in served.fake.calls_to("chat.postMessage")
        if c["channel"] == "U0BOB" and "Monday launch" in json.dumps(c["blocks"])
    ]
    actions = [e["action_id"] for e in _elements(digest["blocks"])]
    # One working day on is Monday 09:00, 90 minutes before: no snooze fits.
    assert "snooze_1d" not in actions and "snooze_3d" not in actions
    assert "draft_open" in actions and "hand_back" in actions
    assert "too soon to snooze" in json.dumps(digest["blocks"])
    slot = _slot(served.runtime, "Monday launch")
    [message] = served.fake.messages["D0BOB"]
    reply = served.slack.block_action(
        "U0BOB", "snooze_3d", value=str(slot.id), channel_id="D0BOB", message_ts=message["ts"]
    )
    assert reply.status == 200
    [answer] = served.fake.wait_for("response_url")
    assert "too close to when the post is due" in answer["text"]
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    after = _slot(served.runtime, "Monday launch")
    assert (after.snoozed_until, after.next_nudge_at) == (slot.snoozed_until, slot.next_nudge_at)
    assert "snoozed" not in _kinds(served.runtime, slot.id)


def test_remind_again_on_a_late_post_never_reminded_is_a_reminder_with_its_buttons(
    env, org, served: Served
):
    _import(served.runtime, "Marketing,2027-01-15T11:00,linkedin,Too late already,U0BOB\n")
    served.clock.set(datetime(2027, 1, 15, 12, 0, tzinfo=UTC))
    with served.runtime.session() as session:
        mark_overdue(session, served.runtime.now())
    blocks = _home(served, "U0MKTLEAD")
    slot = _slot(served.runtime, "Too late already")
    remind = [
        e
        for e in _elements(blocks)
        if e["action_id"] == "remind_again" and e["value"] == str(slot.id)
    ]
    assert [e["text"]["text"] for e in remind] == ["Remind now"]  # never reminded before
    assert "not reminded" in json.dumps(blocks, ensure_ascii=False)
    served.slack.block_action("U0MKTLEAD", "remind_again", value=str(slot.id), view=HOME)
    [dm] = served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == "U0BOB")
    assert dm["text"] == "Reminder: 1 post overdue"
    rendered = json.dumps(dm["blocks"])
    assert "coming up" not in rendered and "was due *today*: it's late" in rendered
    actions = [e["action_id"] for e in _elements(dm["blocks"])]
    assert actions == ["draft_open", "hand_back"]  # no snooze past the deadline
    served.idle()
    blocks = _home(served, "U0MKTLEAD", 2)
    assert "reminded 1×" in json.dumps(blocks, ensure_ascii=False)


@pytest.mark.parametrize("hours", [0, 4])
def test_the_lead_time_is_read_from_the_organisation_file(runtime: Runtime, hours: int):
    text = WORLD + f"\n[reminders]\nmin_lead_hours = {hours}\n"
    with runtime.session() as session:
        load_organisation(session=session, spec=parse_organisation(text), now=runtime.now())
    with runtime.session() as session:
        [cadence] = cadences(session).values()
    assert cadence.min_lead == timedelta(hours=hours)


def test_app_home_offers_snooze_only_where_it_lands_in_time(org, served: Served):
    _import(served.runtime, "Marketing,2027-01-18T09:30,linkedin,Monday early,U0ALICE\n")
    blocks = _home(served, "U0ALICE")
    rows: dict[str, list[str]] = {}
    for block in blocks:
        if block["type"] == "actions" and block.get("block_id", "").startswith("mine_"):
            slot_id = int(block["block_id"].removeprefix("mine_"))
            rows[str(slot_id)] = [e["action_id"] for e in block["elements"]]
    early = _slot(served.runtime, "Monday early")
    webinar = _slot(served.runtime, "Webinar invite")
    # Friday 10:00: one working day on is Monday 09:00, 30 minutes before "Monday early".
    assert rows[str(early.id)] == ["draft_open", "hand_back"]
    assert rows[str(webinar.id)] == ["draft_open", "snooze_1d", "hand_back"]


def _schedule_line(served: Served, user: str, topic: str, count: int) -> str:
    served.slack.command(user, "schedule 2027-01")
    answer = served.fake.wait_for("response_url", count)[-1]
    text = "\n".join(
        b["text"]["text"] for b in answer["blocks"] if b.get("text", {}).get("type") == "mrkdwn"
    )
    [line] = [line for line in text.split("\n") if topic in line]
    return line


def test_a_post_moved_too_late_is_reported_and_moving_it_back_clears_not_reminded(
    org, served: Served
):
    webinar = _slot(served.runtime, "Webinar invite")
    for n, (day, at) in enumerate((("2027-01-15", "11:30"), ("2027-01-20", "12:00")), start=1):
        reply = served.slack.view_submission(
            "U0MKTLEAD",
            "slot_move_submit",
            {
                "date": {"value": {"selected_date": day}},
                "time": {"value": {"selected_time": at}},
            },
            private_metadata=f"{webinar.id}:0",
        )
        assert reply.status == 200 and not reply.body
        served.fake.wait_for("views.publish", n)
        served.idle()
        if n == 1:
            [told] = _too_late_dms(served.fake, "U0MKTLEAD")
            assert "Webinar invite" in json.dumps(told["blocks"])
            assert "not reminded" in _schedule_line(served, "U0MKTLEAD", "Webinar invite", 1)
    # In good time again: no second report, and no view says "not reminded" any more.
    assert len(_too_late_dms(served.fake, "U0MKTLEAD")) == 1
    assert "not reminded" not in _schedule_line(served, "U0MKTLEAD", "Webinar invite", 2)
    assert _kinds(served.runtime, webinar.id).count("not_reminded") == 1


def test_a_post_reassigned_too_late_is_sent_to_the_new_contributor_and_reported(
    org, served: Served
):
    _import(served.runtime, "Marketing,2027-01-15T11:00,linkedin,Handover,U0ALICE\n")
    slot = _slot(served.runtime, "Handover")
    reply = served.slack.view_submission(
        "U0MKTLEAD",
        "slot_reassign_submit",
        {"contributor": {"value": {"selected_user": "U0BOB"}}},
        private_metadata=f"{slot.id}:0",
    )
    assert reply.status == 200 and not reply.body
    [assigned] = served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == "U0BOB")
    assert "Handover" in json.dumps(assigned["blocks"])
    [told] = served.fake.wait_for(
        "chat.postMessage",
        where=lambda c: c["channel"] == "U0MKTLEAD" and "too close" in c["text"],
    )
    rendered = json.dumps(told["blocks"])
    assert "Handover" in rendered and "sent it just now, but may not see it in time" in rendered
    assert "will not be reminded" not in rendered
    served.idle()
    kinds = _kinds(served.runtime, slot.id)
    assert "assigned_too_late_reported" in kinds and "not_reminded" not in kinds


def test_the_late_post_message_says_not_reminded_and_offers_remind_now(env, org, served: Served):
    _import(served.runtime, "Marketing,2027-01-15T11:00,linkedin,Never reminded,U0BOB\n")
    assert main(["jobs", "run", "escalations", "--at", "2027-01-15T12:05:00+00:00"]) == 0
    [late] = [
        c
        for c in served.fake.calls_to("chat.postMessage")
        if c["channel"] == "U0MKTLEAD" and "late with no draft" in c["text"]
    ]
    rendered = json.dumps(late["blocks"], ensure_ascii=False)
    assert "Never reminded" in rendered and ":no_bell: *not reminded*" in rendered
    assert ":bell: reminded" not in rendered
    labels = [e["text"]["text"] for e in _elements(late["blocks"]) if e.get("text")]
    assert "Remind now" in labels and "Remind again" not in labels
