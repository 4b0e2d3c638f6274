"""Making text people typed inert in Slack, and mentions. (Dates: bot/slack/views/common.when.)"""

from __future__ import annotations

import re

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
