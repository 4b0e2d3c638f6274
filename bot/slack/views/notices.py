"""Short messages: refusals, confirmations, and what coordinators receive about a slot."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.drafts.service import Refusal
from bot.nudges.digests import DigestItem
from bot.slack.views.common import Block, context, escape, mention, section, when
from bot.slack.views.controls import slot_controls

REFUSALS = {
    Refusal.NO_SUCH_SLOT: "That post no longer exists.",
    Refusal.NOT_YOURS: "That post is assigned to someone else, so only they can act on it.",
    Refusal.NOT_OPEN: "That post isn't waiting for anything any more, so nothing was changed.",
    Refusal.NOT_COORDINATOR: "Only this department's coordinators and the overall coordinators "
    "can do that. Nothing was changed.",
    Refusal.EMPTY: "The draft is empty.",
    Refusal.TOO_LONG: "The draft is too long (at most 10,000 characters).",
    Refusal.NOT_IN_DEPARTMENT: "That person isn't a contributor or coordinator of this "
    "department. Nothing was changed.",
}


def refusal(reason: Refusal | None, details: tuple[str, ...] = ()) -> str:
    if reason is Refusal.CHECKS_FAILED:
        return "That draft can't be submitted yet:\n" + "\n".join(f"• {escape(d)}" for d in details)
    return REFUSALS.get(reason, "That can't be done.") if reason else "That can't be done."


def draft_received(topic: str, version: int, source: str) -> str:
    how = "from your reply" if source == "thread" else ""
    return (
        f":white_check_mark: Draft v{version} of *{escape(topic)}* received {how}. "
        "It's saved and waiting for your coordinator."
    ).replace("  ", " ")


def handed_back_message(
    item: DigestItem, by: str, reason: str, tz: ZoneInfo
) -> tuple[str, list[Block]]:
    text = f"{mention(by)} can't do a post and handed it back"
    blocks: list[Block] = [
        section(
            f"{mention(by)} can't do *{escape(item.topic)}* ({item.platform.label}, due "
            f"`{when(item.due_at, tz)}`) and handed it back:\n>{escape(reason)}"
        ),
        slot_controls(item.slot_id),
    ]
    return text, blocks


def resolved_message(original: str, outcome: str) -> list[Block]:
    """A coordinator's message after someone acted on it: the story, then what happened."""
    return [section(original), context(outcome)]
