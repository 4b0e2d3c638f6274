"""Making text people typed inert in Slack, and the small formatting helpers views share."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

_BROADCAST = re.compile(r"@(here|channel|everyone)", re.IGNORECASE)
# A word joiner after "@" keeps "@here" readable but stops it ever becoming a broadcast.
_JOINER = "@\u2060"


def inert(text: str) -> str:
    """Safe in mrkdwn and in a message's top-level text: no mentions, links, broadcasts or
    formatting entities. (The same escaping as handlers/views/common.escape, plus broadcasts.)"""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: _JOINER + m.group(1), escaped).replace("\x00", "")


def plain(text: str) -> str:
    """For plain_text fields, which Slack never formats: only broadcasts and NULs to defuse."""
    return _BROADCAST.sub(lambda m: _JOINER + m.group(1), text).replace("\x00", "")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def when(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
