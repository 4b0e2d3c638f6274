"""Answering a reminder: submit a draft, snooze, hand back; and the coordinator's reassign/cancel.

Every listener checks who clicked (not who the message was sent to) through the domain's
decide_* rules; a refusal is an ephemeral message and changes nothing."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.decisions import Decision, refuse
from bot.drafts.service import (
    DraftInput,
    Refusal,
    SlotFacts,
    Submitted,
    check_text,
    content_checks,
    decide_coordinator_action,
    submit_draft,
)
from bot.nudges import actions
from bot.nudges.digests import DigestItem, digest_items, slot_item
from bot.organisation.platforms import Platform
from bot.runtime import Runtime
from bot.slack.ids import Action
from bot.slack.people import timezone_of
from bot.slack.views.common import escape, mention
from bot.slack.views.digest import reminder_digest
from bot.slack.views.modals import IMAGE, SPONSORED, draft_modal, hand_back_modal, read_metadata
from bot.slack.views.notices import (
    draft_received,
    handed_back_message,
    resolved_message,
)
from bot.slack.views.refusals import refusal
from handlers.context import runtime_of
from handlers.payloads import BlockAction, ViewSubmission
from handlers.review import post_for_review
from storage.models import Slot
from storage.repositories import nudges as nudge_repo


def _say_no(respond: Respond, decision: Decision[Refusal] | None) -> None:
    respond(text=refusal(decision), response_type="ephemeral", replace_original=False)


def _tz(runtime: Runtime, client: WebClient, user_id: str) -> ZoneInfo:
    with runtime.session() as session:
        fallback = runtime.organisation(session).timezone
    return timezone_of(runtime=runtime, client=client, user_id=user_id, fallback=fallback)


def refresh_digest(
    runtime: Runtime, client: WebClient, channel: str | None, ts: str | None
) -> None:
    """Re-render a reminder digest in place after one of its slots changed."""
    if not channel or not ts:
        return
    with runtime.session() as session:
        digest = nudge_repo.by_message(session, channel=channel, ts=ts)
        if digest is None or digest.id is None or digest.kind != "reminder":
            return
        items = digest_items(session, digest.id)
        recipient = digest.recipient
    tz = _tz(runtime, client, recipient)
    text, blocks = reminder_digest(recipient, items, tz, runtime.now())
    client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def _item_for(runtime: Runtime, click: BlockAction, respond: Respond) -> DigestItem | None:
    with runtime.session() as session:
        item = slot_item(session, click.slot_id) if click.slot_id else None
    if item is None:
        respond(
            text="That post no longer exists.", response_type="ephemeral", replace_original=False
        )
        return None
    if item.contributor_id != click.user_id:
        respond(
            text=refusal(refuse(actions.Refusal.NOT_YOURS)),
            response_type="ephemeral",
            replace_original=False,
        )
        return None
    return item


def open_draft_modal(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    item = _item_for(runtime, click, respond)
    if item is not None:
        tz = _tz(runtime, client, click.user_id)
        client.views_open(
            trigger_id=click.trigger_id,
            view=draft_modal(item, tz, click.channel_id, click.message_ts),
        )


def open_hand_back_modal(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    item = _item_for(runtime, click, respond)
    if item is not None:
        tz = _tz(runtime, client, click.user_id)
        client.views_open(
            trigger_id=click.trigger_id,
            view=hand_back_modal(item, tz, click.channel_id, click.message_ts),
        )


def snooze(body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    days = 3 if click.action_id == Action.SNOOZE_3D else 1
    tz = _tz(runtime, client, click.user_id)
    with runtime.session() as session:
        result = actions.snooze(
            session=session,
            slot_id=click.slot_id or 0,
            user_id=click.user_id,
            days=days,
            tz=tz,
            now=runtime.now(),
        )
    if isinstance(result, Decision):
        _say_no(respond, result)
        return
    refresh_digest(runtime, client, click.channel_id, click.message_ts)


# --- submitting a draft from the modal -------------------------------------------------------


def ack_draft(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Checked on the request thread, so a problem shows on the field and the modal stays:
    an empty draft, or one that breaks a hard content rule for its platform."""
    submission = ViewSubmission.from_body(body)
    decision = check_text(submission.text("text"))
    if not decision.ok:
        ack(response_action="errors", errors={"text": refusal(decision)})
        return
    slot_id, _, _ = read_metadata(submission.private_metadata)
    runtime = runtime_of(context)
    with runtime.session() as session:
        slot = session.get(Slot, slot_id or 0)
        draft = _draft_input(submission)
        report = (
            content_checks(session, Platform(slot.platform), draft, draft.sponsored)
            if slot
            else None
        )
    if report is not None and report.blocked:
        problems = "; ".join(f.message for f in report.hard)
        ack(response_action="errors", errors={"text": f"Can't submit yet: {problems}"[:150]})
        return
    ack()


def _draft_input(submission: ViewSubmission) -> DraftInput:
    return DraftInput(
        text=submission.text("text"),
        link=submission.text("link"),
        note=submission.text("note"),
        sponsored=submission.checked(SPONSORED, SPONSORED),
        files=submission.files(IMAGE),
    )


def draft_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    runtime, submission = runtime_of(context), ViewSubmission.from_body(body)
    if not check_text(submission.text("text")).ok:
        return  # ack_draft already showed the problem on the form (Bolt runs this regardless)
    slot_id, channel, ts = read_metadata(submission.private_metadata)
    draft = _draft_input(submission)
    with runtime.session() as session:
        result = submit_draft(
            session=session,
            slot_id=slot_id or 0,
            author_id=submission.user_id,
            draft=draft,
            source="modal",
            source_key=None,
            now=runtime.now(),
        )
        item = slot_item(session, slot_id) if slot_id else None
    if isinstance(result, Decision):
        client.chat_postMessage(channel=submission.user_id, text=refusal(result))
        return
    _confirm(runtime, client, result, item, channel, ts, submission.user_id)


def _confirm(
    runtime: Runtime,
    client: WebClient,
    result: Submitted,
    item: DigestItem | None,
    channel: str | None,
    ts: str | None,
    user_id: str,
) -> None:
    topic = item.topic if item else "your post"
    source = "modal"
    text = draft_received(topic, result.version, source)
    post_for_review(runtime, client, result.draft_id)
    if channel and ts:
        client.chat_postMessage(channel=channel, thread_ts=ts, text=text)
        refresh_digest(runtime, client, channel, ts)
    else:
        client.chat_postMessage(channel=user_id, text=text)


# --- handing back --------------------------------------------------------------------------


def ack_hand_back(ack: Ack, body: dict[str, Any]) -> None:
    if not ViewSubmission.from_body(body).text("reason").strip():
        ack(response_action="errors", errors={"reason": "Say why, so your coordinator can help."})
        return
    ack()


def hand_back_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    runtime, submission = runtime_of(context), ViewSubmission.from_body(body)
    reason = submission.text("reason").strip()
    if not reason:
        return  # ack_hand_back already showed the problem on the form
    slot_id, channel, ts = read_metadata(submission.private_metadata)
    with runtime.session() as session:
        result = actions.hand_back(
            session=session,
            slot_id=slot_id or 0,
            user_id=submission.user_id,
            reason=reason,
            now=runtime.now(),
        )
        directory = runtime.organisation(session)
        item = slot_item(session, slot_id) if slot_id else None
    if isinstance(result, Decision) or item is None:
        client.chat_postMessage(
            channel=submission.user_id,
            text=refusal(result if isinstance(result, Decision) else None),
        )
        return
    coordinators = directory.coordinators_of(result.department_id) or directory.overall_coordinators
    for coordinator in coordinators:
        text, blocks = handed_back_message(
            item, submission.user_id, reason, _tz(runtime, client, coordinator)
        )
        client.chat_postMessage(channel=coordinator, text=text, blocks=blocks)
    refresh_digest(runtime, client, channel, ts)


# --- coordinators ----------------------------------------------------------------------------


def reassign(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    if not click.selected_user:
        return
    with runtime.session() as session:
        result = actions.reassign(
            session=session,
            directory=runtime.organisation(session),
            slot_id=click.slot_id or 0,
            by=click.user_id,
            to=click.selected_user,
            now=runtime.now(),
        )
        item = slot_item(session, click.slot_id) if click.slot_id else None
    if isinstance(result, Decision) or item is None:
        _say_no(respond, result if isinstance(result, Decision) else None)
        return
    outcome = (
        f":arrows_counterclockwise: Reassigned to {mention(click.selected_user)} "
        f"by {mention(click.user_id)}."
    )
    _resolve(client, click, item, outcome)
    _send_reminder_now(
        runtime, client, item.slot_id, click.selected_user, f"assigned:{click.user_id}"
    )


def cancel_slot(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    with runtime.session() as session:
        result = actions.cancel(
            session=session,
            directory=runtime.organisation(session),
            slot_id=click.slot_id or 0,
            by=click.user_id,
            now=runtime.now(),
        )
        item = slot_item(session, click.slot_id) if click.slot_id else None
    if isinstance(result, Decision) or item is None:
        _say_no(respond, result if isinstance(result, Decision) else None)
        return
    _resolve(
        client, click, item, f":heavy_multiplication_x: Cancelled by {mention(click.user_id)}."
    )


def _resolve(client: WebClient, click: BlockAction, item: DigestItem, outcome: str) -> None:
    """Replace the coordinator's buttons with what was done, so nobody acts twice."""
    if click.channel_id and click.message_ts:
        client.chat_update(
            channel=click.channel_id,
            ts=click.message_ts,
            text=outcome,
            blocks=resolved_message(f"*{escape(item.topic)}*", outcome),
        )


def remind_again(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """A coordinator nudges the contributor of a late post once more, right now."""
    from jobs.delivery import Outcome

    runtime, click = runtime_of(context), BlockAction.from_body(body)
    with runtime.session() as session:
        directory = runtime.organisation(session)
        slot = session.get(Slot, click.slot_id or 0)
        decision = decide_coordinator_action(
            roles=directory.roles(click.user_id), slot=SlotFacts.of(slot)
        )
    if not decision.ok or slot is None or slot.id is None:
        _say_no(respond, decision)
        return
    delivery = _send_reminder_now(
        runtime, client, slot.id, slot.contributor_id, f"again:{click.user_id}"
    )
    said = (
        f"Reminded {mention(slot.contributor_id)} again."
        if delivery.outcome is Outcome.SENT
        else f"Couldn't reach {mention(slot.contributor_id)} ({delivery.error or 'try later'})."
    )
    respond(text=said, response_type="ephemeral", replace_original=False)


def _send_reminder_now(
    runtime: Runtime, client: WebClient, slot_id: int, user_id: str, why: str
) -> Any:
    """A one-slot reminder digest, sent and recorded like the job's: a reply in its thread is
    the draft, and it is never sent twice."""
    from jobs.delivery import deliver
    from jobs.registry import JobContext

    now = runtime.now()
    tz = _tz(runtime, client, user_id)
    return deliver(
        JobContext(runtime=runtime, client=client, at=now),
        recipient=user_id,
        kind="reminder",
        items=[(slot_id, f"{why}:{now:%Y-%m-%dT%H:%M:%S}")],
        render=lambda shown: reminder_digest(user_id, shown, tz, now),
        event="reminded_again" if why.startswith("again") else "assigned",
    )
