"""`/social history #id`: everything that happened to one slot."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.organisation.platforms import Platform
from bot.schedule.status import SlotStatus
from handlers.views.common import Block, escape, header, mention, pack_lines, section, when
from storage.models import Slot, SlotEvent


def history_message(slot: Slot, events: list[SlotEvent], tz: ZoneInfo) -> tuple[str, list[Block]]:
    status = SlotStatus(slot.status)
    title = f"#{slot.id} {slot.topic}"
    blocks: list[Block] = [
        header(title),  # plain text: inert as it is
        section(
            f"{Platform(slot.platform).label} · due `{when(slot.due_at, tz)}` · "
            f"{mention(slot.contributor_id)} · {status.emoji} _{status.label}_"
        ),
    ]
    lines = [
        f"`{when(e.at, tz)}` *{e.kind.replace('_', ' ')}*"
        + (f" by {mention(e.actor)}" if e.actor.startswith(("U", "W")) else "")
        + (f": {escape(e.detail)}" if e.detail else "")
        for e in events
    ]
    blocks += pack_lines(lines or ["Nothing has happened yet."], 40)[0]
    return escape(title), blocks
