"""Action and callback IDs: the contract between the messages we send and the listeners; and
reading the row ids those messages carry back to us."""

from __future__ import annotations

import re
from enum import StrEnum

# Ids are PostgreSQL `integer` columns (SQLite's are wider): anything bigger names nothing.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(text: str) -> int | None:
    """A row id as typed or sent back to us (`12`, `#12`), or None if it cannot be one."""
    digits = text.strip().removeprefix("#")
    if not _DIGITS.fullmatch(digits):
        return None
    value = int(digits)
    return value if 0 < value <= MAX_ID else None


class Action(StrEnum):
    DRAFT_OPEN = "draft_open"
    SNOOZE_1D = "snooze_1d"
    SNOOZE_3D = "snooze_3d"
    HAND_BACK = "hand_back"
    REASSIGN = "reassign"
    REMIND_AGAIN = "remind_again"
    CANCEL_SLOT = "cancel_slot"
    RESTORE_SLOT = "restore_slot"
    PICK_SLOT = "pick_slot"
    APPROVE = "review_approve"
    REQUEST_CHANGES = "review_request_changes"
    REJECT = "review_reject"
    MARK_PUBLISHED = "review_mark_published"
    LEADER_APPROVE = "review_leader_approve"
    LEADER_REJECT = "review_leader_reject"
    HOME_DRAFT = "home_draft"
    HOME_MONTH = "home_month"  # value: the month to show, in months from this one
    SLOT_ADD = "slot_add"
    SLOT_MENU = "slot_menu"  # an overflow: "<edit|move|reassign|cancel>:<id>:<month offset>"


class Callback(StrEnum):
    DRAFT = "draft_submit"
    HAND_BACK = "hand_back_submit"
    REQUEST_CHANGES = "review_changes_submit"
    REJECT = "review_reject_submit"
    PUBLISHED = "review_published_submit"
    DRAFT_COMMAND = "draft_command_submit"
    LEADER_REJECT = "review_leader_reject_submit"
    SLOT_ADD = "slot_add_submit"
    SLOT_EDIT = "slot_edit_submit"
    SLOT_MOVE = "slot_move_submit"
    SLOT_REASSIGN = "slot_reassign_submit"
    SLOT_CANCEL = "slot_cancel_submit"
