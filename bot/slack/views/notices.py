"""Short messages: refusals, confirmations, and what coordinators receive about a slot."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.nudges.digests import DigestItem
from bot.slack.views.common import Block, context, escape, mention, section, when
from bot.slack.views.controls import slot_controls


def draft_received(topic: str, version: int, source: str) -> str:
    how = "from your reply" if source == "thread" else ""
    return (
        f":white_check_mark: Draft v{version} of *{escape(topic)}* received {how}. "
        "It's saved and waiting for your coordinator."
    ).replace("  ", " ")


def not_a_reminder_reply(member: bool) -> str:
    """A direct message to the bot that isn't a reply in one of the person's reminders."""
    if not member:
        return (
            "Hi! I run the organisation's social media programme, and you're not part of it "
            "yet. `/social help` says who can add you."
        )
    return (
        "Hi! I only read drafts sent as a reply in the thread of one of your reminders. "
        "To send a draft now, use `/social draft`; `/social help` lists everything I do."
    )


def handed_back_message(
    item: DigestItem, by: str, reason: str, tz: ZoneInfo, now: datetime
) -> tuple[str, list[Block]]:
    text = f"{mention(by)} can't do a post and handed it back"
    blocks: list[Block] = [
        section(
            f"{mention(by)} can't do *{escape(item.topic)}* ({item.platform.label}, due "
            f"`{when(item.due_at, tz, now)}`) and handed it back:\n>{escape(reason)}"
        ),
        slot_controls(item.slot_id),
    ]
    return text, blocks


def resolved_message(original: str, outcome: str) -> list[Block]:
    """A coordinator's message after someone acted on it: the story, then what happened."""
    return [section(original), context(outcome)]
