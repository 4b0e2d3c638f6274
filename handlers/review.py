"""Review in the draft's thread: post each version, and take the coordinators' decisions.

Every decision goes through bot.review.service.record_verdict, which checks who clicked and
stores at most one verdict per version; the loser of a race is told who decided first."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.review.service import (
    Outcome,
    ReviewDecision,
    ReviewMaterial,
    ReviewRefusal,
    decide_leader_step,
    decide_publish,
    decide_review,
    is_reviewable,
    mark_published,
    record_leader_step,
    record_verdict,
    remember_posted,
    review_material,
)
from bot.runtime import Runtime
from handlers.context import runtime_of
from handlers.ids import Action, Callback
from handlers.payloads import BlockAction, ViewSubmission
from handlers.views.common import escape, mention, section
from handlers.views.review import decided_message, reason_modal, review_message
from storage.models import Draft, LeaderApproval, Slot
from storage.repositories import nudges as nudge_repo
from storage.repositories import reviews as repo

log = logging.getLogger("socialbot.review")


def post_for_review(runtime: Runtime, client: WebClient, draft_id: int) -> bool:
    """Post a new version: the first starts the review thread, later ones reply in it. A draft
    Slack refused (the bot not in the channel, say) stays unposted; `review-nudges` retries it."""
    with runtime.session() as session:
        material = review_material(session=session, draft_id=draft_id)
    if material is None or material.draft.review_ts:
        return False
    text, blocks = review_message(material)
    thread = material.review.root_ts if material.review else None
    try:
        reply = client.chat_postMessage(
            channel=material.review_channel,
            text=text,
            blocks=blocks,
            thread_ts=thread,
            unfurl_links=False,
        )
    except SlackApiError as exc:
        log.warning(
            "draft not posted for review",
            extra={"detail": f"{material.review_channel}: {exc.response.get('error')}"},
        )
        return False
    with runtime.session() as session:
        remember_posted(
            session=session,
            draft_id=draft_id,
            channel=reply["channel"],
            ts=reply["ts"],
            now=runtime.now(),
        )
    return True


ALREADY = {
    Outcome.APPROVED.value: "approved this version",
    Outcome.CHANGES_REQUESTED.value: "asked for changes to this version",
    Outcome.REJECTED.value: "rejected this version",
}


def refusal_text(decision: ReviewDecision, department: str = "this department") -> str:
    if decision.reason is ReviewRefusal.NOT_REVIEWER:
        return (
            f"Only {department}'s coordinators and the overall coordinators can decide on "
            "drafts. Nothing was changed."
        )
    if decision.reason is ReviewRefusal.NOT_IN_REVIEW:
        return "This post is no longer in review (cancelled or handed back). Nothing was changed."
    if decision.reason is ReviewRefusal.NOT_PUBLISHER:
        return "Only the author and the department's coordinators can mark this published."
    if decision.reason is ReviewRefusal.NOT_APPROVED:
        return "Only an approved post can be marked published."
    if decision.reason is ReviewRefusal.NOT_OVERALL:
        return "The second approval of a leader's post is for the overall coordinators."
    if decision.reason is ReviewRefusal.NOT_YET:
        return "The department approves first; this step comes after."
    if decision.reason is ReviewRefusal.OWN_DRAFT:
        return "You can't decide on your own draft: another coordinator needs to."
    if decision.reason is ReviewRefusal.OLD_VERSION:
        return (
            f"This is an older version. The latest is v{decision.latest_version}, further down "
            "this thread: decide on that one."
        )
    if decision.reason is ReviewRefusal.ALREADY_DECIDED:
        done = ALREADY.get(decision.decided_outcome or "", "decided on it")
        return f"{mention(decision.decided_by or '')} already {done}. Nothing was changed."
    return "That draft no longer exists."


def _check(runtime: Runtime, draft_id: int, user_id: str) -> ReviewDecision:
    """The same rules record_verdict applies, asked before opening a modal."""
    with runtime.session() as session:
        directory = runtime.organisation(session)
        draft = session.get(Draft, draft_id)
        slot = session.get(Slot, draft.slot_id) if draft else None
        if draft is None or slot is None:
            return ReviewDecision(False, ReviewRefusal.NO_SUCH_DRAFT)
        return decide_review(
            roles=directory.roles(user_id),
            author_id=draft.author_id,
            department_id=slot.department_id,
            version=draft.version,
            latest_version=max(d.version for d in repo.versions(session, slot.id or 0)),
            existing=repo.verdict_on(session, draft_id),
            in_review=is_reviewable(slot),
        )


def _decide(
    runtime: Runtime,
    client: WebClient,
    draft_id: int,
    outcome: Outcome,
    by: str,
    reason: str,
    *,
    leader_step: bool = False,
) -> ReviewDecision | None:
    """Record a decision (the department's, or the second step for a leader's account), show
    it in the thread, and tell whoever needs to know next."""
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
    if isinstance(result, ReviewDecision):
        return result
    material = _refresh_version(runtime, client, draft_id)
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
    _tell_contributor(runtime, client, material.draft.author_id, material.slot, outcome, by, reason)
    return None


def _refresh_version(runtime: Runtime, client: WebClient, draft_id: int) -> ReviewMaterial:
    """Show a version's message as it now stands: verdicts, steps, buttons left."""
    with runtime.session() as session:
        material = review_material(session=session, draft_id=draft_id)
    assert material is not None
    if material.review and material.draft.review_ts:
        client.chat_update(
            channel=material.review.channel,
            ts=material.draft.review_ts,
            text=f"{material.slot.status.replace('_', ' ')}: {escape(material.slot.topic)}",
            blocks=decided_message(material),
        )
    return material


def leader_approve(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    refused = _decide(
        runtime,
        client,
        click.draft_id or 0,
        Outcome.APPROVED,
        click.user_id,
        "",
        leader_step=True,
    )
    if refused is not None:
        respond(text=refusal_text(refused), response_type="ephemeral", replace_original=False)


def open_leader_reject(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    draft_id = click.draft_id or 0
    with runtime.session() as session:
        directory = runtime.organisation(session)
        draft = session.get(Draft, draft_id)
        decision = decide_leader_step(
            roles=directory.roles(click.user_id),
            author_id=draft.author_id if draft else "",
            department_verdict=repo.verdict_on(session, draft_id),
            existing=session.get(LeaderApproval, draft_id),
        )
    if not decision.allowed:
        respond(text=refusal_text(decision), response_type="ephemeral", replace_original=False)
        return
    view = reason_modal(
        Callback.LEADER_REJECT, draft_id, "Reject for the leader", "Why is it rejected?"
    )
    client.views_open(trigger_id=click.trigger_id, view=view)


def leader_reject_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    runtime, submission = runtime_of(context), ViewSubmission.from_body(body)
    reason = submission.text("reason").strip()
    if not reason:
        return
    draft_id = submission.metadata_id or 0
    refused = _decide(
        runtime, client, draft_id, Outcome.REJECTED, submission.user_id, reason, leader_step=True
    )
    if refused is not None:
        client.chat_postMessage(channel=submission.user_id, text=refusal_text(refused))


def _tell_contributor(
    runtime: Runtime,
    client: WebClient,
    author: str,
    slot: Slot,
    outcome: Outcome,
    by: str,
    reason: str,
) -> None:
    """In the contributor's own thread (their reminder's), so feedback, revision and outcome
    stay together; a reply there to a change request is taken as the revision."""
    topic = escape(slot.topic)
    with runtime.session() as session:
        thread = nudge_repo.contributor_thread(session, slot_id=slot.id or 0, recipient=author)
    if outcome is Outcome.CHANGES_REQUESTED:
        text = f"{mention(by)} asked for changes to *{topic}*:\n>{escape(reason)}"
        blocks = [
            section(text + "\nReply in this thread with the new version, or:"),
            {
                "type": "actions",
                "block_id": f"slot_{slot.id}",
                "elements": [
                    {
                        "type": "button",
                        "action_id": Action.DRAFT_OPEN.value,
                        "text": {"type": "plain_text", "text": "Revise"},
                        "value": str(slot.id),
                        "style": "primary",
                    }
                ],
            },
        ]
        if thread is None:
            _feedback_thread(runtime, client, author, slot, text, blocks)
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
    runtime: Runtime, client: WebClient, author: str, slot: Slot, text: str, blocks: list[Any]
) -> None:
    """Sent as a one-slot digest, so a reply in its thread is taken as the revision."""
    from jobs.delivery import deliver
    from jobs.registry import JobContext

    now = runtime.now()
    assert slot.id is not None
    deliver(
        JobContext(runtime=runtime, client=client, at=now),
        recipient=author,
        kind="reminder",
        items=[(slot.id, f"feedback:{now:%Y-%m-%dT%H:%M:%S}")],
        render=lambda shown: (text, blocks),
        event="feedback_sent",
    )


# --- listeners -------------------------------------------------------------------------------


def approve(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    refused = _decide(runtime, client, click.draft_id or 0, Outcome.APPROVED, click.user_id, "")
    if refused is not None:
        respond(text=refusal_text(refused), response_type="ephemeral", replace_original=False)


def _open_reason(
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
    callback: Callback,
    title: str,
    label: str,
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    draft_id = click.draft_id or 0
    decision = _check(runtime, draft_id, click.user_id)
    if not decision.allowed:
        respond(text=refusal_text(decision), response_type="ephemeral", replace_original=False)
        return
    client.views_open(
        trigger_id=click.trigger_id, view=reason_modal(callback, draft_id, title, label)
    )


def open_request_changes(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    _open_reason(
        body,
        client,
        respond,
        context,
        Callback.REQUEST_CHANGES,
        "Request changes",
        "What should change?",
    )


def open_reject(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    _open_reason(
        body, client, respond, context, Callback.REJECT, "Reject draft", "Why is it rejected?"
    )


def ack_reason(ack: Ack, body: dict[str, Any]) -> None:
    if not ViewSubmission.from_body(body).text("reason").strip():
        ack(response_action="errors", errors={"reason": "Please say something: it's sent on."})
        return
    ack()


def _submitted(
    body: dict[str, Any], client: WebClient, context: BoltContext, outcome: Outcome
) -> None:
    runtime, submission = runtime_of(context), ViewSubmission.from_body(body)
    reason = submission.text("reason").strip()
    if not reason:
        return  # ack_reason already showed the problem on the form
    refused = _decide(
        runtime, client, submission.metadata_id or 0, outcome, submission.user_id, reason
    )
    if refused is not None:
        client.chat_postMessage(channel=submission.user_id, text=refusal_text(refused))


def changes_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    _submitted(body, client, context, Outcome.CHANGES_REQUESTED)


def reject_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    _submitted(body, client, context, Outcome.REJECTED)


def open_mark_published(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    with runtime.session() as session:
        directory = runtime.organisation(session)
        draft = session.get(Draft, click.draft_id or 0)
        slot = session.get(Slot, draft.slot_id) if draft else None
    if draft is None or slot is None:
        respond(
            text="That draft no longer exists.", response_type="ephemeral", replace_original=False
        )
        return
    decision = decide_publish(
        roles=directory.roles(click.user_id),
        author_id=draft.author_id,
        department_id=slot.department_id,
    )
    if not decision.allowed:
        respond(text=refusal_text(decision), response_type="ephemeral", replace_original=False)
        return
    view = reason_modal(Callback.PUBLISHED, draft.id or 0, "Mark as published", "The post's URL")
    client.views_open(trigger_id=click.trigger_id, view=view)


def ack_published(ack: Ack, body: dict[str, Any]) -> None:
    url = ViewSubmission.from_body(body).text("reason").strip()
    if not url.startswith(("https://", "http://")):
        ack(response_action="errors", errors={"reason": "Paste the post's link (https://…)."})
        return
    ack()


def published_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    runtime, submission = runtime_of(context), ViewSubmission.from_body(body)
    url = submission.text("reason").strip()
    if not url.startswith(("https://", "http://")):
        return  # ack_published already showed the problem on the form
    draft_id = submission.metadata_id or 0
    with runtime.session() as session:
        decision = mark_published(
            session=session,
            directory=runtime.organisation(session),
            draft_id=draft_id,
            by=submission.user_id,
            url=url,
            now=runtime.now(),
        )
    if not decision.allowed:
        client.chat_postMessage(channel=submission.user_id, text=refusal_text(decision))
        return
    _refresh_version(runtime, client, draft_id)
