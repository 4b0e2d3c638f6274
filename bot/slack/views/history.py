"""`/social history #id`: everything that happened to one slot."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.schedule.history import SlotHistory
from bot.slack.views.common import (
    Block,
    escape,
    header,
    mention,
    pack_lines,
    section,
    status_emoji,
    when,
)


def history_message(story: SlotHistory, tz: ZoneInfo) -> tuple[str, list[Block]]:
    status = story.status
    title = f"#{story.slot_id} {story.topic}"
    blocks: list[Block] = [
        header(title),  # plain text: inert as it is
        section(
            f"{story.platform.label} · due `{when(story.due_at, tz)}` · "
            f"{mention(story.contributor_id)} · {status_emoji(status)} _{status.label}_"
        ),
    ]
    lines = [
        f"`{when(e.at, tz)}` *{e.kind.replace('_', ' ')}*"
        + (f" by {mention(e.actor)}" if e.actor.startswith(("U", "W")) else "")
        + (f": {escape(e.detail)}" if e.detail else "")
        for e in story.events
    ]
    blocks += pack_lines(lines or ["Nothing has happened yet."], 40)[0]
    return escape(title), blocks
