"""A slot's lifecycle, and how each state reads to people."""

from __future__ import annotations

from enum import StrEnum


class SlotStatus(StrEnum):
    PLANNED = "planned"
    DRAFTED = "drafted"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    LATE = "late"
    HANDED_BACK = "handed_back"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def emoji(self) -> str:
        return _EMOJI[self]


_EMOJI = {
    SlotStatus.PLANNED: ":white_circle:",
    SlotStatus.DRAFTED: ":pencil2:",
    SlotStatus.IN_REVIEW: ":eyes:",
    SlotStatus.CHANGES_REQUESTED: ":leftwards_arrow_with_hook:",
    SlotStatus.APPROVED: ":white_check_mark:",
    SlotStatus.PUBLISHED: ":rocket:",
    SlotStatus.LATE: ":warning:",
    SlotStatus.HANDED_BACK: ":back:",
    SlotStatus.REJECTED: ":no_entry_sign:",
    SlotStatus.CANCELLED: ":heavy_multiplication_x:",
}
