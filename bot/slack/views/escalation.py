"""Late posts: what a department coordinator gets the day a post is late, and the overall
coordinators' weekly digest."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.nudges.digests import DigestItem
from bot.slack.views.common import Block, context, divider, escape, header, mention, section, when
from bot.slack.views.controls import slot_controls

MAX_ITEMS = 12


def _line(item: DigestItem, tz: ZoneInfo, now: datetime) -> str:
    where = item.platform.label + (f" @{escape(item.account)}" if item.account else "")
    return (
        f":warning: *{escape(item.topic)}* · {where} · {mention(item.contributor_id)}\n"
        f"was due `{when(item.due_at, tz, now)}` · "
        + (f":bell: reminded {item.reminded}×" if item.reminded else ":no_bell: *not reminded*")
    )


def late_for_coordinator(
    items: list[DigestItem], tz: ZoneInfo, now: datetime
) -> tuple[str, list[Block]]:
    noun = "post is" if len(items) == 1 else "posts are"
    text = f"{len(items)} {noun} late with no draft"
    blocks: list[Block] = [section(f"{text}. One click to nudge, hand over or drop each:")]
    for item in items[:MAX_ITEMS]:
        blocks += [
            divider(),
            section(_line(item, tz, now)),
            slot_controls(item.slot_id, remind=True, reminded=item.reminded > 0),
        ]
    if len(items) > MAX_ITEMS:
        blocks.append(
            context(f"…and {len(items) - MAX_ITEMS} more: `/social schedule` lists them.")
        )
    return text, blocks


def weekly_late_digest(
    items: list[DigestItem], tz: ZoneInfo, now: datetime, days: int
) -> tuple[str, list[Block]]:
    by_department: dict[str, list[DigestItem]] = defaultdict(list)
    for item in items:
        by_department[item.department].append(item)
    text = (
        f"Weekly: {len(items)} posts late by {days}+ days across {len(by_department)} departments"
    )
    blocks: list[Block] = [header("Late posts this week"), section(text + ".")]
    for department in sorted(by_department)[:40]:
        lines = [
            f"• *{escape(i.topic)}* · {mention(i.contributor_id)} · due `{when(i.due_at, tz, now)}`"
            f" ({(now - i.due_at).days} days ago)"
            for i in by_department[department][:15]
        ]
        more = len(by_department[department]) - 15
        if more > 0:
            lines.append(f"…and {more} more")
        blocks.append(section(f"*{escape(department)}*\n" + "\n".join(lines)))
    return text, blocks[:50]
