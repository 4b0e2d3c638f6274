"""Review in the thread: request changes, revise, approve, publish; refusals and races."""

from __future__ import annotations

import json
import threading

import pytest
from sqlmodel import select

from storage.models import Draft, Slot, Verdict
from tests.conftest import Served
from tests.test_slack_reminders import _digest_for, _reply


def _submitted_for_review(served: Served, user: str = "U0ALICE", topic: str = "Launch post"):
    channel, ts = _digest_for(served, user, topic)
    _reply(served, channel, ts, user, "We're live!\nCome and see.")
    [review] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW"
    )
    served.fake.wait_for("chat.update")  # the digest, re-rendered: the reply was fully handled
    buttons = {
        e["action_id"]: e for b in review.blocks if b["type"] == "actions" for e in b["elements"]
    }
    root_ts = served.fake.messages["C0MKTREVIEW"][0]["ts"]
    return buttons, root_ts


def _click(served: Served, user: str, button: dict, root_ts: str):
    return served.slack.block_action(
        user,
        button["action_id"],
        value=button["value"],
        channel_id="C0MKTREVIEW",
        message_ts=root_ts,
    )


def _status(served: Served, topic: str = "Launch post") -> str:
    with served.runtime.session() as session:
        return session.exec(select(Slot).where(Slot.topic == topic)).one().status


def test_request_changes_revise_approve_publish_all_in_one_thread(env, org, served: Served):
    buttons, root = _submitted_for_review(served)
    review = served.fake.messages["C0MKTREVIEW"][0]
    rendered = json.dumps(review["blocks"])
    assert "Draft v1" in rendered
    body = review["blocks"][1]["text"]
    assert body == {"type": "plain_text", "text": "We're live!\nCome and see.", "emoji": True}
    assert "All content checks pass" in rendered
    assert _status(served) == "in_review"

    _click(served, "U0MKTLEAD", buttons["review_request_changes"], root)
    [modal] = served.fake.wait_for("views.open")
    served.slack.view_submission(
        "U0MKTLEAD",
        "review_changes_submit",
        {"reason": {"value": {"value": "Add the date"}}},
        private_metadata=modal.view["private_metadata"],
    )
    feedback = served.fake.wait_for(
        "chat.postMessage",
        where=lambda c: c["channel"] == "D0ALICE" and "asked for changes" in c["text"],
    )[0]
    assert "Revise" in json.dumps(feedback["blocks"])
    assert _status(served) == "changes_requested"
    in_thread = served.fake.wait_for("chat.postMessage", where=lambda c: c.get("thread_ts") == root)
    assert "Add the date" in in_thread[0]["text"]

    # The feedback came in Alice's reminder thread; she revises by replying there.
    assert feedback["thread_ts"] == served.fake.messages["D0ALICE"][0]["ts"]
    _reply(
        served,
        "D0ALICE",
        feedback["thread_ts"],
        "U0ALICE",
        "We're live on 17 Feb!\nCome and see.",
        offset=60,
    )
    [v2] = served.fake.wait_for(
        "chat.postMessage",
        where=lambda c: (
            c.get("thread_ts") == root and "Draft v2" in json.dumps(c.get("blocks") or [])
        ),
    )
    assert "Changed since v1" in json.dumps(
        v2["blocks"]
    ) and "+We're live on 17 Feb!" in json.dumps(v2["blocks"])
    v2_buttons = {
        e["action_id"]: e for b in v2.blocks if b["type"] == "actions" for e in b["elements"]
    }

    # v1 can no longer be decided on.
    _click(served, "U0MKTLEAD", buttons["review_approve"], root)
    [old] = served.fake.wait_for("response_url")
    assert "older version" in old["text"] and "v2" in old["text"]

    _click(served, "U0MKTLEAD", v2_buttons["review_approve"], root)
    served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "D0ALICE" and "approved" in c["text"]
    )
    assert _status(served) == "approved"
    approved = [c for c in served.fake.calls_to("chat.update") if c["channel"] == "C0MKTREVIEW"][-1]
    blocks = json.dumps(approved["blocks"])
    assert "*Approved* by <@U0MKTLEAD>" in blocks and "review_approve" not in blocks
    publish = next(e for b in approved.blocks if b["type"] == "actions" for e in b["elements"])
    _click(served, "U0ALICE", publish, root)
    [_, publish_modal] = served.fake.wait_for("views.open", 2)
    served.slack.view_submission(
        "U0ALICE",
        "review_published_submit",
        {"reason": {"value": {"value": "https://linkedin.com/p/1"}}},
        private_metadata=publish_modal.view["private_metadata"],
    )
    served.fake.wait_for(
        "chat.update", where=lambda c: "Published" in json.dumps(c.get("blocks") or [])
    )
    assert _status(served) == "published"


def test_only_this_departments_coordinators_and_overall_may_decide(env, org, served: Served):
    buttons, root = _submitted_for_review(served)
    for outsider in ("U0BOB", "U0RESLEAD", "U0CAROL", "U0STRANGER"):
        _click(served, outsider, buttons["review_approve"], root)
    refusals = served.fake.wait_for("response_url", 4)
    assert all("Only this department's coordinators" in r["text"] for r in refusals)
    assert all(r["response_type"] == "ephemeral" for r in refusals)
    for outsider in ("U0BOB", "U0RESLEAD"):
        _click(served, outsider, buttons["review_request_changes"], root)
        _click(served, outsider, buttons["review_reject"], root)
    served.fake.wait_for("response_url", 8)
    assert served.fake.calls_to("views.open") == []
    assert _status(served) == "in_review"
    _click(served, "U0OVERALL", buttons["review_approve"], root)
    served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "D0ALICE" and "approved" in c["text"]
    )
    assert _status(served) == "approved"


def test_nobody_approves_their_own_draft(env, org, served: Served):
    buttons, root = _submitted_for_review(served, user="U0MKTLEAD", topic="Lead's own")
    _click(served, "U0MKTLEAD", buttons["review_approve"], root)
    [refused] = served.fake.wait_for("response_url")
    assert "your own draft" in refused["text"]
    assert _status(served, "Lead's own") == "in_review"


def test_double_clicks_and_two_coordinators_at_once_make_one_decision(env, org, served: Served):
    buttons, root = _submitted_for_review(served)
    barrier = threading.Barrier(3)

    def click(user: str) -> None:
        barrier.wait()
        _click(served, user, buttons["review_approve"], root)

    threads = [
        threading.Thread(target=click, args=(u,)) for u in ("U0MKTLEAD", "U0MKTLEAD", "U0OVERALL")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    [loser1, loser2] = served.fake.wait_for("response_url", 2)
    with served.runtime.session() as session:
        [verdict] = session.exec(select(Verdict)).all()
    assert verdict.outcome == "approved"
    for loser in (loser1, loser2):
        assert f"<@{verdict.decided_by}> already approved this version" in loser["text"]
    approvals = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "D0ALICE" and "approved" in c["text"]
    )
    assert len(approvals) == 1


def test_hard_content_rules_block_submission_with_the_reason(env, org, served: Served):
    from bot.schedule.service import import_schedule

    with served.runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n"
            "Marketing,2027-02-17,x,Short one,U0ALICE\n",
            source="x.csv",
            now=served.runtime.now(),
        )
    from bot.cli import main

    main(["jobs", "run", "reminders", "--at", "2027-02-10T09:00:00+00:00"])
    digest = served.fake.messages["D0ALICE"][0]
    _reply(served, "D0ALICE", digest["ts"], "U0ALICE", "x" * 300)
    [said] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c.get("thread_ts") == digest["ts"]
    )
    assert (
        "can't be submitted yet" in said["text"] and "300 characters; X allows 280" in said["text"]
    )
    with served.runtime.session() as session:
        assert session.exec(select(Slot).where(Slot.topic == "Short one")).one().status == "planned"
    slot_id = next(
        e["value"] for b in digest["blocks"] if b["type"] == "actions" for e in b["elements"]
    )
    served.slack.block_action(
        "U0ALICE", "draft_open", value=slot_id, channel_id="D0ALICE", message_ts=digest["ts"]
    )
    [opened] = served.fake.wait_for("views.open")
    too_long = served.slack.view_submission(
        "U0ALICE",
        "draft_submit",
        {"text": {"value": {"value": "y" * 281}}},
        private_metadata=opened.view["private_metadata"],
    )
    assert too_long.json() == {
        "response_action": "errors",
        "errors": {"text": "Can't submit yet: 281 characters; X allows 280"},
    }
    sponsored = {"sponsored": {"value": {"selected_options": [{"value": "sponsored"}]}}}
    undisclosed = served.slack.view_submission(
        "U0ALICE",
        "draft_submit",
        {"text": {"value": {"value": "Our partner rocks"}}, **sponsored},
        private_metadata=opened.view["private_metadata"],
    )
    assert "sponsored posts must carry #ad" in undisclosed.json()["errors"]["text"]
    disclosed = served.slack.view_submission(
        "U0ALICE",
        "draft_submit",
        {"text": {"value": {"value": "Our partner rocks #ad"}}, **sponsored},
        private_metadata=opened.view["private_metadata"],
    )
    assert disclosed.body == ""


def test_social_draft_for_an_open_slot_or_a_new_post(env, org, served: Served):
    served.clock.set(served.clock.value.replace(day=20))  # Webinar invite (26 Jan) is open
    served.slack.command("U0ALICE", "draft")
    [opened] = served.fake.wait_for("views.open")
    options = opened.view["blocks"][0]["element"]["options"]
    labels = [o["text"]["text"] for o in options]
    assert any(label.startswith("Webinar invite") for label in labels)
    assert labels[-1] == "A new post, outside the schedule"
    webinar = next(o["value"] for o in options if o["text"]["text"].startswith("Webinar invite"))
    reply = served.slack.view_submission(
        "U0ALICE",
        "draft_command_submit",
        {
            "slot": {"value": {"selected_option": {"value": webinar}}},
            "text": {"value": {"value": "Join us!"}},
        },
    )
    assert reply.status == 200 and reply.body == ""
    served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW")
    incomplete = served.slack.view_submission(
        "U0ALICE",
        "draft_command_submit",
        {
            "slot": {"value": {"selected_option": {"value": "new"}}},
            "text": {"value": {"value": "Hi"}},
        },
    )
    assert set(incomplete.json()["errors"]) == {"platform", "topic", "due"}
    no_image = served.slack.view_submission(
        "U0ALICE",
        "draft_command_submit",
        {
            "slot": {"value": {"selected_option": {"value": "new"}}},
            "platform": {"value": {"selected_option": {"value": "instagram"}}},
            "topic": {"value": {"value": "Behind the scenes"}},
            "due": {"value": {"selected_date": "2027-01-28"}},
            "text": {"value": {"value": "Look!"}},
        },
    )
    assert no_image.json()["errors"]["text"] == "Can't submit yet: Instagram posts need an image"
    served.slack.view_submission(
        "U0ALICE",
        "draft_command_submit",
        {
            "slot": {"value": {"selected_option": {"value": "new"}}},
            "platform": {"value": {"selected_option": {"value": "bluesky"}}},
            "topic": {"value": {"value": "Conference recap"}},
            "due": {"value": {"selected_date": "2027-01-28"}},
            "text": {"value": {"value": "What a week."}},
        },
    )
    served.fake.wait_for(  # the confirmation comes once the review is posted and recorded
        "chat.postMessage",
        where=lambda c: c["channel"] == "U0ALICE" and "Conference recap" in c["text"],
    )
    with served.runtime.session() as session:
        ad_hoc = session.exec(select(Slot).where(Slot.topic == "Conference recap")).one()
    assert (ad_hoc.platform, ad_hoc.source, ad_hoc.status) == ("bluesky", "ad hoc", "in_review")


def test_feedback_stays_with_the_contributor_and_history_with_the_slot(env, org, served: Served):
    buttons, root = _submitted_for_review(served)
    _click(served, "U0MKTLEAD", buttons["review_request_changes"], root)
    [modal] = served.fake.wait_for("views.open")
    served.slack.view_submission(
        "U0MKTLEAD",
        "review_changes_submit",
        {"reason": {"value": {"value": "Add the event date"}}},
        private_metadata=modal.view["private_metadata"],
    )
    served.fake.wait_for("chat.postMessage", where=lambda c: "asked for changes" in c["text"])
    served.slack.app_home_opened("U0ALICE")
    [home] = served.fake.wait_for("views.publish")
    rendered = json.dumps(home.view["blocks"])
    assert "Feedback you've had" in rendered and "Add the event date" in rendered
    with served.runtime.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Launch post")).one()
    served.slack.command("U0BOB", f"history #{slot.id}")
    [history] = served.fake.wait_for("response_url")
    text = json.dumps(history["blocks"])
    for sentence in (
        "Imported from t.csv",
        "Reminder sent to <@U0ALICE> (7 days before)",
        "Draft v1 submitted by <@U0ALICE>",
        "Changes asked for by <@U0MKTLEAD> (v1): Add the event date",
    ):
        assert sentence in text
    served.slack.command("U0STRANGER", f"history {slot.id}")
    refused = served.fake.wait_for("response_url", 2)[-1]
    assert "for people in the programme" in refused["text"]


@pytest.mark.dates
def test_a_waiting_review_nudges_once_and_skips_away_coordinators(
    env, org, served: Served, tmp_path
):
    from bot.cli import main
    from tests.conftest import DATA

    text = (
        (DATA / "organisation.toml")
        .read_text()
        .replace(
            'coordinators = ["U0MKTLEAD"]',
            'coordinators = ["U0MKTLEAD"]\nbackup_coordinators = ["U0DEPUTY"]',
        )
    )
    (tmp_path / "org.toml").write_text(text)
    assert main(["org", "load", str(tmp_path / "org.toml")]) == 0
    served.fake.add_user("U0MKTLEAD", status_text="On holiday", status_emoji=":palm_tree:")
    _, root = _submitted_for_review(served)  # submitted Friday 15 January, 10:00
    nudges = lambda: served.fake.calls_to("chat.postMessage")  # noqa: E731
    before = len(nudges())
    main(["jobs", "run", "review-nudges", "--at", "2027-01-18T09:00:00+00:00"])  # 23 working hours
    assert len(nudges()) == before
    main(["jobs", "run", "review-nudges", "--at", "2027-01-18T10:30:00+00:00"])
    [nudge] = nudges()[before:]
    assert nudge["channel"] == "C0MKTREVIEW" and nudge["thread_ts"] == root
    assert "<@U0DEPUTY>" in nudge["text"] and "<@U0MKTLEAD>" not in nudge["text"]
    main(["jobs", "run", "review-nudges", "--at", "2027-01-19T10:30:00+00:00"])
    assert len(nudges()) == before + 1
    # The backup may decide.
    buttons = {
        e["action_id"]: e
        for b in served.fake.messages["C0MKTREVIEW"][0]["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }
    _click(served, "U0DEPUTY", buttons["review_approve"], root)
    served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "D0ALICE" and "approved" in c["text"]
    )
    assert _status(served) == "approved"


@pytest.mark.dates
def test_a_draft_unapproved_at_its_due_time_counts_as_late(env, org, served: Served):
    from bot.cli import main

    _submitted_for_review(served)  # Launch post, due 17 February 12:00, in review
    main(["jobs", "run", "escalations", "--at", "2027-02-17T13:05:00+00:00"])
    assert _status(served) == "in_review"  # still reviewable
    served.slack.command("U0MKTLEAD", "schedule Marketing 2027-02")
    [answer] = served.fake.wait_for("response_url")
    rendered = json.dumps(answer["blocks"])
    assert "Launch post" in rendered and ":warning: *late*" in rendered
    assert ":warning: 1 late in all" in rendered


def test_a_leaders_post_needs_an_overall_coordinator_after_the_department(env, org, served: Served):
    from bot.schedule.service import import_schedule

    with served.runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor,account\n"
            "Marketing,2027-02-17,x,CEO thoughts,U0ALICE,acme_ceo\n",
            source="l.csv",
            now=served.runtime.now(),
        )
    from bot.cli import main

    main(["jobs", "run", "reminders", "--at", "2027-02-10T09:00:00+00:00"])
    digest = served.fake.messages["D0ALICE"][0]
    _reply(served, "D0ALICE", digest["ts"], "U0ALICE", "Leadership matters.")
    [review] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW"
    )
    assert "A leader's account" in json.dumps(review["blocks"])
    served.fake.wait_for("chat.update")
    root = served.fake.messages["C0MKTREVIEW"][0]["ts"]
    buttons = {
        e["action_id"]: e for b in review.blocks if b["type"] == "actions" for e in b["elements"]
    }
    _click(served, "U0MKTLEAD", buttons["review_approve"], root)
    step1 = served.fake.wait_for("chat.update", where=lambda c: c["channel"] == "C0MKTREVIEW")[-1]
    rendered = json.dumps(step1["blocks"])
    assert "Step 1, department" in rendered and "Step 2, overall coordinator:* waiting" in rendered
    assert "review_mark_published" not in rendered
    assert _status(served, "CEO thoughts") == "in_review"
    leader = {
        e["action_id"]: e for b in step1.blocks if b["type"] == "actions" for e in b["elements"]
    }
    _click(served, "U0MKTLEAD", leader["review_leader_approve"], root)
    [refused] = served.fake.wait_for("response_url")
    assert "for the overall coordinators" in refused["text"]
    _click(served, "U0OVERALL", leader["review_leader_approve"], root)
    served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "D0ALICE" and "approved" in c["text"]
    )
    assert _status(served, "CEO thoughts") == "approved"
    final = served.fake.calls_to("chat.update")[-1]
    assert "review_mark_published" in json.dumps(final["blocks"])


def test_reject_with_a_reason_and_only_the_right_people_mark_published(env, org, served: Served):
    buttons, root = _submitted_for_review(served)
    _click(served, "U0MKTLEAD", buttons["review_reject"], root)
    [modal] = served.fake.wait_for("views.open")
    assert modal.view["callback_id"] == "review_reject_submit"
    blank = served.slack.view_submission(
        "U0MKTLEAD",
        "review_reject_submit",
        {"reason": {"value": {"value": " "}}},
        private_metadata=modal.view["private_metadata"],
    )
    assert blank.json()["response_action"] == "errors"
    served.slack.view_submission(
        "U0MKTLEAD",
        "review_reject_submit",
        {"reason": {"value": {"value": "Off-brand"}}},
        private_metadata=modal.view["private_metadata"],
    )
    [told] = served.fake.wait_for("chat.postMessage", where=lambda c: "rejected" in c["text"])
    assert told["channel"] == "D0ALICE" and "Off-brand" in told["text"]
    assert _status(served) == "rejected"
    updated = served.fake.calls_to("chat.update")[-1]
    assert "*Rejected* by <@U0MKTLEAD>" in json.dumps(updated["blocks"])
    assert "review_mark_published" not in json.dumps(updated["blocks"])


def test_outsiders_cannot_mark_a_post_published(env, org, served: Served):
    buttons, root = _submitted_for_review(served)
    _click(served, "U0MKTLEAD", buttons["review_approve"], root)
    approved = served.fake.wait_for(
        "chat.update", where=lambda c: "review_mark_published" in json.dumps(c.get("blocks") or [])
    )[0]
    publish = next(e for b in approved.blocks if b["type"] == "actions" for e in b["elements"])
    _click(served, "U0BOB", publish, root)
    [refused] = served.fake.wait_for("response_url")
    assert "Only the author and the department's coordinators" in refused["text"]
    assert served.fake.calls_to("views.open") == []
    assert _status(served) == "approved"


def test_a_draft_slack_refused_to_post_is_posted_by_the_next_job_run(env, org, served: Served):
    from bot.cli import main

    served.fake.fail(
        "chat.postMessage", "not_in_channel", when=lambda a: a.get("channel") == "C0MKTREVIEW"
    )
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    _reply(served, channel, ts, "U0ALICE", "Hello")
    [confirmation] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c.get("thread_ts") == ts
    )
    assert "received" in confirmation["text"]
    served.fake.wait_for("chat.update")
    assert "C0MKTREVIEW" not in served.fake.messages
    assert _status(served) == "drafted"
    main(["jobs", "run", "review-nudges", "--at", "2027-02-10T10:35:00+00:00"])
    assert len(served.fake.messages["C0MKTREVIEW"]) == 1
    assert _status(served) == "in_review"


def test_a_cancelled_post_cannot_be_approved_afterwards(env, org, served: Served):
    buttons, root = _submitted_for_review(served)
    with served.runtime.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Launch post")).one()
    served.slack.block_action(
        "U0MKTLEAD", "cancel_slot", value=str(slot.id), channel_id="D0MKTLEAD", message_ts="7.0"
    )
    served.fake.wait_for("chat.update", where=lambda c: c["channel"] == "D0MKTLEAD")
    _click(served, "U0OVERALL", buttons["review_approve"], root)
    [refused] = served.fake.wait_for("response_url")
    assert "no longer in review" in refused["text"]
    assert _status(served) == "cancelled"


# --- the post as it will read ------------------------------------------------------------------

ENCODED = "Tips &amp; tricks from <@U0OLIVIA>: read <https://acme.example/story|our story> &lt;3"
WRITTEN = "Tips & tricks from @Olivia: read our story (https://acme.example/story) <3"
RICH_TEXT = {
    "type": "rich_text",
    "block_id": "b1",
    "elements": [
        {
            "type": "rich_text_section",
            "elements": [
                {"type": "text", "text": "Tips & tricks from "},
                {"type": "user", "user_id": "U0OLIVIA"},
                {"type": "text", "text": ": read "},
                {"type": "link", "url": "https://acme.example/story", "text": "our story"},
                {"type": "text", "text": " <3"},
            ],
        }
    ],
}


@pytest.mark.parametrize("blocks", [[RICH_TEXT], []], ids=["rich_text", "text only"])
def test_a_reply_reaches_review_as_written_and_inert(env, org, served: Served, blocks):
    served.fake.add_user("U0OLIVIA", name="Olivia")
    channel, ts = _digest_for(served, "U0ALICE", "Launch post")
    _reply(served, channel, ts, "U0ALICE", ENCODED, extra={"blocks": blocks})
    [review] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "C0MKTREVIEW"
    )
    served.fake.wait_for("chat.update")
    assert review.blocks[1]["text"] == {"type": "plain_text", "text": WRITTEN, "emoji": True}
    with served.runtime.session() as session:
        [draft] = session.exec(select(Draft)).all()
    assert draft.text == WRITTEN
    # Olivia is named, not mentioned: nothing of the post reaches Slack as live markup.
    sent = json.dumps([c.args for c in served.fake.calls])
    assert "<@U0OLIVIA>" not in sent and "&amp;" not in json.dumps(review.blocks[1])
    assert served.fake.broadcasts() == []
    # Asked of Slack once, then remembered.
    assert len([c for c in served.fake.calls_to("users.info") if c["user"] == "U0OLIVIA"]) == 1


def test_content_checks_count_the_text_as_written(env, org, served: Served):
    from bot.cli import main
    from bot.schedule.service import import_schedule

    with served.runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n"
            "Marketing,2027-02-17,x,Short one,U0ALICE\n",
            source="x.csv",
            now=served.runtime.now(),
        )
    main(["jobs", "run", "reminders", "--at", "2027-02-10T09:00:00+00:00"])
    digest = served.fake.messages["D0ALICE"][0]
    # 160 characters as written; 320 in Slack's encoding, which X would refuse.
    encoded = "Q&amp;A " * 40
    assert len(encoded) > 280
    _reply(served, "D0ALICE", digest["ts"], "U0ALICE", encoded)
    [said] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c.get("thread_ts") == digest["ts"]
    )
    assert "received" in said["text"]
    with served.runtime.session() as session:
        [draft] = session.exec(select(Draft)).all()
    assert draft.text.strip() == ("Q&A " * 40).strip()


def test_a_replaced_version_no_longer_shows_in_review(env, org, served: Served):
    _, root = _submitted_for_review(served)
    v1_ts = served.fake.messages["C0MKTREVIEW"][0]["ts"]
    # Alice sends a second version before anyone decided on the first.
    _reply(served, "D0ALICE", served.fake.messages["D0ALICE"][0]["ts"], "U0ALICE", "v2!", offset=60)
    served.fake.wait_for(
        "chat.postMessage",
        where=lambda c: c.get("thread_ts") == root and "Draft v2" in json.dumps(c.get("blocks")),
    )
    [replaced] = served.fake.wait_for(
        "chat.update", where=lambda c: c["channel"] == "C0MKTREVIEW" and c["ts"] == v1_ts
    )
    shown = json.dumps(replaced.blocks)
    assert "Replaced by v2" in shown and "review_approve" not in shown
    assert replaced["text"].endswith("replaced by v2")

    served.slack.app_home_opened("U0ALICE")
    [home] = served.fake.wait_for("views.publish")
    lines = [
        b["text"]["text"]
        for b in home.view["blocks"]
        if b["type"] == "section" and "Launch post* v" in b["text"]["text"]
    ]
    v1 = next(line for text in lines for line in text.split("\n") if "* v1 " in line)
    v2 = next(line for text in lines for line in text.split("\n") if "* v2 " in line)
    assert "replaced by v2" in v1 and "in review" not in v1
    assert "in review" in v2
    # The schedule shows the post once, in review (as v2 is), with no trace of v1 being so.
    served.slack.command("U0MKTLEAD", "schedule 2027-02")
    [schedule] = served.fake.wait_for("response_url")
    rows = [
        line
        for b in schedule["blocks"]
        if b["type"] == "section"
        for line in b["text"]["text"].split("\n")
        if "Launch post" in line
    ]
    assert len(rows) == 1 and "_in review_" in rows[0] and "v1" not in rows[0]
