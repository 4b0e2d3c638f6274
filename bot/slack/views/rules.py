"""`/social rules`: each recurring rule and its next occurrences, editable in place."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.organisation.platforms import Platform
from bot.schedule.rules import RuleView
from bot.slack.views.common import (
    MAX_MESSAGE_BLOCKS,
    Block,
    context,
    echo,
    escape,
    header,
    mention,
    section,
    when,
)
from bot.slack.views.controls import slot_controls


def no_such_department(asked: str, yours: list[str]) -> str:
    known = ", ".join(f"`{escape(n)}`" for n in yours) or "none"
    return f"There's no department called `{echo(asked)}`. Departments you coordinate: {known}."


def rules_message(
    views: list[RuleView], tz: ZoneInfo, now: datetime | None = None
) -> tuple[str, list[Block]]:
    if not views:
        text = "No recurring rules. They live in the organisation file ([[departments.rules]])."
        return text, [section(text)]
    blocks: list[Block] = [header("Recurring posts and their next dates")]
    for view in views:
        days = " & ".join(d.capitalize() for d in view.weekdays)
        people = ", ".join(mention(u) for u in view.contributors)
        blocks.append(
            section(
                f"*{escape(view.topic)}* ({escape(view.department)})"
                f" · {Platform(view.platform).label} · every {days} · rotating {people}"
            )
        )
        for item in view.upcoming:
            if len(blocks) + 3 > MAX_MESSAGE_BLOCKS:
                blocks.append(context("More in `/social schedule`."))
                return f"{len(views)} recurring rules", blocks
            status = item.status.replace("_", " ")
            line = f"`{when(item.due_at, tz, now)}` · {mention(item.contributor_id)} · _{status}_"
            blocks.append(context(line))
            blocks.append(slot_controls(item.slot_id, cancel_label="Skip this one"))
    return f"{len(views)} recurring rules", blocks
