"""Text from people, made safe to store and to show back: one place for both rules."""

from __future__ import annotations

import re

# NUL cannot be stored in PostgreSQL text, and other C0/C1 controls (bar tab and newline)
# only confuse what shows them. A carriage return becomes a newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ELLIPSIS = "…"
ECHO_LIMIT = 100


def clean(text: str) -> str:
    """What we keep of typed text: everything but control characters (tab and newline stay)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """At most `limit` characters, ending in an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


SHOWN = 40  # the most of a file's header or cell an error echoes
_ESCAPES = {"\0": "\\0", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str, limit: int = SHOWN) -> str:
    """Text from a file as an error echoes it: on one line, control characters made visible
    (NUL as \\0), at most `limit` characters."""
    visible = "".join(
        c if c.isprintable() else _ESCAPES.get(c, repr(c)[1:-1]) for c in text[: limit + 1]
    )
    return clip(visible, limit)


MAX_PROBLEMS = 50


def capped(lines: list[str], limit: int = MAX_PROBLEMS, noun: str = "problems") -> list[str]:
    """The first `limit` lines, then how many more there were: a list people can read."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"…and {len(lines) - limit} more {noun}"]
