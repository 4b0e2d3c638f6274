"""Answering a reminder: submit a draft, snooze, hand back; and the coordinator's reassign,
cancel and remind again. Ack, parse, call `bot.flows.reminders` / `bot.flows.submission`, and
say what the flow answers to the person who clicked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.drafts.service import check_text
from bot.flows import reminders as flow
from bot.flows import submission
from bot.flows.home import publish_home
from bot.slack.ids import Action
from bot.slack.views.modals import draft_modal, hand_back_modal, read_metadata
from bot.slack.views.refusals import refusal
from handlers.context import say_privately, slack_of
from handlers.payloads import BlockAction, ViewSubmission


def open_draft_modal(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ctx, click = slack_of(context, client), BlockAction.from_body(body)
    item = flow.own_item(ctx, click.slot_id, click.user_id)
    if isinstance(item, str):
        say_privately(respond, item, client=client, user_id=click.user_id)
        return
    view = draft_modal(
        item, ctx.tz(click.user_id), ctx.runtime.now(), click.channel_id, click.message_ts
    )
    client.views_open(trigger_id=click.trigger_id, view=view)


def open_hand_back_modal(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ctx, click = slack_of(context, client), BlockAction.from_body(body)
    item = flow.own_item(ctx, click.slot_id, click.user_id)
    if isinstance(item, str):
        say_privately(respond, item, client=client, user_id=click.user_id)
        return
    view = hand_back_modal(
        item, ctx.tz(click.user_id), ctx.runtime.now(), click.channel_id, click.message_ts
    )
    client.views_open(trigger_id=click.trigger_id, view=view)


def snooze(body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext) -> None:
    click = BlockAction.from_body(body)
    refused = flow.snooze(
        slack_of(context, client),
        user_id=click.user_id,
        slot_id=click.slot_id,
        days=3 if click.action_id == Action.SNOOZE_3D else 1,
        channel=click.channel_id,
        ts=click.message_ts,
    )
    say_privately(respond, refused, client=client, user_id=click.user_id)
    _home_again(context, client, click)


def _home_again(context: BoltContext, client: WebClient, click: BlockAction) -> None:
    """A click on App Home shows its outcome there."""
    if click.view_id is not None and click.channel_id is None:
        publish_home(slack_of(context, client), click.user_id)


# --- submitting a draft from the modal -------------------------------------------------------


def ack_draft(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Checked on the request thread, so a problem shows on the field and the modal stays:
    an empty draft, or one that breaks a hard content rule for its platform."""
    form = ViewSubmission.from_body(body)
    decision = check_text(form.text("text"))
    if not decision.ok:
        ack(response_action="errors", errors={"text": refusal(decision)})
        return
    ctx = slack_of(context, client)
    slot_id, _, _ = read_metadata(form.private_metadata)
    platform = submission.platform_of(ctx, slot_id)
    problems = submission.hard_problems(ctx, platform, form.draft()) if platform else None
    if problems:
        ack(response_action="errors", errors={"text": problems[:150]})
        return
    ack()


def draft_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    if not check_text(form.text("text")).ok:
        return  # ack_draft already showed the problem on the form (Bolt runs this regardless)
    slot_id, channel, ts = read_metadata(form.private_metadata)
    submission.submit_from_modal(
        slack_of(context, client),
        user_id=form.user_id,
        slot_id=slot_id,
        draft=form.draft(),
        thread=(channel, ts) if channel and ts else None,
    )


# --- handing back --------------------------------------------------------------------------


def ack_hand_back(ack: Ack, body: dict[str, Any]) -> None:
    if not ViewSubmission.from_body(body).text("reason").strip():
        ack(response_action="errors", errors={"reason": "Say why, so your coordinator can help."})
        return
    ack()


def hand_back_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    reason = form.text("reason").strip()
    if not reason:
        return  # ack_hand_back already showed the problem on the form
    slot_id, channel, ts = read_metadata(form.private_metadata)
    refused = flow.hand_back(
        slack_of(context, client),
        user_id=form.user_id,
        slot_id=slot_id,
        reason=reason,
        channel=channel,
        ts=ts,
    )
    if refused is not None:
        client.chat_postMessage(channel=form.user_id, text=refused)


# --- coordinators ----------------------------------------------------------------------------


def reassign(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    if not click.selected_user:
        return
    refused = flow.reassign(
        slack_of(context, client),
        by=click.user_id,
        slot_id=click.slot_id,
        to=click.selected_user,
        channel=click.channel_id,
        ts=click.message_ts,
        shown=click.message_blocks,
    )
    say_privately(respond, refused, client=client, user_id=click.user_id)
    _home_again(context, client, click)


def cancel_slot(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    refused = flow.cancel(
        slack_of(context, client),
        by=click.user_id,
        slot_id=click.slot_id,
        channel=click.channel_id,
        ts=click.message_ts,
        shown=click.message_blocks,
    )
    say_privately(respond, refused, client=client, user_id=click.user_id)
    _home_again(context, client, click)


def restore_slot(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    # An ephemeral message (`/social history`) can't be updated: the answer is said instead.
    in_message = not click.is_ephemeral
    said = flow.restore(
        slack_of(context, client),
        by=click.user_id,
        slot_id=click.slot_id,
        channel=click.channel_id if in_message else None,
        ts=click.message_ts if in_message else None,
        shown=click.message_blocks,
    )
    say_privately(respond, said)


def remind_again(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    said = flow.remind_again(slack_of(context, client), by=click.user_id, slot_id=click.slot_id)
    say_privately(respond, said, client=client, user_id=click.user_id)
