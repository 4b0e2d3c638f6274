"""Action and callback IDs: the contract between the messages we send and the listeners."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    DRAFT_OPEN = "draft_open"
    SNOOZE_1D = "snooze_1d"
    SNOOZE_3D = "snooze_3d"
    HAND_BACK = "hand_back"
    REASSIGN = "reassign"
    REMIND_AGAIN = "remind_again"
    CANCEL_SLOT = "cancel_slot"
    PICK_SLOT = "pick_slot"
    APPROVE = "review_approve"
    REQUEST_CHANGES = "review_request_changes"
    REJECT = "review_reject"
    MARK_PUBLISHED = "review_mark_published"
    LEADER_APPROVE = "review_leader_approve"
    LEADER_REJECT = "review_leader_reject"
    HOME_DRAFT = "home_draft"


class Callback(StrEnum):
    DRAFT = "draft_submit"
    HAND_BACK = "hand_back_submit"
    REQUEST_CHANGES = "review_changes_submit"
    REJECT = "review_reject_submit"
    PUBLISHED = "review_published_submit"
    DRAFT_COMMAND = "draft_command_submit"
    LEADER_REJECT = "review_leader_reject_submit"
