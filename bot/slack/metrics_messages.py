"""What the bot answers in a DM thread after an export is dropped there. Everything from the
file (its name, its cells) goes in plain_text, which Slack never parses for mentions or
formatting; the top-level text carries nothing the person wrote."""

from __future__ import annotations

from typing import Any

MAX_TEXT = 3000  # a section's text
MAX_LINES = 40

Block = dict[str, Any]


def _plain(lines: list[str]) -> Block:
    shown = lines[:MAX_LINES]
    if len(lines) > MAX_LINES:
        shown.append(f"… and {len(lines) - MAX_LINES} more line(s)")
    text = "\n".join(shown)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "plain_text", "text": text, "emoji": False}}


def imported(name: str, lines: list[str]) -> tuple[str, list[Block]]:
    return "Analytics import done.", [_plain([f"Imported {name}:", *(f"  {x}" for x in lines)])]


def refused(name: str, problems: list[str]) -> tuple[str, list[Block]]:
    return "Analytics import refused: nothing was imported.", [
        _plain([f"Nothing was imported from {name}:", *(f"  {p}" for p in problems)])
    ]


def not_allowed() -> tuple[str, list[Block]]:
    text = (
        "Only overall coordinators and department coordinators can import analytics exports. "
        "Ask one of them to drop the file here."
    )
    return text, [_plain([text])]


def not_set_up() -> tuple[str, list[Block]]:
    text = "socialbot has no organisation loaded yet, so I cannot import analytics."
    return text, [_plain([text])]
