"""What a coordinator is told when a post arrives too late for any reminder to reach its
contributor in time: said when it is imported, added, moved or reassigned, not after it is
late."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.nudges.digests import DigestItem
from bot.nudges.plan import QUIET_FROM, QUIET_UNTIL
from bot.slack.views.common import Block, context, divider, escape, mention, section, when
from bot.slack.views.controls import slot_controls

MAX_ITEMS = 15  # 3 blocks each, inside Slack's 50


def _hours(lead: timedelta) -> str:
    hours = round(lead.total_seconds() / 3600)
    return "1 hour" if hours == 1 else f"{hours} hours"


def too_late_message(
    items: list[DigestItem],
    *,
    tz: ZoneInfo,
    zones: Mapping[str, ZoneInfo],
    leads: Mapping[int, timedelta],
    now: datetime,
    assigned: bool = False,
) -> tuple[str, list[Block]]:
    """`assigned`: just reassigned; the new contributor was sent the post at once."""
    count = len(items)
    noun = "post" if count == 1 else "posts"
    text = f"{count} {noun} too close to the due time for a reminder"
    leads_said = sorted({_hours(leads[i.department_id]) for i in items if i.department_id in leads})
    rule = (
        f"I remind people between {QUIET_UNTIL:%H:%M} and {QUIET_FROM:%H:%M} their time, at "
        f"least {' or '.join(leads_said) or '2 hours'} before a post is due, and no such moment "
        "is left"
    )
    outcome = (
        "Its new contributor has been sent it just now, but may not see it in time."
        if assigned
        else "so their contributors will not be reminded."
    )
    blocks: list[Block] = [
        section(
            f":no_bell: *{text}.* {rule}"
            + (". " if assigned else " for these, ")
            + outcome
            + " Check with them yourself, reassign, or cancel:"
        )
    ]
    for item in items[:MAX_ITEMS]:
        where = item.platform.label + (f" @{escape(item.account)}" if item.account else "")
        theirs = now.astimezone(zones.get(item.contributor_id, tz))
        blocks += [
            divider(),
            section(
                f"*{escape(item.topic)}* · {where} · {escape(item.department)} `#{item.slot_id}`\n"
                f"due `{when(item.due_at, tz, now)}` · {mention(item.contributor_id)} "
                f"(it's {theirs:%H:%M} for them now)"
            ),
            slot_controls(item.slot_id),
        ]
    if count > MAX_ITEMS:
        blocks.append(context(f"…and {count - MAX_ITEMS} more: `/social schedule` lists them."))
    return text, blocks
