"""`/social draft`: submit a draft for one of my open slots, or a new post, from anywhere."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.drafts.service import (
    Decision,
    DraftInput,
    check_text,
    content_checks,
    create_ad_hoc_slot,
    open_slots_of,
    submit_draft,
)
from bot.organisation.platforms import Platform, parse_platform
from bot.schedule.timing import local_to_utc
from handlers.context import runtime_of
from handlers.payloads import ViewSubmission, parse_id
from handlers.review import post_for_review
from handlers.views.draft_command import AD_HOC, draft_command_modal
from handlers.views.modals import IMAGE, SPONSORED
from handlers.views.notices import draft_received, refusal
from storage.models import Slot


def open_draft_command(
    runtime: Any, client: WebClient, user_id: str, trigger_id: str, tz: Any
) -> None:
    with runtime.session() as session:
        slots = open_slots_of(session, user_id)
    client.views_open(trigger_id=trigger_id, view=draft_command_modal(slots, tz))


def _problems(submission: ViewSubmission) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not check_text(submission.text("text")).allowed and not submission.files(IMAGE):
        errors["text"] = "The draft is empty."
    if submission.selected("slot") == AD_HOC:
        if not parse_platform(submission.selected("platform")):
            errors["platform"] = "Pick the platform for a new post."
        if not submission.text("topic").strip():
            errors["topic"] = "Give the new post a topic."
        if not submission.selected("due"):
            errors["due"] = "When is it due?"
    return errors


def ack_draft_command(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    submission = ViewSubmission.from_body(body)
    errors = _problems(submission) or _content_problems(runtime_of(context), submission)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()


def _content_problems(runtime: Any, submission: ViewSubmission) -> dict[str, str]:
    """Hard content rules, shown on the form before anything is stored."""
    draft = _input(submission)
    with runtime.session() as session:
        choice = submission.selected("slot")
        if choice == AD_HOC:
            platform = parse_platform(submission.selected("platform"))
        else:
            slot = session.get(Slot, parse_id(choice) or 0)
            platform = Platform(slot.platform) if slot else None
        if platform is None:
            return {"slot": "That post no longer exists."}
        report = content_checks(session, platform, draft, draft.sponsored)
    if not report.blocked:
        return {}
    return {"text": ("Can't submit yet: " + "; ".join(f.message for f in report.hard))[:150]}


def _input(submission: ViewSubmission) -> DraftInput:
    return DraftInput(
        text=submission.text("text"),
        link=submission.text("link"),
        note=submission.text("note"),
        sponsored=submission.checked(SPONSORED, SPONSORED),
        files=submission.files(IMAGE),
    )


def draft_command_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    runtime, submission = runtime_of(context), ViewSubmission.from_body(body)
    if _problems(submission):
        return
    user = submission.user_id
    draft = _input(submission)
    with runtime.session() as session:
        directory = runtime.organisation(session)
        choice = submission.selected("slot")
        if choice == AD_HOC:
            departments = directory.sorted_ids(directory.roles(user).departments)
            if not departments:
                client.chat_postMessage(
                    channel=user,
                    text="You're not in a department, so I can't file a new post for you.",
                )
                return
            platform = parse_platform(submission.selected("platform"))
            assert platform is not None
            due_day = date.fromisoformat(submission.selected("due"))
            slot = create_ad_hoc_slot(
                session=session,
                department_id=departments[0],
                platform=platform,
                topic=submission.text("topic").strip()[:200],
                due_at=local_to_utc(
                    datetime.combine(due_day, time(directory.default_due_hour)), directory.timezone
                ),
                contributor_id=user,
                now=runtime.now(),
            )
            slot_id = slot.id or 0
            topic = slot.topic
        else:
            slot_id = parse_id(choice) or 0
            topic = ""
        result = submit_draft(
            session=session,
            slot_id=slot_id,
            author_id=user,
            draft=draft,
            source="command",
            source_key=None,
            now=runtime.now(),
        )
        if isinstance(result, Decision):
            session.rollback()  # an ad-hoc slot without its draft is not kept
    if isinstance(result, Decision):
        client.chat_postMessage(channel=user, text=refusal(result.reason, result.details))
        return
    post_for_review(runtime, client, result.draft_id)
    client.chat_postMessage(
        channel=user, text=draft_received(topic or "your post", result.version, "command")
    )


def home_draft(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The App Home's "Submit a draft" button: the same modal as `/social draft`."""
    from bot.people import timezone_of
    from handlers.payloads import BlockAction

    runtime, click = runtime_of(context), BlockAction.from_body(body)
    with runtime.session() as session:
        fallback = runtime.organisation(session).timezone
    tz = timezone_of(runtime=runtime, client=client, user_id=click.user_id, fallback=fallback)
    open_draft_command(runtime, client, click.user_id, click.trigger_id, tz)
