"""Modals: submitting a draft, handing a slot back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.nudges.digests import DigestItem
from bot.slack.ids import Callback, parse_id
from bot.slack.views.common import Block, escape, section, when


def _metadata(slot_id: int, channel: str | None, ts: str | None) -> str:
    return json.dumps({"slot": slot_id, "channel": channel, "ts": ts})


def read_metadata(text: str) -> tuple[int | None, str | None, str | None]:
    """What `_metadata` wrote, or Nones for anything else (a forged or damaged modal)."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None
    slot, channel, ts = data.get("slot"), data.get("channel"), data.get("ts")
    slot_id = parse_id(str(slot)) if isinstance(slot, int | str) else None
    if slot_id is None or not isinstance(channel, str | None) or not isinstance(ts, str | None):
        return None, None, None
    return slot_id, channel, ts


def _input(block_id: str, label: str, *, multiline: bool, optional: bool, hint: str = "") -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": multiline,
            "max_length": 3000 if multiline else 500,
        },
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


SPONSORED = "sponsored"


def sponsored_checkbox() -> Block:
    return {
        "type": "input",
        "block_id": SPONSORED,
        "optional": True,
        "label": {"type": "plain_text", "text": "Disclosure"},
        "element": {
            "type": "checkboxes",
            "action_id": "value",
            "options": [
                {
                    "text": {"type": "plain_text", "text": "This is a sponsored post"},
                    "value": SPONSORED,
                }
            ],
        },
    }


IMAGE = "image"


def image_input() -> Block:
    return {
        "type": "input",
        "block_id": IMAGE,
        "optional": True,
        "label": {"type": "plain_text", "text": "Image"},
        "element": {
            "type": "file_input",
            "action_id": "value",
            "filetypes": ["jpg", "jpeg", "png", "gif", "webp"],
            "max_files": 4,
        },
    }


def about_slot(item: DigestItem, tz: ZoneInfo, now: datetime) -> str:
    where = item.platform.label + (f" @{escape(item.account)}" if item.account else "")
    return f"*{escape(item.topic)}* · {where}\nDue `{when(item.due_at, tz, now)}`"


def draft_modal(
    item: DigestItem, tz: ZoneInfo, now: datetime, channel: str | None, ts: str | None
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": Callback.DRAFT.value,
        "private_metadata": _metadata(item.slot_id, channel, ts),
        "title": {"type": "plain_text", "text": "Submit a draft"},
        "submit": {"type": "plain_text", "text": "Submit"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(about_slot(item, tz, now)),
            _input("text", "The post, as it should read", multiline=True, optional=False),
            _input("link", "Link", multiline=False, optional=True),
            _input(
                "note",
                "Note to your coordinator",
                multiline=True,
                optional=True,
            ),
            image_input(),
            sponsored_checkbox(),
        ],
    }


def hand_back_modal(
    item: DigestItem, tz: ZoneInfo, now: datetime, channel: str | None, ts: str | None
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": Callback.HAND_BACK.value,
        "private_metadata": _metadata(item.slot_id, channel, ts),
        "title": {"type": "plain_text", "text": "Hand this post back"},
        "submit": {"type": "plain_text", "text": "Hand back"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(about_slot(item, tz, now)),
            _input(
                "reason",
                "Why can't you do it?",
                multiline=True,
                optional=False,
                hint="Your coordinator sees this and can give the post to someone else.",
            ),
        ],
    }
