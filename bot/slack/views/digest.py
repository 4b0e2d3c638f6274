"""The reminder digest: one direct message listing everything of a contributor's that is due."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.nudges.digests import DigestItem
from bot.schedule.status import SlotStatus
from bot.slack.ids import Action
from bot.slack.views.common import (
    Block,
    confirm,
    context,
    divider,
    escape,
    mention,
    section,
    status_emoji,
    when,
)

MAX_ITEMS = 12  # 3 blocks each keeps a digest inside Slack's 50


def _due_phrase(due_at: datetime, now: datetime, tz: ZoneInfo) -> str:
    days = (due_at.astimezone(tz).date() - now.astimezone(tz).date()).days
    if days <= 0:
        return "due *today*"
    if days == 1:
        return "due *tomorrow*"
    return f"due in {days} days"


def _item_blocks(item: DigestItem, tz: ZoneInfo, now: datetime) -> list[Block]:
    where = item.platform.label + (f" @{escape(item.account)}" if item.account else "")
    text = (
        f"*{escape(item.topic)}* · {where} · {escape(item.department)}\n"
        f"{_due_phrase(item.due_at, now, tz)} (`{when(item.due_at, tz)}`)"
    )
    blocks: list[Block] = [section(text)]
    if item.status is SlotStatus.PLANNED and item.snoozed_until and item.snoozed_until > now:
        blocks.append(context(f":zzz: Snoozed: I'll remind you `{when(item.snoozed_until, tz)}`."))
    if item.status is not SlotStatus.PLANNED:
        blocks.append(context(f"{status_emoji(item.status)} {_status_note(item.status)}"))
        return blocks
    value = str(item.slot_id)
    blocks.append(
        {
            "type": "actions",
            "block_id": f"slot_{item.slot_id}",
            "elements": [
                _button("Submit draft", Action.DRAFT_OPEN, value, style="primary"),
                _button("Snooze 1 day", Action.SNOOZE_1D, value),
                _button("Snooze 3 days", Action.SNOOZE_3D, value),
                {
                    **_button("Can't do it", Action.HAND_BACK, value),
                    "confirm": confirm(
                        "Hand this post back?",
                        "Your coordinator will be told you can't do it, and will find someone "
                        "else. You'll say why next.",
                        "Hand it back",
                    ),
                },
            ],
        }
    )
    return blocks


def _status_note(status: SlotStatus) -> str:
    return {
        SlotStatus.DRAFTED: "Draft received, thank you.",
        SlotStatus.IN_REVIEW: "Draft in review.",
        SlotStatus.HANDED_BACK: "Handed back to your coordinator.",
        SlotStatus.CANCELLED: "Cancelled: nothing to do.",
    }.get(status, status.label.capitalize() + ".")


def _button(label: str, action: Action, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action.value,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def reminder_digest(
    user_id: str, items: list[DigestItem], tz: ZoneInfo, now: datetime
) -> tuple[str, list[Block]]:
    count = len(items)
    noun = "post" if count == 1 else "posts"
    text = f"Reminder: {count} {noun} coming up"
    intro = (
        f"Hi {mention(user_id)}, here's what's coming up for you. Reply *in this thread* with "
        "your draft (text and images), or use the buttons."
    )
    blocks: list[Block] = [section(intro)]
    for item in items[:MAX_ITEMS]:
        blocks.append(divider())
        blocks.extend(_item_blocks(item, tz, now))
    if count > MAX_ITEMS:
        blocks.append(context(f"…and {count - MAX_ITEMS} more in socialbot's Home tab."))
    return text, blocks
