"""Direct messages to the bot: replies in a reminder's thread become drafts, anything else
is answered with how to send one (`bot.flows.submission`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.flows import submission as flow
from bot.slack.ids import parse_id
from bot.slack.message_text import SlackMessage
from handlers.context import say_privately, slack_of
from handlers.metrics import file_dropped
from handlers.payloads import BlockAction, MessageEvent


def direct_message(
    body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    message = MessageEvent.model_validate(event)
    if message.channel_type == "im" and message.is_file_drop:
        file_dropped(body, message, client, context)  # an analytics export
        return
    if message.channel_type != "im" or not message.is_person:
        return
    assert message.user is not None
    in_thread = message.is_person_in_a_thread
    dm = flow.DirectMessage(
        channel=message.channel,
        ts=message.ts,
        user_id=message.user,
        message=SlackMessage(message.text, tuple(message.blocks)),
        thread_ts=message.thread_ts if in_thread else None,
        files=message.kept_files(),
    )
    flow.receive_direct_message(
        slack_of(context, client),
        event_id=str(body.get("event_id") or f"{message.channel}:{message.ts}"),
        dm=dm,
    )


def pick_slot(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    pending_id, _, slot_id = click.value.partition(":")
    message = (
        (click.channel_id, click.message_ts) if click.channel_id and click.message_ts else None
    )
    refused = flow.pick_slot(
        slack_of(context, client),
        user_id=click.user_id,
        pending_id=parse_id(pending_id) or 0,
        slot_id=parse_id(slot_id) or 0,
        message=message,
        thread_ts=click.thread_ts,
    )
    say_privately(respond, refused)
