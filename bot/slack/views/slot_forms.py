"""The coordinator's slot modals: add a post, edit what it is, move it, reassign it; and the
words for what a form got wrong."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.organisation.platforms import Platform
from bot.schedule.changes import (
    ACCOUNT,
    CONTRIBUTOR,
    DATE,
    DEPARTMENT,
    MAX_TOPIC,
    PLATFORM,
    TIME,
    TOPIC,
    AccountChoice,
    FormProblem,
    SlotFormDefaults,
)
from bot.slack.ids import Callback, parse_id
from bot.slack.views.common import Block, context, escape, mention, section, when

MAX_OPTIONS = 100  # a static select's limit
MAX_OPTION_TEXT = 75
NO_ACCOUNT = "none"

PROBLEMS: dict[FormProblem, str] = {
    FormProblem.MISSING: "This is needed.",
    FormProblem.BAD_DATE: "Pick a date.",
    FormProblem.BAD_TIME: "Pick a time that exists on that day (clocks change).",
    FormProblem.IN_THE_PAST: "That moment has already passed: pick a later one.",
    FormProblem.UNKNOWN_DEPARTMENT: "Pick one of your departments.",
    FormProblem.UNKNOWN_PLATFORM: "Pick a platform from the list.",
    FormProblem.UNKNOWN_ACCOUNT: "That account isn't in the organisation file any more.",
    FormProblem.ACCOUNT_PLATFORM: "That account is on another platform: pick one of this "
    "platform's, or none.",
    FormProblem.TOPIC_TOO_LONG: f"At most {MAX_TOPIC} characters.",
    FormProblem.NOT_IN_DEPARTMENT: "Pick a contributor or coordinator of this department.",
    FormProblem.ALREADY_SCHEDULED: "This post is already in the schedule at that moment.",
    FormProblem.SAME_CONTRIBUTOR: "They write it already: pick someone else.",
}


def form_errors(problems: dict[str, FormProblem]) -> dict[str, str]:
    """Slack's `errors` for a modal: block id -> words."""
    return {field: PROBLEMS[problem] for field, problem in problems.items()}


def form_metadata(slot_id: int | None, offset: int) -> str:
    """What a slot modal carries back: the slot (none when adding) and the App Home month."""
    return f"{slot_id or ''}:{offset}"


def read_form_metadata(text: str) -> tuple[int | None, int]:
    head, _, tail = text.partition(":")
    try:
        offset = int(tail) if len(tail) <= 3 else 0
    except ValueError:
        offset = 0
    return parse_id(head), offset


def _text(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _option(label: str, value: str) -> Block:
    return {"text": _text(label[:MAX_OPTION_TEXT] or "?"), "value": value}


def _input(block_id: str, label: str, element: Block, *, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _text(label),
        "optional": optional,
        "element": {**element, "action_id": "value"},
    }


def _modal(
    callback: Callback,
    title: str,
    submit: str,
    blocks: list[Block],
    meta: str,
    close: str = "Cancel",
) -> Block:
    return {
        "type": "modal",
        "callback_id": callback.value,
        "title": _text(title[:24]),
        "submit": _text(submit),
        "close": _text(close),
        "private_metadata": meta,
        "blocks": blocks,
    }


def _when_inputs(due: datetime | None, tz: ZoneInfo) -> list[Block]:
    local = due.astimezone(tz) if due else None
    date: Block = {"type": "datepicker"}
    time: Block = {"type": "timepicker"}
    if local is not None:
        date["initial_date"] = f"{local:%Y-%m-%d}"
        time["initial_time"] = f"{local:%H:%M}"
    return [
        _input(DATE, "Date", date),
        _input(TIME, f"Time ({tz.key})", time),
    ]


def _what_inputs(
    accounts: list[AccountChoice],
    *,
    platform: Platform | None = None,
    account_id: int | None = None,
    topic: str = "",
) -> list[Block]:
    platform_select: Block = {
        "type": "static_select",
        "placeholder": _text("Where it goes"),
        "options": [_option(p.label, p.value) for p in Platform],
    }
    if platform is not None:
        platform_select["initial_option"] = _option(platform.label, platform.value)
    listed = [_option(f"{a.platform.label} @{a.handle}", str(a.id)) for a in accounts]
    account_options = [_option("No particular account", NO_ACCOUNT), *listed[: MAX_OPTIONS - 1]]
    account_select: Block = {"type": "static_select", "options": account_options}
    chosen = next((o for o in account_options if o["value"] == str(account_id)), None)
    account_select["initial_option"] = chosen or account_options[0]
    topic_input: Block = {"type": "plain_text_input", "max_length": MAX_TOPIC}
    if topic:
        topic_input["initial_value"] = topic
    return [
        _input(PLATFORM, "Platform", platform_select),
        _input(ACCOUNT, "Account", account_select, optional=True),
        _input(TOPIC, "Topic", topic_input),
    ]


def add_slot_modal(
    departments: list[tuple[int, str]],
    accounts: list[AccountChoice],
    tz: ZoneInfo,
    offset: int,
) -> Block:
    options = [_option(name, str(i)) for i, name in departments][:MAX_OPTIONS]
    department: Block = {"type": "static_select", "options": options}
    if len(options) == 1:
        department["initial_option"] = options[0]
    blocks = [
        _input(DEPARTMENT, "Department", department),
        *_when_inputs(None, tz),
        *_what_inputs(accounts),
        _input(CONTRIBUTOR, "Contributor", {"type": "users_select"}),
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "Reminders go out as for any imported post. The time is in the "
                    f"organisation's timezone ({tz.key}).",
                }
            ],
        },
    ]
    return _modal(Callback.SLOT_ADD, "Add a post", "Add", blocks, form_metadata(None, offset))


def edit_slot_modal(slot: SlotFormDefaults, accounts: list[AccountChoice], offset: int) -> Block:
    blocks = _what_inputs(
        accounts, platform=slot.platform, account_id=slot.account_id, topic=slot.topic
    )
    return _modal(
        Callback.SLOT_EDIT,
        f"Edit #{slot.slot_id}",
        "Save",
        blocks,
        form_metadata(slot.slot_id, offset),
    )


def move_slot_modal(slot: SlotFormDefaults, tz: ZoneInfo, offset: int) -> Block:
    return _modal(
        Callback.SLOT_MOVE,
        f"Move #{slot.slot_id}",
        "Move",
        _when_inputs(slot.due_at, tz),
        form_metadata(slot.slot_id, offset),
    )


def reassign_modal(slot: SlotFormDefaults, offset: int) -> Block:
    picker: Block = {"type": "users_select", "initial_user": slot.contributor_id}
    return _modal(
        Callback.SLOT_REASSIGN,
        f"Reassign #{slot.slot_id}",
        "Reassign",
        [_input(CONTRIBUTOR, "Who writes it", picker)],
        form_metadata(slot.slot_id, offset),
    )


def cancel_slot_modal(slot: SlotFormDefaults, tz: ZoneInfo, now: datetime, offset: int) -> Block:
    """Cancel… asks first, as a form: what goes, and how to bring it back."""
    about = (
        f"*{escape(slot.topic)}* · {slot.platform.label} · {escape(slot.department)}\n"
        f"Due `{when(slot.due_at, tz, now)}` · written by {mention(slot.contributor_id)}"
    )
    blocks = [
        section(about),
        context(
            "Its contributor won't be reminded of it any more, and it leaves the schedule. "
            "I'll send you a message with *Restore* in case you change your mind."
        ),
    ]
    return _modal(
        Callback.SLOT_CANCEL,
        f"Cancel #{slot.slot_id}?",
        "Cancel the post",
        blocks,
        form_metadata(slot.slot_id, offset),
        close="Keep it",
    )
