"""Submitting a draft, however it arrives: a reply in a reminder's thread, the reminder's modal,
or `/social draft` (one of my open slots, or a new post). Whichever way, what follows is the
same: the version goes to review, the author hears it arrived, their digest is re-rendered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.decisions import Decision
from bot.drafts.replies import (
    Reply,
    ReplyKind,
    ReplyOutcome,
    first_delivery,
    receive_reply,
    resolve_pending,
)
from bot.drafts.service import (
    DraftInput,
    Submitted,
    content_checks,
    create_ad_hoc_slot,
    open_slots_of,
    slot_platform,
    submit_draft,
)
from bot.flows.reminders import refresh_digest
from bot.flows.review import post_for_review
from bot.nudges.digests import slot_item
from bot.organisation.missing import NoOrganisation
from bot.organisation.platforms import Platform
from bot.schedule.timing import local_to_utc
from bot.slack.context import SlackContext
from bot.slack.message_text import SlackMessage, as_written
from bot.slack.people import display_name
from bot.slack.views.common import section
from bot.slack.views.draft_command import draft_command_modal
from bot.slack.views.messages import pick_slot_message
from bot.slack.views.notices import draft_received, not_a_reminder_reply
from bot.slack.views.refusals import refusal

NOTHING_OPEN = (
    "Everything in this reminder already has a draft or was handed back, so I didn't save "
    "that reply."
)


def hard_problems(ctx: SlackContext, platform: Platform | None, draft: DraftInput) -> str | None:
    """The hard content rules a draft breaks on its platform, said before anything is stored."""
    if platform is None:
        return "That post no longer exists."
    with ctx.runtime.session() as session:
        report = content_checks(session, platform, draft, draft.sponsored)
    if not report.blocked:
        return None
    return "Can't submit yet: " + "; ".join(f.message for f in report.hard)


def platform_of(ctx: SlackContext, slot_id: int | None) -> Platform | None:
    with ctx.runtime.session() as session:
        return slot_platform(session, slot_id)


def _after(
    ctx: SlackContext,
    submitted: Submitted,
    topic: str,
    source: str,
    *,
    thread: tuple[str, str] | None,
    author: str,
) -> None:
    """What follows every submission: review, a confirmation where the draft came from, and
    the reminder digest re-rendered so it shows the draft."""
    post_for_review(ctx, submitted.draft_id)
    text = draft_received(topic, submitted.version, source)
    if thread is not None:
        ctx.client.chat_postMessage(channel=thread[0], thread_ts=thread[1], text=text)
        refresh_digest(ctx, *thread)
    else:
        ctx.client.chat_postMessage(channel=author, text=text)


def submit_from_modal(
    ctx: SlackContext,
    *,
    user_id: str,
    slot_id: int | None,
    draft: DraftInput,
    thread: tuple[str, str] | None,
) -> None:
    """The reminder's Submit draft modal (or Revise): confirmed in the reminder's thread."""
    runtime = ctx.runtime
    with runtime.session() as session:
        result = submit_draft(
            session=session,
            slot_id=slot_id or 0,
            author_id=user_id,
            draft=draft,
            source="modal",
            source_key=None,
            now=runtime.now(),
        )
        item = slot_item(session, slot_id) if slot_id else None
    if isinstance(result, Decision):
        ctx.client.chat_postMessage(channel=user_id, text=refusal(result))
        return
    topic = item.topic if item else "your post"
    _after(ctx, result, topic, "modal", thread=thread, author=user_id)


@dataclass(frozen=True)
class DirectMessage:
    """A person's message in their DM with the bot, as Slack sent it."""

    channel: str
    ts: str
    user_id: str
    message: SlackMessage
    thread_ts: str | None = None
    files: tuple[dict[str, str], ...] = ()


def written_text(ctx: SlackContext, message: SlackMessage) -> str:
    """The message as its author wrote it (`&`, `<3`, `@Olivia`), not Slack's encoding."""

    def name_of(user_id: str) -> str | None:
        return display_name(runtime=ctx.runtime, client=ctx.client, user_id=user_id)

    return as_written(message, name_of)


def receive_direct_message(ctx: SlackContext, *, event_id: str, dm: DirectMessage) -> None:
    """A reply in a reminder's thread is the draft (or, with several posts, we ask which);
    anything else said to the bot gets a short answer saying how to send one."""
    runtime = ctx.runtime
    if dm.thread_ts is None:
        with runtime.session() as session:
            first = first_delivery(session, event_id, runtime.now())
        if first:
            _say_how(ctx, dm.channel, None, dm.user_id)
        return
    reply = Reply(
        channel=dm.channel,
        thread_ts=dm.thread_ts,
        ts=dm.ts,
        user_id=dm.user_id,
        text=written_text(ctx, dm.message),
        files=dm.files,
    )
    with runtime.session() as session:
        outcome = receive_reply(session=session, event_id=event_id, reply=reply, now=runtime.now())
    if outcome.kind is ReplyKind.IGNORED:
        _say_how(ctx, dm.channel, dm.thread_ts, dm.user_id)
        return
    _answer(ctx, outcome, reply.channel, reply.thread_ts, reply.user_id)


def _say_how(ctx: SlackContext, channel: str, thread_ts: str | None, user_id: str) -> None:
    with ctx.runtime.session() as session:
        try:
            member = ctx.runtime.organisation(session).roles(user_id).is_member
        except NoOrganisation:
            member = False
    ctx.client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, text=not_a_reminder_reply(member)
    )


def _answer(
    ctx: SlackContext, outcome: ReplyOutcome, channel: str, thread_ts: str, author: str
) -> None:
    client = ctx.client
    if outcome.kind in (ReplyKind.IGNORED, ReplyKind.DUPLICATE):
        return
    if outcome.kind is ReplyKind.SUBMITTED:
        assert outcome.submitted is not None and outcome.item is not None
        _after(
            ctx,
            outcome.submitted,
            outcome.item.topic,
            "thread",
            thread=(channel, thread_ts),
            author=author,
        )
    elif outcome.kind is ReplyKind.ASK:
        assert outcome.pending_id is not None
        text, blocks = pick_slot_message(outcome.pending_id, outcome.options)
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks)
    elif outcome.kind is ReplyKind.NOTHING_OPEN:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=NOTHING_OPEN)
    else:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=refusal(outcome.refusal))


def pick_slot(
    ctx: SlackContext,
    *,
    user_id: str,
    pending_id: int,
    slot_id: int,
    message: tuple[str, str] | None,
    thread_ts: str | None,
) -> str | None:
    """The author said which post their reply was for: the pick message becomes the receipt."""
    runtime = ctx.runtime
    with runtime.session() as session:
        outcome = resolve_pending(
            session=session,
            pending_id=pending_id,
            slot_id=slot_id,
            user_id=user_id,
            now=runtime.now(),
        )
    if outcome.kind is ReplyKind.REFUSED:
        return refusal(outcome.refusal)
    if outcome.kind is ReplyKind.SUBMITTED and message is not None:
        assert outcome.submitted is not None and outcome.item is not None
        post_for_review(ctx, outcome.submitted.draft_id)
        text = draft_received(outcome.item.topic, outcome.submitted.version, "thread")
        ctx.client.chat_update(channel=message[0], ts=message[1], text=text, blocks=[section(text)])
        refresh_digest(ctx, message[0], thread_ts)
    return None


# --- /social draft ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPost:
    """A post outside the schedule, filed with its first draft."""

    platform: Platform
    topic: str
    due: date


def open_draft_command(ctx: SlackContext, *, user_id: str, trigger_id: str) -> None:
    with ctx.runtime.session() as session:
        slots = open_slots_of(session, user_id)
    view = draft_command_modal(slots, ctx.tz(user_id), ctx.runtime.now())
    ctx.client.views_open(trigger_id=trigger_id, view=view)


def submit_from_command(
    ctx: SlackContext,
    *,
    user_id: str,
    slot_id: int | None,
    new_post: NewPost | None,
    draft: DraftInput,
) -> None:
    """One of my open slots, or a new post filed in my first department; confirmed by DM."""
    runtime = ctx.runtime
    topic = ""
    with runtime.session() as session:
        directory = runtime.organisation(session)
        if new_post is not None:
            departments = directory.sorted_ids(directory.roles(user_id).departments)
            if not departments:
                ctx.client.chat_postMessage(
                    channel=user_id,
                    text="You're not in a department, so I can't file a new post for you.",
                )
                return
            due = datetime.combine(new_post.due, time(directory.default_due_hour))
            slot = create_ad_hoc_slot(
                session=session,
                department_id=departments[0],
                platform=new_post.platform,
                topic=new_post.topic[:200],
                due_at=local_to_utc(due, directory.timezone),
                contributor_id=user_id,
                now=runtime.now(),
            )
            slot_id, topic = slot.id, slot.topic
        result = submit_draft(
            session=session,
            slot_id=slot_id or 0,
            author_id=user_id,
            draft=draft,
            source="command",
            source_key=None,
            now=runtime.now(),
        )
        if isinstance(result, Decision):
            session.rollback()  # a new post without its draft is not kept
    if isinstance(result, Decision):
        ctx.client.chat_postMessage(channel=user_id, text=refusal(result))
        return
    _after(ctx, result, topic or "your post", "command", thread=None, author=user_id)
