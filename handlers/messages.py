"""Replies in a reminder's thread become drafts."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.drafts.replies import Reply, ReplyKind, ReplyOutcome, receive_reply, resolve_pending
from handlers.context import runtime_of
from handlers.ids import Action
from handlers.metrics import file_dropped
from handlers.payloads import BlockAction, MessageEvent
from handlers.reminder_actions import refresh_digest
from handlers.review import post_for_review
from handlers.views.common import section
from handlers.views.notices import draft_received, refusal

KEPT_FILE_FIELDS = ("id", "name", "mimetype", "permalink")


def thread_reply(
    body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    message = MessageEvent.model_validate(event)
    if message.channel_type == "im" and message.is_file_drop:
        file_dropped(body, message, client, context)  # an analytics export
        return
    if message.channel_type != "im" or not message.is_person_in_a_thread:
        return
    assert message.user is not None and message.thread_ts is not None
    runtime = runtime_of(context)
    reply = Reply(
        channel=message.channel,
        thread_ts=message.thread_ts,
        ts=message.ts,
        user_id=message.user,
        text=message.text,
        files=tuple({k: str(f[k]) for k in KEPT_FILE_FIELDS if k in f} for f in message.files),
    )
    with runtime.session() as session:
        outcome = receive_reply(
            session=session,
            event_id=str(body.get("event_id") or reply.source_key),
            reply=reply,
            now=runtime.now(),
        )
    _answer(runtime, client, outcome, message.channel, message.thread_ts)


def pick_slot(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    runtime, click = runtime_of(context), BlockAction.from_body(body)
    pending_id, _, slot_id = click.value.partition(":")
    with runtime.session() as session:
        outcome = resolve_pending(
            session=session,
            pending_id=int(pending_id or 0),
            slot_id=int(slot_id or 0),
            user_id=click.user_id,
            now=runtime.now(),
        )
    if outcome.kind is ReplyKind.REFUSED:
        text = refusal(outcome.reason, outcome.details)
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    if outcome.kind is ReplyKind.SUBMITTED and click.channel_id and click.message_ts:
        assert outcome.submitted is not None and outcome.item is not None
        post_for_review(runtime, client, outcome.submitted.draft_id)
        text = draft_received(outcome.item.topic, outcome.submitted.version, "thread")
        client.chat_update(
            channel=click.channel_id, ts=click.message_ts, text=text, blocks=[section(text)]
        )
        thread = (body.get("message") or {}).get("thread_ts")
        refresh_digest(runtime, client, click.channel_id, thread)


def _answer(
    runtime: Any, client: WebClient, outcome: ReplyOutcome, channel: str, thread_ts: str
) -> None:
    if outcome.kind in (ReplyKind.IGNORED, ReplyKind.DUPLICATE):
        return
    if outcome.kind is ReplyKind.SUBMITTED:
        assert outcome.submitted is not None and outcome.item is not None
        post_for_review(runtime, client, outcome.submitted.draft_id)
        text = draft_received(outcome.item.topic, outcome.submitted.version, "thread")
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
        refresh_digest(runtime, client, channel, thread_ts)
    elif outcome.kind is ReplyKind.ASK:
        buttons = [
            {
                "type": "button",
                "action_id": f"{Action.PICK_SLOT.value}_{index}",
                "text": {"type": "plain_text", "text": item.topic[:70]},
                "value": f"{outcome.pending_id}:{item.slot_id}",
            }
            for index, item in enumerate(outcome.options[:5])
        ]
        text = "Thanks! Which post is this draft for?"
        blocks = [section(text), {"type": "actions", "block_id": "pick", "elements": buttons}]
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks)
    elif outcome.kind is ReplyKind.NOTHING_OPEN:
        client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text="Everything in this reminder already has a draft or was handed back, so I "
            "didn't save that reply.",
        )
    else:
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=refusal(outcome.reason, outcome.details)
        )
