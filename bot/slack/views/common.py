"""Small pieces every view uses, and Slack's size limits in one place."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.schedule.status import SlotStatus
from bot.text import ECHO_LIMIT, clean, clip

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150


def escape(text: str) -> str:
    """Make user-supplied text inert in mrkdwn (blocks and top-level `text` alike): no
    mentions, links, dates or channel pings, and no control characters. Every text the bot
    builds from what people typed goes through here (or `echo`)."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """Something a person typed, said back to them: inert, and never longer than `limit`."""
    return escape(clip(clean(text), limit))


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(moment: datetime, tz: ZoneInfo, now: datetime | None) -> str:
    """`Tue 5 Jan, 04:00`, or `Tue 5 Jan 2027, 04:00` when that is not the year of `now`
    (both as the reader sees them). Built by hand: strftime dominated long schedule renders."""
    local = moment.astimezone(tz)
    return (
        f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"
        f"{_year(local, tz, now)}, {local.hour:02d}:{local.minute:02d}"
    )


def day_heading(moment: datetime, tz: ZoneInfo, now: datetime | None) -> str:
    local = moment.astimezone(tz)
    return f"{local:%A} {local.day} {local:%B}{_year(local, tz, now)}"


def _year(local: datetime, tz: ZoneInfo, now: datetime | None) -> str:
    if now is None or now.astimezone(tz).year == local.year:
        return ""
    return f" {local.year}"


def button(
    label: str,
    action: str | StrEnum,
    value: str = "",
    style: str | None = None,
    *,
    ask: Block | None = None,
) -> Block:
    """A button; `ask`: a `confirm` dialog shown before the click counts."""
    block: Block = {
        "type": "button",
        "action_id": action.value if isinstance(action, StrEnum) else action,
        "text": {"type": "plain_text", "text": label[:75]},
    }
    if value:
        block["value"] = value
    if style:
        block["style"] = style
    if ask:
        block["confirm"] = ask
    return block


def confirm(title: str, text: str, yes: str, no: str = "Keep it") -> Block:
    """Block Kit's confirmation dialog, for a button whose click can't be taken back lightly.
    Plain text throughout: what it quotes stays inert."""
    return {
        "title": {"type": "plain_text", "text": title[:100]},
        "text": {"type": "plain_text", "text": text[:300]},
        "confirm": {"type": "plain_text", "text": yes[:30]},
        "deny": {"type": "plain_text", "text": no[:30]},
        "style": "danger",
    }


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:MAX_HEADER_TEXT]}}


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}}


def split_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Text in pieces of at most `limit` characters that join back to exactly the text,
    broken after a line or a word where one is near the end of a piece."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit)) + 1
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text]


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in texts[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def pack_lines(lines: list[str], budget: int) -> tuple[list[Block], int]:
    """Pack lines into as few sections as fit, using at most `budget` blocks.
    Returns the blocks and how many lines did not fit."""
    blocks: list[Block] = []
    current: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        line = line[: MAX_SECTION_TEXT - 1]
        if current and size + len(line) + 1 > MAX_SECTION_TEXT:
            if len(blocks) + 1 >= budget:
                blocks.append(section("\n".join(current)))
                return blocks, len(lines) - index
            blocks.append(section("\n".join(current)))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        blocks.append(section("\n".join(current)))
    return blocks, 0


STATUS_EMOJI = {
    SlotStatus.PLANNED: ":white_circle:",
    SlotStatus.DRAFTED: ":pencil2:",
    SlotStatus.IN_REVIEW: ":eyes:",
    SlotStatus.CHANGES_REQUESTED: ":leftwards_arrow_with_hook:",
    SlotStatus.APPROVED: ":white_check_mark:",
    SlotStatus.PUBLISHED: ":rocket:",
    SlotStatus.LATE: ":warning:",
    SlotStatus.HANDED_BACK: ":back:",
    SlotStatus.REJECTED: ":no_entry_sign:",
    SlotStatus.CANCELLED: ":heavy_multiplication_x:",
}


def status_emoji(status: SlotStatus) -> str:
    return STATUS_EMOJI[status]
