"""An analytics export dropped into the bot's DM (a top-level message with files)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.flows.metrics_import import FileDrop, import_dropped_files
from handlers.context import runtime_of
from handlers.payloads import MessageEvent


def file_dropped(
    body: dict[str, Any], message: MessageEvent, client: WebClient, context: BoltContext
) -> None:
    assert message.user is not None
    drop = FileDrop(
        event_id=str(body.get("event_id") or f"{message.channel}:{message.ts}"),
        user_id=message.user,
        channel=message.channel,
        ts=message.ts,
        file_ids=tuple(str(f["id"]) for f in message.files if isinstance(f.get("id"), str)),
    )
    import_dropped_files(runtime_of(context), client, drop)
