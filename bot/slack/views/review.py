"""The review message: one per draft version in the department's review channel (the first
starts the thread), showing the post as it will read, its checks, and the decision buttons."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.drafts.checks import Level
from bot.organisation.platforms import Platform
from bot.review.service import Outcome, ReviewMaterial
from bot.schedule.status import SlotStatus
from bot.slack.ids import Action, Callback
from bot.slack.views.common import (
    Block,
    button,
    confirm,
    context,
    escape,
    mention,
    section,
    split_text,
)

REJECT_CONFIRM = confirm(
    "Reject this draft?",
    "The post won't go out and the author is told; you'll give the reason next.",
    "Reject",
)

VERDICT_LINE = {
    Outcome.APPROVED.value: ":white_check_mark: *Approved*",
    Outcome.CHANGES_REQUESTED.value: ":leftwards_arrow_with_hook: *Changes requested*",
    Outcome.REJECTED.value: ":no_entry_sign: *Rejected*",
}


def slack_date(moment: datetime) -> str:
    """A date every reader sees in their own timezone (Slack formats it on their device)."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def as_written(text: str) -> list[Block]:
    """The post exactly as typed, and all of it: plain text, so nothing in it can mention
    anyone or format, in as many sections as Block Kit's 3,000 characters each need (a draft
    is at most 10,000, so a few). What a reviewer approves is what they were shown."""
    return [
        {"type": "section", "text": {"type": "plain_text", "text": piece or " ", "emoji": True}}
        for piece in split_text(text)
    ]


def _body(m: ReviewMaterial) -> list[Block]:
    where = Platform(m.slot.platform).label + (f" @{escape(m.account)}" if m.account else "")
    head = (
        f"*Draft v{m.draft.version}* of *{escape(m.slot.topic)}* by {mention(m.draft.author_id)}"
        f" · {where} · {escape(m.department)} · due {slack_date(m.slot.due_at)}"
    )
    blocks: list[Block] = [section(head), *as_written(m.draft.text)]
    extras = []
    if m.draft.link:
        extras.append(f":link: {escape(m.draft.link)}")
    files = json.loads(m.draft.files or "[]")
    if files:
        extras.append(
            ":frame_with_picture: " + ", ".join(escape(f.get("name", "file")) for f in files)
        )
    if m.draft.note:
        extras.append(f":speech_balloon: _{escape(m.draft.note)}_")
    if extras:
        blocks.append(context(*extras))
    if m.diff:
        changed = "\n".join(escape(line) for line in m.diff[:40])
        blocks.append(section(f"*Changed since v{m.draft.version - 1}:*\n```{changed}```"))
    if m.checks.findings:
        lines = [
            (":no_entry: " if f.level is Level.HARD else ":warning: ") + escape(f.message)
            for f in m.checks.findings
        ]
        blocks.append(context("\n".join(lines)))
    else:
        blocks.append(context(":white_check_mark: All content checks pass."))
    return blocks


LEADER_NOTE = (
    ":bust_in_silhouette: A leader's account: after the department approves, an overall "
    "coordinator approves too."
)


def review_message(m: ReviewMaterial) -> tuple[str, list[Block]]:
    text = f"Draft v{m.draft.version} of {escape(m.slot.topic)} for review"
    value = str(m.draft.id)
    if m.verdict is not None:
        return text, decided_message(m)
    leader: list[Block] = [context(LEADER_NOTE)] if m.for_leader else []
    actions: Block = {
        "type": "actions",
        "block_id": f"draft_{m.draft.id}",
        "elements": [
            button("Approve", Action.APPROVE, value, "primary"),
            button("Request changes", Action.REQUEST_CHANGES, value),
            button("Reject", Action.REJECT, value, "danger", ask=REJECT_CONFIRM),
        ],
    }
    return text, [*_body(m), *leader, actions]


def decided_message(m: ReviewMaterial) -> list[Block]:
    assert m.verdict is not None
    line = (
        f"{VERDICT_LINE[m.verdict.outcome]} by {mention(m.verdict.decided_by)} "
        f"{slack_date(m.verdict.decided_at)}"
    )
    if m.verdict.reason:
        line += f": {escape(m.verdict.reason)}"
    if m.for_leader:
        line = "*Step 1, department:* " + line
    blocks = [*_body(m), section(line)]
    if m.for_leader and m.verdict.outcome == Outcome.APPROVED.value:
        blocks += _leader_step(m)
    if m.slot.published_url:
        blocks.append(context(f":rocket: Published: {escape(m.slot.published_url)}"))
    elif m.fully_approved:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"draft_{m.draft.id}",
                "elements": [button("Mark as published", Action.MARK_PUBLISHED, str(m.draft.id))],
            }
        )
    return blocks


def reason_modal(callback: Callback, draft_id: int, title: str, label: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback.value,
        "private_metadata": str(draft_id),
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": {"type": "plain_text", "text": label},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": callback is not Callback.PUBLISHED,
                },
            }
        ],
    }


def _leader_step(m: ReviewMaterial) -> list[Block]:
    step, value = m.leader_step, str(m.draft.id)
    if step is None:
        return [
            section("*Step 2, overall coordinator:* waiting (a leader's account)."),
            {
                "type": "actions",
                "block_id": f"leader_{m.draft.id}",
                "elements": [
                    button(
                        "Approve for the leader", Action.LEADER_APPROVE, str(m.draft.id), "primary"
                    ),
                    button("Reject", Action.LEADER_REJECT, value, "danger", ask=REJECT_CONFIRM),
                ],
            },
        ]
    line = (
        f"*Step 2, overall coordinator:* {VERDICT_LINE[step.outcome]}"
        f" by {mention(step.decided_by)} {slack_date(step.decided_at)}"
    )
    if step.reason:
        line += f": {escape(step.reason)}"
    return [section(line)]


def replaced_message(m: ReviewMaterial, latest: int) -> tuple[str, list[Block]]:
    """An undecided version after a newer one arrived: shown, no longer waiting for anyone."""
    text = f"Draft v{m.draft.version} of {escape(m.slot.topic)}: replaced by v{latest}"
    note = context(
        f":heavy_minus_sign: *Replaced by v{latest}*, further down this thread: decide on that one."
    )
    return text, [*_body(m), note]


def version_status_text(material: ReviewMaterial) -> str:
    """The notification text of a version's message once decided."""
    return f"{SlotStatus(material.slot.status).label}: {escape(material.slot.topic)}"


def changes_requested_blocks(
    slot_id: int, topic: str, by: str, reason: str
) -> tuple[str, list[Block]]:
    """What a contributor receives when changes are asked for: the feedback and Revise."""
    text = f"{mention(by)} asked for changes to *{topic}*:\n>{escape(reason)}"
    blocks: list[Block] = [
        section(text + "\nReply in this thread with the new version, or:"),
        {
            "type": "actions",
            "block_id": f"slot_{slot_id}",
            "elements": [
                {
                    "type": "button",
                    "action_id": Action.DRAFT_OPEN.value,
                    "text": {"type": "plain_text", "text": "Revise"},
                    "value": str(slot_id),
                    "style": "primary",
                }
            ],
        },
    ]
    return text, blocks
