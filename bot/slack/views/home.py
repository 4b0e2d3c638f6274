"""The App Home tab: upcoming slots for contributors, the month for coordinators,
every department for overall coordinators."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.home import DraftSummary, HomeModel
from bot.slack.ids import Action
from bot.slack.views.common import (
    MAX_HOME_BLOCKS,
    Block,
    context,
    divider,
    escape,
    header,
    mention,
    pack_lines,
    section,
    status_emoji,
    when,
)
from bot.slack.views.schedule import overview_lines
from bot.slack.views.slots import slot_line


def home_view(
    model: HomeModel, reader_tz: ZoneInfo, extra: list[Block] | None = None
) -> dict[str, Any]:
    """`extra`: other capabilities' sections (credential access), placed before the footer."""
    blocks = _blocks(model, reader_tz)
    if extra:
        blocks[-1:-1] = extra
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def _blocks(model: HomeModel, tz: ZoneInfo) -> list[Block]:
    blocks: list[Block] = [header("socialbot")]
    if not model.org_loaded:
        blocks.append(
            section(
                "The organisation hasn't been set up yet. An operator runs "
                "`python -m bot org load organisation.toml` to start."
            )
        )
        return blocks
    if not model.roles.is_member:
        who = ", ".join(mention(u) for u in model.contacts) or "an overall coordinator"
        blocks.append(
            section(
                f"You're not part of the social media programme yet. Ask {who} "
                "to add you, then come back here."
            )
        )
        return blocks
    assert model.month is not None
    if model.roles.contributes or model.roles.coordinates:
        blocks.append(
            {
                "type": "actions",
                "block_id": "home",
                "elements": [
                    {
                        "type": "button",
                        "action_id": Action.HOME_DRAFT.value,
                        "text": {"type": "plain_text", "text": "Submit a draft"},
                        "style": "primary",
                    }
                ],
            }
        )

    if model.all_departments:
        blocks.append(header(f"Every department: {model.month.title}"))
        blocks += pack_lines(overview_lines(list(model.all_departments)), 10)[0]
        blocks.append(divider())
    if model.my_departments:
        names = ", ".join(d.name for d in model.my_departments)
        blocks.append(header(f"{names}: {model.month.title}"))
        blocks += pack_lines(overview_lines(list(model.my_departments)), 5)[0]
        lines = [
            slot_line(s, tz, department=len(model.my_departments) > 1)
            for s in model.my_department_slots
        ]
        if lines:
            packed, left_out = pack_lines(lines, 20)
            blocks += packed
            if left_out:
                blocks.append(context(f"…{left_out} more: `/social schedule` lists them all."))
        blocks.append(divider())
    if model.roles.contributes or model.upcoming:
        blocks.append(header("Your upcoming posts"))
        if model.upcoming:
            packed, _ = pack_lines([slot_line(s, tz, department=True) for s in model.upcoming], 5)
            blocks += packed
        else:
            blocks.append(section("Nothing due in the next few weeks. :tada:"))
    if model.feedback:
        blocks.append(header("Feedback you've had"))
        lines = [
            f"*{escape(topic)}*: {mention(who)} said “{escape(_preview(what))}”"
            for topic, who, what in model.feedback
        ]
        blocks += pack_lines(lines, 2)[0]
    if model.change_reasons:
        words = ", ".join(f"{escape(w)} ({n})" for w, n in model.change_reasons)
        blocks.append(context(f"What your department is most often asked to change: {words}"))
    if model.drafts:
        blocks.append(header("Your latest drafts"))
        lines = [
            f"{_draft_state(d)[0]} *{escape(d.topic)}* v{d.version} · "
            f"`{when(d.created_at, tz)}` · "
            f"_{_draft_state(d)[1]}_\n>{escape(_preview(d.text))}"
            for d in model.drafts
        ]
        blocks += pack_lines(lines, 3)[0]
    blocks.append(
        context(f"Times are in your timezone ({tz.key}). `/social help` lists every command.")
    )
    return blocks


def _draft_state(draft: DraftSummary) -> tuple[str, str]:
    """(emoji, words) for one version: its post's status, unless a newer version replaced it."""
    if draft.replaced_by is not None:
        return ":heavy_minus_sign:", f"replaced by v{draft.replaced_by}"
    return status_emoji(draft.status), draft.status.label


def _preview(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
