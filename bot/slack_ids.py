"""Shapes of Slack identifiers, shared by every parser that accepts them."""

from __future__ import annotations

import re

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")


def is_user_id(value: str) -> bool:
    return bool(USER_ID.match(value))


def is_channel_id(value: str) -> bool:
    return bool(CHANNEL_ID.match(value))
