"""The reminder digest: one direct message listing everything of a contributor's that is due.
A coordinator's *Remind again* and a reassignment send the same message, worded for a post
that is already late where it is."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.nudges.digests import DigestItem
from bot.nudges.plan import Cadence, snooze_choices
from bot.schedule.status import SlotStatus
from bot.slack.ids import Action
from bot.slack.views.common import (
    Block,
    button,
    context,
    divider,
    escape,
    mention,
    section,
    status_emoji,
    when,
)
from bot.slack.views.controls import cant_do_it

MAX_ITEMS = 12  # up to 4 blocks each (divider, post, note, buttons): inside Slack's 50
ACTIONABLE = frozenset({SlotStatus.PLANNED, SlotStatus.LATE})
SNOOZE_ACTIONS = {1: Action.SNOOZE_1D, 3: Action.SNOOZE_3D}


def _due_phrase(due_at: datetime, now: datetime, tz: ZoneInfo) -> str:
    days = (due_at.astimezone(tz).date() - now.astimezone(tz).date()).days
    if due_at <= now:
        if days == 0:
            return "was due *today*: it's late"
        if days == -1:
            return "was due *yesterday*: it's late"
        return f"was due *{-days} days ago*: it's late"
    if days <= 0:
        return "due *today*"
    if days == 1:
        return "due *tomorrow*"
    return f"due in {days} days"


def _item_blocks(item: DigestItem, tz: ZoneInfo, now: datetime, cadence: Cadence) -> list[Block]:
    where = item.platform.label + (f" @{escape(item.account)}" if item.account else "")
    text = (
        f"*{escape(item.topic)}* · {where} · {escape(item.department)}\n"
        f"{_due_phrase(item.due_at, now, tz)} (`{when(item.due_at, tz, now)}`)"
    )
    blocks: list[Block] = [section(text)]
    if item.status not in ACTIONABLE:
        blocks.append(context(f"{status_emoji(item.status)} {_status_note(item.status)}"))
        return blocks
    value = str(item.slot_id)
    snoozes = (
        snooze_choices(now=now, due_at=item.due_at, tz=tz, cadence=cadence)
        if item.due_at > now
        else ()
    )
    elements = [button("Submit draft", Action.DRAFT_OPEN, value, style="primary")]
    elements += [
        button(f"Snooze {days} day{'s' if days > 1 else ''}", SNOOZE_ACTIONS[days], value)
        for days in snoozes
    ]
    elements.append(cant_do_it(value))
    # One context block at most, so twelve posts stay inside Slack's 50 blocks.
    notes = []
    if item.status is SlotStatus.PLANNED and item.snoozed_until and item.snoozed_until > now:
        notes.append(f":zzz: Snoozed: I'll remind you `{when(item.snoozed_until, tz, now)}`.")
    if item.due_at > now and len(snoozes) < len(SNOOZE_ACTIONS):
        notes.append(_snooze_note(snoozes))
    if notes:
        blocks.append(context(" ".join(notes)))
    blocks.append({"type": "actions", "block_id": f"slot_{item.slot_id}", "elements": elements})
    return blocks


def _snooze_note(snoozes: tuple[int, ...]) -> str:
    if not snoozes:
        return "It's due too soon to snooze: a later reminder would leave you no time."
    return "A longer snooze would leave you no time before it's due."


def _status_note(status: SlotStatus) -> str:
    return {
        SlotStatus.DRAFTED: "Draft received, thank you.",
        SlotStatus.IN_REVIEW: "Draft in review.",
        SlotStatus.HANDED_BACK: "Handed back to your coordinator.",
        SlotStatus.CANCELLED: "Cancelled: nothing to do.",
    }.get(status, status.label.capitalize() + ".")


def reminder_digest(
    user_id: str,
    items: list[DigestItem],
    tz: ZoneInfo,
    now: datetime,
    cadences: Mapping[int, Cadence],
) -> tuple[str, list[Block]]:
    count = len(items)
    noun = "post" if count == 1 else "posts"
    overdue = sum(item.due_at <= now for item in items)
    if overdue == count:
        text = f"Reminder: {count} {noun} overdue"
        intro = (
            f"Hi {mention(user_id)}, {'this post is' if count == 1 else 'these posts are'} "
            "late, and it's not too late to send a draft. Reply *in this thread* with your "
            "draft (text and images), or use the buttons."
        )
    else:
        text = f"Reminder: {count} {noun} coming up" + (f", {overdue} overdue" if overdue else "")
        intro = (
            f"Hi {mention(user_id)}, here's what's coming up for you. Reply *in this thread* "
            "with your draft (text and images), or use the buttons."
        )
    blocks: list[Block] = [section(intro)]
    for item in items[:MAX_ITEMS]:
        blocks.append(divider())
        blocks.extend(_item_blocks(item, tz, now, cadences[item.department_id]))
    if count > MAX_ITEMS:
        blocks.append(context(f"…and {count - MAX_ITEMS} more in socialbot's Home tab."))
    return text, blocks
