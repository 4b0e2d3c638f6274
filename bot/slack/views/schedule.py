"""`/social schedule`: a month of slots, readable in Slack and inside Block Kit's limits."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from bot.organisation.roles import Refusal
from bot.schedule.reader import ScheduleAnswer, ScheduleRefused
from bot.schedule.service import DepartmentMonth
from bot.schedule.status import SlotStatus
from bot.slack.views.common import (
    MAX_MESSAGE_BLOCKS,
    Block,
    context,
    day_heading,
    echo,
    escape,
    header,
    mention,
    pack_lines,
    section,
    status_emoji,
)
from bot.slack.views.slots import slot_line


def schedule_message(
    answer: ScheduleAnswer, reader_tz: ZoneInfo, now: datetime | None = None
) -> tuple[str, list[Block]]:
    scope = (
        ", ".join(answer.departments)
        if len(answer.departments) <= 3
        else (f"{len(answer.departments)} departments")
    )
    title = f"{scope}: {answer.month.title}"
    blocks: list[Block] = [header(title)]  # plain text: inert as it is
    if not answer.slots:
        blocks.append(section("Nothing is scheduled this month."))
        return f"{escape(title)}: nothing scheduled", blocks

    blocks += pack_lines(overview_lines(answer.overview), 5)[0]
    note = f"Times are in your timezone ({reader_tz.key})."
    if reader_tz.key != answer.org_timezone.key:
        note += f" The organisation schedules in {answer.org_timezone.key}."
    blocks.append(context(note))

    many = len(answer.departments) > 1
    lines: list[str] = []
    for _, day_slots in groupby(answer.slots, key=lambda s: s.due_at.astimezone(reader_tz).date()):
        day = list(day_slots)
        lines.append(f"*{day_heading(day[0].due_at, reader_tz, now)}*")
        lines.extend(slot_line(s, reader_tz, department=many, now=now) for s in day)
    budget = MAX_MESSAGE_BLOCKS - len(blocks) - 1
    packed, left_out = pack_lines(lines, budget)
    blocks.extend(packed)
    if left_out:
        blocks.append(
            context(
                f"…and more ({left_out} lines not shown). Narrow it down with "
                "`/social schedule <department> YYYY-MM`, or open the bot's Home tab."
            )
        )
    return f"{escape(title)}: {len(answer.slots)} slots", blocks


def overview_lines(overview: list[DepartmentMonth]) -> list[str]:
    rows = []
    for department in overview:
        parts = [
            f"{status_emoji(status)} {department.counts[status]} {status.label}"
            for status in SlotStatus
            if department.counts.get(status)
        ]
        summary = "  ".join(parts) if parts else "nothing scheduled"
        if department.late:
            summary += f"  ·  :warning: {department.late} late in all"
        rows.append(f"*{escape(department.name)}* ({department.total}): {summary}")
    return rows


def refusal_message(refused: ScheduleRefused) -> str:
    if refused.reason is Refusal.NOT_IN_PROGRAMME:
        who = ", ".join(mention(u) for u in refused.contacts) or "an overall coordinator"
        return (
            "You're not part of the social media programme yet, so there is no schedule to "
            f"show you. Ask {who} to add you to the organisation file."
        )
    known = ", ".join(f"`{escape(n)}`" for n in refused.known) or "none"
    if refused.reason is Refusal.UNKNOWN_DEPARTMENT:
        return (
            f"There's no department called `{echo(refused.department)}`. "
            f"Departments you can see: {known}."
        )
    return (
        f"You can only see the schedules of your own departments ({known}); "
        f"{echo(refused.department)}'s schedule is for its own people and the overall "
        "coordinators."
    )
