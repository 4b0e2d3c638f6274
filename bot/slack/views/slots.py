"""How a slot reads in a list."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.schedule.service import SlotView
from bot.schedule.status import SlotStatus
from bot.slack.views.common import escape, mention, status_emoji, when


def slot_line(
    slot: SlotView, tz: ZoneInfo, *, now: datetime | None, department: bool = False
) -> str:
    where = slot.platform.label + (f" @{escape(slot.account)}" if slot.account else "")
    prefix = f"[{escape(slot.department)}] " if department else ""
    return (
        f"{status_emoji(slot.status)} `{when(slot.due_at, tz, now)}` "
        f"{prefix}*{escape(slot.topic)}* `#{slot.id}`"
        f" · {where}"
        f" · {mention(slot.contributor_id)} · _{slot.status.label}_"
        + _reminded(slot)
        + (" · :no_entry: *blackout day*" if slot.on_blackout else "")
        + (" · :warning: *late*" if slot.late and slot.status is not SlotStatus.LATE else "")
    )


def _reminded(slot: SlotView) -> str:
    """How often its contributor was reminded; "not reminded" where none could be sent and
    where a late post had none, so no view implies a reminder that never went."""
    if slot.reminders:
        return f" · :bell: reminded {slot.reminders}×"
    if slot.not_reminded or (slot.late and slot.status in _OPEN):
        return " · :no_bell: *not reminded*"
    return ""


_OPEN = frozenset({SlotStatus.PLANNED, SlotStatus.LATE, SlotStatus.HANDED_BACK})
