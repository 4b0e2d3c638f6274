"""Turning recorded Web API calls into lines a person can read."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.testing.fake_slack import Call

_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")  # Slack shows each reader their own time


def plain(text: str, names: dict[str, str]) -> str:
    text = _MENTION.sub(lambda m: "@" + names.get(m[1], m[1]), text)
    text = _DATE.sub(lambda m: m[1], text)
    return html.unescape(text)


def block_lines(blocks: list[dict[str, Any]], names: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {block['text']['text']} ==")
        elif kind == "section":
            lines.extend(plain(block["text"]["text"], names).splitlines())
        elif kind == "context":
            lines.append(
                "  (" + " ".join(plain(e.get("text", ""), names) for e in block["elements"]) + ")"
            )
        elif kind == "divider":
            lines.append("—" * 20)
        elif kind == "actions":
            labels = [
                (e.get("text") or e.get("placeholder") or {}).get("text", "")
                for e in block.get("elements", [])
            ]
            lines.append("  [" + "] [".join(labels) + "]")
    return lines


def describe_call(call: Call, names: dict[str, str]) -> list[str]:
    """A heading line and the message's content, or nothing for calls people never see."""
    who = lambda user_id: names.get(user_id, user_id)  # noqa: E731
    if call.method == "response_url":
        head = "socialbot → you (only you can see this)"
    elif call.method == "views.publish":
        head = f"socialbot → {who(call['user_id'])}'s Home tab"
    elif call.method in {"chat.postMessage", "chat.postEphemeral"}:
        head = f"socialbot → {names.get(call['channel'], call['channel'])}"
    elif call.method == "chat.update":
        head = f"socialbot updates a message in {names.get(call['channel'], call['channel'])}"
    else:
        return []
    body = block_lines(call.blocks, names) or [plain(str(call.get("text", "")), names)]
    return [head, *("    " + line for line in body)]
