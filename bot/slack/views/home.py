"""The App Home tab, by role. Contributors: their next posts with one-click answers, their
drafts, the feedback they had. Coordinators: what waits for their review (linked to each
thread), late and unassigned posts with their actions, the month with navigation, Add a post,
and Edit / Move / Reassign on each slot. Overall coordinators: every department at a glance.

Always within Block Kit's 100 blocks: each part has a budget, and what does not fit is
counted ("and N more") with a pointer to `/social schedule`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.home import Attention, DraftSummary, Glance, HomeModel, WaitingThread
from bot.nudges.plan import snooze_choices
from bot.schedule.service import SlotView
from bot.schedule.status import SlotStatus
from bot.slack.ids import Action
from bot.slack.views.common import (
    MAX_HOME_BLOCKS,
    Block,
    button,
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
from bot.slack.views.controls import cant_do_it, slot_controls
from bot.slack.views.schedule import overview_lines
from bot.slack.views.slots import slot_line

UPCOMING_ROWS = 5  # two blocks each: the post, its buttons
ATTENTION_ROWS = 8  # two blocks each: the post, Remind / Reassign / Cancel
MONTH_ROWS = 30  # one block each: the post, with its Edit / Move / Reassign menu
ANSWERABLE = frozenset(
    {SlotStatus.PLANNED, SlotStatus.LATE, SlotStatus.CHANGES_REQUESTED, SlotStatus.DRAFTED}
)


def home_view(
    model: HomeModel,
    reader_tz: ZoneInfo,
    workspace_url: str = "",
    extra: list[Block] | None = None,
) -> dict[str, Any]:
    """`workspace_url` (`https://acme.slack.com/`) makes links to review threads; `extra`:
    other capabilities' sections (credential access), placed before the footer."""
    blocks = _blocks(model, reader_tz, workspace_url)
    if extra:
        blocks[-1:-1] = extra
    if len(blocks) > MAX_HOME_BLOCKS:  # the budgets below keep well under; never past it
        blocks = [*blocks[: MAX_HOME_BLOCKS - 1], blocks[-1]]
    return {"type": "home", "blocks": blocks}


def _blocks(model: HomeModel, tz: ZoneInfo, workspace_url: str) -> list[Block]:
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
    buttons: list[Block] = []
    if model.roles.contributes or model.roles.coordinates:
        buttons.append(button("Submit a draft", Action.HOME_DRAFT.value, style="primary"))
    if model.can_add:
        buttons.append(button("Add a post", Action.SLOT_ADD.value, value=str(model.offset)))
    if buttons:
        blocks.append({"type": "actions", "block_id": "home", "elements": buttons})

    if model.roles.contributes or model.upcoming:
        blocks += _upcoming(model, tz)
    if model.waiting:
        blocks += _waiting(model.waiting, workspace_url)
    if model.attention:
        blocks += _attention(model.attention, tz, model.now)
    if model.glance or model.all_departments:
        blocks.append(header(f"Every department: {model.month.title}"))
        blocks += _navigation(model, "glance")
        lines = (
            _glance_lines(model.glance)
            if model.glance
            else overview_lines(list(model.all_departments))
        )
        packed, left_out = pack_lines(lines, 4)
        blocks += packed
        if left_out:
            blocks.append(_more(left_out, "departments"))
        blocks.append(divider())
    if model.my_departments:
        blocks += _month(model, tz)
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
            f"`{when(d.created_at, tz, model.now)}` · "
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


def _more(left_out: int, what: str) -> Block:
    return context(f"…and {left_out} more {what}: `/social schedule` lists them all.")


# --- contributors ----------------------------------------------------------------------------


def _upcoming(model: HomeModel, tz: ZoneInfo) -> list[Block]:
    blocks: list[Block] = [header("Your upcoming posts")]
    if not model.upcoming:
        blocks.append(section("Nothing due in the next few weeks. :tada:"))
        return blocks
    blocks.append(context("Soonest first. Reply in a reminder's thread, or answer here:"))
    for slot in model.upcoming[:UPCOMING_ROWS]:
        blocks.append(section(slot_line(slot, tz, now=model.now, department=True)))
        if slot.status in ANSWERABLE and slot.contributor_id == model.roles.user_id:
            cadence = model.cadences.get(slot.department)
            snooze = (
                cadence is not None
                and model.now is not None
                and 1 in snooze_choices(now=model.now, due_at=slot.due_at, tz=tz, cadence=cadence)
            )
            blocks.append(_answers(slot, snooze=snooze))
    left_out = len(model.upcoming) - UPCOMING_ROWS
    if left_out > 0:
        blocks.append(_more(left_out, "of your posts"))
    return blocks


def _answers(slot: SlotView, *, snooze: bool) -> Block:
    """The reminder's own buttons (and listeners), which check who clicked; Snooze only when
    the snoozed reminder still lands in time."""
    value = str(slot.id)
    elements = [button("Submit draft", Action.DRAFT_OPEN.value, value=value, style="primary")]
    if snooze:
        elements.append(button("Snooze 1 day", Action.SNOOZE_1D.value, value=value))
    elements.append(cant_do_it(value))
    return {"type": "actions", "block_id": f"mine_{slot.id}", "elements": elements}


# --- coordinators ----------------------------------------------------------------------------


def thread_link(workspace_url: str, channel: str, ts: str) -> str:
    """A message's permalink, built as Slack builds them (no API call per thread)."""
    base = workspace_url.rstrip("/") or "https://slack.com"
    return f"{base}/archives/{channel}/p{ts.replace('.', '')}"


def _waiting(waiting: tuple[WaitingThread, ...], workspace_url: str) -> list[Block]:
    lines = [
        f":eyes: <{thread_link(workspace_url, w.channel, w.ts)}|{escape(w.topic)}>"
        f" · {escape(w.department)} · `#{w.slot_id}`"
        for w in waiting
    ]
    return [header("Waiting for your review"), *pack_lines(lines, 2)[0]]


def _attention(items: tuple[Attention, ...], tz: ZoneInfo, now: datetime | None) -> list[Block]:
    blocks: list[Block] = [header("Late and unassigned")]
    for item in items[:ATTENTION_ROWS]:
        flag = ":bust_in_silhouette: *nobody to write it*" if item.unassigned else ""
        line = slot_line(item.slot, tz, now=now, department=True) + (f" · {flag}" if flag else "")
        blocks.append(section(line))
        blocks.append(
            slot_controls(
                item.slot.id, remind=not item.unassigned, reminded=item.slot.reminders > 0
            )
        )
    left_out = len(items) - ATTENTION_ROWS
    if left_out > 0:
        blocks.append(_more(left_out, "late or unassigned"))
    blocks.append(divider())
    return blocks


def _navigation(model: HomeModel, block_id: str) -> list[Block]:
    """Buttons that publish App Home again for another month: the state is in their value."""
    assert model.month is not None
    previous, following = model.month.previous(), model.month.next()
    elements = [
        button(f"◀ {previous.title}", f"{Action.HOME_MONTH.value}_1", value=str(model.offset - 1))
    ]
    if model.offset != 0:
        elements.append(button("This month", f"{Action.HOME_MONTH.value}_2", value="0"))
    elements.append(
        button(f"{following.title} ▶", f"{Action.HOME_MONTH.value}_3", value=str(model.offset + 1))
    )
    return [{"type": "actions", "block_id": f"month_{block_id}", "elements": elements}]


def _glance_lines(glance: tuple[Glance, ...]) -> list[str]:
    rows = []
    for g in glance:
        parts = [
            f":white_check_mark: {g.on_time} on time",
            f":warning: {g.late} late",
            f":eyes: {g.waiting} waiting for review",
        ]
        rows.append(f"*{escape(g.name)}* ({g.total}): " + "  ·  ".join(parts))
    return rows


def _month(model: HomeModel, tz: ZoneInfo) -> list[Block]:
    assert model.month is not None
    if model.glance or model.all_departments:  # counted and navigated in the glance above
        blocks: list[Block] = [header(f"Every post: {model.month.title}")]
    else:
        names = ", ".join(d.name for d in model.my_departments)
        blocks = [header(f"{names}: {model.month.title}"), *_navigation(model, "mine")]
        blocks += pack_lines(overview_lines(list(model.my_departments)), 3)[0]
    slots = model.my_department_slots
    if not slots:
        blocks.append(section("Nothing is scheduled this month."))
    many = len(model.my_departments) > 1
    for slot in slots[:MONTH_ROWS]:
        block = section(slot_line(slot, tz, now=model.now, department=many))
        if slot.status not in {SlotStatus.PUBLISHED, SlotStatus.CANCELLED}:
            block["accessory"] = _slot_menu(slot.id, model.offset)
        blocks.append(block)
    if len(slots) > MONTH_ROWS:
        blocks.append(_more(len(slots) - MONTH_ROWS, "this month"))
    blocks.append(divider())
    return blocks


def _slot_menu(slot_id: int, offset: int) -> Block:
    def option(text: str, verb: str) -> Block:
        value = f"{verb}:{slot_id}:{offset}"
        return {"text": {"type": "plain_text", "text": text}, "value": value}

    return {
        "type": "overflow",
        "action_id": Action.SLOT_MENU.value,
        "options": [
            option("Edit…", "edit"),
            option("Move…", "move"),
            option("Reassign…", "reassign"),
            option("Cancel…", "cancel"),
        ],
    }


def _preview(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
