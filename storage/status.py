"""A slot's lifecycle, as stored: repositories filter on these states, and the domain
moves slots through them."""

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
