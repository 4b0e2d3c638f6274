"""App Home as people use it: a contributor answers their next posts there; a coordinator sees
what waits for review (linked to the thread), acts on late and unassigned posts, moves between
months, adds a post and edits, moves and reassigns slots; an overall coordinator sees every
department at a glance. Every click and submission checks who made it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import select

from bot.nudges.service import mark_overdue
from storage.models import Slot, SlotEvent
from tests.conftest import Served
from tests.test_slack_reminders import _digest_for, _reply

HOME = {"id": "V0HOME", "type": "home"}


def _home(served: Served, user_id: str, count: int = 1) -> list[dict[str, Any]]:
    served.slack.app_home_opened(user_id)
    publish = served.fake.wait_for("views.publish", count, where=lambda c: c["user_id"] == user_id)[
        -1
    ]
    blocks = publish.view["blocks"]
    assert len(blocks) <= 100
    return blocks


def _published(served: Served, user_id: str, count: int) -> list[dict[str, Any]]:
    calls = served.fake.wait_for("views.publish", count, where=lambda c: c["user_id"] == user_id)
    return calls[count - 1].view["blocks"]


def _slot(served: Served, topic: str) -> Slot:
    with served.runtime.session() as session:
        return session.exec(select(Slot).where(Slot.topic == topic)).one()


def _events(served: Served, slot_id: int) -> list[SlotEvent]:
    with served.runtime.session() as session:
        return list(session.exec(select(SlotEvent).where(SlotEvent.slot_id == slot_id)))


def _elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        found += block.get("elements", []) if block["type"] == "actions" else []
        if "accessory" in block:
            found.append(block["accessory"])
    return found


def _told(served: Served, user_id: str) -> list[str]:
    """What the bot said to someone who clicked on App Home: a DM, as a view has no
    response URL for an ephemeral answer."""
    calls = served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == user_id)
    return [c["text"] for c in calls]


def _snapshot(served: Served) -> list[tuple[Any, ...]]:
    with served.runtime.session() as session:
        slots = [
            (s.id, s.due_at, s.topic, s.platform, s.contributor_id, s.status)
            for s in session.exec(select(Slot).order_by(Slot.id))
        ]
        events = len(list(session.exec(select(SlotEvent))))
    return [*slots, ("events", events)]


def _add_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "department": "1",
        "date": "2027-01-28",
        "time": "14:30",
        "platform": "linkedin",
        "account": "none",
        "topic": "Spring launch teaser",
        "contributor": "U0BOB",
    }
    values.update(overrides)
    return {
        "department": {"value": {"selected_option": {"value": values["department"]}}},
        "date": {"value": {"selected_date": values["date"]}},
        "time": {"value": {"selected_time": values["time"]}},
        "platform": {"value": {"selected_option": {"value": values["platform"]}}},
        "account": {"value": {"selected_option": {"value": values["account"]}}},
        "topic": {"value": {"value": values["topic"]}},
        "contributor": {"value": {"selected_user": values["contributor"]}},
    }


# --- contributors ----------------------------------------------------------------------------


def test_a_contributor_answers_their_next_post_from_app_home(org, served: Served):
    blocks = _home(served, "U0ALICE")
    webinar = _slot(served, "Webinar invite")
    buttons = {e["action_id"]: e for e in _elements(blocks) if e.get("value") == str(webinar.id)}
    assert set(buttons) == {"draft_open", "snooze_1d", "hand_back"}

    served.slack.block_action("U0ALICE", "snooze_1d", value=str(webinar.id), view=HOME)
    blocks = _published(served, "U0ALICE", 2)  # App Home again, after the snooze
    assert _slot(served, "Webinar invite").snoozed_until is not None
    assert [e.kind for e in _events(served, webinar.id)][-1] == "snoozed"
    assert "Webinar invite" in json.dumps(blocks)

    served.slack.block_action("U0ALICE", "draft_open", value=str(webinar.id), view=HOME)
    [modal] = served.fake.wait_for("views.open")
    assert modal.view["callback_id"] == "draft_submit"


def test_someone_else_clicking_a_contributors_row_is_refused(org, served: Served):
    webinar = _slot(served, "Webinar invite")
    before = _snapshot(served)
    served.slack.block_action("U0BOB", "snooze_1d", value=str(webinar.id), view=HOME)
    [refused] = _told(served, "U0BOB")
    assert "assigned to someone else" in refused
    served.idle()
    assert _snapshot(served) == before


# --- coordinators ----------------------------------------------------------------------------


def test_a_coordinator_sees_what_waits_for_review_linked_to_its_thread(env, org, served: Served):
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    _reply(served, channel, ts, "U0ALICE", "We're live!")
    served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW")
    served.fake.wait_for("chat.update")
    root_ts = served.fake.messages["C0MKTREVIEW"][0]["ts"]

    text = json.dumps(_home(served, "U0MKTLEAD"))
    assert "Waiting for your review" in text
    link = f"https://acme.slack.com/archives/C0MKTREVIEW/p{root_ts.replace('.', '')}"
    assert f"<{link}|Launch post>" in text
    assert "Waiting for your review" not in json.dumps(_home(served, "U0RESLEAD"))


def test_late_and_unassigned_posts_come_with_their_actions(org, served: Served):
    with served.runtime.session() as session:
        mark_overdue(session, served.runtime.now())
    late = _slot(served, "New year product tips")
    assert late.status == "late"

    blocks = _home(served, "U0MKTLEAD")
    text = json.dumps(blocks)
    assert "Late and unassigned" in text
    controls = next(b for b in blocks if b.get("block_id") == f"slot_{late.id}")
    assert [e["action_id"] for e in controls["elements"]] == [
        "remind_again",
        "reassign",
        "cancel_slot",
    ]

    served.slack.block_action(
        "U0MKTLEAD", "reassign", block_id=f"slot_{late.id}", selected_user="U0BOB", view=HOME
    )
    served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == "U0BOB")
    assert _slot(served, "New year product tips").contributor_id == "U0BOB"
    _published(served, "U0MKTLEAD", 2)

    before = _snapshot(served)
    served.slack.block_action("U0ALICE", "cancel_slot", value=str(late.id), view=HOME)
    [refused] = _told(served, "U0ALICE")
    assert "Only this department's coordinators" in refused
    served.idle()
    assert _snapshot(served) == before


def test_a_coordinator_moves_between_months_with_the_state_in_the_button(org, served: Served):
    blocks = _home(served, "U0RESLEAD")
    assert "Research: January 2027" in json.dumps(blocks)
    forward = next(e for e in _elements(blocks) if "February 2027" in e["text"]["text"])
    served.slack.block_action("U0RESLEAD", forward["action_id"], value=forward["value"], view=HOME)
    text = json.dumps(_published(served, "U0RESLEAD", 2))
    assert "Research: February 2027" in text and "Lab open day" in text
    assert "Paper of the month" not in text

    served.slack.block_action("U0RESLEAD", "home_month_1", value="-40", view=HOME)
    assert "Research: January 2026" in json.dumps(_published(served, "U0RESLEAD", 3))  # 12 back
    served.slack.block_action("U0RESLEAD", "home_month_1", value="99999999999", view=HOME)
    assert "Research: January 2027" in json.dumps(_published(served, "U0RESLEAD", 4))


def test_a_coordinator_adds_a_post_and_it_is_filed_for_reminders(org, served: Served):
    blocks = _home(served, "U0MKTLEAD")
    add = next(e for e in _elements(blocks) if e["action_id"] == "slot_add")
    served.slack.block_action("U0MKTLEAD", "slot_add", value=add["value"], view=HOME)
    [opened] = served.fake.wait_for("views.open")
    modal = opened.view
    assert modal["callback_id"] == "slot_add_submit"
    fields = [b["block_id"] for b in modal["blocks"] if b["type"] == "input"]
    assert fields == ["department", "date", "time", "platform", "account", "topic", "contributor"]
    [department] = modal["blocks"][0]["element"]["options"]
    assert department["text"]["text"] == "Marketing"

    reply = served.slack.view_submission(
        "U0MKTLEAD",
        "slot_add_submit",
        _add_values(department=department["value"]),
        private_metadata=modal["private_metadata"],
    )
    assert reply.status == 200 and not reply.body
    slot = _slot(served, "Spring launch teaser")
    assert slot.due_at == datetime(2027, 1, 28, 14, 30, tzinfo=UTC)  # London, in winter
    assert (slot.contributor_id, slot.platform, slot.status) == ("U0BOB", "linkedin", "planned")
    assert slot.next_nudge_at is not None  # filed for reminders like an imported slot
    [added] = _events(served, slot.id)
    assert (added.kind, added.actor) == ("added", "U0MKTLEAD")
    assert "Spring launch teaser" in json.dumps(_published(served, "U0MKTLEAD", 2))


def test_an_added_post_is_checked_field_by_field_and_nothing_changes(org, served: Served):
    before = _snapshot(served)
    reply = served.slack.view_submission(
        "U0MKTLEAD",
        "slot_add_submit",
        _add_values(date="2027-01-02", platform="myspace", contributor="U0CAROL", topic=""),
    )
    errors = reply.json()["errors"]
    assert set(errors) == {"date", "platform", "topic", "contributor"}
    assert "already passed" in errors["date"]
    assert "contributor or coordinator of this department" in errors["contributor"]
    served.idle()
    assert _snapshot(served) == before


def test_non_coordinators_cannot_add_posts(org, served: Served):
    assert "slot_add" not in json.dumps(_home(served, "U0ALICE"))
    before = _snapshot(served)
    served.slack.block_action("U0ALICE", "slot_add", view=HOME)
    [refused] = _told(served, "U0ALICE")
    assert "can change its schedule" in refused

    reply = served.slack.view_submission("U0ALICE", "slot_add_submit", _add_values())
    assert "can change its schedule" in reply.json()["errors"]["date"]
    # A coordinator of another department: the form's department is refused too.
    reply = served.slack.view_submission("U0RESLEAD", "slot_add_submit", _add_values())
    assert "can change its schedule" in reply.json()["errors"]["date"]
    served.idle()
    assert _snapshot(served) == before
    assert served.fake.calls_to("views.open") == []


def _menu(served: Served, user: str, slot: Slot) -> dict[str, Any]:
    blocks = _home(served, user)
    [menu] = [
        e
        for e in _elements(blocks)
        if e["type"] == "overflow" and e["options"][0]["value"].split(":")[1] == str(slot.id)
    ]
    return menu


def test_a_coordinator_moves_a_slot_and_its_reminders_follow(org, served: Served):
    webinar = _slot(served, "Webinar invite")
    menu = _menu(served, "U0MKTLEAD", webinar)
    assert [o["text"]["text"] for o in menu["options"]] == [
        "Edit…",
        "Move…",
        "Reassign…",
        "Cancel…",
    ]
    move = next(o for o in menu["options"] if o["value"].startswith("move:"))
    served.slack.block_action("U0MKTLEAD", "slot_menu", selected_option=move, view=HOME)
    [opened] = served.fake.wait_for("views.open")
    assert opened.view["callback_id"] == "slot_move_submit"
    assert opened.view["blocks"][0]["element"]["initial_date"] == "2027-01-26"

    reply = served.slack.view_submission(
        "U0MKTLEAD",
        "slot_move_submit",
        {
            "date": {"value": {"selected_date": "2027-02-09"}},
            "time": {"value": {"selected_time": "11:00"}},
        },
        private_metadata=opened.view["private_metadata"],
    )
    assert reply.status == 200 and not reply.body
    moved = _slot(served, "Webinar invite")
    assert moved.due_at == datetime(2027, 2, 9, 11, 0, tzinfo=UTC)
    assert moved.next_nudge_at is not None and moved.next_nudge_at > webinar.next_nudge_at
    event = _events(served, webinar.id)[-1]
    assert (event.kind, event.actor) == ("moved", "U0MKTLEAD")
    assert event.detail == "2027-01-26 12:00 → 2027-02-09 11:00 Europe/London"
    assert "Webinar invite" not in json.dumps(_published(served, "U0MKTLEAD", 2))


def test_a_coordinator_edits_and_reassigns_a_slot(org, served: Served):
    webinar = _slot(served, "Webinar invite")
    menu = _menu(served, "U0MKTLEAD", webinar)
    edit = next(o for o in menu["options"] if o["value"].startswith("edit:"))
    served.slack.block_action("U0MKTLEAD", "slot_menu", selected_option=edit, view=HOME)
    [opened] = served.fake.wait_for("views.open")
    assert opened.view["callback_id"] == "slot_edit_submit"
    reply = served.slack.view_submission(
        "U0MKTLEAD",
        "slot_edit_submit",
        {
            "platform": {"value": {"selected_option": {"value": "x"}}},
            "account": {"value": {"selected_option": {"value": "none"}}},
            "topic": {"value": {"value": "Webinar: last call"}},
        },
        private_metadata=opened.view["private_metadata"],
    )
    assert reply.status == 200 and not reply.body
    edited = _slot(served, "Webinar: last call")
    assert (edited.id, edited.platform, edited.account_id) == (webinar.id, "x", None)
    assert _events(served, webinar.id)[-1].kind == "edited"

    reply = served.slack.view_submission(
        "U0MKTLEAD",
        "slot_reassign_submit",
        {"contributor": {"value": {"selected_user": "U0CAROL"}}},
        private_metadata=f"{webinar.id}:0",
    )
    assert "contributor or coordinator of this department" in reply.json()["errors"]["contributor"]
    reply = served.slack.view_submission(
        "U0MKTLEAD",
        "slot_reassign_submit",
        {"contributor": {"value": {"selected_user": "U0BOB"}}},
        private_metadata=f"{webinar.id}:0",
    )
    assert reply.status == 200 and not reply.body
    served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == "U0BOB")
    assert _slot(served, "Webinar: last call").contributor_id == "U0BOB"
    assert _events(served, webinar.id)[-1].kind in {"reassigned", "assigned"}


def test_a_coordinator_cancels_a_slot_after_being_asked_and_can_restore_it(org, served: Served):
    webinar = _slot(served, "Webinar invite")
    menu = _menu(served, "U0MKTLEAD", webinar)
    cancel = next(o for o in menu["options"] if o["value"].startswith("cancel:"))
    served.slack.block_action("U0MKTLEAD", "slot_menu", selected_option=cancel, view=HOME)
    [opened] = served.fake.wait_for("views.open")
    modal = opened.view
    assert modal["callback_id"] == "slot_cancel_submit"
    assert (modal["submit"]["text"], modal["close"]["text"]) == ("Cancel the post", "Keep it")
    shown = json.dumps(modal["blocks"])
    assert "Webinar invite" in shown and "Tue 26 Jan, " in shown and "<@U0" in shown
    assert _slot(served, "Webinar invite").status == "planned"  # asking changes nothing

    reply = served.slack.view_submission(
        "U0MKTLEAD", "slot_cancel_submit", {}, private_metadata=modal["private_metadata"]
    )
    assert reply.status == 200 and not reply.body
    [message] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "U0MKTLEAD" and "Cancelled" in c["text"]
    )
    assert "Webinar invite" in json.dumps(message.blocks)
    assert _slot(served, "Webinar invite").status == "cancelled"
    home = json.dumps(_published(served, "U0MKTLEAD", 2), ensure_ascii=False)
    assert f"*Webinar invite* `#{webinar.id}` · LinkedIn @acme · <@U0ALICE> · _cancelled_" in home
    [restore] = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert restore["action_id"] == "restore_slot"
    served.slack.block_action(
        "U0MKTLEAD",
        "restore_slot",
        value=restore["value"],
        channel_id="D0MKTLEAD",
        message_ts="9.0",
    )
    [restored] = served.fake.wait_for("chat.update")
    assert "Restored by <@U0MKTLEAD>" in json.dumps(restored.blocks)
    assert _slot(served, "Webinar invite").status == "planned"


def test_changing_another_departments_slot_is_refused_on_click_and_submission(org, served: Served):
    webinar = _slot(served, "Webinar invite")
    before = _snapshot(served)
    option = {"text": {"type": "plain_text", "text": "Move…"}, "value": f"move:{webinar.id}:0"}
    served.slack.block_action("U0RESLEAD", "slot_menu", selected_option=option, view=HOME)
    [refused] = _told(served, "U0RESLEAD")
    assert "can change its schedule" in refused
    for callback, values in [
        ("slot_move_submit", {"date": {"value": {"selected_date": "2027-02-09"}}}),
        ("slot_edit_submit", {"topic": {"value": {"value": "Hijacked"}}}),
        ("slot_reassign_submit", {"contributor": {"value": {"selected_user": "U0CAROL"}}}),
    ]:
        reply = served.slack.view_submission(
            "U0RESLEAD", callback, values, private_metadata=f"{webinar.id}:0"
        )
        assert "can change its schedule" in json.dumps(reply.json()["errors"]), callback
    # Cancel's form has nothing to fill in: a forged submission is refused in a message.
    reply = served.slack.view_submission(
        "U0RESLEAD", "slot_cancel_submit", {}, private_metadata=f"{webinar.id}:0"
    )
    assert reply.status == 200
    [_, said] = served.fake.wait_for(
        "chat.postMessage", 2, where=lambda c: c["channel"] == "U0RESLEAD"
    )
    assert "Only this department's coordinators" in said["text"]
    assert "Nothing was changed" in said["text"]
    served.idle()
    assert _snapshot(served) == before
    assert served.fake.calls_to("views.open") == []


# --- overall coordinators -------------------------------------------------------------------


def test_an_overall_coordinator_sees_every_department_at_a_glance(org, served: Served):
    with served.runtime.session() as session:
        mark_overdue(session, served.runtime.now())
    blocks = _home(served, "U0OVERALL")
    text = json.dumps(blocks)
    assert "*Marketing* (3): :white_check_mark: 0 on time" in text
    assert ":warning: 2 late" in text and ":eyes: 0 waiting for review" in text
    assert "*Research* (1)" in text
    assert "Late and unassigned" in text and "slot_add" in text
    assert any(e["type"] == "overflow" for e in _elements(blocks))
