"""`/social history #id`: everything that happened to one slot, as sentences about people."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.schedule.history import HistoryEvent, SlotHistory
from bot.slack.ids import Action
from bot.slack.views.common import (
    Block,
    escape,
    header,
    mention,
    pack_lines,
    section,
    status_emoji,
    when,
)

_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")
_REVIEWS = {
    "approved": "Approved",
    "changes_requested": "Changes asked for",
    "rejected": "Rejected",
    "leader_approved": "Approved for the leader's account",
    "leader_changes_requested": "Changes asked for, for the leader's account",
    "leader_rejected": "Rejected for the leader's account",
}


def history_message(
    story: SlotHistory, tz: ZoneInfo, *, now: datetime | None = None, can_restore: bool = False
) -> tuple[str, list[Block]]:
    status = story.status
    title = f"#{story.slot_id} {story.topic}"
    blocks: list[Block] = [
        header(title),  # plain text: inert as it is
        section(
            f"{story.platform.label} · due `{when(story.due_at, tz, now)}` · "
            f"{mention(story.contributor_id)} · {status_emoji(status)} _{status.label}_"
        ),
    ]
    lines = [f"`{when(e.at, tz, now)}` {describe(e)}" for e in story.events]
    blocks += pack_lines(lines or ["Nothing has happened yet."], 40)[0]
    if can_restore:
        blocks.append(restore_button(story.slot_id))
    return escape(title), blocks


def restore_button(slot_id: int) -> Block:
    return {
        "type": "actions",
        "block_id": f"slot_{slot_id}",
        "elements": [
            {
                "type": "button",
                "action_id": Action.RESTORE_SLOT.value,
                "text": {"type": "plain_text", "text": "Restore slot"},
                "value": str(slot_id),
            }
        ],
    }


def person(user_id: str) -> str:
    """A person named by Slack (a mention renders as their name); anything else, inert."""
    return mention(user_id) if _USER.match(user_id) else escape(user_id)


def when_in_cadence(stage: str) -> str:
    """A reminder's stage key as people say it: `d2` is "2 days before"."""
    name, _, rest = stage.partition(":")
    if name.startswith("d") and name[1:].isdigit():
        days = int(name[1:])
        if days == 0:
            return "on the due day"
        return f"{days} day{'s' if days != 1 else ''} before"
    if name.startswith("snooze@"):
        return "after a snooze"
    asked_by = rest.split(":", 1)[0]
    if name == "again":
        return f"asked again by {person(asked_by)}" if asked_by else "asked again"
    if name == "assigned":
        return f"on being assigned by {person(asked_by)}" if asked_by else "on being assigned"
    return ""


def describe(event: HistoryEvent) -> str:
    """One event as a sentence: who did what, never an internal key."""
    kind, who, detail = event.kind, event.actor, event.detail
    failed = kind.endswith("_failed")
    base = kind.removesuffix("_failed")
    if failed:
        why = f" ({escape(detail)})" if detail else ""
        return f"{_FAILED.get(base, 'A message')} {person(who)} could not be sent{why}"
    if base in ("reminded", "reminded_again", "assigned"):
        stage = when_in_cadence(detail)
        return f"Reminder sent to {person(who)}" + (f" ({stage})" if stage else "")
    if base == "escalated":
        return f"Escalated to {person(who)}"
    if base == "escalated_overall":
        return f"Escalated to {person(who)} in the weekly report of late posts"
    if base == "review_nudged":
        return f"Review reminder sent to {person(who)}"
    if base == "feedback_sent":
        return f"Feedback sent to {person(who)}"
    if base == "undeliverable_reported":
        return f"{person(who)} told that a reminder could not be delivered"
    if base == "not_reminded":
        return "Not reminded: too close to the due time for a reminder in working hours"
    if base == "unreminded_reported":
        return f"{person(who)} told that no reminder could be sent in time"
    if base == "assigned_too_late_reported":
        return f"{person(who)} told that the new contributor may not see it in time"
    if base in _REVIEWS:
        version, _, reason = detail.partition(" ")
        text = f"{_REVIEWS[base]} by {person(who)}"
        if version.startswith("v") and version[1:].isdigit():
            text += f" ({version})"
        elif detail:
            reason = detail
        return text + (f": {escape(reason.strip())}" if reason.strip() else "")
    if base == "drafted":
        version = detail.split(" ", 1)[0]
        label = f"Draft {version}" if version.startswith("v") else "A draft"
        return f"{label} submitted by {person(who)}"
    if base == "reassigned":
        before, _, after = detail.partition(" → ")
        to, _, by_file = after.partition(" by ")
        text = f"Reassigned from {person(before)} to {person(to)}" if to else "Reassigned"
        if who:
            text += f" by {person(who)}"
        elif by_file:
            text += f" by {escape(by_file)}"
        return text
    if base == "imported":
        return f"Imported from {escape(detail)}" if detail else "Imported"
    if base == "generated":
        return "Planned by a recurring rule"
    if base == "ad_hoc":
        return f"Added as a new post by {person(who)}"
    if base == "snoozed":
        days = detail.split(" ", 1)[0]
        unit = "day" if days == "1" else "days"
        return f"Snoozed by {person(who)}" + (f" for {days} {unit}" if days.isdigit() else "")
    if base == "handed_back":
        return f"Handed back by {person(who)}" + (f": {escape(detail)}" if detail else "")
    if base == "cancelled":
        return f"Cancelled by {person(who)}" if who else "Cancelled"
    if base == "restored":
        return f"Restored by {person(who)}"
    if base == "late":
        return "Went late: no draft by the due time"
    if base == "late_unapproved":
        return "Went late: not approved by the due time"
    if base == "published":
        return f"Marked published by {person(who)}" + (f": {escape(detail)}" if detail else "")
    text = escape(base.replace("_", " ").capitalize())
    return text + (f" by {person(who)}" if _USER.match(who) else "")


_FAILED = {
    "reminded": "Reminder to",
    "reminded_again": "Reminder to",
    "assigned": "Reminder to",
    "escalated": "Escalation to",
    "escalated_overall": "Weekly report to",
    "review_nudged": "Review reminder to",
    "feedback_sent": "Feedback to",
    "undeliverable_reported": "Report to",
    "unreminded_reported": "Report to",
    "assigned_too_late_reported": "Report to",
}
