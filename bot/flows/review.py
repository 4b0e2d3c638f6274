"""Review in the draft's thread: post each version, record the coordinators' decisions, and
tell whoever needs to know next.

Every decision goes through bot.review.service, which checks who clicked and stores at most one
decision per version; the loser of a race is told who decided first. Each function returns the
words to say to the person whose click was refused, or None when it went through."""

from __future__ import annotations

import logging

from bot.decisions import Decision
from bot.nudges.digests import contributor_thread
from bot.review.service import (
    Outcome,
    ReviewMaterial,
    may_decide,
    may_publish,
    record_leader_step,
    record_verdict,
    remember_posted,
    replaced_versions,
    review_material,
)
from bot.review.service import mark_published as record_published
from bot.slack.context import SlackContext
from bot.slack.outbox import Key, Subject, deliver, send_once, sent_message, stage
from bot.slack.outbox import Outcome as Sending
from bot.slack.views.common import escape, mention
from bot.slack.views.refusals import refusal
from bot.slack.views.review import (
    changes_requested_blocks,
    decided_message,
    replaced_message,
    review_message,
    version_status_text,
)

log = logging.getLogger("socialbot.review")


def post_for_review(ctx: SlackContext, draft_id: int) -> bool:
    """Post a new version, once: the first starts the review thread, later ones reply in it.
    A draft Slack refused (the bot not in the channel, say) stays unposted; `review-nudges`
    retries it. A listener and that job racing for the same version post it once."""
    runtime = ctx.runtime
    with runtime.session() as session:
        material = review_material(session=session, draft_id=draft_id)
    if material is None or material.draft.review_ts:
        return False
    text, blocks = review_message(material)
    key = Key(Subject.DRAFT, draft_id, "posted")
    sent = send_once(
        ctx,
        recipient=material.review_channel,
        kind="review",
        keys=[key],
        render=lambda _: (text, blocks),
        thread_ts=material.review.root_ts if material.review else None,
        retry_refused=True,
    )
    where = (sent.channel, sent.ts) if sent.outcome is Sending.SENT else sent_message(ctx, key)
    if where is None:
        if sent.outcome is Sending.FAILED:
            log.warning(
                "draft not posted for review",
                extra={"detail": f"{material.review_channel}: {sent.error}"},
            )
        return False
    with runtime.session() as session:
        remember_posted(
            session=session, draft_id=draft_id, channel=where[0], ts=where[1], now=runtime.now()
        )
        replaced = replaced_versions(session=session, draft_id=draft_id)
    for older in replaced:
        _show_replaced(ctx, older, material.draft.version)
    return sent.outcome is Sending.SENT


def _show_replaced(ctx: SlackContext, draft_id: int, latest: int) -> None:
    with ctx.runtime.session() as session:
        material = review_material(session=session, draft_id=draft_id)
    if material is None or material.review is None or not material.draft.review_ts:
        return
    text, blocks = replaced_message(material, latest)
    ctx.client.chat_update(
        channel=material.review.channel, ts=material.draft.review_ts, text=text, blocks=blocks
    )


def check(ctx: SlackContext, draft_id: int, by: str, *, leader_step: bool = False) -> str | None:
    """Before a modal opens: the very rules that will be applied when it is submitted."""
    with ctx.runtime.session() as session:
        decision = may_decide(
            session=session,
            directory=ctx.runtime.organisation(session),
            draft_id=draft_id,
            by=by,
            leader_step=leader_step,
        )
    return None if decision.ok else refusal(decision)


def decide(
    ctx: SlackContext,
    draft_id: int,
    outcome: Outcome,
    by: str,
    reason: str = "",
    *,
    leader_step: bool = False,
) -> str | None:
    """Record a decision (the department's, or the second step for a leader's account), show
    it in the thread, and tell whoever needs to know next."""
    runtime, client = ctx.runtime, ctx.client
    record = record_leader_step if leader_step else record_verdict
    with runtime.session() as session:
        result = record(
            session=session,
            directory=runtime.organisation(session),
            draft_id=draft_id,
            outcome=outcome,
            by=by,
            reason=reason,
            now=runtime.now(),
        )
    if isinstance(result, Decision):
        return refusal(result)
    material = _refresh_version(ctx, draft_id)
    if material.review and reason:
        client.chat_postMessage(
            channel=material.review.channel,
            thread_ts=material.review.root_ts,
            text=f"{mention(by)}: {escape(reason)}",
        )
    if outcome is Outcome.APPROVED and material.for_leader and not leader_step:
        if material.review:
            with runtime.session() as session:
                overall = runtime.organisation(session).overall_coordinators
            client.chat_postMessage(
                channel=material.review.channel,
                thread_ts=material.review.root_ts,
                text=" ".join(mention(u) for u in overall)
                + ": step 2 is yours (a leader's account).",
            )
        return None
    assert material.slot.id is not None
    _tell_contributor(
        ctx, material.draft.author_id, material.slot.id, material.slot.topic, outcome, by, reason
    )
    return None


def check_publish(ctx: SlackContext, draft_id: int, by: str) -> str | None:
    with ctx.runtime.session() as session:
        decision = may_publish(
            session=session, directory=ctx.runtime.organisation(session), draft_id=draft_id, by=by
        )
    return None if decision.ok else refusal(decision)


def mark_published(ctx: SlackContext, draft_id: int, by: str, url: str) -> str | None:
    runtime = ctx.runtime
    with runtime.session() as session:
        decision = record_published(
            session=session,
            directory=runtime.organisation(session),
            draft_id=draft_id,
            by=by,
            url=url,
            now=runtime.now(),
        )
    if not decision.ok:
        return refusal(decision)
    _refresh_version(ctx, draft_id)
    return None


def _refresh_version(ctx: SlackContext, draft_id: int) -> ReviewMaterial:
    """Show a version's message as it now stands: verdicts, steps, buttons left."""
    with ctx.runtime.session() as session:
        material = review_material(session=session, draft_id=draft_id)
    assert material is not None
    if material.review and material.draft.review_ts:
        ctx.client.chat_update(
            channel=material.review.channel,
            ts=material.draft.review_ts,
            text=version_status_text(material),
            blocks=decided_message(material),
        )
    return material


def _tell_contributor(
    ctx: SlackContext,
    author: str,
    slot_id: int,
    topic_text: str,
    outcome: Outcome,
    by: str,
    reason: str,
) -> None:
    """In the contributor's own thread (their reminder's), so feedback, revision and outcome
    stay together; a reply there to a change request is taken as the revision."""
    client, topic = ctx.client, escape(topic_text)
    with ctx.runtime.session() as session:
        thread = contributor_thread(session, slot_id, author)
    if outcome is Outcome.CHANGES_REQUESTED:
        text, blocks = changes_requested_blocks(slot_id, topic, by, reason)
        if thread is None:
            _feedback_thread(ctx, author, slot_id, text, blocks)
        else:
            client.chat_postMessage(
                channel=thread[0], thread_ts=thread[1], text=text, blocks=blocks
            )
        return
    said = (
        f":white_check_mark: {mention(by)} approved *{topic}*. Well done!"
        if outcome is Outcome.APPROVED
        else f":no_entry_sign: {mention(by)} rejected *{topic}*: {escape(reason)}"
    )
    if thread is None:
        client.chat_postMessage(channel=author, text=said)
    else:
        client.chat_postMessage(channel=thread[0], thread_ts=thread[1], text=said)


def _feedback_thread(
    ctx: SlackContext, author: str, slot_id: int, text: str, blocks: list[dict[str, object]]
) -> None:
    """Sent as a one-slot digest, so a reply in its thread is taken as the revision."""
    now = ctx.runtime.now()
    deliver(
        ctx,
        recipient=author,
        kind="reminder",
        items=[(slot_id, stage("feedback", f"{now:%Y-%m-%dT%H:%M:%S}"))],
        render=lambda shown: (text, blocks),
        event="feedback_sent",
    )
