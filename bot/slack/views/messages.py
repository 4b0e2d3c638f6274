"""Answers in a reminder's thread."""

from __future__ import annotations

from collections.abc import Sequence

from bot.nudges.digests import DigestItem
from bot.slack.ids import Action
from bot.slack.views.common import Block, section


def pick_slot_message(pending_id: int, options: Sequence[DigestItem]) -> tuple[str, list[Block]]:
    """A reply to a digest listing several posts: which one is it for?"""
    buttons = [
        {
            "type": "button",
            "action_id": f"{Action.PICK_SLOT.value}_{index}",
            "text": {"type": "plain_text", "text": item.topic[:70]},
            "value": f"{pending_id}:{item.slot_id}",
        }
        for index, item in enumerate(options[:5])
    ]
    text = "Thanks! Which post is this draft for?"
    return text, [section(text), {"type": "actions", "block_id": "pick", "elements": buttons}]
