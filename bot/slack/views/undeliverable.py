"""What a coordinator is told when the bot could not reach one of their contributors."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.nudges.digests import DigestItem
from bot.slack.views.common import Block, escape, mention, section, when


def undeliverable_message(
    items: list[DigestItem], errors: dict[int, str], tz: ZoneInfo, now: datetime
) -> tuple[str, list[Block]]:
    lines = [
        f"• *{escape(i.topic)}* (due `{when(i.due_at, tz, now)}`) for {mention(i.contributor_id)}:"
        f" Slack said `{errors.get(i.slot_id, 'error')}`"
        for i in items
    ]
    text = "I couldn't deliver some reminders"
    intro = (
        "I couldn't deliver these reminders (the person may have left or be deactivated). "
        "You may want to reassign them:"
    )
    return text, [section(intro), section("\n".join(lines))]
