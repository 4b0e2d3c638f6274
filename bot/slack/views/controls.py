"""The coordinator's controls on a slot: remind again, reassign, cancel (or skip)."""

from __future__ import annotations

from bot.slack.ids import Action
from bot.slack.views.common import Block, button, confirm


def cant_do_it(value: str) -> Block:
    """A contributor hands a post back: asked first, wherever the button is."""
    return button(
        "Can't do it",
        Action.HAND_BACK,
        value,
        ask=confirm(
            "Hand this post back?",
            "Your coordinator will be told you can't do it, and will find someone "
            "else. You'll say why next.",
            "Hand it back",
        ),
    )


def slot_controls(
    slot_id: int,
    *,
    remind: bool = False,
    reminded: bool = True,
    cancel_label: str = "Cancel slot",
) -> Block:
    """`reminded`: whether its contributor was reminded before, which names the button."""
    value = str(slot_id)
    elements: list[Block] = []
    if remind:
        label = "Remind again" if reminded else "Remind now"
        elements.append(
            {
                "type": "button",
                "action_id": Action.REMIND_AGAIN.value,
                "text": {"type": "plain_text", "text": label},
                "value": value,
            }
        )
    elements += [
        {
            "type": "users_select",
            "action_id": Action.REASSIGN.value,
            "placeholder": {"type": "plain_text", "text": "Reassign to…"},
        },
        {
            "type": "button",
            "action_id": Action.CANCEL_SLOT.value,
            "text": {"type": "plain_text", "text": cancel_label},
            "value": value,
            "style": "danger",
            "confirm": confirm(
                f"{cancel_label}?",
                "Nobody will be reminded about it any more. A coordinator can restore it "
                "from the message that says it was cancelled, or from /social history.",
                cancel_label,
            ),
        },
    ]
    # The select carries no value: listeners read the slot from the block ID.
    return {"type": "actions", "block_id": f"slot_{slot_id}", "elements": elements}
