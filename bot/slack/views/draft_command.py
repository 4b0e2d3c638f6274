"""`/social draft`: a modal to submit a draft for one of my open slots, or a new ad-hoc post."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.drafts.service import OpenSlot
from bot.organisation.platforms import Platform
from bot.slack.ids import Callback
from bot.slack.views.common import when
from bot.slack.views.modals import image_input, sponsored_checkbox

AD_HOC = "new"


def draft_command_modal(slots: list[OpenSlot], tz: ZoneInfo, now: datetime) -> dict[str, Any]:
    options = [
        {
            "text": {
                "type": "plain_text",
                "text": f"{s.topic[:40]} · {when(s.due_at, tz, now)}"[:75],
            },
            "value": str(s.slot_id),
        }
        for s in slots
    ]
    options.append(
        {
            "text": {"type": "plain_text", "text": "A new post, outside the schedule"},
            "value": AD_HOC,
        }
    )

    def text_input(
        block_id: str, label: str, *, optional: bool, multiline: bool = False
    ) -> dict[str, Any]:
        return {
            "type": "input",
            "block_id": block_id,
            "optional": optional,
            "label": {"type": "plain_text", "text": label},
            "element": {"type": "plain_text_input", "action_id": "value", "multiline": multiline},
        }

    return {
        "type": "modal",
        "callback_id": Callback.DRAFT_COMMAND.value,
        "title": {"type": "plain_text", "text": "Submit a draft"},
        "submit": {"type": "plain_text", "text": "Submit"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "slot",
                "label": {"type": "plain_text", "text": "Which post?"},
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": options[:100],
                },
            },
            {
                "type": "input",
                "block_id": "platform",
                "optional": True,
                "label": {"type": "plain_text", "text": "Platform (new posts only)"},
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": [
                        {"text": {"type": "plain_text", "text": p.label}, "value": p.value}
                        for p in Platform
                    ],
                },
            },
            text_input("topic", "Topic (new posts only)", optional=True),
            {
                "type": "input",
                "block_id": "due",
                "optional": True,
                "label": {"type": "plain_text", "text": "Due (new posts only)"},
                "element": {"type": "datepicker", "action_id": "value"},
            },
            text_input("text", "The post, as it should read", optional=False, multiline=True),
            text_input("link", "Link", optional=True),
            text_input("note", "Note to your coordinator", optional=True, multiline=True),
            image_input(),
            sponsored_checkbox(),
        ],
    }
